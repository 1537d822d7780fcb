import Foundation

public typealias TicketID = Int64
public typealias ClerkID = Int64
public typealias SessionID = Int64
public typealias KioskID = Int64
public typealias SiteID = Int64
public typealias MaterialID = Int64

/// Priority lanes, served in this order (then by enqueue time).
public enum PriorityClass: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// The priority lane for the elderly and people with disabilities.
    case priority
    case appointment
    case normal

    var rank: Int {
        switch self {
        case .priority: 0
        case .appointment: 1
        case .normal: 2
        }
    }

    public static func < (lhs: PriorityClass, rhs: PriorityClass) -> Bool { lhs.rank < rhs.rank }
}

/// Why a ticket is in a lane other than normal; shown to the clerk with the offer.
public enum PriorityReason: String, Codable, Hashable, Sendable, CaseIterable {
    case elderly
    case disabled
    case appointment
    /// Back with the materials a 补正 asked for: to the head of the queue.
    case returning

    public var priorityClass: PriorityClass {
        self == .appointment ? .appointment : .priority
    }
}

public enum TicketState: String, Codable, Hashable, Sendable, CaseIterable {
    case waiting
    case offered
    case inSession = "in-session"
    case done
    case abandoned
    case cancelled

    public var isFinal: Bool { self == .done || self == .abandoned || self == .cancelled }
}

public enum ClerkState: String, Codable, Hashable, Sendable, CaseIterable {
    case offline
    case available
    case offered
    case inSession = "in-session"
    case wrapUp = "wrap-up"
    case away

    /// Counted as on duty for ETAs: everyone but offline and away.
    public var isOnDuty: Bool { self != .offline && self != .away }
}

public enum SessionState: String, Codable, Hashable, Sendable, CaseIterable {
    case connecting
    case active
    case reconnecting
    case ended
}

public enum SessionOutcome: String, Codable, Hashable, Sendable, CaseIterable {
    /// 办结: finished on the spot.
    case completed
    /// 补正: the applicant must supply more materials.
    case needsMaterials = "needs-materials"
    case transferred
    /// 转线下: referred to an in-person service hall.
    case referredOffline = "referred-offline"
    case dropped
}

/// A material's review by the clerk.
public enum MaterialStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case pending
    case accepted
    case rejected
}

public enum Participant: String, Codable, Hashable, Sendable, CaseIterable {
    case kiosk
    case clerk
}

/// One side's media, as its page reports it: `RTCPeerConnection.connectionState`.
public enum MediaState: String, Codable, Hashable, Sendable, CaseIterable {
    case new
    case connecting
    case connected
    case disconnected
    case failed
    case closed
}

public struct Offer: Codable, Hashable, Sendable {
    public var clerk: ClerkID
    public var ticket: TicketID
    public var madeAt: Date
    public var expiresAt: Date
}

public struct Ticket: Codable, Hashable, Sendable, Identifiable {
    public var id: TicketID
    /// Shown to people: category letter + the day's running count, e.g. `R017`.
    public var number: String
    public var itemCode: String
    /// The version of the item the ticket was issued under: its materials, guide and expected
    /// minutes stay those of that version whatever is published later. (Nil in logs written before versions.)
    public var itemVersion: Int?
    /// For a worker back with a 补正's materials: the session that asked for them.
    public var returnOf: SessionID?
    /// The catalog's expected handling time, the ETA's basis until sessions are measured.
    public var expectedMinutes: Int
    /// The skill that serves it: the item's category, or another after a transfer.
    public var category: String
    public var site: SiteID
    public var kiosk: KioskID
    public var priorityClass: PriorityClass
    public var priorityReason: PriorityReason?
    public var createdAt: Date
    /// Place in line; a transfer keeps it.
    public var enqueuedAt: Date
    public var state: TicketState
    public var offer: Offer?
    public var session: SessionID?
    /// After a transfer to one clerk, only that clerk may serve it.
    public var targetClerk: ClerkID?
    /// Clerks who declined or missed it, and until when they are passed over.
    public var excluded: [ClerkID: Date]
    /// Set while the kiosk is disconnected: the ticket is kept until then.
    public var kioskGraceUntil: Date?
    /// Masked ID number (e.g. `**************123X`); the full number is never kept.
    public var idNumberMasked: String?
    public var transfers: Int
    /// Set by the event that ended it.
    public var endedAt: Date? = nil

    public init(
        id: TicketID, number: String, itemCode: String, category: String, site: SiteID, kiosk: KioskID,
        priorityClass: PriorityClass, priorityReason: PriorityReason?, createdAt: Date, expectedMinutes: Int,
        idNumberMasked: String?, itemVersion: Int? = nil
    ) {
        self.id = id
        self.itemVersion = itemVersion
        self.expectedMinutes = expectedMinutes
        self.number = number
        self.itemCode = itemCode
        self.category = category
        self.site = site
        self.kiosk = kiosk
        self.priorityClass = priorityClass
        self.priorityReason = priorityReason
        self.createdAt = createdAt
        self.enqueuedAt = createdAt
        self.state = .waiting
        self.offer = nil
        self.session = nil
        self.targetClerk = nil
        self.excluded = [:]
        self.kioskGraceUntil = nil
        self.idNumberMasked = idNumberMasked
        self.transfers = 0
    }
}

/// What routing needs to know of a clerk account.
public struct ClerkProfile: Codable, Hashable, Sendable {
    public var displayName: String
    /// Window number shown to the kiosk, e.g. `07`.
    public var window: String
    /// Categories the clerk serves.
    public var skills: Set<String>
    /// Single items the clerk serves outside their categories.
    public var items: Set<String>

    public init(displayName: String, window: String, skills: Set<String>, items: Set<String> = []) {
        self.displayName = displayName
        self.window = window
        self.skills = skills
        self.items = items
    }
}

public struct Clerk: Codable, Hashable, Sendable, Identifiable {
    public var id: ClerkID
    public var profile: ClerkProfile
    public var state: ClerkState
    public var stateSince: Date
    /// When the clerk last became free; the longest idle gets the next offer.
    public var idleSince: Date
    public var offer: Offer?
    public var session: SessionID?
    public var missedOffers: Int
    public var wrapUpUntil: Date?
    /// Set while the console is disconnected; an available clerk goes offline after it.
    public var disconnectedUntil: Date?

    public init(id: ClerkID, profile: ClerkProfile, at: Date) {
        self.id = id
        self.profile = profile
        self.state = .offline
        self.stateSince = at
        self.idleSince = at
        self.missedOffers = 0
    }

    public func serves(category: String, item: String) -> Bool {
        profile.skills.contains(category) || profile.items.contains(item)
    }
}

public struct Session: Codable, Hashable, Sendable, Identifiable {
    public var id: SessionID
    public var ticket: TicketID
    public var clerk: ClerkID
    public var kiosk: KioskID
    public var itemCode: String
    /// The signaling room both video pages join.
    public var room: String
    public var state: SessionState
    public var startedAt: Date
    public var kioskPresent: Bool
    public var clerkPresent: Bool
    /// While a participant is gone, the session waits for them until then.
    public var rejoinUntil: Date?
    /// Set by the ending event.
    public var endedAt: Date? = nil
    public var outcome: SessionOutcome? = nil
    /// The clerk's notes on the case, written when it ends or is transferred.
    public var notes: String? = nil
    /// The reference people can quote (e.g. `RW20261121-000042`), for outcomes that leave a case behind.
    public var caseNumber: String? = nil
    /// The worker's answer to the camera notice on screen B (nil: not answered yet).
    public var consent: Bool? = nil
    /// Each side's media as last reported (nil: its video page has not reported).
    public var kioskMedia: MediaState? = nil
    public var clerkMedia: MediaState? = nil
    /// When the media first connected on both sides; after that a media loss is a reconnection.
    public var mediaConnectedAt: Date? = nil

    /// The most materials one session may hold.
    public static let maxMaterials = 20

    public init(
        id: SessionID, ticket: TicketID, clerk: ClerkID, kiosk: KioskID, itemCode: String, room: String, state: SessionState,
        startedAt: Date, kioskPresent: Bool, clerkPresent: Bool, rejoinUntil: Date?, endedAt: Date? = nil,
        outcome: SessionOutcome? = nil, notes: String? = nil, caseNumber: String? = nil
    ) {
        self.id = id
        self.ticket = ticket
        self.clerk = clerk
        self.kiosk = kiosk
        self.itemCode = itemCode
        self.room = room
        self.state = state
        self.startedAt = startedAt
        self.kioskPresent = kioskPresent
        self.clerkPresent = clerkPresent
        self.rejoinUntil = rejoinUntil
        self.endedAt = endedAt
        self.outcome = outcome
        self.notes = notes
        self.caseNumber = caseNumber
    }
}

/// A scan the worker handed over in a session, and the clerk's review of it.
public struct Material: Codable, Hashable, Sendable, Identifiable {
    public var id: MaterialID
    public var session: SessionID
    public var name: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    /// Where the file is kept.
    public var path: String
    public var uploadedAt: Date
    public var status: MaterialStatus
    public var reason: String?
    public var reviewedAt: Date?
    public var reviewedBy: ClerkID?

    public init(id: MaterialID, session: SessionID, upload: MaterialUpload, at: Date) {
        self.id = id
        self.session = session
        self.name = upload.name
        self.contentType = upload.contentType
        self.size = upload.size
        self.sha256 = upload.sha256
        self.path = upload.path
        self.uploadedAt = at
        self.status = .pending
    }
}

/// A file the server has stored and checked, to become a session's material.
public struct MaterialUpload: Codable, Hashable, Sendable {
    public var name: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var path: String

    public init(name: String, contentType: String, size: Int, sha256: String, path: String) {
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.path = path
    }
}

/// A 好差评 rating of a session: level 1 (非常不满意) to 5 (非常满意).
public struct Rating: Codable, Hashable, Sendable {
    public var session: SessionID
    public var level: Int
    public var comment: String?
    public var ratedAt: Date

    public init(session: SessionID, level: Int, comment: String?, ratedAt: Date) {
        self.session = session
        self.level = level
        self.comment = comment
        self.ratedAt = ratedAt
    }
}
