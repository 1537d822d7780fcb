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

    public init(
        id: Int64, code: String, name: LocalizedText, hours: HoursView, openNow: Bool, nextOpening: Date?,
        kioskGraceSeconds: Int? = nil, elderlyAge: Int? = nil
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.hours = hours
        self.openNow = openNow
        self.nextOpening = nextOpening
        self.kioskGraceSeconds = kioskGraceSeconds
        self.elderlyAge = elderlyAge
    }
}

/// A kiosk as managers see it. `credential` is there once, in the answer that issued it.
public struct KioskView: Codable, Sendable, Equatable {
    public var id: Int64
    public var site: String
    public var name: String
    public var createdAt: Date
    public var revoked: Bool
    public var credential: String?

    public init(id: Int64, site: String, name: String, createdAt: Date, revoked: Bool, credential: String? = nil) {
        self.id = id
        self.site = site
        self.name = name
        self.createdAt = createdAt
        self.revoked = revoked
        self.credential = credential
    }
}
