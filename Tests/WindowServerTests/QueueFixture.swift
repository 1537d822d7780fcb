import Foundation
import Testing

@testable import WindowServer

/// A site open around the clock, kiosks and clerks on it, set up through the API as a manager would.
struct QueueFixture {
    let server: TestServer
    let adminToken: String
    var kioskTokens: [String] = []
    var kioskIDs: [Int64] = []
    var clerkTokens: [String: String] = [:]
    var clerkIDs: [String: Int64] = [:]

    static var alwaysOpen: [String: Any] { [
        "weekly": Dictionary(uniqueKeysWithValues: (1...7).map { (String($0), [["open": "00:00", "close": "24:00"]]) })
    ] }

    init(server: TestServer, kiosks: Int = 1, clerks: [(username: String, skills: [String])] = [("wang", ["residence"])], hours: [String: Any] = QueueFixture.alwaysOpen) async throws {
        self.server = server
        let password = try #require(server.report.initialAdminPassword)
        adminToken = try await Self.login(server, "admin", password)
        let site = try await server.request(.POST, "/api/v1/sites", body: JSONSerialization.data(withJSONObject: [
            "code": "huayang-feiyueli", "name": ["zh": "华阳路街道翡悦里延伸点", "en": "Huayang Feiyueli extension point"], "hours": hours,
        ]), headers: ["Authorization": "Bearer \(adminToken)"])
        #expect(site.status == 201, "\(String(decoding: site.body, as: UTF8.self))")
        for index in 0..<kiosks {
            let kiosk = try await server.call(.POST, "/api/v1/sites/huayang-feiyueli/kiosks", token: adminToken, json: ["name": "一体机 \(index + 1)"])
            #expect(kiosk.status == 201)
            kioskTokens.append(try #require(kiosk.json["credential"] as? String))
            kioskIDs.append(try #require(kiosk.json["id"] as? Int64 ?? (kiosk.json["id"] as? Int).map(Int64.init)))
        }
        for (index, clerk) in clerks.enumerated() {
            let created = try await server.request(.POST, "/api/v1/clerks", body: JSONSerialization.data(withJSONObject: [
                "username": clerk.username, "displayName": "工作人员 \(clerk.username)", "password": "correct horse battery",
                "window": String(format: "%02d", index + 1), "skills": clerk.skills,
            ]), headers: ["Authorization": "Bearer \(adminToken)"])
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            clerkIDs[clerk.username] = (created.json["id"] as? Int).map(Int64.init)
            clerkTokens[clerk.username] = try await Self.login(server, clerk.username, "correct horse battery")
        }
    }

    static func login(_ server: TestServer, _ username: String, _ password: String) async throws -> String {
        let reply = try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": username, "password": password])
        #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
        return try #require(reply.json["token"] as? String)
    }

    func takeTicket(kiosk: Int = 0, item: String = "JZZ-001", extra: [String: Any] = [:]) async throws -> TestServer.Reply {
        var body: [String: Any] = ["item": item]
        body.merge(extra) { $1 }
        return try await server.request(.POST, "/api/v1/tickets", body: JSONSerialization.data(withJSONObject: body), headers: ["Authorization": "Bearer \(kioskTokens[kiosk])"])
    }

    func clerk(_ username: String, _ method: HTTPMethodName, _ path: String, json: [String: Any]? = nil) async throws -> TestServer.Reply {
        try await server.request(method.nio, path, body: try json.map { try JSONSerialization.data(withJSONObject: $0) }, headers: ["Authorization": "Bearer \(clerkTokens[username]!)"])
    }
}

extension QueueFixture {
    /// The kiosk's ticket goes to wang, who accepts: a live session of wang's.
    func sessionOfWang() async throws -> (session: Int64, ticket: Int64) {
        let taken = try await takeTicket()
        #expect(taken.status == 201, "\(String(decoding: taken.body, as: UTF8.self))")
        let ticket = try #require(int64(taken.json["id"]))
        let available = try await clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"])
        #expect(available.status == 200)
        let accepted = try await clerk("wang", .post, "/api/v1/clerk/offer/accept", json: ["ticket": ticket])
        #expect(accepted.status == 200, "\(String(decoding: accepted.body, as: UTF8.self))")
        let session = try #require(int64((accepted.json["session"] as? [String: Any])?["id"]))
        return (session, ticket)
    }

    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 7, count: 100)
}

enum HTTPMethodName {
    case get, post, put, delete, patch
}

import NIOHTTP1
extension HTTPMethodName {
    var nio: HTTPMethod {
        switch self {
        case .get: .GET
        case .post: .POST
        case .put: .PUT
        case .delete: .DELETE
        case .patch: .PATCH
        }
    }
}

func int64(_ value: Any?) -> Int64? {
    (value as? Int).map(Int64.init) ?? (value as? Int64) ?? (value as? NSNumber)?.int64Value
}
