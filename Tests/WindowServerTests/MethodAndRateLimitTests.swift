import Foundation
import Testing

@testable import WindowServer

/// Issue 9, L10: 405 with Allow for a wrong method; kiosks' ticket taking is rate-limited.
@Suite("methods and rate limits")
struct MethodAndRateLimitTests {
    @Test("L10: a known path with a wrong method is 405 with Allow and method_not_allowed; an unknown path stays 404")
    func wrongMethodIs405() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let cases: [(HTTPMethodName, String, String)] = [
                (.post, "/health", "GET"),
                (.delete, "/api/v1/clerk/state", "PUT"),
                (.put, "/api/v1/tickets", "POST"),
                (.get, "/api/v1/sessions/5/end", "POST"),
                (.patch, "/api/v1/tickets/5", "DELETE, GET"),
                (.post, "/api/v1/clerks/7", "PATCH"),
            ]
            for (method, path, allow) in cases {
                let reply = try await server.request(method.nio, path, body: method == .get ? nil : Data("{}".utf8))
                #expect(reply.status == 405, "\(method) \(path): \(reply.status)")
                #expect(reply.header("Allow") == allow, "\(method) \(path): Allow \(reply.header("Allow") ?? "missing")")
                #expect(try reply.decode(ErrorReply.self).error.code == "method_not_allowed")
            }
            let unknown = try await server.request(.GET, "/api/v1/no-such-thing")
            #expect(unknown.status == 404)
            #expect(unknown.header("Allow") == nil)
            let right = try await server.request(.GET, "/health")
            #expect(right.status == 200)
        }
    }

    @Test("L10: a kiosk taking and leaving tickets in a loop gets 429 rate_limited with Retry-After after its burst, and may take again later")
    func takingTicketsIsRateLimited() async throws {
        let data = try TemporaryDirectory()
        // Long enough that a loaded test run's six requests come well within one interval.
        let limits = ServerLimits(ticketBurst: 3, ticketInterval: .seconds(4))
        try await TestServer.with(dataDirectory: data.url, limits: limits) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2, clerks: [])
            let token = fixture.kioskTokens[0]
            for cycle in 0..<3 {
                let taken = try await fixture.takeTicket()
                #expect(taken.status == 201, "cycle \(cycle): \(taken.status)")
                let left = try await server.call(.DELETE, "/api/v1/tickets/\(try #require(int64(taken.json["id"])))", token: token)
                #expect(left.status == 200)
            }
            let refused = try await fixture.takeTicket()
            #expect(refused.status == 429)
            #expect(try refused.decode(ErrorReply.self).error.code == "rate_limited")
            let retryAfter = try #require(refused.header("Retry-After").flatMap(Int.init), "no Retry-After")
            #expect((1...4).contains(retryAfter))
            // Another kiosk is not held back by this one.
            #expect(try await fixture.takeTicket(kiosk: 1).status == 201)
            try await Task.sleep(for: .seconds(Double(retryAfter) + 0.1))
            #expect(try await fixture.takeTicket().status == 201)
        }
    }
}
