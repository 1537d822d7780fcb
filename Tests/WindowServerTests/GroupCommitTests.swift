import Foundation
import GRDB
import Synchronization
import Testing

@testable import WindowServer

/// Issue 13, item 3: the queue's owner writes the decisions of every command that arrived while
/// a write was in flight in one transaction, and answers each only once it is durable.
@Suite("group commit")
struct GroupCommitTests {
    /// Holds the database's write lock from another connection, as a slow disk would, until
    /// `gate` is set (10 s at most); `during` runs inside that transaction (e.g. to add a trigger).
    /// Returns when the lock is held; `released` is set when it is let go.
    static func holdWriteLock(
        _ data: URL, until gate: Moment, released: Moment, during: @escaping @Sendable (Database) throws -> Void = { _ in }
    ) async throws {
        let queue = try DatabaseQueue(path: data.appendingPathComponent("windowd.sqlite").path)
        let held = Moment()
        Thread {
            try? queue.inTransaction(.immediate) { db in
                try during(db)
                held.set()
                let limit = Date().addingTimeInterval(10)
                while gate.value == nil && Date() < limit { Thread.sleep(forTimeInterval: 0.01) }
                released.set()
                return .commit
            }
        }.start()
        while held.value == nil { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Lets the held write go once `count` tickets wait on the board: every one of them decided,
    /// in memory, and waiting for that write (however slowly the requests came, on a busy machine).
    static func release(_ gate: Moment, whenWaiting count: Int, _ server: TestServer, token: String) async throws {
        for _ in 0..<500 {
            if try await waiting(server, token: token) >= count { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        gate.set()
    }

    /// Tickets waiting in all the board's lines.
    static func waiting(_ server: TestServer, token: String) async throws -> Int {
        let board = try await server.call(.GET, "/api/v1/queue", token: token)
        return ((board.json["lines"] as? [[String: Any]]) ?? []).compactMap { $0["waiting"] as? Int }.reduce(0, +)
    }

    /// When something happened, told across threads.
    final class Moment: Sendable {
        private let moment = Mutex<Date?>(nil)
        func set() { moment.withLock { $0 = Date() } }
        var value: Date? { moment.withLock { $0 } }
    }

    /// The commit histogram's count and sum of decisions, from /metrics.
    static func commitFigures(_ server: TestServer, token: String) async throws -> (commits: Double, decisions: Double) {
        let text = String(decoding: try await server.call(.GET, "/metrics", token: token).body, as: UTF8.self)
        func value(_ name: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? -1
        }
        return (value("rw_queue_commit_decisions_count"), value("rw_queue_commit_decisions_sum"))
    }

    @Test("tickets taken while a write waits go in one transaction, and none is answered before it is in the database")
    func batched() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 12)
            let before = try await Self.commitFigures(server, token: fixture.adminToken)
            let gate = Moment(), released = Moment()
            try await Self.holdWriteLock(data.url, until: gate, released: released)
            let answers = try await withThrowingTaskGroup(of: (Int, Int64?, Date).self) { group in
                for kiosk in 0..<12 {
                    group.addTask {
                        let taken = try await fixture.takeTicket(kiosk: kiosk)
                        return (taken.status, int64(taken.json["id"]), Date())
                    }
                }
                try await Self.release(gate, whenWaiting: 12, server, token: fixture.adminToken)
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let releasedAt = try #require(released.value)
            #expect(answers.allSatisfy { $0.0 == 201 }, "\(answers.map(\.0))")
            for (_, _, answeredAt) in answers {
                #expect(answeredAt >= releasedAt, "answered \(releasedAt.timeIntervalSince(answeredAt)) s before the write could be durable")
            }
            // Every acknowledged ticket is in the database.
            let database = try DatabaseQueue(path: data.url.appendingPathComponent("windowd.sqlite").path)
            let stored = try await database.read { db in try Set(Int64.fetchAll(db, sql: "SELECT id FROM ticket")) }
            #expect(Set(answers.compactMap(\.1)).isSubset(of: stored))
            // The first write waited for the lock; the tickets that came meanwhile went together.
            let after = try await Self.commitFigures(server, token: fixture.adminToken)
            #expect(after.decisions - before.decisions >= 12)
            #expect(after.commits - before.commits <= 2, "\(after.commits - before.commits) commits for 12 tickets")
        }
    }

    @Test("a write that fails fails every command in it, and memory is rebuilt to what the database holds")
    func failedWrite() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 5)
            let gate = Moment(), released = Moment()
            // As the lock is let go, every ticket insert starts failing: the waiting write fails.
            try await Self.holdWriteLock(data.url, until: gate, released: released) { db in
                try db.execute(sql: """
                    CREATE TRIGGER refuseTickets BEFORE INSERT ON queueEvent WHEN NEW.kind = 'ticket.issued'
                    BEGIN SELECT RAISE(ABORT, 'test: the disk refused'); END
                    """)
            }
            let failed = try await withThrowingTaskGroup(of: Int.self) { group in
                for kiosk in 0..<5 { group.addTask { try await fixture.takeTicket(kiosk: kiosk).status } }
                try await Self.release(gate, whenWaiting: 5, server, token: fixture.adminToken)
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(failed == [500, 500, 500, 500, 500])
            let database = try DatabaseQueue(path: data.url.appendingPathComponent("windowd.sqlite").path)
            try await database.write { db in try db.execute(sql: "DROP TRIGGER refuseTickets") }
            #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") } == 0)

            // Memory holds none of them: each kiosk may take a ticket, and the queue is whole.
            for kiosk in 0..<5 {
                #expect(try await fixture.takeTicket(kiosk: kiosk).status == 201)
            }
            let current = try await server.call(.GET, "/api/v1/tickets/current", token: fixture.kioskTokens[0])
            #expect(current.status == 200)
            #expect(try await Self.waiting(server, token: fixture.adminToken) == 5)
            let invariants = try await server.call(.GET, "/api/v1/queue/invariants", token: fixture.adminToken)
            #expect((invariants.json["violations"] as? [Any])?.isEmpty == true, "\(invariants.json)")
        }
    }
}
