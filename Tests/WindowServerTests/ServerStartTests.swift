import WindowAPITypes
import AsyncHTTPClient
import Foundation
import WindowCore
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import WindowStore

@testable import WindowServer

@Suite("windowd start-up")
struct ServerStartTests {
    @Test("a graceful shutdown tells every live connection that the server is restarting (1001), and stops")
    func shutdownClosesLiveConnections() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let kiosk = LiveClient(server: server, token: fixture.kioskTokens[0])
            let clerk = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            _ = try await kiosk.next("idle")
            _ = try await clerk.next("clerk")
            await server.shutDown()
            #expect(try await kiosk.waitUntilClosed() == 1001)
            #expect(try await clerk.waitUntilClosed() == 1001)
        }
    }

    @Test("first start makes a development CA, an admin password file (0600) and serves /health over TLS")
    func firstStart() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let reply = try await server.request(.GET, "/health")
            #expect(reply.status == 200)
            let health = try reply.decode([String: String].self)
            #expect(health == ["status": "ok", "database": "ok"])
            #expect(reply.header("Strict-Transport-Security") != nil)
            #expect(reply.header("X-Content-Type-Options") == "nosniff")

            let passwordFile = data.url.appendingPathComponent("initial-admin-password").path
            let attributes = try FileManager.default.attributesOfItem(atPath: passwordFile)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let saved = try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .newlines)
            #expect(server.report.initialAdminUsername == "admin")
            #expect(server.report.initialAdminPassword == saved)
            #expect(saved.count >= 20)
            #expect(server.report.seededCatalogItems == 70)

            let keyAttributes = try FileManager.default.attributesOfItem(
                atPath: data.url.appendingPathComponent("tls/server-key.pem").path)
            #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test("a second start keeps the CA, the admin and the catalog, and needs no catalog file")
    func secondStart() async throws {
        let data = try TemporaryDirectory()
        let firstPassword = try await TestServer.with(dataDirectory: data.url) { $0.report.initialAdminPassword }
        let caPath = data.url.appendingPathComponent("tls/ca.pem").path
        let firstCA = try String(contentsOfFile: caPath, encoding: .utf8)

        try await TestServer.with(dataDirectory: data.url, catalogPath: "/nonexistent/items.json") { server in
            #expect(server.report.initialAdminPassword == nil)
            #expect(server.report.seededCatalogItems == nil)
            let reply = try await server.request(.GET, "/api/v1/catalog/items")
            #expect(reply.status == 200)
            #expect(try reply.decode(CatalogList.self).count == 70)
        }
        #expect(firstPassword != nil)
        #expect(try String(contentsOfFile: caPath, encoding: .utf8) == firstCA)
    }

    @Test("a bad catalog stops the first start with the item and field named, and loads nothing")
    func badCatalogRefused() async throws {
        let data = try TemporaryDirectory()
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repository.catalogPath))) as! [String: Any]
        var items = document["items"] as! [[String: Any]]
        let code = items[5]["code"] as! String
        items[5]["expectedMinutes"] = 0
        document["items"] = items
        let badPath = data.url.appendingPathComponent("bad-items.json").path
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: badPath))

        let dataFolder = data.url.appendingPathComponent("data")
        await #expect {
            try await TestServer.with(dataDirectory: dataFolder, catalogPath: badPath) { _ in }
        } throws: { error in
            let text = "\(error)"
            return text.contains(code) && text.contains("expectedMinutes")
        }
        let database = try AppDatabase.open(path: dataFolder.appendingPathComponent("windowd.sqlite").path)
        #expect(try await database.catalogItems().isEmpty)
        #expect(try !database.isCatalogSeeded())
    }

    @Test("a client that does not trust the development CA is refused")
    func untrustedClientFails() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            // The client's pool retries a failed connection until the deadline, then reports the
            // last failure: keep the deadline short and check that failure is the certificate.
            do {
                _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"), timeout: .seconds(2))
                Issue.record("an untrusted server was accepted")
            } catch {
                #expect(String(reflecting: error).contains("CERTIFICATE_VERIFY_FAILED"), "\(error)")
            }
            try await client.shutdown()
        }
    }

    @Test("a failed TLS handshake (an old TLS, plain HTTP) is one info line with its reason, never an error, and the server serves on")
    func failedHandshakeIsLoggedAtInfo() async throws {
        let data = try TemporaryDirectory()
        let recorder = LogRecorder()
        try await TestServer.with(dataDirectory: data.url, logger: recorder.logger) { server in
            var old = TLSConfiguration.makeClientConfiguration()
            old.certificateVerification = .none
            old.maximumTLSVersion = .tlsv11
            let refused = try await RawTLSConnection.connect(port: server.port, tls: old)
            #expect(try await refused.handshake(within: .seconds(5)) == false)
            await refused.close()
            // Scanners and mistyped http:// links speak plain HTTP to the TLS port.
            let plain = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: server.port).get()
            try await plain.writeAndFlush(ByteBuffer(string: "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"))
            try await plain.closeFuture.get()

            #expect(try await server.call(.GET, "/health", token: nil).status == 200)
            let lines = recorder.events.withLock { $0 }.filter { $0.message == "TLS handshake failed" }
            #expect(lines.count == 2 && lines.allSatisfy { $0.level == .info }, "\(lines)")
            #expect(recorder.errors.isEmpty, "logged: \(recorder.errors)")
        }
    }
}

struct CatalogList: Decodable {
    struct Item: Decodable {
        var code: String
        var category: String
        var name: [String: String]
        var version: Int
        var materials: [[String: JSONValue]]
    }
    var items: [Item]
    var count: Int
}
