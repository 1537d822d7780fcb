import Foundation
import WindowCore

/// A site's service hours as the API writes them: ISO weekday (`"1"` = Monday) → `HH:mm` intervals.
public struct HoursView: Codable, Sendable, Equatable {
    public struct Interval: Codable, Sendable, Equatable {
        public var open: String
        public var close: String

        public init(open: String, close: String) {
            self.open = open
            self.close = close
        }
    }

    public var weekly: [String: [Interval]]
    public var holidays: [String]?
    public var workdays: [String: [Interval]]?

    public init(weekly: [String: [Interval]], holidays: [String]? = nil, workdays: [String: [Interval]]? = nil) {
        self.weekly = weekly
        self.holidays = holidays
        self.workdays = workdays
    }
}

/// The kiosk's site: its name, hours, and whether the window is open now.
public struct SiteView: Codable, Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: LocalizedText
    public var hours: HoursView
    public var openNow: Bool
    public var nextOpening: Date?
    /// How long the server keeps a dropped kiosk's ticket, and the elderly lane's age (older servers omit them).
    public var kioskGraceSeconds: Int?
    public var elderlyAge: Int?
    /// Whether a manager suspended the site (its kiosks take no new tickets), since when and why
    /// (older servers omit them: not suspended).
    public var suspended: Bool?
    public var suspendedAt: Date?
    public var suspendedReason: String?

    public init(
        id: Int64, code: String, name: LocalizedText, hours: HoursView, openNow: Bool, nextOpening: Date?,
        kioskGraceSeconds: Int? = nil, elderlyAge: Int? = nil, suspended: Bool? = nil, suspendedAt: Date? = nil, suspendedReason: String? = nil
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.hours = hours
        self.openNow = openNow
        self.nextOpening = nextOpening
        self.kioskGraceSeconds = kioskGraceSeconds
        self.elderlyAge = elderlyAge
        self.suspended = suspended
        self.suspendedAt = suspendedAt
        self.suspendedReason = suspendedReason
    }
}

/// A kiosk as managers see it. `credential` is there once, in the answer that issued it. The kiosk
/// list adds its state: when it was last seen, which screens are connected now, and its ticket.
public struct KioskView: Codable, Sendable, Equatable {
    /// The kiosk's live ticket, as the queue holds it.
    public struct TicketInfo: Codable, Sendable, Equatable {
        public var id: Int64
        public var number: String
        public var itemCode: String
        public var state: TicketState

        public init(id: Int64, number: String, itemCode: String, state: TicketState) {
            self.id = id
            self.number = number
            self.itemCode = itemCode
            self.state = state
        }
    }

    public var id: Int64
    public var site: String
    public var name: String
    public var createdAt: Date
    public var revoked: Bool
    public var credential: String?
    /// When its live connection last opened or closed (nil: never).
    public var lastSeenAt: Date?
    /// Whether screen A (the kiosk program) and screen B (its video page) are connected now.
    public var screenA: Bool?
    public var screenB: Bool?
    /// Whether a screen B is paired with it.
    public var screenBPaired: Bool?
    public var ticket: TicketInfo?

    public init(
        id: Int64, site: String, name: String, createdAt: Date, revoked: Bool, credential: String? = nil,
        lastSeenAt: Date? = nil, screenA: Bool? = nil, screenB: Bool? = nil, screenBPaired: Bool? = nil, ticket: TicketInfo? = nil
    ) {
        self.id = id
        self.site = site
        self.name = name
        self.createdAt = createdAt
        self.revoked = revoked
        self.credential = credential
        self.lastSeenAt = lastSeenAt
        self.screenA = screenA
        self.screenB = screenB
        self.screenBPaired = screenBPaired
        self.ticket = ticket
    }
}
