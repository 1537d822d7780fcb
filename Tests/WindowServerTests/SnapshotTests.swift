import Foundation
import Testing
import WindowCore
import WindowStore

@testable import WindowServer

@Suite("queue snapshots over a real server")
struct SnapshotTests {
    @Test("the owner writes snapshots as events come; a start loads the latest and replays the tail, the same as the whole log; two are kept")
    func flatRestart() async throws {
        let data = try TemporaryDirectory()
        var ticketIDs: [Int64] = []
        try await TestServer.with(dataDirectory: data.url, adjust: { $0.snapshots = SnapshotPolicy(everyEvents: 2, interval: 3600) }) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 4)
            _ = try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"])
            for kiosk in 0..<4 {
                let taken = try await fixture.takeTicket(kiosk: kiosk)
                #expect(taken.status == 201)
                ticketIDs.append(try #require(int64(taken.json["id"])))
            }
            let accepted = try await fixture.clerk("wang", .post, "/api/v1/clerk/offer/accept", json: ["ticket": ticketIDs[0]])
            #expect(accepted.status == 200)
        }
        let database = try AppDatabase.open(path: data.url.appendingPathComponent("windowd.sqlite").path)
        let latest = try #require(try database.latestQueueSnapshot())
        #expect(latest.lastSeq > 0)
        let eventCount = try database.queueEventCount()
        #expect(try database.queueRecords(after: latest.lastSeq).count < eventCount)
        var full = QueueState(policy: RoutingPolicy())
        for record in try database.queueRecords() { full.apply(record) }
        _ = full.drainFinished()
        full.reserveMaterialIDs(through: try database.lastMaterialID())
        let (rebuilt, replayed) = try loadQueueState(database: database, policy: RoutingPolicy())
        #expect(replayed.takenAt != nil)
        #expect(rebuilt == full, "snapshot + tail differs from the whole log")
        let snapshots = try database.queueSnapshotCount()
        #expect(snapshots == 2, "\(snapshots) snapshots kept")

        // A start from it serves the same queue: the waiting tickets are still in line.
        try await TestServer.with(dataDirectory: data.url) { server in
            let password = try String(contentsOf: data.url.appendingPathComponent("initial-admin-password"), encoding: .utf8)
            let admin = try await QueueFixture.login(server, "admin", password.trimmingCharacters(in: .whitespacesAndNewlines))
            for id in ticketIDs.dropFirst() {
                let ticket = try await server.call(.GET, "/api/v1/tickets/\(id)", token: admin)
                #expect(ticket.json["state"] as? String == "waiting")
            }
        }
    }
}
