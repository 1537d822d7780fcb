import Foundation
import Testing

@testable import WindowServer

@Suite("metrics for Prometheus")
struct ScrapeCredentialTests {
    @Test("an admin issues a read-only scrape credential: it reads /metrics and nothing else, until revoked; promtool finds the exposition clean")
    func scrapeCredential() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, adjust: { $0.snapshots = SnapshotPolicy(everyEvents: 1, interval: 3600) }) { server in
            let fixture = try await QueueFixture(server: server)
            _ = try await fixture.takeTicket()
            let managerReply = try await server.call(.POST, "/api/v1/accounts", token: fixture.adminToken, json: [
                "username": "duty", "displayName": "值班长", "password": "manager password", "role": "manager",
            ])
            #expect(managerReply.status == 201)
            let manager = try await QueueFixture.login(server, "duty", "manager password")
            #expect(try await server.call(.POST, "/api/v1/scrape-credentials", token: manager, json: ["name": "prometheus-1"]).status == 403)

            let issued = try await server.call(.POST, "/api/v1/scrape-credentials", token: fixture.adminToken, json: ["name": "prometheus-1"])
            #expect(issued.status == 201)
            let credential = try #require(issued.json["credential"] as? String)
            let id = try #require(int64(issued.json["id"]))
            #expect(credential.hasPrefix("rwm_"))
            let listed = try await server.call(.GET, "/api/v1/scrape-credentials", token: fixture.adminToken)
            #expect(!String(decoding: listed.body, as: UTF8.self).contains(credential), "the credential is shown once")

            let metrics = try await server.call(.GET, "/metrics", token: credential)
            #expect(metrics.status == 200)
            let text = String(decoding: metrics.body, as: UTF8.self)
            for name in ["rw_wal_bytes", "rw_queue_snapshot_timestamp_seconds", "rw_queue_commit_records_bucket", "rw_queue_invariant_violations", "rw_queue_timers"] {
                #expect(text.contains(name), "\(name) missing")
            }
            #expect(try Self.promtool(text).isEmpty)
            // Nothing else: not the board, not who-am-I, not the live connection.
            #expect(try await server.call(.GET, "/api/v1/queue", token: credential).status == 403)
            #expect(try await server.call(.GET, "/api/v1/auth/me", token: credential).status == 403)
            #expect(try await server.call(.GET, "/api/v1/tickets/1", token: credential).status == 403)
            let live = try await RawFrame.exchange(server, token: credential)
            #expect(live.close?.0 == Revocations.closeCode && live.before.isEmpty)

            #expect(try await server.call(.DELETE, "/api/v1/scrape-credentials/\(id)", token: fixture.adminToken).status == 204)
            #expect(try await server.call(.GET, "/metrics", token: credential).status == 401)
            #expect(try await server.call(.DELETE, "/api/v1/scrape-credentials/\(id)", token: fixture.adminToken).status == 404)

            let report = try await server.call(.GET, "/api/v1/queue/invariants", token: manager)
            #expect(report.status == 200 && (report.json["violations"] as? [Any])?.isEmpty == true)
        }
    }

    /// `promtool check metrics`'s complaints (Debian's prometheus package; scripts/setup installs it).
    static func promtool(_ exposition: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(exposition.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(text)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
