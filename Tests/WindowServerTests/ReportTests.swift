import Foundation
import Synchronization
import Testing
import WindowCore

@testable import WindowServer

/// Reports from the event log: a scripted day driven through the real server by a test clock,
/// every figure checked against values worked out by hand below.
@Suite("reports over TLS")
struct ReportTests {
    /// 2026-11-30 (a Monday) at `hh:mm` Shanghai time.
    static func at(_ hour: Int, _ minute: Int) -> Date {
        ServiceHours.calendar.date(from: DateComponents(year: 2026, month: 11, day: 30, hour: hour, minute: minute))!
    }

    @Test("a scripted day: volume, waiting, service level, abandonment, handling, outcomes, offers and ratings as worked out by hand; the CSV is the table")
    func scriptedDay() async throws {
        let data = try TemporaryDirectory()
        let clock = Mutex(Self.at(8, 55))
        var policy = RoutingPolicy()
        policy.offerTimeout = 3600
        policy.wrapUp = 3600  // wrap-up ends when the clerk says ready
        try await TestServer.with(dataDirectory: data.url, policy: policy, adjust: { settings in
            settings.clock = { clock.withLock { $0 } }
        }) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2, clerks: [("wang", ["residence"])])
            let wang = try #require(fixture.clerkIDs["wang"])
            // Everyone is connected all day: presence is the live connection.
            let lives = [LiveClient(server: server, token: fixture.kioskTokens[0]), LiveClient(server: server, token: fixture.kioskTokens[1]),
                         LiveClient(server: server, token: fixture.clerkTokens["wang"]!)]
            for live in lives { _ = try await live.next(live === lives[2] ? "clerk" : "idle") }

            /// Moves the clock and lets the queue's timer catch up.
            func time(_ hour: Int, _ minute: Int) async throws {
                clock.withLock { $0 = Self.at(hour, minute) }
                try await Task.sleep(for: .milliseconds(250))
            }
            func take(_ kiosk: Int, _ item: String) async throws -> Int64 {
                let reply = try await fixture.takeTicket(kiosk: kiosk, item: item)
                #expect(reply.status == 201, "\(String(decoding: reply.body, as: UTF8.self))")
                return try #require(int64(reply.json["id"]))
            }
            func accept(_ ticket: Int64) async throws -> Int64 {
                let reply = try await fixture.clerk("wang", .post, "/api/v1/clerk/offer/accept", json: ["ticket": ticket])
                #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
                return try #require(int64((reply.json["session"] as? [String: Any])?["id"]))
            }
            func end(_ session: Int64, _ outcome: String) async throws {
                #expect(try await fixture.clerk("wang", .post, "/api/v1/sessions/\(session)/end", json: ["outcome": outcome]).status == 200)
            }
            func ready() async throws { #expect(try await fixture.clerk("wang", .post, "/api/v1/clerk/ready").status == 200) }
            func rate(_ kiosk: Int, _ session: Int64, _ level: Int) async throws {
                let reply = try await server.request(
                    .POST, "/api/v1/sessions/\(session)/rating", body: Data(#"{"level":\#(level)}"#.utf8),
                    headers: ["Authorization": "Bearer \(fixture.kioskTokens[kiosk])"])
                #expect(reply.status == 201 || reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            }

            try await time(9, 0)
            #expect(try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"]).status == 200)
            let t1 = try await take(0, "JZZ-002")                    // offered to wang at once
            try await time(9, 2); let s1 = try await accept(t1)       // waited 120 s
            try await time(9, 12); try await end(s1, "completed")     // service 600 s
            try await rate(0, s1, 2)
            try await time(9, 14); try await ready()                  // wrap-up 120 s
            try await time(9, 15); let t2 = try await take(1, "JZZ-002")
            try await time(9, 16)
            #expect(try await fixture.clerk("wang", .post, "/api/v1/clerk/offer/decline", json: ["ticket": t2]).status == 200)
            try await time(9, 18)                                     // the exclusion lapses: offered again
            try await time(9, 20); let s2 = try await accept(t2)      // waited 300 s: within T, just
            try await time(9, 30); try await end(s2, "needs-materials")
            try await time(9, 31); try await ready()                  // wrap-up 60 s
            try await time(9, 40); let t3 = try await take(0, "SB-001")  // nobody serves social insurance
            try await time(9, 47)
            #expect(try await server.request(.DELETE, "/api/v1/tickets/\(t3)", headers: ["Authorization": "Bearer \(fixture.kioskTokens[0])"]).status == 200)
            try await time(10, 5); let t4 = try await take(1, "JZZ-001")
            try await time(10, 6); let s4 = try await accept(t4)      // waited 60 s
            try await time(10, 20); try await end(s4, "completed")    // service 840 s
            try await rate(1, s4, 5)
            try await time(10, 21); try await ready()                 // wrap-up 60 s
            try await time(10, 30)
            #expect(try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "offline"]).status == 200)
            try await time(18, 0)
            for live in lives { await live.close() }

            let reply = try await server.call(.GET, "/api/v1/reports?from=2026-11-30&to=2026-11-30", token: fixture.adminToken)
            #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            let report = try reply.decode(Report.self)
            func row(_ table: String, _ key: String) -> [JSONValue]? {
                report.table(table)?.rows.first { $0.first?.text.hasPrefix(key) == true }
            }
            func numbers(_ values: [JSONValue]?) -> [Double?] {
                (values ?? []).dropFirst().map { if case .number(let n) = $0 { n } else { nil } }
            }
            #expect(numbers(row("volume", "2026-11-30")) == [4, 3, 0, 1])
            // Waits 120, 300 and 60 s: average 160, p90 (nearest rank of 3) 300, max 300; none left waiting.
            #expect(numbers(row("waiting", "2026-11-30")) == [3, 160, 300, 300, 0])
            // Residence: 3 answered, all within 5 minutes. Social insurance: one left after 7 minutes.
            #expect(numbers(row("serviceLevel", "居住证")) == [3, 3, 100, 0, 0, 100])
            #expect(numbers(row("serviceLevel", "社会保险")) == [0, 0, nil, 1, 0, 0])
            #expect(numbers(row("abandonment", "2026-11-30")) == [4, 0, 1, 25, 0, 0, 1, 0])
            // JZZ-002: service 600 and 600 s, wrap-up 120 and 60 s; JZZ-001: 840 s and 60 s.
            let jzz002 = numbers(row("handling", "JZZ-002"))
            #expect(Array(jzz002.prefix(5)) == [2, 600, 600, 90, 120])
            #expect(Array(numbers(row("handling", "JZZ-001")).prefix(5)) == [1, 840, 840, 60, 60])
            #expect(numbers(row("outcomes", "JZZ-002")) == [2, 1, 1, 0, 0, 0, 50])
            #expect(numbers(row("outcomes", "JZZ-001")) == [1, 1, 0, 0, 0, 0, 100])
            // Offers at 09:00, 09:15, 09:18 and 10:05; signed in 09:00–10:30 (5400 s), busy 2280 s: 42.2 %.
            #expect(numbers(row("offers", "工作人员 wang")) == [4, 3, 1, 0, 5400, 42.2])
            // Three ended sessions, two rated (2 and 5): participation 66.7 %, bad rate 50 %.
            #expect(numbers(row("ratings-clerk", "工作人员 wang")) == [3, 2, 66.7, 1, 0, 0, 1, 0, 50])
            _ = wang

            // The CSV is the table: a BOM, the bilingual header, the same cells.
            let csv = try await server.call(.GET, "/api/v1/reports/waiting.csv?from=2026-11-30&to=2026-11-30", token: fixture.adminToken)
            #expect(csv.status == 200)
            #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = String(decoding: csv.body.dropFirst(3), as: UTF8.self).split(separator: "\r\n").map(String.init)
            #expect(lines.first == "时段 / Period,已接通 / Answered,平均等候（秒） / Average (s),90% 等候（秒） / p90 (s),最长等候（秒） / Max (s),时段结束时仍在等候 / Still waiting at period end")
            #expect(lines.dropFirst().first == "2026-11-30,3,160,300,300,0")
            #expect(csv.body == (report.table("waiting")?.csv() ?? Data()))

            // By hour, and filtered: the 09:00 hour has three tickets; only JZZ-001 has one.
            let hourly = try await server.call(.GET, "/api/v1/reports?from=2026-11-30&to=2026-11-30&bucket=hour", token: fixture.adminToken).decode(Report.self)
            #expect(hourly.table("volume")?.rows.map { $0[0].text } == ["2026-11-30 09:00", "2026-11-30 10:00"])
            let one = try await server.call(.GET, "/api/v1/reports?from=2026-11-30&to=2026-11-30&item=JZZ-001", token: fixture.adminToken).decode(Report.self)
            #expect(numbers(one.table("volume")?.rows.first) == [1, 1, 0, 0])
            // Bad queries are refused.
            #expect(try await server.call(.GET, "/api/v1/reports?from=2026-02-30", token: fixture.adminToken).status == 400)
            #expect(try await server.call(.GET, "/api/v1/reports?from=2026-12-01&to=2026-11-01", token: fixture.adminToken).status == 400)
            #expect(try await fixture.clerk("wang", .get, "/api/v1/reports").status == 403)
        }
    }
}

@Suite("report gate")
struct ReportGateTests {
    @Test("reports run one at a time; past the waiting room a request is refused with 429, and the queue moves on")
    func gate() async throws {
        let gate = ReportGate(waiting: 1)
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let (started, starter) = AsyncStream.makeStream(of: Int.self)
        let first = Task {
            try await gate.run {
                starter.yield(1)
                for await _ in release { break }
                return 1
            }
        }
        var events = started.makeAsyncIterator()
        #expect(await events.next() == 1)
        let second = Task { try await gate.run { starter.yield(2); return 2 } }
        while await gate.queued == 0 { try await Task.sleep(for: .milliseconds(5)) }  // the second waits in the gate
        await #expect(throws: APIError.self) { try await gate.run { 3 } }
        releaser.yield()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        #expect(await events.next() == 2)
        #expect(try await gate.run { 4 } == 4)
    }
}
