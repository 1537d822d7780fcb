import Foundation
import WindowCore
import WindowStore

/// What a kiosk sees of its ticket.
struct TicketView: Codable, Sendable, Equatable {
    struct SessionInfo: Codable, Sendable, Equatable {
        var id: Int64
        var state: SessionState
        var room: String
        var clerkName: String
        var window: String
        var outcome: SessionOutcome?
        var caseNumber: String?
    }

    var id: Int64
    var number: String
    var itemCode: String
    var category: String
    var state: TicketState
    var priorityClass: PriorityClass
    var priorityReason: PriorityReason?
    var position: Int?
    var ahead: Int?
    var waitSeconds: Int?
    var clerksOnDuty: Int?
    var createdAt: Date
    var endedAt: Date?
    var kioskGraceUntil: Date?
    var idNumberMasked: String?
    var session: SessionInfo?
}

/// What a clerk sees of themself: state, the offer in front of them, the case in hand.
struct ClerkView: Codable, Sendable, Equatable {
    struct OfferInfo: Codable, Sendable, Equatable {
        var ticket: Int64
        var number: String
        var itemCode: String
        var category: String
        var priorityClass: PriorityClass
        var priorityReason: PriorityReason?
        var madeAt: Date
        var expiresAt: Date
        var waitedSeconds: Int
    }

    struct SessionInfo: Codable, Sendable, Equatable {
        var id: Int64
        var ticket: Int64
        var number: String
        var itemCode: String
        var state: SessionState
        var room: String
        var startedAt: Date
        var kioskPresent: Bool
        var priorityReason: PriorityReason?
        var idNumberMasked: String?
    }

    var id: Int64
    var displayName: String
    var window: String
    var skills: [String]
    var items: [String]
    var state: ClerkState
    var stateSince: Date
    var missedOffers: Int
    var wrapUpUntil: Date?
    var connected: Bool
    var offer: OfferInfo?
    var session: SessionInfo?
}

/// One line of the live queue: a category at a site.
struct QueueLine: Codable, Sendable, Equatable {
    var site: Int64
    var siteCode: String?
    var category: String
    var waiting: Int
    var longestWaitSeconds: Int
    var etaSeconds: Int?
}

/// The managers' board.
struct QueueBoard: Codable, Sendable {
    var generatedAt: Date
    var lines: [QueueLine]
    var clerks: [ClerkView]
    var today: [String: Int]
}

/// Messages on the live connection: `{"type": …, "data": …}`.
struct LiveMessage<Payload: Encodable & Sendable>: Encodable, Sendable {
    var type: String
    var data: Payload

    func json() -> String {
        (try? String(decoding: AppJSON.encoder.encode(self), as: UTF8.self)) ?? #"{"type":"error"}"#
    }
}
