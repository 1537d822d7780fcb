import Foundation
import WindowCore

/// A session with its materials, outcome and rating.
public struct SessionView: Codable, Sendable, Equatable {
    public var id: Int64
    public var ticket: Int64
    public var clerk: Int64?
    public var kiosk: Int64?
    public var itemCode: String
    public var state: SessionState
    public var room: String?
    public var startedAt: Date?
    public var endedAt: Date?
    public var outcome: SessionOutcome?
    public var notes: String?
    public var caseNumber: String?
    public var materials: [MaterialView]
    public var rating: RatingView?
    /// The worker's answer to the camera notice (nil: not yet).
    public var consent: Bool?
    /// Each side's media while the session is live.
    public var media: SessionMediaView?

    public init(
        id: Int64, ticket: Int64, itemCode: String, state: SessionState, outcome: SessionOutcome? = nil,
        caseNumber: String? = nil, notes: String? = nil, materials: [MaterialView] = [], rating: RatingView? = nil
    ) {
        self.id = id
        self.ticket = ticket
        self.itemCode = itemCode
        self.state = state
        self.outcome = outcome
        self.caseNumber = caseNumber
        self.notes = notes
        self.materials = materials
        self.rating = rating
    }
}

/// A material handed over in a session, and its review.
public struct MaterialView: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var contentType: String
    public var size: Int
    public var status: MaterialStatus
    public var reason: String?
    public var uploadedAt: Date?
    public var reviewedAt: Date?

    public init(
        id: Int64, name: String, contentType: String, size: Int, status: MaterialStatus, reason: String? = nil,
        uploadedAt: Date? = nil, reviewedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.size = size
        self.status = status
        self.reason = reason
        self.uploadedAt = uploadedAt
        self.reviewedAt = reviewedAt
    }
}

/// A 好差评 rating as stored.
public struct RatingView: Codable, Sendable, Equatable {
    public var level: Int
    public var label: LocalizedText
    public var comment: String?

    public init(level: Int, label: LocalizedText, comment: String?) {
        self.level = level
        self.label = label
        self.comment = comment
    }
}

/// `materials` live message: the session's whole list after a change.
public struct MaterialsUpdate: Codable, Sendable, Equatable {
    public var session: Int64
    public var materials: [MaterialView]

    public init(session: Int64, materials: [MaterialView]) {
        self.session = session
        self.materials = materials
    }
}
