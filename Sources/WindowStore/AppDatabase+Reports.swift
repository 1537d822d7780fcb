import Foundation
import GRDB
import GRDBSQLite
import WindowCore

extension AppDatabase {
    /// How far before a report's start the log is read, for tickets issued before it and served
    /// in it, and the clerks' states when it begins. A ticket lives within a service day.
    public static let reportLookback: TimeInterval = 24 * 3600

    /// The kinds reports read, as SQL literals: the report index's condition and the query's must
    /// match word for word for SQLite to use the index.
    static let reportKindList = ReportEvent.Kind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// Feeds the log's events of the report's span (and the lookback before it) to `builder`, oldest first.
    public func readReportEvents(into builder: inout ReportBuilder) async throws {
        let kinds = ReportEvent.Kind.allCases.map(\.rawValue)
        let from = builder.query.from.timeIntervalSince1970 - Self.reportLookback
        let to = builder.query.to.timeIntervalSince1970
        builder = try await reader.read { [builder] db in
            var builder = builder
            // The span as a range of the log's sequence (times only grow along it): found through the
            // time index, then read in order with no sort, straight through the table.
            guard let first = try Int64.fetchOne(db, sql: "SELECT seq FROM queueEvent WHERE t >= ? ORDER BY t LIMIT 1", arguments: [from]),
                let last = try Int64.fetchOne(db, sql: "SELECT seq FROM queueEvent WHERE t < ? ORDER BY t DESC LIMIT 1", arguments: [to]),
                first <= last
            else { return builder }
            // The kind as its index in ReportEvent.Kind, so no string is made for it; read from the
            // report index (see v12-report-index).
            let kindCase = kinds.enumerated().map { "WHEN '\($0.element)' THEN \($0.offset)" }.joined(separator: " ")
            let statement = try db.makeStatement(sql: """
                SELECT CASE kind \(kindCase) END, t, ticketID, clerkID, sessionID, siteID, item, itemVersion, category, value, level
                FROM queueEvent WHERE seq BETWEEN ? AND ? AND kind IN (\(Self.reportKindList))
                """)
            try statement.setArguments([first, last])
            // Mapped rather than read page by page, for this scan only (mapped pages would count in
            // the server's resident memory while they stay mapped).
            try db.execute(sql: "PRAGMA mmap_size = 4294967296")
            defer { try? db.execute(sql: "PRAGMA mmap_size = 0") }
            let allKinds = ReportEvent.Kind.allCases
            builder.expect(events: Int(last - first + 1))
            // Straight through SQLite's columns: a year is a million rows, and a row decoded the
            // general way cost more than the report's own work.
            let sqlite = statement.sqliteStatement
            func integer(_ column: Int32) -> Int64? {
                sqlite3_column_type(sqlite, column) == SQLITE_NULL ? nil : sqlite3_column_int64(sqlite, column)
            }
            func text(_ column: Int32) -> String? {
                guard let bytes = sqlite3_column_text(sqlite, column) else { return nil }
                return String(cString: bytes)
            }
            defer { sqlite3_reset(sqlite) }
            while true {
                let step = sqlite3_step(sqlite)
                if step == SQLITE_DONE { break }
                guard step == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: step), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                if sqlite3_column_type(sqlite, 0) == SQLITE_NULL { continue }
                builder.add(ReportEvent(
                    kind: allKinds[Int(sqlite3_column_int64(sqlite, 0))], at: Date(timeIntervalSince1970: sqlite3_column_double(sqlite, 1)),
                    ticket: integer(2), clerk: integer(3), session: integer(4), site: integer(5), item: text(6), itemVersion: integer(7).map { Int($0) },
                    category: text(8), value: text(9), level: integer(10).map { Int($0) }))
            }
            return builder
        }
    }
}
