import Foundation
import Testing

@testable import WindowServer

/// Issue 9, L1: every answer carries the security headers, errors included.
@Suite("security headers")
struct SecurityHeadersTests {
    static let securityHeaders: [(String, String?)] = [
        ("Strict-Transport-Security", "max-age=31536000"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", nil),
        ("Cache-Control", "no-store"),
    ]

    static func expectSecurityHeaders(_ reply: TestServer.Reply, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, value) in securityHeaders {
            let seen = reply.header(name)
            #expect(seen != nil, "\(label): no \(name)", sourceLocation: sourceLocation)
            if let value { #expect(seen == value, "\(label): \(name) is \(seen ?? "missing")", sourceLocation: sourceLocation) }
        }
    }

    @Test("L1: error answers (400, 401, 403, 404, 405, 413) carry HSTS, nosniff, frame options, CSP and no-store like any other")
    func errorsCarrySecurityHeaders() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 1, clerks: [])
            let cases: [(String, TestServer.Reply, Int)] = [
                ("200", try await server.request(.GET, "/health"), 200),
                ("400", try await server.request(.POST, "/api/v1/auth/login", body: Data("{".utf8)), 400),
                ("401", try await server.request(.GET, "/api/v1/clerk"), 401),
                ("401 bad credential", try await server.call(.GET, "/api/v1/clerk", token: "rwa_nonsense"), 401),
                ("403", try await server.call(.GET, "/api/v1/clerk", token: fixture.kioskTokens[0]), 403),
                ("404", try await server.request(.GET, "/api/v1/nothing-here"), 404),
                ("404 route", try await server.call(.GET, "/api/v1/tickets/999", token: fixture.kioskTokens[0]), 404),
                ("405", try await server.request(.DELETE, "/health"), 405),
                ("413", try await server.request(.POST, "/api/v1/auth/login", body: Data(repeating: 0x20, count: 70 * 1024)), 413),
            ]
            for (label, reply, status) in cases {
                #expect(reply.status == status, "\(label): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
                Self.expectSecurityHeaders(reply, label)
            }
        }
    }
}
