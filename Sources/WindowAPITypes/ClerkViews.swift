import Foundation
import WindowCore

/// What a clerk sees of themself: state, the offer in front of them, the case in hand.
public struct ClerkView: Codable, Sendable, Equatable {
    public struct OfferInfo: Codable, Sendable, Equatable {
        public var ticket: Int64
        public var number: String
        public var itemCode: String
        public var category: String
        public var priorityClass: PriorityClass
        public var priorityReason: PriorityReason?
        public var madeAt: Date
        public var expiresAt: Date
        public var waitedSeconds: Int

        public init(
            ticket: Int64, number: String, itemCode: String, category: String, priorityClass: PriorityClass,
            priorityReason: PriorityReason?, madeAt: Date, expiresAt: Date, waitedSeconds: Int
        ) {
            self.ticket = ticket
            self.number = number
            self.itemCode = itemCode
            self.category = category
            self.priorityClass = priorityClass
            self.priorityReason = priorityReason
            self.madeAt = madeAt
            self.expiresAt = expiresAt
            self.waitedSeconds = waitedSeconds
        }
    }

    public struct SessionInfo: Codable, Sendable, Equatable {
        public var id: Int64
        public var ticket: Int64
        public var number: String
        public var itemCode: String
        /// The item version the ticket was issued under (its materials checklist and guide).
        public var itemVersion: Int?
        /// A worker back for a 补正: the earlier session, whose notes, materials and missing list the clerk reads.
        public var returnOf: Int64?
        public var state: SessionState
        public var room: String
        public var startedAt: Date
        public var kioskPresent: Bool
        public var priorityReason: PriorityReason?
        public var idNumberMasked: String?
        /// The worker's answer to the camera notice (nil: not yet).
        public var consent: Bool?
        public var media: SessionMediaView?

        public init(
            id: Int64, ticket: Int64, number: String, itemCode: String, state: SessionState, room: String, startedAt: Date,
            kioskPresent: Bool, priorityReason: PriorityReason?, idNumberMasked: String?, consent: Bool? = nil, media: SessionMediaView? = nil,
            itemVersion: Int? = nil, returnOf: Int64? = nil
        ) {
            self.itemVersion = itemVersion
            self.returnOf = returnOf
            self.consent = consent
            self.media = media
            self.id = id
            self.ticket = ticket
            self.number = number
            self.itemCode = itemCode
            self.state = state
            self.room = room
            self.startedAt = startedAt
            self.kioskPresent = kioskPresent
            self.priorityReason = priorityReason
            self.idNumberMasked = idNumberMasked
        }
    }

    public var id: Int64
    public var displayName: String
    public var window: String
    public var skills: [String]
    public var items: [String]
    public var state: ClerkState
    public var stateSince: Date
    public var missedOffers: Int
    public var wrapUpUntil: Date?
    public var connected: Bool
    public var offer: OfferInfo?
    public var session: SessionInfo?
    /// Grows with every decision of the queue. An answer and a push can cross on their ways to
    /// the console: it keeps the view with the higher sequence, never an older one over a newer.
    public var sequence: Int64

    public init(
        id: Int64, displayName: String, window: String, skills: [String], items: [String], state: ClerkState, stateSince: Date,
        missedOffers: Int, wrapUpUntil: Date?, connected: Bool, offer: OfferInfo?, session: SessionInfo?, sequence: Int64
    ) {
        self.id = id
        self.displayName = displayName
        self.window = window
        self.skills = skills
        self.items = items
        self.state = state
        self.stateSince = stateSince
        self.missedOffers = missedOffers
        self.wrapUpUntil = wrapUpUntil
        self.connected = connected
        self.offer = offer
        self.session = session
        self.sequence = sequence
    }
}

/// `GET /api/v1/clerks`.
public struct ClerkList: Codable, Sendable, Equatable {
    public var clerks: [ClerkView]

    public init(clerks: [ClerkView]) {
        self.clerks = clerks
    }
}

/// `GET /api/v1/clerk/colleagues`: whom a case can be transferred to.
public struct ColleagueView: Codable, Sendable, Equatable {
    public var id: Int64
    public var displayName: String
    public var window: String
    public var skills: [String]
    public var state: ClerkState

    public init(id: Int64, displayName: String, window: String, skills: [String], state: ClerkState) {
        self.id = id
        self.displayName = displayName
        self.window = window
        self.skills = skills
        self.state = state
    }
}
