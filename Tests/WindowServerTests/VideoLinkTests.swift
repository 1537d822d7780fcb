import Crypto
import Foundation
import Testing
import WindowAPITypes
import WindowCore
import WindowStore

@testable import WindowServer

@Suite("the video link: TURN credentials")
struct TurnCredentialTests {
    @Test("the coturn REST scheme: a known vector, and the username names the expiry, session and side")
    func knownVector() {
        #expect(TurnCredential.password(secret: "north", username: "1735689600:kiosk-07") == "xPeD20QLuyThM0dRPPiGYs1GhxY=")
        let expiry = Date(timeIntervalSince1970: 1_735_689_600)
        #expect(TurnCredential.username(expiry: expiry, session: 42, side: .clerk) == "1735689600:42-clerk")
    }

    @Test("settings with a problem are refused, each named")
    func settingsProblems() {
        #expect(IceSettings().problems.isEmpty)
        #expect(IceSettings(turnURLs: ["turn:127.0.0.1:3478"]).problems == ["--turn-url needs --turn-secret-file"])
        #expect(IceSettings(turnURLs: ["http://x"], turnSecret: "s").problems == ["--turn-url http://x: must start with turn: or turns:"])
        #expect(IceSettings(turnURLs: ["turn:x"], turnSecret: "s", credentialLifetime: 60).problems == ["--turn-ttl must be 600 to 1800 seconds"])
        #expect(IceSettings(transportPolicy: .relay).problems == ["--ice-policy relay needs --turn-url"])
    }

    @Test("a pairing code works once, and not after five minutes")
    func pairingCodes() {
        let pairings = ScreenBPairings()
        let now = Date()
        let first = pairings.issue(kiosk: 3, now: now)
        #expect(pairings.redeem(first.code, now: now) == 3)
        #expect(pairings.redeem(first.code, now: now) == nil)
        let late = pairings.issue(kiosk: 3, now: now)
        #expect(pairings.redeem(late.code, now: now.addingTimeInterval(ScreenBPairings.lifetime + 1)) == nil)
        // A new code replaces the kiosk's unused one.
        let older = pairings.issue(kiosk: 4, now: now)
        let newer = pairings.issue(kiosk: 4, now: now)
        #expect(pairings.redeem(older.code, now: now) == nil)
        #expect(pairings.redeem(newer.code, now: now) == 4)
    }
}

@Suite("the video link over TLS and WSS")
struct VideoLinkTests {
    /// Pairs the fixture's kiosk `index` with a screen B. - Returns: its credential (the cookie's value) and CSRF value.
    static func pair(_ fixture: QueueFixture, kiosk index: Int = 0) async throws -> (token: String, csrf: String) {
        let issued = try await fixture.server.call(.POST, "/api/v1/kiosk/screen-b", token: fixture.kioskTokens[index])
        #expect(issued.status == 201, "\(String(decoding: issued.body, as: UTF8.self))")
        let code = try #require(issued.json["code"] as? String)
        #expect((issued.json["url"] as? String)?.hasSuffix("/screen-b/#pair=\(code)") == true)
        let paired = try await fixture.server.call(.POST, "/api/v1/screen-b/pair", token: nil, json: ["code": code])
        #expect(paired.status == 200, "\(String(decoding: paired.body, as: UTF8.self))")
        let cookie = try #require(paired.header("Set-Cookie"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"))
        let token = try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        #expect(token.hasPrefix("rwb_"))
        return (token, try #require(paired.json["csrf"] as? String))
    }

    static func cookie(_ token: String, csrf: String? = nil) -> [String: String] {
        var headers = ["Cookie": "rw_screen=\(token)", "Content-Type": "application/json"]
        if let csrf { headers["X-CSRF-Token"] = csrf }
        return headers
    }

    @Test("screen B pairs once by a one-time code for an httpOnly cookie; a new pairing or the kiosk's revocation ends it at once")
    func pairing() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2)
            // Only a kiosk may ask for a pairing code.
            #expect(try await server.call(.POST, "/api/v1/kiosk/screen-b", token: fixture.clerkTokens["wang"]).status == 403)
            let issued = try await server.call(.POST, "/api/v1/kiosk/screen-b", token: fixture.kioskTokens[0])
            let code = try #require(issued.json["code"] as? String)
            let first = try await server.call(.POST, "/api/v1/screen-b/pair", token: nil, json: ["code": code])
            #expect(first.status == 200)
            #expect((first.json["kiosk"] as? [String: Any]).flatMap { int64($0["id"]) } == fixture.kioskIDs[0])
            let again = try await server.call(.POST, "/api/v1/screen-b/pair", token: nil, json: ["code": code])
            #expect(again.status == 404 && (again.json["error"] as? [String: Any])?["code"] as? String == "pairing_invalid")
            #expect(try await server.call(.POST, "/api/v1/screen-b/pair", token: nil, json: ["code": "made-up"]).status == 404)

            let (token, csrf) = try await Self.pair(fixture)
            let me = try await server.request(.GET, "/api/v1/screen-b/me", headers: Self.cookie(token))
            #expect(me.status == 200)
            #expect(me.json["csrf"] as? String == csrf)
            #expect((me.json["site"] as? [String: Any])?["code"] as? String == "huayang-feiyueli")
            // The cookie is screen B's only: no ticket, no kiosk route.
            #expect(try await server.request(.GET, "/api/v1/kiosk/site", headers: Self.cookie(token)).status == 403)
            #expect(try await server.request(.POST, "/api/v1/tickets", body: Data(#"{"item":"JZZ-001"}"#.utf8), headers: Self.cookie(token, csrf: csrf)).status == 403)
            // A POST with the cookie needs the CSRF value.
            let noCSRF = try await server.request(.POST, "/api/v1/screen-b/sessions/1/consent", body: Data(#"{"accepted":true}"#.utf8), headers: Self.cookie(token))
            #expect(noCSRF.status == 403 && (noCSRF.json["error"] as? [String: Any])?["code"] as? String == "csrf_failed")

            // Pairing again replaces the first screen B: its live connection ends with 4401 and its cookie is refused.
            let live = LiveClient(server: server, token: token)
            _ = try await live.next("idle")
            let (second, _) = try await Self.pair(fixture)
            #expect(try await live.waitUntilClosed() == 4401)
            #expect(try await server.request(.GET, "/api/v1/screen-b/me", headers: Self.cookie(token)).status == 401)

            // Revoking the kiosk ends its screen B too.
            let secondLive = LiveClient(server: server, token: second)
            _ = try await secondLive.next("idle")
            #expect(try await server.call(.DELETE, "/api/v1/kiosks/\(fixture.kioskIDs[0])", token: fixture.adminToken).status == 204)
            #expect(try await secondLive.waitUntilClosed() == 4401)
            #expect(try await server.request(.GET, "/api/v1/screen-b/me", headers: Self.cookie(second)).status == 401)
            // The page itself is served with the console's strict policy and the camera allowed for this origin.
            let page = try await server.request(.GET, "/screen-b/")
            #expect(page.status == 200)
            #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(page.header("Permissions-Policy")?.contains("camera=(self)") == true)
        }
    }

    @Test("signaling goes between the clerk and screen B of one session only; the media makes the session active, reconnecting and active again, each change an event")
    func signalingAndMedia() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2, clerks: [("wang", ["residence"]), ("lina", ["residence"])])
            let (screen, csrf) = try await Self.pair(fixture)
            let (otherScreen, _) = try await Self.pair(fixture, kiosk: 1)
            let kioskLive = LiveClient(server: server, token: fixture.kioskTokens[0])
            let screenLive = LiveClient(server: server, token: screen)
            let clerkLive = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            _ = try await kioskLive.next("idle")
            _ = try await screenLive.next("idle")
            _ = try await clerkLive.next("clerk")
            let (session, _) = try await fixture.sessionOfWang()

            // Screen B hears what the kiosk hears: the ticket in session, with the clerk's name and window.
            let inSession = try await screenLive.next("ticket") { ($0["session"] as? [String: Any])?["window"] as? String == "01" }
            #expect((inSession.data["session"] as? [String: Any])?["state"] as? String == "connecting")
            #expect(try await server.request(.POST, "/api/v1/screen-b/sessions/\(session)/consent", body: Data(#"{"accepted":true}"#.utf8), headers: Self.cookie(screen, csrf: csrf)).status == 204)
            _ = try await clerkLive.next("clerk") { ($0["session"] as? [String: Any])?["consent"] as? Bool == true }

            screenLive.send(#"{"type":"signal","data":{"session":\#(session),"hello":true}}"#)
            let hello = try await clerkLive.next("signal") { $0["hello"] as? Bool == true }
            #expect(hello.data["from"] as? String == "kiosk")
            clerkLive.send(#"{"type":"signal","data":{"session":\#(session),"pc":"pc-1","from":"kiosk","description":{"type":"offer","sdp":"v=0"}}}"#)
            let offer = try await screenLive.next("signal") { ($0["description"] as? [String: Any])?["type"] as? String == "offer" }
            #expect(offer.data["from"] as? String == "clerk", "the server sets the sender, whatever the message said")
            #expect(offer.data["pc"] as? String == "pc-1")
            screenLive.send(#"{"type":"signal","data":{"session":\#(session),"pc":"pc-1","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}}}"#)
            _ = try await clerkLive.next("signal") { $0["candidate"] != nil }
            // Malformed: two kinds at once.
            clerkLive.send(#"{"type":"signal","data":{"session":\#(session),"pc":"pc-1","hello":true,"candidate":{"candidate":""}}}"#)
            _ = try await clerkLive.next("error") { $0["code"] as? String == "bad_message" }

            // Nobody else may take part: screen A, another kiosk's screen B, another clerk, a manager.
            let outsiders = [
                kioskLive, LiveClient(server: server, token: otherScreen), LiveClient(server: server, token: fixture.clerkTokens["lina"]!),
                LiveClient(server: server, token: fixture.adminToken),
            ]
            for outsider in outsiders {
                outsider.send(#"{"type":"signal","data":{"session":\#(session),"hello":true}}"#)
                outsider.send(#"{"type":"capture","data":{"session":\#(session)}}"#)
                outsider.send(#"{"type":"media","data":{"session":\#(session),"state":"failed"}}"#)
                _ = try await outsider.next("error") { $0["code"] as? String == "not_in_session" }
            }
            screenLive.send(#"{"type":"capture","data":{"session":\#(session)}}"#)  // only the clerk asks for a capture
            _ = try await screenLive.next("error") { $0["code"] as? String == "not_in_session" }
            clerkLive.send(#"{"type":"capture","data":{"session":\#(session)}}"#)
            _ = try await screenLive.next("capture") { int64($0["session"]) == session }
            try await Task.sleep(for: .milliseconds(300))
            #expect(clerkLive.all.filter { $0.type == "signal" }.count == 2, "only screen B's hello and candidate reached the clerk")
            #expect(screenLive.all.filter { $0.type == "signal" }.count == 1)
            #expect(!kioskLive.all.contains { $0.type == "signal" || $0.type == "capture" }, "screen A is not a side of the call")

            // The media: connecting until both report connected, then active; a loss is reconnecting.
            clerkLive.send(#"{"type":"media","data":{"session":\#(session),"pc":"pc-1","state":"connected","stats":{"rttMs":12,"lossPercent":0,"fps":30,"candidateType":"host","freezes":0,"framesDecoded":90}}}"#)
            _ = try await clerkLive.next("clerk") { (($0["session"] as? [String: Any])?["media"] as? [String: Any])?["clerk"] != nil }
            #expect(try await sessionState(fixture, session) == "connecting")
            kioskLive.clear()
            screenLive.send(#"{"type":"media","data":{"session":\#(session),"pc":"pc-1","state":"connected"}}"#)
            _ = try await kioskLive.next("ticket") { ($0["session"] as? [String: Any])?["state"] as? String == "active" }
            let view = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(session)")
            let media = view.json["media"] as? [String: Any]
            #expect((media?["clerk"] as? [String: Any])?["quality"] as? String == "good")
            #expect((media?["kiosk"] as? [String: Any])?["state"] as? String == "connected")
            kioskLive.clear()
            screenLive.send(#"{"type":"media","data":{"session":\#(session),"pc":"pc-1","state":"disconnected"}}"#)
            _ = try await kioskLive.next("ticket") { ($0["session"] as? [String: Any])?["state"] as? String == "reconnecting" }
            kioskLive.clear()
            screenLive.send(#"{"type":"media","data":{"session":\#(session),"pc":"pc-1","state":"connected"}}"#)
            _ = try await kioskLive.next("ticket") { ($0["session"] as? [String: Any])?["state"] as? String == "active" }
            // Screen B's live connection lost: the kiosk's side is down until it reports again.
            kioskLive.clear()
            await screenLive.close()
            _ = try await kioskLive.next("ticket") { ($0["session"] as? [String: Any])?["state"] as? String == "reconnecting" }
            let board = try await server.call(.GET, "/api/v1/queue", token: fixture.adminToken)
            let wang = (board.json["clerks"] as? [[String: Any]])?.first { $0["window"] as? String == "01" }
            #expect(((wang?["session"] as? [String: Any])?["media"] as? [String: Any])?["clerk"] != nil)

            let database = try AppDatabase.open(path: server.settings.databasePath)
            let changes = try database.queueRecords().compactMap { record -> String? in
                guard case .mediaChanged(session, let side, let state) = record.event else { return nil }
                return "\(record.actor) \(side.rawValue) \(state.rawValue)"
            }
            #expect(changes == [
                "clerk:\(fixture.clerkIDs["wang"]!) clerk connected", "screen-b:\(fixture.kioskIDs[0]) kiosk connected",
                "screen-b:\(fixture.kioskIDs[0]) kiosk disconnected", "screen-b:\(fixture.kioskIDs[0]) kiosk connected", "system kiosk disconnected",
            ])
            #expect(try database.queueRecords().contains { if case .consentAnswered(session, true) = $0.event { $0.actor == "screen-b:\(fixture.kioskIDs[0])" } else { false } })
        }
    }

    @Test("screen B alone is the kiosk's presence: with no screen A connected, the call still makes the session active")
    func screenBAlone() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let (screen, _) = try await Self.pair(fixture)
            let screenLive = LiveClient(server: server, token: screen)
            let clerkLive = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            _ = try await screenLive.next("idle")
            _ = try await clerkLive.next("clerk")
            let (session, _) = try await fixture.sessionOfWang()
            for live in [screenLive, clerkLive] {
                live.send(#"{"type":"media","data":{"session":\#(session),"pc":"pc-1","state":"connected"}}"#)
            }
            _ = try await screenLive.next("ticket") { ($0["session"] as? [String: Any])?["state"] as? String == "active" }
            #expect(try await sessionState(fixture, session) == "active")
        }
    }

    func sessionState(_ fixture: QueueFixture, _ session: Int64) async throws -> String? {
        try await fixture.clerk("wang", .get, "/api/v1/sessions/\(session)").json["state"] as? String
    }

    @Test("each side of each session gets its own TURN credential from the settings; nobody else gets one")
    func iceServers() async throws {
        let data = try TemporaryDirectory()
        let secret = "loopback-secret"
        try await TestServer.with(dataDirectory: data.url, adjust: {
            $0.ice = IceSettings(stunURLs: ["stun:127.0.0.1:3478"], turnURLs: ["turn:127.0.0.1:3478?transport=udp"], turnSecret: secret, transportPolicy: .relay)
        }) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2, clerks: [("wang", ["residence"]), ("lina", ["residence"])])
            let (screen, _) = try await Self.pair(fixture)
            let (otherScreen, _) = try await Self.pair(fixture, kiosk: 1)
            let (session, _) = try await fixture.sessionOfWang()
            let before = Date()
            for (token, side) in [(fixture.clerkTokens["wang"]!, "clerk"), (screen, "kiosk")] {
                let reply = try await server.call(.GET, "/api/v1/sessions/\(session)/ice", token: token)
                #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
                let config = try reply.decode(IceConfigView.self)
                #expect(config.iceTransportPolicy == .relay)
                #expect(config.iceServers.first?.urls == ["stun:127.0.0.1:3478"])
                let turn = try #require(config.iceServers.last)
                let username = try #require(turn.username)
                let parts = username.split(separator: ":")
                #expect(parts.last == "\(session)-\(side)"[...])
                let expiry = try #require(Double(parts.first ?? ""))
                #expect(expiry >= before.timeIntervalSince1970 + 600 && expiry <= Date().timeIntervalSince1970 + 1800)
                let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data(secret.utf8)))
                #expect(turn.credential == Data(mac).base64EncodedString())
            }
            for outsider in [fixture.kioskTokens[0], otherScreen, fixture.clerkTokens["lina"]!, fixture.adminToken] {
                #expect(try await server.call(.GET, "/api/v1/sessions/\(session)/ice", token: outsider).status == 404)
            }
        }
    }

    @Test("the worker who leaves at the camera notice ends the session and the ticket; an answer stands")
    func consentDeclined() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let (screen, csrf) = try await Self.pair(fixture)
            let (session, ticket) = try await fixture.sessionOfWang()
            let leave = try await server.request(.POST, "/api/v1/screen-b/sessions/\(session)/consent", body: Data(#"{"accepted":false}"#.utf8), headers: Self.cookie(screen, csrf: csrf))
            #expect(leave.status == 204)
            let view = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(session)")
            #expect(view.json["state"] as? String == "ended" && view.json["outcome"] as? String == "dropped")
            #expect(view.json["consent"] as? Bool == false)
            let ticketView = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.kioskTokens[0])
            #expect(ticketView.json["state"] as? String == "done")
            let late = try await server.request(.POST, "/api/v1/screen-b/sessions/\(session)/consent", body: Data(#"{"accepted":true}"#.utf8), headers: Self.cookie(screen, csrf: csrf))
            #expect(late.status == 404)

            // The document camera's still arrives as a material of a live session, from screen B.
            let (next, _) = try await fixture.sessionOfWang()
            var headers = Self.cookie(screen, csrf: csrf)
            headers["Content-Type"] = "image/png"
            let still = try await server.request(.POST, "/api/v1/screen-b/sessions/\(next)/materials?name=%E9%AB%98%E6%8B%8D%E4%BB%AA", body: QueueFixture.png, headers: headers)
            #expect(still.status == 201, "\(String(decoding: still.body, as: UTF8.self))")
            let materials = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(next)").json["materials"] as? [[String: Any]]
            #expect(materials?.first?["name"] as? String == "高拍仪")
            let database = try AppDatabase.open(path: server.settings.databasePath)
            let sha = SHA256.hash(data: QueueFixture.png).map { String(format: "%02x", $0) }.joined()
            #expect(try database.queueRecords().contains { if case .materialUploaded(let m) = $0.event { m.sha256 == sha } else { false } })
        }
    }
}

@Suite("windowd --demo")
struct DemoTests {
    @Test("on a fresh data folder --demo makes a site open every day, a kiosk with a pairing code and two clerks who can sign in; never on a used folder, never without the flag")
    func demo() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, adjust: { $0.demo = true }) { server in
            let demo = try #require(server.report.demo)
            #expect(demo.clerks.count == 2)
            for clerk in demo.clerks { _ = try await QueueFixture.login(server, clerk.username, clerk.password) }
            let site = try await server.call(.GET, "/api/v1/kiosk/site", token: demo.kioskCredential)
            #expect(site.json["code"] as? String == "demo" && site.json["openNow"] as? Bool == true)
            let code = try #require(demo.pairingCode)
            #expect(try await server.call(.POST, "/api/v1/screen-b/pair", token: nil, json: ["code": code]).status == 200)
            // The demo clerks serve every category: a ticket is offered at once to one who goes available.
            let clerkToken = try await QueueFixture.login(server, demo.clerks[0].username, demo.clerks[0].password)
            #expect(try await server.call(.PUT, "/api/v1/clerk/state", token: clerkToken, json: ["state": "available"]).status == 200)
            #expect(try await server.call(.POST, "/api/v1/tickets", token: demo.kioskCredential, json: ["item": "SB-001"]).status == 201)
            let clerk = try await server.call(.GET, "/api/v1/clerk", token: clerkToken)
            #expect(clerk.json["offer"] != nil)
        }
        try await TestServer.with(dataDirectory: data.url, adjust: { $0.demo = true }) { server in
            #expect(server.report.demo == nil && server.report.demoSkipped)
        }
        let plain = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: plain.url) { server in
            #expect(server.report.demo == nil)
            let password = try #require(server.report.initialAdminPassword)
            let admin = try await QueueFixture.login(server, "admin", password)
            let sites = try await server.request(.GET, "/api/v1/sites", headers: ["Authorization": "Bearer \(admin)"])
            #expect(String(decoding: sites.body, as: UTF8.self) == "[]")
        }
    }
}
