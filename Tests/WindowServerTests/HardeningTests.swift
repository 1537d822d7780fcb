import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Testing
import WindowCore
import WindowStore

@testable import WindowServer

/// Issue 9's findings that are about data at rest, passwords, sites, uploads and the live socket.
@Suite("hardening")
struct HardeningTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 7, count: 2000)

    /// A session with the clerk `wang` and kiosk 0: (session id, fixture).
    static func session(_ server: TestServer) async throws -> (Int64, QueueFixture) {
        let fixture = try await QueueFixture(server: server)
        let ticket = try #require(int64(try await fixture.takeTicket().json["id"]))
        _ = try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"])
        let accepted = try await fixture.clerk("wang", .post, "/api/v1/clerk/offer/accept", json: ["ticket": ticket])
        let session = try #require(int64((accepted.json["session"] as? [String: Any])?["id"]))
        return (session, fixture)
    }

    @Test("M1: the keys live outside the data folder; keys inside it are refused; the stored mask shows the last four only")
    func keysOutsideTheDataFolder() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let taken = try await fixture.takeTicket(extra: ["idNumber": "11010519491231002X"])
            #expect(taken.json["idNumberMasked"] as? String == "**************002X")
        }
        let inside = (FileManager.default.enumerator(atPath: data.url.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".key") }
        #expect(inside.isEmpty, "keys in the data folder: \(inside)")
        #expect(FileManager.default.fileExists(atPath: data.url.appendingPathExtension("secrets").appendingPathComponent("id-number.key").path))
        // The whole data folder holds neither the number nor its birth date or region.
        for case let file as String in FileManager.default.enumerator(atPath: data.url.path)! {
            let bytes = (try? Data(contentsOf: data.url.appendingPathComponent(file))) ?? Data()
            #expect(bytes.range(of: Data("11010519491231".utf8)) == nil, "\(file) holds part of the ID number")
        }
        let other = try TemporaryDirectory()
        await #expect(throws: StartupError.self) {
            try await TestServer.with(dataDirectory: other.url, adjust: { $0.secretsDirectory = other.url.appendingPathComponent("keys") }) { _ in }
        }
    }

    @Test("L3: a data folder made 0755 with 0644 files is tightened to 0700/0600; TOTP secrets are sealed in the database")
    func privateDataFolder() async throws {
        let data = try TemporaryDirectory()
        chmod(data.url.path, 0o755)
        let stray = data.url.appendingPathComponent("notes.txt")
        #expect(FileManager.default.createFile(atPath: stray.path, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
        let secret = try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let setup = try await server.call(.POST, "/api/v1/auth/totp/setup", token: fixture.clerkTokens["wang"]!)
            return try #require(setup.json["secret"] as? String)
        }
        func mode(_ path: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        #expect(try mode(data.url.path) == 0o700)
        #expect(try mode(stray.path) == 0o600)
        #expect(FileManager.default.fileExists(atPath: data.url.appendingPathComponent("windowd.sqlite").path))
        for file in try FileManager.default.contentsOfDirectory(atPath: data.url.path) where file.hasPrefix("windowd.sqlite") {
            // SQLite may remove -wal/-shm as its last connection closes, after the listing: a file gone holds nothing.
            let path = data.url.appendingPathComponent(file).path
            guard let mode = try? mode(path), let bytes = try? Data(contentsOf: URL(fileURLWithPath: path)) else { continue }
            #expect(mode == 0o600, "\(file)")
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the TOTP secret in plain text")
        }
    }

    @Test("L4: trivial, common and over-long passwords are refused")
    func weakPasswords() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            for password in ["          ", "1111111111", "1234567890", "abcdefghijk", "password123", String(repeating: "B", count: 73)] {
                let reset = try await server.call(
                    .POST, "/api/v1/clerks/\(fixture.clerkIDs["wang"]!)/password", token: fixture.adminToken, json: ["password": password])
                #expect(reset.status == 400, "\(password.prefix(12))")
                #expect((reset.json["error"] as? [String: Any])?["code"] as? String == "weak_password")
            }
            // 72 bytes are fine; a good password still is.
            let fine = try await server.call(
                .POST, "/api/v1/clerks/\(fixture.clerkIDs["wang"]!)/password", token: fixture.adminToken, json: ["password": "tea at the window 07, rainy"])
            #expect(fine.status == 204)
        }
    }

    @Test("L7: impossible dates, overlapping ranges and huge names are refused")
    func siteValidation() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let cases: [[String: Any]] = [
                ["code": "a", "name": ["zh": "甲", "en": "A"], "hours": ["weekly": [:], "holidays": ["9999-99-99"]]],
                ["code": "b", "name": ["zh": "乙", "en": "B"], "hours": ["weekly": [:], "holidays": ["2026-02-30"]]],
                ["code": "c", "name": ["zh": "丙", "en": "C"], "hours": ["weekly": ["1": [["open": "09:00", "close": "12:00"], ["open": "11:00", "close": "17:00"]]]]],
                ["code": "d", "name": ["zh": String(repeating: "名", count: 10_000), "en": "D"]],
            ]
            for body in cases {
                let reply = try await server.request(
                    .POST, "/api/v1/sites", body: JSONSerialization.data(withJSONObject: body), headers: ["Authorization": "Bearer \(fixture.adminToken)"])
                #expect(reply.status == 400, "\(body["code"]!): \(reply.status)")
            }
            let fine = try await server.request(.POST, "/api/v1/sites", body: JSONSerialization.data(withJSONObject: [
                "code": "e", "name": ["zh": "戊", "en": "E"], "hours": ["weekly": ["1": [["open": "09:00", "close": "12:00"], ["open": "13:00", "close": "17:00"]]], "holidays": ["2026-10-01"]],
            ]), headers: ["Authorization": "Bearer \(fixture.adminToken)"])
            #expect(fine.status == 201)
        }
    }

    @Test("M6: 40 concurrent uploads to one session never store more than 20; every stored one was acknowledged")
    func uploadLimitIsAtomic() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let (session, fixture) = try await Self.session(server)
            let auth = ["Authorization": "Bearer \(fixture.kioskTokens[0])"]
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await server.request(.POST, "/api/v1/sessions/\(session)/materials?name=scan\(index)", body: Self.png, headers: auth).status
                    }
                }
                var all: [Int] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.allSatisfy { [201, 409, 429].contains($0) }, "\(statuses)")
            let created = statuses.filter { $0 == 201 }.count
            #expect(created <= 20)
            let view = try await server.call(.GET, "/api/v1/sessions/\(session)", token: fixture.kioskTokens[0])
            #expect((view.json["materials"] as? [Any])?.count == created)
            let files = try FileManager.default.contentsOfDirectory(atPath: data.url.appendingPathComponent("materials/\(session)").path)
            #expect(files.count == created, "files on disk: \(files)")
        }
    }

    @Test("M6: beyond the uploads in flight, an upload is refused at once with 429 and Retry-After, and nothing is stored")
    func uploadsInFlightAreCapped() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, adjust: { $0.maxUploadsInFlight = 0 }) { server in
            let (session, fixture) = try await Self.session(server)
            let reply = try await server.request(
                .POST, "/api/v1/sessions/\(session)/materials?name=scan", body: Self.png, headers: ["Authorization": "Bearer \(fixture.kioskTokens[0])"])
            #expect(reply.status == 429)
            #expect(reply.header("Retry-After") == "1")
            let stored = (try? FileManager.default.contentsOfDirectory(atPath: data.url.appendingPathComponent("materials").path)) ?? []
            #expect(stored.isEmpty)
        }
    }

    @Test("M8: a restart removes partial files and files no material refers to, and keeps the rest")
    func leftoversRemovedOnStart() async throws {
        let data = try TemporaryDirectory()
        let kept = try await TestServer.with(dataDirectory: data.url) { server in
            let (session, fixture) = try await Self.session(server)
            let upload = try await server.request(
                .POST, "/api/v1/sessions/\(session)/materials?name=scan", body: Self.png, headers: ["Authorization": "Bearer \(fixture.kioskTokens[0])"])
            #expect(upload.status == 201)
            return try FileManager.default.contentsOfDirectory(atPath: data.url.appendingPathComponent("materials/\(session)").path).map {
                data.url.appendingPathComponent("materials/\(session)/\($0)").path
            }
        }
        let folder = URL(fileURLWithPath: kept[0]).deletingLastPathComponent()
        let orphan = folder.appendingPathComponent("orphan.png").path
        let partial = folder.appendingPathComponent("half.png.part").path
        #expect(FileManager.default.createFile(atPath: orphan, contents: Self.png))
        #expect(FileManager.default.createFile(atPath: partial, contents: Data([1, 2, 3])))
        try await TestServer.with(dataDirectory: data.url) { _ in }
        #expect(!FileManager.default.fileExists(atPath: orphan))
        #expect(!FileManager.default.fileExists(atPath: partial))
        #expect(kept.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }

    @Test("M7: a signal flood is dropped with one error; the other side is never cut off")
    func signalFlood() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let (session, fixture) = try await Self.session(server)
            let (screen, _) = try await VideoLinkTests.pair(fixture)
            let kiosk = LiveClient(server: server, token: screen)  // screen B: the kiosk's side of the call
            let clerk = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            _ = try await kiosk.next("ticket")
            _ = try await clerk.next("clerk")
            let signal = #"{"type":"signal","data":{"session":\#(session),"pc":"pc-1","candidate":{"candidate":"x"}}}"#
            for _ in 0..<3000 { clerk.send(signal) }
            let refused = try await clerk.next("error") { $0["code"] as? String == "rate_limited" }
            #expect(refused.data["code"] as? String == "rate_limited")
            try await Task.sleep(for: .seconds(1))
            #expect(!kiosk.closed.withLock { $0 }, "the kiosk was cut off by the clerk's flood")
            let relayed = kiosk.all.filter { $0.type == "signal" }.count
            #expect(relayed > 0 && relayed < 200, "relayed \(relayed)")
            #expect(clerk.all.filter { $0.type == "error" }.count < 10)
            kiosk.send(#"{"type":"ping"}"#)
            _ = try await kiosk.next("pong")
        }
    }

    @Test("L8: invalid UTF-8 closes 1007; a fragmented message over 64 KiB closes 1009; a bad credential closes 4401 with a JSON reason")
    func webSocketProtocolErrors() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            func closeCode(_ frames: [RawFrame], token: String? = nil) async throws -> UInt16? {
                try await close(frames, token: token)?.0
            }
            func close(_ frames: [RawFrame], token: String? = nil) async throws -> (UInt16, String?)? {
                try await RawFrame.exchange(server, token: token ?? fixture.kioskTokens[0], frames: frames).close
            }
            let refused = try await close([], token: "rwk_not-a-credential")
            #expect(refused?.0 == Revocations.closeCode)
            #expect(refused?.1 == #"{"error":{"code":"unauthorized"}}"#)
            #expect(try await closeCode([RawFrame(fin: true, opcode: 0x1, payload: [0x7B, 0xFF, 0xFE, 0x7D])]) == 1007)
            let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 32 * 1024)
            // 96 KiB in fragments: past the 64 KiB limit.
            let fragments = [RawFrame(fin: false, opcode: 0x1, payload: chunk), RawFrame(fin: false, opcode: 0x0, payload: chunk),
                             RawFrame(fin: true, opcode: 0x0, payload: chunk)]
            #expect(try await closeCode(fragments) == 1009)
        }
    }

    @Test("L8: a live upgrade with the sign-in cookie from another site is refused (403 csrf_failed); from our own pages it opens, and a ping is answered")
    func liveUpgradeOrigin() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            func upgrade(origin: String) async throws -> RawTLSConnection {
                try await RawFrame.upgrade(server, headers: "Origin: \(origin)\r\nCookie: \(AuthenticatorMiddleware.cookieName)=\(fixture.adminToken)\r\n")
            }
            let foreign = try await upgrade(origin: "https://evil.example")
            #expect(foreign.received.hasPrefix("HTTP/1.1 403"))
            let body = try await Self.body(of: foreign)
            #expect(body.contains(#""code":"csrf_failed""#))
            await foreign.close()

            let own = try await upgrade(origin: "https://localhost:\(server.port)")
            #expect(own.received.hasPrefix("HTTP/1.1 101"))
            try await own.send(RawFrame(fin: true, opcode: 0x9, payload: Array("are you there".utf8)).masked)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, !RawFrame.serverFrames(in: own.receivedBytes).contains(where: { $0.opcode == 0xA }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            let pong = RawFrame.serverFrames(in: own.receivedBytes).first { $0.opcode == 0xA }
            #expect(pong.map { String(decoding: $0.payload, as: UTF8.self) } == "are you there")
            await own.close()
        }
    }

    @Test("L8: a live connection that stops answering pings is closed (1001) and its kiosk is gone at once: the grace starts without waiting for the socket")
    func silentPeerIsGone() async throws {
        var policy = RoutingPolicy()
        policy.kioskGrace = 60
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, policy: policy, limits: ServerLimits(livePing: .seconds(1))) { server in
            let fixture = try await QueueFixture(server: server)
            let ticket = try #require(try await fixture.takeTicket().json["id"] as? Int)
            // A kiosk whose network went: it upgrades, then never answers anything, not even the close.
            let silent = try await RawFrame.upgrade(server, headers: "Authorization: Bearer \(fixture.kioskTokens[0])\r\n")
            // Connected: present, so no grace runs…
            var present = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken)
            for _ in 0..<20 where present.json["kioskGraceUntil"] != nil {
                try await Task.sleep(for: .milliseconds(25))
                present = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken)
            }
            #expect(present.json["kioskGraceUntil"] == nil)
            // …until two pings go unanswered.
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, !RawFrame.serverFrames(in: silent.receivedBytes).contains(where: { $0.opcode == 0x8 }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            let frames = RawFrame.serverFrames(in: silent.receivedBytes)
            #expect(frames.contains { $0.opcode == 0x1 }, "the ticket came first")
            #expect(frames.contains { $0.opcode == 0x9 }, "it was pinged")
            let close = try #require(frames.first { $0.opcode == 0x8 })
            #expect(close.payload.prefix(2) == [0x03, 0xE9], "1001")
            #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "no answer to ping")
            // Gone for the queue now, well before the close timeout lets the socket go.
            var shown = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken)
            for _ in 0..<20 where shown.json["kioskGraceUntil"] == nil {
                try await Task.sleep(for: .milliseconds(50))
                shown = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken)
            }
            #expect(shown.json["kioskGraceUntil"] != nil)
            #expect(!silent.isClosed, "the socket is still open: the server waits for the close's answer")
            await silent.close()
        }
    }

    /// The whole body of an answer that says its length.
    static func body(of connection: RawTLSConnection) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let received = connection.received
            if let split = received.range(of: "\r\n\r\n"),
                let length = received[..<split.lowerBound].split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") })
                    .flatMap({ Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }),
                received.utf8.count >= received.utf8.distance(from: received.startIndex, to: split.upperBound) + length
            {
                return String(received[split.upperBound...])
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return connection.received
    }
}

/// A WebSocket frame written by hand: clients mask theirs; the server's close is read back.
struct RawFrame {
    var fin: Bool
    var opcode: UInt8
    var payload: [UInt8]

    var masked: [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let count = payload.count
        if count < 126 {
            bytes.append(0x80 | UInt8(count))
        } else if count <= 0xFFFF {
            bytes += [0x80 | 126, UInt8(count >> 8), UInt8(count & 0xFF)]
        } else {
            bytes.append(0x80 | 127)
            bytes += (0..<8).reversed().map { UInt8((count >> ($0 * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return bytes
    }

    /// Asks for the live upgrade by hand over a new TLS connection, with `headers` (each ending in
    /// CRLF), and waits for the answer's head (or the server's close). Frames go only after the 101:
    /// sent with the request, the server could read them as HTTP.
    static func upgrade(_ server: TestServer, headers: String) async throws -> RawTLSConnection {
        let connection = try await RawTLSConnection.connect(port: server.port, tls: server.clientTLS)
        #expect(try await connection.handshake(within: .seconds(10)))
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        try await connection.send(
            "GET /api/v1/live HTTP/1.1\r\nHost: localhost:\(server.port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\(headers)\r\n")
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, !connection.received.contains("\r\n\r\n"), !connection.isClosed {
            try await Task.sleep(for: .milliseconds(10))
        }
        return connection
    }

    /// Speaks WebSocket by hand over a raw TLS connection to `/api/v1/live` (a client library once sat
    /// forever on a connection the server had closed): upgrade, send the frames, read until the
    /// server's close. - Returns: the close's code and reason, and the opcodes of the frames before it.
    static func exchange(_ server: TestServer, token: String, frames: [RawFrame] = []) async throws -> (close: (UInt16, String?)?, before: [UInt8]) {
        let connection = try await upgrade(server, headers: "Authorization: Bearer \(token)\r\n")
        defer { Task { await connection.close() } }
        for frame in frames { try? await connection.send(frame.masked) }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            // Closed is read before the bytes: the close frame and the end of the connection may arrive
            // together, between a look at the bytes and a look at the state.
            let closed = connection.isClosed
            let seen = serverFrames(in: connection.receivedBytes)
            if let close = seen.first(where: { $0.opcode == 0x8 }) {
                let payload = close.payload
                // Answer the close, as a client should: the server need not wait out its close timeout.
                try? await connection.send(RawFrame(fin: true, opcode: 0x8, payload: Array(payload.prefix(2))).masked)
                let code = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : 1005
                let reason = payload.count > 2 ? String(decoding: payload[2...], as: UTF8.self) : nil
                return ((code, reason), seen.prefix { $0.opcode != 0x8 }.map(\.opcode))
            }
            if closed { return (nil, seen.map(\.opcode)) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LiveClientTimeout(type: "(close)", seen: [connection.received])
    }

    /// The whole frames the server sent after its 101 answer.
    static func serverFrames(in received: [UInt8]) -> [(opcode: UInt8, payload: [UInt8])] {
        var frames: [(opcode: UInt8, payload: [UInt8])] = []
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, received.count - 3)).first(where: { Array(received[$0..<$0 + 4]) == separator }) else { return frames }
        var index = end + 4
        while index + 2 <= received.count {
            let opcode = received[index] & 0x0F
            var length = Int(received[index + 1] & 0x7F)
            var header = 2
            if length == 126 {
                guard index + 4 <= received.count else { return frames }
                length = Int(received[index + 2]) << 8 | Int(received[index + 3])
                header = 4
            } else if length == 127 {
                guard index + 10 <= received.count else { return frames }
                length = (2..<10).reduce(0) { $0 << 8 | Int(received[index + $1]) }
                header = 10
            }
            guard index + header + length <= received.count else { return frames }
            frames.append((opcode, Array(received[(index + header)..<(index + header + length)])))
            index += header + length
        }
        return frames
    }
}
