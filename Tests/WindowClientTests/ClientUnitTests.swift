import Foundation
import Testing
import WindowCore

@testable import WindowClient

@Suite("Client values: endpoints, files, backoff, messages, errors")
struct ClientUnitTests {
    @Test("only https://host:port is accepted as a server address")
    func endpoints() throws {
        let pem = try realCA()
        let endpoint = try ServerEndpoint(url: "https://localhost:8443/", caPEM: pem)
        #expect(endpoint.baseURL == "https://localhost:8443")
        #expect(endpoint.liveURL == "wss://localhost:8443/api/v1/live")
        #expect(try ServerEndpoint(url: "https://example.test", caPEM: pem).port == 443)
        for bad in ["http://localhost:8443", "localhost:8443", "https://", "https://localhost:8443/api", "ftp://x", "", "https://localhost:99999"] {
            #expect(throws: WindowClientError.self, "\(bad)") { try ServerEndpoint(url: bad, caPEM: pem) }
        }
    }

    @Test("a CA that is not a PEM certificate is refused, never replaced by the system's")
    func badCA() {
        for bad in ["", "hello", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----"] {
            #expect(throws: WindowClientError.self) { try ServerEndpoint(url: "https://localhost:8443", caPEM: bad) }
        }
        #expect(throws: WindowClientError.self) { try ServerEndpoint.readCA(path: "/nonexistent/ca.pem") }
    }

    @Test("materials are judged by their first bytes and size")
    func materials() throws {
        #expect(try MaterialFile(data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])).kind == .png)
        #expect(try MaterialFile(data: Data([0xFF, 0xD8, 0xFF, 0xE0])).kind == .jpeg)
        #expect(try MaterialFile(data: Data("%PDF-1.7\n".utf8)).kind == .pdf)
        #expect(MaterialFile.Kind.pdf.mime == "application/pdf")
        for (data, code) in [(Data(), "invalid_file"), (Data("hello".utf8), "unsupported_file"), (Data([0x89, 0x50, 0x4E, 0x58]), "unsupported_file"),
                             (Data(count: MaterialKind.maxBytes + 1), "file_too_large")] {
            #expect { try MaterialFile(data: data) } throws: { ($0 as? WindowClientError)?.code == code }
        }
        #expect { try MaterialFile(path: "/nonexistent.png") } throws: { ($0 as? WindowClientError)?.code == "invalid_file" }
        #expect { try MaterialFile(path: NSTemporaryDirectory()) } throws: { ($0 as? WindowClientError)?.message.contains("folder") == true }
    }

    @Test("reconnect delays double up to the maximum")
    func backoff() {
        let backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(5))
        #expect(backoff.delay(attempt: 0) == .milliseconds(500))
        #expect(backoff.delay(attempt: 1) == .seconds(1))
        #expect(backoff.delay(attempt: 3) == .seconds(4))
        #expect(backoff.delay(attempt: 4) == .seconds(5))
        #expect(backoff.delay(attempt: 1000) == .seconds(5))
    }

    @Test("live messages decode; anything else becomes .other, never a crash")
    func liveMessages() {
        #expect(LiveMessage.decode(#"{"type":"idle","data":{}}"#) == .idle)
        #expect(LiveMessage.decode(#"{"type":"pong"}"#) == .pong)
        let ticket = #"{"type":"ticket","data":{"id":3,"number":"R001","itemCode":"JZZ-001","category":"residence","state":"in-session","priorityClass":"priority","priorityReason":"elderly","position":null,"waitSeconds":null,"createdAt":"2026-11-21T02:00:00Z","kioskGraceUntil":"2026-11-21T02:02:00Z","idNumberMasked":"1101**********0021","session":{"id":9,"state":"active","room":"r","clerkName":"王小明","window":"07"},"sequence":41}}"#
        guard case .ticket(let view) = LiveMessage.decode(ticket) else { Issue.record("not a ticket"); return }
        #expect(view.state == .inSession)
        #expect(view.session?.clerkName == "王小明")
        #expect(view.kioskGraceUntil != nil)
        let materials = #"{"type":"materials","data":{"session":9,"materials":[{"id":1,"name":"身份证","contentType":"image/png","size":10,"status":"rejected","reason":"模糊","uploadedAt":"2026-11-21T02:00:00.123Z"}]}}"#
        guard case .materials(let update) = LiveMessage.decode(materials), let material = update.materials.first else {
            Issue.record("not materials"); return
        }
        #expect(update.session == 9)
        #expect(material.status == .rejected && material.reason == "模糊")
        // Fractional seconds are read too.
        #expect(abs((material.uploadedAt ?? .distantPast).timeIntervalSince1970 - 1_795_226_400.123) < 0.01)
        #expect(LiveMessage.decode(#"{"type":"error","data":{"code":"bad_message","message":"x"}}"#) == .error(LiveError(code: .badMessage, message: "x")))
        #expect(LiveMessage.decode(#"{"type":"signal","data":{}}"#) == .unknown(type: "signal(invalid)"))
        #expect(LiveMessage.decode(#"{"type":"ticket","data":{"id":"x"}}"#) == .unknown(type: "ticket(invalid)"))
        #expect(LiveMessage.decode("not json") == .unknown(type: "(invalid)"))
        #expect(LiveMessage.decode("") == .unknown(type: "(invalid)"))
    }

    @Test("the server's JSON error becomes a typed error with its code, message and next opening")
    func serverErrors() {
        let body = Data(#"{"error":{"code":"closed","message":"当前不在服务时间内 / the window is closed now","nextOpening":"2026-11-23T01:00:00Z"}}"#.utf8)
        let error = WindowAPI.serverError(status: 409, body: body)
        #expect(error.kind == .server)
        #expect(error.status == 409)
        #expect(error.code == "closed")
        #expect(error.message.contains("closed now"))
        #expect(error.nextOpening == Date(timeIntervalSince1970: 1_795_395_600))
        let html = WindowAPI.serverError(status: 502, body: Data("<html>bad gateway</html>".utf8))
        #expect(html.code == "http_502")
        #expect(html.message.contains("502"))
        #expect(WindowClientError.server(status: 404, code: "not_found", message: "x").isNotFound)
    }

    @Test("a catalog refusal keeps its problems, changes and conflicts")
    func catalogErrors() {
        let invalid = WindowAPI.serverError(status: 422, body: Data(#"{"error":{"code":"catalog_invalid","message":"bad","problems":[{"item":"JZZ-002","field":"expectedMinutes","message":"999 is out of range 1–60"}]}}"#.utf8))
        #expect(invalid.serverCode == .catalogInvalid)
        #expect(invalid.problems == [CatalogProblem(item: "JZZ-002", field: "expectedMinutes", message: "999 is out of range 1–60")])
        #expect(invalid.changes.isEmpty && invalid.conflicts.isEmpty)
        let conflict = WindowAPI.serverError(status: 409, body: Data(#"{"error":{"code":"edit_conflict","message":"saved since","changes":[{"item":"JZZ-002","field":"expectedMinutes","label":{"zh":"预计办理分钟数","en":"Expected minutes"},"before":5,"after":7}]}}"#.utf8))
        #expect(conflict.changes.first?.after == .number(7))
        let rebase = WindowAPI.serverError(status: 409, body: Data(#"{"error":{"code":"rebase_conflict","message":"both","conflicts":[{"item":"JZZ-002","field":"expectedMinutes","label":{"zh":"预计办理分钟数","en":"Expected minutes"},"base":5,"current":6,"draft":7}]}}"#.utf8))
        #expect(rebase.conflicts.first?.current == .number(6))
        #expect(WindowClientError.unreachable("x").problems.isEmpty)
    }

    @Test("a private file is mode 0600 in a 0700 folder, and a second write replaces the first")
    func privateFile() throws {
        let folder = NSTemporaryDirectory() + "private-file-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/inner/secret.json"
        try PrivateFile.write(Data("one".utf8), to: path)
        try PrivateFile.write(Data("two".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("two".utf8))
        let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder + "/inner")[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(folderMode == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/inner") == ["secret.json"])
    }

    func realCA() throws -> String {
        // Any real certificate parses; the system bundle is on every Debian machine.
        for path in ["/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/cert.pem"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
        }
        throw CocoaError(.fileNoSuchFile)
    }
}
