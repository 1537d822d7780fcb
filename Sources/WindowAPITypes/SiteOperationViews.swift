import Foundation
import WindowCore

/// `PUT /api/v1/sites/{code}`: a site's new name.
public struct RenameSiteRequest: Codable, Sendable, Equatable {
    public var name: LocalizedText

    public init(name: LocalizedText) {
        self.name = name
    }
}

/// `PUT /api/v1/sites/{code}/suspension`: suspend the site (with why) or resume it.
public struct SiteSuspensionRequest: Codable, Sendable, Equatable {
    public var suspended: Bool
    public var reason: String?

    public init(suspended: Bool, reason: String? = nil) {
        self.suspended = suspended
        self.reason = reason
    }
}

/// `PUT /api/v1/kiosks/{id}`: a kiosk's new name.
public struct RenameKioskRequest: Codable, Sendable, Equatable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}

/// `GET /api/v1/calendar/{year}`: the national holidays and adjusted working days (调休上班) of a
/// year, as published by the State Council; they apply in Shanghai.
public struct CalendarView: Codable, Sendable, Equatable {
    public var year: Int
    public var source: String
    /// Days off, `YYYY-MM-DD`, in order.
    public var holidays: [String]
    /// Weekend days that are working days, `YYYY-MM-DD`, in order.
    public var adjustedWorkdays: [String]

    public init(year: Int, source: String, holidays: [String], adjustedWorkdays: [String]) {
        self.year = year
        self.source = source
        self.holidays = holidays
        self.adjustedWorkdays = adjustedWorkdays
    }
}
