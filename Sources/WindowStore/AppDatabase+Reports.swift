import Foundation
import GRDB
import WindowCore

extension AppDatabase {
    /// How far before a report's start the log is read, for tickets issued before it and served
    /// in it, and the clerks' states when it begins. A ticket lives within a service day.
    public static let reportLookback: TimeInterval = 24 * 3600

    /// Feeds the log's events of the report's span (and the lookback before it) to `builder`, oldest first.
    public func readReportEvents(into builder: inout ReportBuilder) async throws {
        let kinds = ReportEvent.Kind.allCases.map(\.rawValue)
        let from = builder.query.from.timeIntervalSince1970 - Self.reportLookback
        let to = builder.query.to.timeIntervalSince1970
        builder = try await reader.read { [builder] db in
            var builder = builder
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT kind, t, ticketID, clerkID, sessionID, siteID, item, itemVersion, category, value, level FROM queueEvent
                    WHERE t >= ? AND t < ? AND kind IN (\(kinds.map { _ in "?" }.joined(separator: ","))) ORDER BY seq
                    """,
                arguments: StatementArguments([from, to] as [any DatabaseValueConvertible] + kinds))
            while let row = try cursor.next() {
                guard let kind = ReportEvent.Kind(rawValue: row[0]) else { continue }
                builder.add(ReportEvent(
                    kind: kind, at: Date(timeIntervalSince1970: row[1]), ticket: row[2], clerk: row[3], session: row[4], site: row[5],
                    item: row[6], itemVersion: row[7], category: row[8], value: row[9], level: row[10]))
            }
            return builder
        }
    }
}
