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
    /// For a 补正 session: what was missing and until when the worker may come back.
    public var correction: CorrectionView?
    /// A worker back for a 补正: the earlier session (its notes, materials and what was missing).
    public var returnOf: Int64?

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

/// A 补正 as the session shows it: the reference, what is missing, the deadline.
public struct CorrectionView: Codable, Sendable, Equatable {
    public var reference: String?
    public var missing: [String]
    public var note: String?
    public var returnBy: Date?
    public var state: FollowUpCase.State

    public init(reference: String?, missing: [String], note: String?, returnBy: Date?, state: FollowUpCase.State) {
        self.reference = reference
        self.missing = missing
        self.note = note
        self.returnBy = returnBy
        self.state = state
    }
}

/// A follow-up case as managers list it.
public struct FollowUpSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: FollowUpCase.Kind
    public var state: FollowUpCase.State
    public var caseNumber: String?
    public var itemCode: String
    public var site: Int64
    public var clerk: Int64
    public var clerkName: String?
    public var level: Int?
    public var openedAt: Date
    public var owner: String?
    public var nextStep: String?
    public var nextDue: Date?
    public var overdue: Bool

    public init(
        id: Int64, kind: FollowUpCase.Kind, state: FollowUpCase.State, caseNumber: String?, itemCode: String, site: Int64, clerk: Int64,
        clerkName: String?, level: Int?, openedAt: Date, owner: String?, nextStep: String?, nextDue: Date?, overdue: Bool
    ) {
        self.id = id
        self.kind = kind
        self.state = state
        self.caseNumber = caseNumber
        self.itemCode = itemCode
        self.site = site
        self.clerk = clerk
        self.clerkName = clerkName
        self.level = level
        self.openedAt = openedAt
        self.owner = owner
        self.nextStep = nextStep
        self.nextDue = nextDue
        self.overdue = overdue
    }
}

public struct FollowUpList: Codable, Sendable, Equatable {
    public var cases: [FollowUpSummary]
    public var overdue: Int

    public init(cases: [FollowUpSummary], overdue: Int) {
        self.cases = cases
        self.overdue = overdue
    }
}

/// One case in full. `phone` is the call-back number for the case owner only; others see it masked.
public struct FollowUpView: Codable, Sendable, Equatable {
    public var summary: FollowUpSummary
    public var detail: FollowUpCase
    public var phone: String?
    /// The ticket's masked ID number: for the case owner only.
    public var idNumberMasked: String?

    public init(summary: FollowUpSummary, detail: FollowUpCase, phone: String?, idNumberMasked: String?) {
        self.summary = summary
        self.detail = detail
        self.phone = phone
        self.idNumberMasked = idNumberMasked
    }
}

/// A step on a case. `classification` with `classify`, `upheld` with `appeal-decision`,
/// `satisfied` with `revisit`; `planDate` (YYYY-MM-DD) with a complex classification.
public struct FollowUpStepRequest: Codable, Sendable, Equatable {
    public var note: String?
    public var classification: FollowUpCase.Classification?
    public var planDate: String?
    public var upheld: Bool?
    public var satisfied: Bool?

    public init(note: String? = nil, classification: FollowUpCase.Classification? = nil, planDate: String? = nil, upheld: Bool? = nil, satisfied: Bool? = nil) {
        self.note = note
        self.classification = classification
        self.planDate = planDate
        self.upheld = upheld
        self.satisfied = satisfied
    }
}

/// `GET /api/v1/kiosk/corrections/{reference}`: the 补正 a worker brings back, before queueing.
public struct KioskCorrectionView: Codable, Sendable, Equatable {
    public var reference: String
    public var item: String
    public var itemVersion: Int?
    public var missing: [String]
    public var returnBy: Date?

    public init(reference: String, item: String, itemVersion: Int?, missing: [String], returnBy: Date?) {
        self.reference = reference
        self.item = item
        self.itemVersion = itemVersion
        self.missing = missing
        self.returnBy = returnBy
    }
}
