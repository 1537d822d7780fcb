import Foundation
import Testing

@testable import WindowServer

/// H1: a live connection lives no longer than its credential.
@Suite("revocation ends live connections")
struct RevocationTests {
    @Test("revoking a kiosk closes its open socket at once (4401), and it cannot reconnect")
    func kioskRevoked() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let kiosk = LiveClient(server: server, token: fixture.kioskTokens[0])
            _ = try await kiosk.next("idle")
            let revoked = try await server.call(.DELETE, "/api/v1/kiosks/\(fixture.kioskIDs[0])", token: fixture.adminToken)
            #expect(revoked.status == 204)
            #expect(try await kiosk.waitUntilClosed(timeout: .seconds(30)) == Revocations.closeCode)
            // By hand: the client library can sit on a connection the server closed at once.
            let again = try await RawFrame.exchange(server, token: fixture.kioskTokens[0])
            #expect(again.close?.0 == Revocations.closeCode)
            #expect(again.before.isEmpty, "a revoked kiosk's new connection got frames \(again.before) before its close")
        }
    }

    @Test("a sign-in's live connection ends when its token expires")
    func tokenExpiry() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, adjust: { $0.signInLifetime = 3 }) { server in
            let fixture = try await QueueFixture(server: server)
            let clerk = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            _ = try await clerk.next("clerk")
            #expect(try await clerk.waitUntilClosed(timeout: .seconds(10)) == Revocations.closeCode)
            let old = try await server.call(.GET, "/api/v1/clerk", token: fixture.clerkTokens["wang"]!)
            #expect(old.status == 401)
        }
    }

    @Test("signing out closes that token's socket, and the clerk is offline, offered nothing")
    func clerkSignsOut() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let token = fixture.clerkTokens["wang"]!
            let clerk = LiveClient(server: server, token: token)
            _ = try await clerk.next("clerk")
            let available = try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"])
            #expect(available.status == 200)
            let out = try await server.call(.POST, "/api/v1/auth/logout", token: token)
            #expect(out.status == 204)
            #expect(try await clerk.waitUntilClosed() == Revocations.closeCode)
            let list = try await server.call(.GET, "/api/v1/clerks", token: fixture.adminToken)
            let wang = try #require((list.json["clerks"] as? [[String: Any]])?.first { $0["id"] as? Int == Int(fixture.clerkIDs["wang"]!) })
            #expect(wang["state"] as? String == "offline")
            #expect(wang["connected"] as? Bool == false)
            // A new ticket waits: it is offered to nobody.
            let ticket = try await fixture.takeTicket()
            #expect(ticket.json["state"] as? String == "waiting")
        }
    }

    @Test("a password reset closes every socket of the clerk; no offer reaches the old socket")
    func passwordReset() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let clerk = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            _ = try await clerk.next("clerk")
            _ = try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"])
            let reset = try await server.call(
                .POST, "/api/v1/clerks/\(fixture.clerkIDs["wang"]!)/password", token: fixture.adminToken, json: ["password": "a brand new password"])
            #expect(reset.status == 204)
            #expect(try await clerk.waitUntilClosed() == Revocations.closeCode)
            let ticket = try await fixture.takeTicket()
            #expect(ticket.json["state"] as? String == "waiting")
            #expect(!clerk.all.contains { $0.type == "clerk" && ($0.data["offer"] as? [String: Any]) != nil })
            let old = try await server.call(.GET, "/api/v1/clerk", token: fixture.clerkTokens["wang"]!)
            #expect(old.status == 401)
        }
    }
}
