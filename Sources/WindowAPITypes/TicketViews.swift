import Foundation
import WindowCore

/// What a kiosk sees of its ticket.
public struct TicketView: Codable, Sendable, Equatable {
    public struct SessionInfo: Codable, Sendable, Equatable {
        public var id: Int64
        public var state: SessionState
        public var room: String
        public var clerkName: String
        public var window: String
        public var outcome: SessionOutcome?
        public var caseNumber: String?
        /// The worker's answer to the camera notice (nil: not yet).
        public var consent: Bool?

        public init(
            id: Int64, state: SessionState, room: String = "", clerkName: String, window: String,
            outcome: SessionOutcome? = nil, caseNumber: String? = nil, consent: Bool? = nil
        ) {
            self.consent = consent
            self.id = id
            self.state = state
            self.room = room
            self.clerkName = clerkName
            self.window = window
            self.outcome = outcome
            self.caseNumber = caseNumber
        }
    }

    public var id: Int64
    public var number: String
    public var itemCode: String
    /// The item version the ticket was issued under: its materials, guide and expected minutes.
    public var itemVersion: Int?
    /// Back with a 补正's materials: the earlier session.
    public var returnOf: Int64?
    public var category: String
    public var state: TicketState
    public var priorityClass: PriorityClass
    public var priorityReason: PriorityReason?
    public var position: Int?
    public var ahead: Int?
    /// Estimated wait; nil when no clerk for it is on duty.
    public var waitSeconds: Int?
    public var clerksOnDuty: Int?
    public var createdAt: Date
    public var endedAt: Date?
    /// Set while the server keeps the ticket for a disconnected kiosk.
    public var kioskGraceUntil: Date?
    public var idNumberMasked: String?
    public var session: SessionInfo?
    /// Grows with every decision of the queue, like ``ClerkView/sequence``: the kiosk keeps the
    /// newer of an answer and a push that crossed.
    public var sequence: Int64

    public init(
        id: Int64, number: String, itemCode: String, category: String, state: TicketState,
        priorityClass: PriorityClass = .normal, priorityReason: PriorityReason? = nil,
        position: Int? = nil, ahead: Int? = nil, waitSeconds: Int? = nil, clerksOnDuty: Int? = nil,
        createdAt: Date, endedAt: Date? = nil, kioskGraceUntil: Date? = nil, idNumberMasked: String? = nil,
        session: SessionInfo? = nil, itemVersion: Int? = nil, sequence: Int64 = 0
    ) {
        self.id = id
        self.itemVersion = itemVersion
        self.number = number
        self.itemCode = itemCode
        self.category = category
        self.state = state
        self.priorityClass = priorityClass
        self.priorityReason = priorityReason
        self.position = position
        self.ahead = ahead
        self.waitSeconds = waitSeconds
        self.clerksOnDuty = clerksOnDuty
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.kioskGraceUntil = kioskGraceUntil
        self.idNumberMasked = idNumberMasked
        self.session = session
        self.sequence = sequence
    }
}
