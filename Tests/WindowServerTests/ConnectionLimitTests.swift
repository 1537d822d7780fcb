import Foundation
import Testing

@testable import WindowServer

/// Issue 9, L5: deadlines on slow connections, 400 and close for malformed requests, a connection
/// cap. Raw TLS sockets (``RawTLSConnection``), every wait bounded.
@Suite("connection limits")
struct ConnectionLimitTests {
    /// Short deadlines, so that tests of them take a second, not a minute.
    static let quick = ServerLimits(headerTimeout: .milliseconds(600), bodyTimeout: .milliseconds(600), idleTimeout: .milliseconds(600))

    @Test("L5: a client sending its headers a byte at a time is cut off at the header deadline")
    func slowHeadersAreCut() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, limits: Self.quick) { server in
            let connection = try await RawTLSConnection.connect(port: server.port, tls: server.clientTLS)
            #expect(try await connection.handshake(within: .seconds(5)))
            let started = ContinuousClock.now
            // The deadline runs from the connection's first byte, handshake included: on a busy
            // machine it may have passed already, and the server has cut the connection.
            try? await connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\n")
            // A byte every 100 ms, for up to 4 s: a slowloris never finishes its headers.
            for byte in Array("X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8) {
                if connection.isClosed { break }
                try? await connection.send([byte])
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(await connection.closedByServer(within: .milliseconds(500)), "the slow connection is still open")
            #expect(ContinuousClock.now - started < .seconds(3))
            await connection.close()
        }
    }

    @Test("L5: a request body trickling in is cut off at the body deadline; an idle kept-alive connection at the idle deadline")
    func slowBodyAndIdleAreCut() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, limits: Self.quick) { server in
            let slow = try await RawTLSConnection.connect(port: server.port, tls: server.clientTLS)
            try await slow.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
            for _ in 0..<30 where !slow.isClosed {
                try? await slow.send(" ")
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(await slow.closedByServer(within: .milliseconds(500)), "the slow body's connection is still open")
            await slow.close()

            let idle = try await RawTLSConnection.connect(port: server.port, tls: server.clientTLS)
            try await idle.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            for _ in 0..<100 where idle.received.isEmpty {  // a busy machine may answer late
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(idle.received.hasPrefix("HTTP/1.1 200"), "\(idle.received)")
            #expect(!idle.isClosed, "kept alive after an answer")
            #expect(await idle.closedByServer(within: .seconds(2)), "the idle connection is still open")
            await idle.close()
        }
    }

    @Test(
        "L5: malformed requests are answered 400 (with the security headers) and closed",
        arguments: [
            ("NUL in the request line", "GET /hea\u{0}lth HTTP/1.1\r\nHost: localhost\r\n\r\n"),
            ("80 KB header", "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + String(repeating: "a", count: 80 * 1024) + "\r\n\r\n"),
            ("Content-Length with chunked", "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            ("garbage after a good request", "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\nGET /\u{1}\u{2} HTTP/1.1\r\n\r\n"),
        ])
    func malformedRequestsGet400(_ label: String, _ request: String) async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let connection = try await RawTLSConnection.connect(port: server.port, tls: server.clientTLS)
            try await connection.send(request)
            #expect(await connection.closedByServer(within: .seconds(3)), "\(label): the connection is still open")
            let answer = connection.received
            let last = answer.range(of: "HTTP/1.1 ", options: .backwards).map { String(answer[$0.lowerBound...]) } ?? ""
            #expect(last.hasPrefix("HTTP/1.1 400"), "\(label): \(answer.prefix(300))")
            for (name, _) in SecurityHeadersTests.securityHeaders {
                #expect(last.lowercased().contains(name.lowercased() + ":"), "\(label): the 400 lacks \(name)")
            }
            #expect(last.contains("\"bad_request\""), "\(label): \(last)")
            await connection.close()
        }
    }

    @Test("L5: beyond the connection cap a new connection waits (no handshake) until one closes")
    func connectionCap() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, limits: ServerLimits(maxConnections: 3)) { server in
            var held: [RawTLSConnection] = []
            for _ in 0..<3 {
                let connection = try await RawTLSConnection.connect(port: server.port, tls: server.clientTLS)
                #expect(try await connection.handshake(within: .seconds(5)))
                held.append(connection)
            }
            let extra = try await RawTLSConnection.connect(port: server.port, tls: server.clientTLS)
            await #expect(throws: RawTLSConnection.TimedOut.self, "a fourth connection was served") {
                _ = try await extra.handshake(within: .seconds(1))
            }
            await held.removeFirst().close()
            #expect(try await extra.handshake(within: .seconds(5)), "the waiting connection is served once one closes")
            try await extra.send("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            #expect(await extra.closedByServer(within: .seconds(3)))
            #expect(extra.received.hasPrefix("HTTP/1.1 200"), "\(extra.received)")
            for connection in held { await connection.close() }
        }
    }
}
