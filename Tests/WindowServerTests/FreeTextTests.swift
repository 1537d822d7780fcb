import Foundation
import Testing

@testable import WindowServer

/// Issue 9, M5 (server side) and L2: free text refuses control characters, NUL and bidi controls.
@Suite("free text")
struct FreeTextTests {
    /// Text that would drive a terminal or reorder what a reader sees.
    static let hostile: [(String, String)] = [
        ("ESC", "好\u{1B}]0;owned\u{07}\u{1B}[2J"),
        ("NUL", "a\u{0}b"),
        ("C1 CSI", "a\u{9B}31mb"),
        ("DEL", "a\u{7F}b"),
        ("RLO", "abc\u{202E}gnp.exe"),
        ("LRI", "a\u{2066}b"),
        ("RLM", "a\u{200F}b"),
    ]

    @Test("M5/L2: every free-text field refuses control characters, NUL and bidi controls with 400 invalid_text naming the field")
    func freeTextRefusesControls() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, clerks: [("wang", ["residence"]), ("liu", ["residence"])])
            let admin = fixture.adminToken
            let (session, _) = try await fixture.sessionOfWang()
            let kiosk = ["Authorization": "Bearer \(fixture.kioskTokens[0])"]
            let upload = try await server.request(.POST, "/api/v1/sessions/\(session)/materials?name=lease", body: QueueFixture.png, headers: kiosk)
            let material = try #require(int64(upload.json["id"]))
            let li = try #require(fixture.clerkIDs["liu"])

            func expectRefused(_ reply: TestServer.Reply, field: String, _ label: String) throws {
                #expect(reply.status == 400, "\(label): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
                guard reply.status == 400 else { return }
                let error = try reply.decode(ErrorReply.self).error
                #expect(error.code == "invalid_text", "\(label): \(error.code)")
                #expect(error.message.contains(field), "\(label): the message does not name \(field): \(error.message)")
            }
            func json(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
            let bearer = ["Authorization": "Bearer \(admin)"]

            for (what, text) in Self.hostile {
                try expectRefused(
                    try await server.request(.POST, "/api/v1/sites", body: json(["code": "x-site", "name": ["zh": text, "en": "X"]]), headers: bearer),
                    field: "name.zh", "site name.zh \(what)")
                try expectRefused(
                    try await server.request(.POST, "/api/v1/sites", body: json(["code": "x-site", "name": ["zh": "站", "en": text]]), headers: bearer),
                    field: "name.en", "site name.en \(what)")
                try expectRefused(
                    try await server.call(.POST, "/api/v1/sites/huayang-feiyueli/kiosks", token: admin, json: ["name": text]), field: "name", "kiosk name \(what)")
                try expectRefused(
                    try await server.request(.POST, "/api/v1/clerks", body: json([
                        "username": "zhao", "displayName": text, "password": "correct horse battery", "window": "09", "skills": ["residence"],
                    ]), headers: bearer),
                    field: "displayName", "clerk displayName \(what)")
                try expectRefused(
                    try await server.request(.PATCH, "/api/v1/clerks/\(li)", body: json(["displayName": text]), headers: bearer),
                    field: "displayName", "clerk update displayName \(what)")
                try expectRefused(
                    try await server.request(.PATCH, "/api/v1/clerks/\(li)", body: json(["window": text]), headers: bearer), field: "window", "clerk window \(what)")
                try expectRefused(
                    try await server.request(.POST, "/api/v1/accounts", body: json([
                        "username": "duty", "displayName": text, "password": "correct horse battery", "role": "manager",
                    ]), headers: bearer),
                    field: "displayName", "account displayName \(what)")
                try expectRefused(
                    try await fixture.clerk("wang", .post, "/api/v1/sessions/\(session)/end", json: ["outcome": "completed", "notes": text]),
                    field: "notes", "end notes \(what)")
                try expectRefused(
                    try await fixture.clerk("wang", .post, "/api/v1/sessions/\(session)/transfer", json: ["category": "residence", "clerk": li, "notes": text]),
                    field: "notes", "transfer notes \(what)")
                try expectRefused(
                    try await fixture.clerk("wang", .post, "/api/v1/sessions/\(session)/materials/\(material)/review", json: ["status": "rejected", "reason": text]),
                    field: "reason", "review reason \(what)")
                let query = try #require(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                try expectRefused(
                    try await server.request(.POST, "/api/v1/sessions/\(session)/materials?name=\(query)", body: QueueFixture.png, headers: kiosk),
                    field: "name", "material name \(what)")
            }
            // One-line fields refuse newline and tab; multi-line ones take them.
            try expectRefused(try await server.call(.POST, "/api/v1/sites/huayang-feiyueli/kiosks", token: admin, json: ["name": "a\nb"]), field: "name", "kiosk name newline")
            try expectRefused(
                try await server.request(.PATCH, "/api/v1/clerks/\(li)", body: json(["displayName": "王\t敏"]), headers: bearer), field: "displayName", "tab")
            let multiline = try await fixture.clerk(
                "wang", .post, "/api/v1/sessions/\(session)/materials/\(material)/review", json: ["status": "rejected", "reason": "第一行\n\t第二行 / 中文 English"])
            #expect(multiline.status == 200, "\(String(decoding: multiline.body, as: UTF8.self))")
            let fine = try await server.call(.POST, "/api/v1/sites/huayang-feiyueli/kiosks", token: admin, json: ["name": "一体机 ２号 (east)"])
            #expect(fine.status == 201)

            // Nothing refused was stored: the material list holds only the good upload, the session is still live.
            let view = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(session)")
            #expect((view.json["materials"] as? [Any])?.count == 1)
            #expect(view.json["state"] as? String != "ended")

            // The rating comment, once the session has ended.
            let ended = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(session)/end", json: ["outcome": "completed", "notes": "办结\n备注"])
            #expect(ended.status == 200)
            for (what, text) in Self.hostile {
                try expectRefused(
                    try await server.request(.POST, "/api/v1/sessions/\(session)/rating", body: json(["level": 5, "comment": text]), headers: kiosk),
                    field: "comment", "rating comment \(what)")
            }
            let rated = try await server.request(.POST, "/api/v1/sessions/\(session)/rating", body: json(["level": 5, "comment": "很好\n谢谢"]), headers: kiosk)
            #expect(rated.status == 201)
        }
    }
}
