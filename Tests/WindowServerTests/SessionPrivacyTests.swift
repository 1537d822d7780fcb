import Foundation
import Testing

@testable import WindowServer

/// Issue 9, L9: nobody can tell which sessions exist.
@Suite("session privacy")
struct SessionPrivacyTests {
    @Test("L9: another clerk's session is answered exactly as a missing one (404, same code and message) on every session route")
    func anotherClerksSessionLooksMissing() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, clerks: [("wang", ["residence"]), ("liu", ["residence"])])
            let (session, _) = try await fixture.sessionOfWang()
            let upload = try await server.request(
                .POST, "/api/v1/sessions/\(session)/materials?name=lease", body: QueueFixture.png, headers: ["Authorization": "Bearer \(fixture.kioskTokens[0])"])
            #expect(upload.status == 201)
            let material = try #require(int64(upload.json["id"]))
            let missing: Int64 = 987_654

            // What liu (not in the session) gets for wang's session, and for one that does not exist.
            func requests(_ id: Int64) -> [(String, HTTPMethodName, String, [String: Any]?)] {
                [
                    ("show", .get, "/api/v1/sessions/\(id)", nil),
                    ("material", .get, "/api/v1/sessions/\(id)/materials/\(material)", nil),
                    ("end", .post, "/api/v1/sessions/\(id)/end", ["outcome": "completed"]),
                    ("transfer", .post, "/api/v1/sessions/\(id)/transfer", ["category": "social-insurance"]),
                    ("review", .post, "/api/v1/sessions/\(id)/materials/\(material)/review", ["status": "accepted"]),
                ]
            }
            for ((label, method, path, json), (_, _, missingPath, _)) in zip(requests(session), requests(missing)) {
                let theirs = try await fixture.clerk("liu", method, path, json: json)
                let none = try await fixture.clerk("liu", method, missingPath, json: json)
                #expect(theirs.status == 404, "\(label): \(theirs.status) \(String(decoding: theirs.body, as: UTF8.self))")
                #expect(theirs.status == none.status, "\(label): \(theirs.status) vs \(none.status) for a missing session")
                let theirError = try theirs.decode(ErrorReply.self).error
                let noneError = try none.decode(ErrorReply.self).error
                #expect(theirError.code == noneError.code, "\(label): \(theirError.code) vs \(noneError.code)")
                #expect(
                    theirError.message.replacingOccurrences(of: "\(session)", with: "#") == noneError.message.replacingOccurrences(of: "\(missing)", with: "#"),
                    "\(label): \(theirError.message) vs \(noneError.message)")
            }
            // wang's session is untouched, and wang still reaches it.
            let own = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(session)")
            #expect(own.status == 200)
            #expect(own.json["state"] as? String != "ended")

            // Ended, it is still wang's and still looks missing to liu.
            let ended = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(session)/end", json: ["outcome": "completed"])
            #expect(ended.status == 200)
            for (label, method, path, json) in requests(session) {
                let theirs = try await fixture.clerk("liu", method, path, json: json)
                #expect(theirs.status == 404, "ended, \(label): \(theirs.status) \(String(decoding: theirs.body, as: UTF8.self))")
            }
        }
    }

    @Test("L9: a kiosk rating another kiosk's session gets the missing-session answer")
    func anotherKiosksSessionLooksMissing() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2)
            let (session, _) = try await fixture.sessionOfWang()
            let ended = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(session)/end", json: ["outcome": "completed"])
            #expect(ended.status == 200)
            let other = try await server.call(.POST, "/api/v1/sessions/\(session)/rating", token: fixture.kioskTokens[1], json: ["level": 1])
            let none = try await server.call(.POST, "/api/v1/sessions/987654/rating", token: fixture.kioskTokens[1], json: ["level": 1])
            #expect(other.status == 404 && none.status == 404, "\(other.status) \(none.status)")
            #expect(try other.decode(ErrorReply.self).error.code == none.decode(ErrorReply.self).error.code)
        }
    }
}
