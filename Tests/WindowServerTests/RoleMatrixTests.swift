import Foundation
import Testing
import WindowStore

@testable import WindowServer

/// Every route, called by nobody, a kiosk, a clerk, a manager and an admin: those not allowed
/// get 401 (nobody) or 403; those allowed get past the role check (whatever the route says next).
@Suite("role matrix")
struct RoleMatrixTests {
    enum Caller: String, CaseIterable {
        case nobody, kiosk, screenB, clerk, manager, admin, scraper
    }

    static let publicRoutes: Set<String> = [
        "GET /health", "GET /api/v1/openapi.yaml", "GET /api/v1/catalog/categories", "GET /api/v1/catalog/items",
        "GET /api/v1/catalog/items/{code}", "GET /api/v1/catalog/departments", "POST /api/v1/auth/login", "POST /api/v1/screen-b/pair",
    ]

    /// Who may call each route. Session routes admit their participants; here any kiosk or
    /// clerk gets past the role check (ownership is checked after, as a 404 or 403).
    static func allowed(_ route: String) -> Set<Caller> {
        if publicRoutes.contains(route) { return Set(Caller.allCases) }
        let staff: Set<Caller> = [.manager, .admin]
        switch route {
        case "GET /api/v1/auth/me", "GET /api/v1/live", "GET /api/v1/sessions/{id}/ice": return [.kiosk, .screenB, .clerk, .manager, .admin]
        case "POST /api/v1/kiosk/screen-b": return [.kiosk]
        case "GET /api/v1/screen-b/me", "POST /api/v1/screen-b/sessions/{id}/consent", "POST /api/v1/screen-b/sessions/{id}/materials": return [.screenB]
        // The catalog's history is read by every account; only managers and admins edit it.
        case "GET /api/v1/catalog/versions", "GET /api/v1/catalog/versions/{number}", "GET /api/v1/catalog/diff", "GET /api/v1/catalog/export":
            return [.clerk, .manager, .admin]
        case "PUT /api/v1/catalog/policy": return [.admin]
        case "POST /api/v1/auth/logout", "POST /api/v1/auth/password", "POST /api/v1/auth/totp/setup", "POST /api/v1/auth/totp/enable":
            return [.clerk, .manager, .admin]
        case "POST /api/v1/accounts", "GET /api/v1/scrape-credentials", "POST /api/v1/scrape-credentials", "DELETE /api/v1/scrape-credentials/{id}":
            return [.admin]
        case "GET /metrics": return [.manager, .admin, .scraper]
        case "POST /api/v1/tickets", "GET /api/v1/tickets/current", "GET /api/v1/kiosk/site", "GET /api/v1/kiosk/corrections/{reference}": return [.kiosk]
        case "GET /api/v1/tickets/{id}", "DELETE /api/v1/tickets/{id}": return [.kiosk, .manager, .admin]
        case "POST /api/v1/sessions/{id}/materials", "POST /api/v1/sessions/{id}/rating": return [.kiosk]
        case "GET /api/v1/sessions/{id}", "GET /api/v1/sessions/{id}/materials/{material}": return [.kiosk, .screenB, .clerk, .manager, .admin]
        case "POST /api/v1/sessions/{id}/end", "POST /api/v1/sessions/{id}/transfer", "POST /api/v1/sessions/{id}/materials/{material}/review":
            return [.clerk]
        default:
            if route.contains("/api/v1/clerk/") || route.hasSuffix("/api/v1/clerk") { return [.clerk] }
            return staff
        }
    }

    @Test("every route admits exactly its roles")
    func matrix() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let managerReply = try await server.call(.POST, "/api/v1/accounts", token: fixture.adminToken, json: [
                "username": "manager1", "displayName": "值班长", "password": "manager password", "role": "manager",
            ])
            #expect(managerReply.status == 201)
            let managerToken = try await QueueFixture.login(server, "manager1", "manager password")
            let (screenB, _) = try await VideoLinkTests.pair(fixture)
            let scraper = try #require(try await server.call(.POST, "/api/v1/scrape-credentials", token: fixture.adminToken, json: ["name": "matrix"]).json["credential"] as? String)
            let tokens: [Caller: String] = [
                .kiosk: fixture.kioskTokens[0], .screenB: screenB, .scraper: scraper, .clerk: fixture.clerkTokens["wang"]!, .manager: managerToken, .admin: fixture.adminToken,
            ]
            let services = try await AppServices.make(
                database: try AppDatabase.inMemory(), settings: ServerSettings(dataDirectory: data.url.appendingPathComponent("routes")), logger: .init(label: "t"))
            let routes = buildRouter(services).routes.map { "\($0.method.rawValue) \($0.path)" }.sorted()
            #expect(routes.count > 40)
            for route in routes {
                let parts = route.split(separator: " ", maxSplits: 1)
                let method = String(parts[0])
                let path = String(parts[1]).replacingOccurrences(of: "{id}", with: "999999")
                    .replacingOccurrences(of: "{code}", with: route.contains("/sites/") ? "huayang-feiyueli" : "JZZ-001")
                    .replacingOccurrences(of: "{material}", with: "999999").replacingOccurrences(of: "{number}", with: "1")
                // Don't sign the callers out or change their passwords while the matrix runs.
                let harmless = route == "POST /api/v1/auth/logout" || route == "POST /api/v1/auth/password"
                for caller in Caller.allCases {
                    if harmless && caller != .nobody && caller != .kiosk && caller != .screenB && caller != .scraper { continue }
                    // Revoking would end the matrix's own scrape credential (999999 is none, but keep it plain).
                    // Pairing again would sign the matrix's own screen B out.
                    if route == "POST /api/v1/kiosk/screen-b" && caller == .kiosk { continue }
                    var headers: [String: String] = [:]
                    if let token = tokens[caller] { headers["Authorization"] = "Bearer \(token)" }
                    let reply = try await server.request(.init(rawValue: method), path, body: method == "GET" || method == "DELETE" ? nil : Data("{}".utf8), headers: headers)
                    let refused = reply.status == 401 || reply.status == 403
                    if Self.allowed(route).contains(caller) {
                        #expect(!refused || route == "POST /api/v1/auth/login", "\(route) should admit \(caller.rawValue), got \(reply.status)")
                    } else {
                        #expect(reply.status == (caller == .nobody ? 401 : 403), "\(route) should refuse \(caller.rawValue), got \(reply.status)")
                        #expect((try? reply.decode(ErrorReply.self)) != nil, "\(route) refusal is not a JSON error")
                    }
                }
            }
        }
    }

    @Test("console pages: sign-in is public, the workspace needs a clerk, the board a manager; cookie requests need the CSRF header")
    func consolePagesAndCSRF() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let signIn = try await server.request(.GET, "/console/")
            #expect(signIn.status == 200)
            #expect(signIn.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            let anonymous = try await server.request(.GET, "/console/board.html")
            #expect(anonymous.status == 302)
            #expect(anonymous.header("Location")?.hasPrefix("/console/?next=") == true)

            let login = try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "wang", "password": "correct horse battery"])
            let cookie = try #require(login.header("Set-Cookie"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"))
            let session = String(cookie.split(separator: ";")[0])
            let csrf = try #require(login.json["csrfToken"] as? String)

            let board = try await server.request(.GET, "/console/board.html", headers: ["Cookie": session])
            #expect(board.status == 403)
            let workspace = try await server.request(.GET, "/console/clerk.html", headers: ["Cookie": session])
            #expect(workspace.status != 403 && workspace.status != 302)

            let me = try await server.request(.GET, "/api/v1/auth/me", headers: ["Cookie": session])
            #expect(me.json["csrfToken"] as? String == csrf)
            let noToken = try await server.request(.PUT, "/api/v1/clerk/state", body: Data(#"{"state":"available"}"#.utf8), headers: ["Cookie": session])
            #expect(noToken.status == 403)
            #expect((try? noToken.decode(ErrorReply.self).error.code) == "csrf_failed")
            let withToken = try await server.request(.PUT, "/api/v1/clerk/state", body: Data(#"{"state":"available"}"#.utf8), headers: ["Cookie": session, "X-CSRF-Token": csrf])
            #expect(withToken.status == 200)
            _ = fixture
        }
    }

    @Test("five wrong passwords lock the account; the right one is then refused until a manager resets it; revoked credentials stop at once")
    func lockout() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            var statuses: [Int] = []
            for _ in 0..<5 {
                statuses.append(try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "wang", "password": "wrong password"]).status)
            }
            #expect(statuses == [401, 401, 401, 401, 423])
            let right = try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "wang", "password": "correct horse battery"])
            #expect(right.status == 423)
            #expect((try? right.decode(ErrorReply.self).error.code) == "account_locked")
            #expect(((right.json["error"] as? [String: Any])?["lockedUntil"]) != nil)

            let clerkID = try #require(fixture.clerkIDs["wang"])
            let reset = try await server.call(.POST, "/api/v1/clerks/\(clerkID)/password", token: fixture.adminToken, json: ["password": "a brand new password"])
            #expect(reset.status == 204)
            #expect(try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "wang", "password": "a brand new password"]).status == 200)
            // The old token was signed out by the reset.
            #expect(try await server.call(.GET, "/api/v1/clerk", token: fixture.clerkTokens["wang"]).status == 401)

            // A revoked kiosk is refused at once, even right after it was let in.
            #expect(try await server.call(.GET, "/api/v1/kiosk/site", token: fixture.kioskTokens[0]).status == 200)
            #expect(try await server.call(.DELETE, "/api/v1/kiosks/\(fixture.kioskIDs[0])", token: fixture.adminToken).status == 204)
            #expect(try await server.call(.GET, "/api/v1/kiosk/site", token: fixture.kioskTokens[0]).status == 401)
        }
    }
}
