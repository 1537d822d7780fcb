import Foundation
import WindowCore

/// One line of the live queue: a category at a site.
public struct QueueLine: Codable, Sendable, Equatable {
    public var site: Int64
    public var siteCode: String?
    public var category: String
    public var waiting: Int
    public var longestWaitSeconds: Int
    public var etaSeconds: Int?

    public init(site: Int64, siteCode: String?, category: String, waiting: Int, longestWaitSeconds: Int, etaSeconds: Int? = nil) {
        self.site = site
        self.siteCode = siteCode
        self.category = category
        self.waiting = waiting
        self.longestWaitSeconds = longestWaitSeconds
        self.etaSeconds = etaSeconds
    }
}

/// The managers' board.
public struct QueueBoard: Codable, Sendable, Equatable {
    public var generatedAt: Date
    public var lines: [QueueLine]
    public var clerks: [ClerkView]
    /// Today's tickets by state.
    public var today: [String: Int]

    public init(generatedAt: Date, lines: [QueueLine], clerks: [ClerkView], today: [String: Int]) {
        self.generatedAt = generatedAt
        self.lines = lines
        self.clerks = clerks
        self.today = today
    }
}

/// `GET /api/v1/queue/invariants`: the invariant monitor's check of the live queue, run now.
public struct InvariantReport: Codable, Sendable, Equatable {
    public var checkedAt: Date
    /// Empty when every invariant holds; otherwise each broken one, named (a bug to report).
    public var violations: [String]

    public init(checkedAt: Date, violations: [String]) {
        self.checkedAt = checkedAt
        self.violations = violations
    }
}
