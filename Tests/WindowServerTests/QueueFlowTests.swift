import Foundation
import Testing
import WindowCore
import WindowStore

@testable import WindowServer

@Suite("queue over TLS and WSS")
struct QueueFlowTests {
    @Test("a kiosk takes a ticket, the clerk is offered it over WSS, accepts, reviews materials, ends with 办结; the kiosk sees it all and rates")
    func fullCase() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let kioskLive = LiveClient(server: server, token: fixture.kioskTokens[0])
            let clerkLive = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            _ = try await kioskLive.next("idle")
            _ = try await clerkLive.next("clerk")

            let taken = try await fixture.takeTicket(extra: ["idNumber": "11010519491231002X"])
            #expect(taken.status == 201, "\(String(decoding: taken.body, as: UTF8.self))")
            let ticketID = try #require(int64(taken.json["id"]))
            #expect((taken.json["number"] as? String)?.hasPrefix("R") == true)
            #expect(taken.json["idNumberMasked"] as? String == "**************002X")
            #expect(taken.json["position"] as? Int == 1)
            _ = try await kioskLive.next("ticket") { int64($0["id"]) == ticketID }

            // No clerk yet: going available brings the offer, pushed without asking.
            let available = try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"])
            #expect(available.status == 200)
            let offer = try await clerkLive.next("clerk") { ($0["offer"] as? [String: Any]).flatMap { int64($0["ticket"]) } == ticketID }
            #expect((offer.data["offer"] as? [String: Any])?["itemCode"] as? String == "JZZ-001")
            _ = try await kioskLive.next("ticket") { $0["state"] as? String == "offered" }

            let accepted = try await fixture.clerk("wang", .post, "/api/v1/clerk/offer/accept", json: ["ticket": ticketID])
            #expect(accepted.status == 200, "\(String(decoding: accepted.body, as: UTF8.self))")
            let sessionID = try #require(int64((accepted.json["session"] as? [String: Any])?["id"]))
            let inSession = try await kioskLive.next("ticket") { $0["state"] as? String == "in-session" }
            #expect((inSession.data["session"] as? [String: Any])?["window"] as? String == "01")
            // Both are connected, but no video page has reported media yet: the session is connecting (VideoLinkTests has the rest).
            #expect((inSession.data["session"] as? [String: Any])?["state"] as? String == "connecting")

            // The kiosk hands over two scans; the clerk rejects one with a reason and accepts the other.
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 7, count: 1000)
            let pdf = Data("%PDF-1.4\n%fake but well-typed\n".utf8)
            let auth = ["Authorization": "Bearer \(fixture.kioskTokens[0])"]
            let first = try await server.request(.POST, "/api/v1/sessions/\(sessionID)/materials?name=%E8%BA%AB%E4%BB%BD%E8%AF%81", body: png, headers: auth)
            #expect(first.status == 201, "\(String(decoding: first.body, as: UTF8.self))")
            let second = try await server.request(.POST, "/api/v1/sessions/\(sessionID)/materials?name=lease", body: pdf, headers: auth)
            #expect(second.status == 201)
            let notAScan = try await server.request(.POST, "/api/v1/sessions/\(sessionID)/materials?name=x", body: Data("hello".utf8), headers: auth)
            #expect(notAScan.status == 415)
            let tooBig = try await server.request(.POST, "/api/v1/sessions/\(sessionID)/materials?name=big", body: png + Data(count: 6 << 20), headers: auth)
            #expect(tooBig.status == 413)
            _ = try await clerkLive.next("materials") { ($0["materials"] as? [Any])?.count == 2 }

            let firstID = try #require(int64(first.json["id"]))
            let secondID = try #require(int64(second.json["id"]))
            let noReason = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(sessionID)/materials/\(firstID)/review", json: ["status": "rejected"])
            #expect(noReason.status == 400)
            let rejected = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(sessionID)/materials/\(firstID)/review", json: ["status": "rejected", "reason": "照片模糊 / photo is blurred"])
            #expect(rejected.status == 200)
            let acceptedMaterial = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(sessionID)/materials/\(secondID)/review", json: ["status": "accepted"])
            #expect(acceptedMaterial.status == 200)
            let reviewed = try await kioskLive.next("materials") { data in
                let list = data["materials"] as? [[String: Any]] ?? []
                return list.contains { $0["status"] as? String == "rejected" && ($0["reason"] as? String)?.contains("模糊") == true }
                    && list.contains { $0["status"] as? String == "accepted" }
            }
            #expect(reviewed.type == "materials")
            let download = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(sessionID)/materials/\(firstID)")
            #expect(download.status == 200 && download.body == png && download.header("Content-Type") == "image/png")

            // Rating before the end is refused.
            let early = try await server.request(.POST, "/api/v1/sessions/\(sessionID)/rating", body: Data(#"{"level":5}"#.utf8), headers: auth)
            #expect(early.status == 409)

            let ended = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(sessionID)/end", json: ["outcome": "completed", "notes": "当场办结"])
            #expect(ended.status == 200)
            #expect(ended.json["state"] as? String == "wrap-up")
            let done = try await kioskLive.next("ticket") { $0["state"] as? String == "done" }
            let session = try #require(done.data["session"] as? [String: Any])
            #expect(session["outcome"] as? String == "completed")
            #expect((session["caseNumber"] as? String)?.hasPrefix("RW") == true)

            let rated = try await server.request(.POST, "/api/v1/sessions/\(sessionID)/rating", body: Data(#"{"level":5,"comment":"很方便"}"#.utf8), headers: auth)
            #expect(rated.status == 201)
            #expect((rated.json["label"] as? [String: Any])?["zh"] as? String == "非常满意")
            let again = try await server.request(.POST, "/api/v1/sessions/\(sessionID)/rating", body: Data(#"{"level":1}"#.utf8), headers: auth)
            #expect(again.status == 409)
            let badLevel = try await server.request(.POST, "/api/v1/sessions/\(sessionID)/rating", body: Data(#"{"level":6}"#.utf8), headers: auth)
            #expect(badLevel.status == 400)

            let ready = try await fixture.clerk("wang", .post, "/api/v1/clerk/ready")
            #expect(ready.json["state"] as? String == "available")

            // The ID number never reaches the database in full.
            let files = try FileManager.default.contentsOfDirectory(atPath: data.url.path).filter { $0.hasPrefix("windowd.sqlite") }
            for file in files {
                let bytes = try Data(contentsOf: data.url.appendingPathComponent(file))
                #expect(bytes.range(of: Data("11010519491231002X".utf8)) == nil, "\(file) holds the full ID number")
            }

            // The log alone rebuilds every row: tickets, sessions with outcome, notes and case
            // number, materials with their reviews, the rating.
            let database = try AppDatabase.open(path: server.settings.databasePath)
            var ledger = QueueLedger()
            for record in try database.queueRecords() { ledger.apply(record) }
            let rows = try database.queueRows()
            func close(_ a: Date?, _ b: Date?) -> Bool { a == nil && b == nil || (a != nil && b != nil && abs(a!.timeIntervalSince(b!)) < 0.002) }
            #expect(rows.tickets.map(\.id) == ledger.tickets.keys.sorted())
            for ticket in rows.tickets {
                let replayed = try #require(ledger.tickets[ticket.id])
                #expect(ticket.state == replayed.state && ticket.session == replayed.session && close(ticket.endedAt, replayed.endedAt))
            }
            #expect(rows.sessions.map(\.id) == ledger.sessions.keys.sorted())
            for session in rows.sessions {
                let replayed = try #require(ledger.sessions[session.id])
                #expect(session.outcome == replayed.outcome && session.notes == replayed.notes && session.caseNumber == replayed.caseNumber)
                #expect(session.state == replayed.state && close(session.endedAt, replayed.endedAt))
            }
            #expect(rows.sessions.contains { $0.outcome == .completed && $0.notes != nil && $0.caseNumber != nil })
            #expect(rows.materials.map(\.id) == ledger.materials.keys.sorted())
            #expect(!rows.materials.isEmpty)
            for material in rows.materials {
                let replayed = try #require(ledger.materials[material.id])
                #expect(material.name == replayed.name && material.sha256 == replayed.sha256 && material.path == replayed.path)
                #expect(material.status == replayed.status && material.reason == replayed.reason && material.reviewedBy == replayed.reviewedBy)
            }
            #expect(rows.materials.contains { $0.status != .pending })
            #expect(rows.ratings.count == 1)
            for rating in rows.ratings {
                let replayed = try #require(ledger.ratings[rating.session])
                #expect(rating.level == replayed.level && rating.comment == replayed.comment && close(rating.ratedAt, replayed.ratedAt))
            }

            let metrics = try await server.call(.GET, "/metrics", token: fixture.adminToken)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains(#"rw_offers_total{result="accepted"} 1"#))
            #expect(text.contains("rw_session_handling_seconds_count 1"))

            await kioskLive.close()
            await clerkLive.close()
        }
    }

    @Test("an offer not accepted in time goes to the next clerk")
    func offerTimeout() async throws {
        var policy = RoutingPolicy()
        // Long enough that Zhang still holds the offer when Li's late accept arrives on a busy machine.
        policy.offerTimeout = 3
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, policy: policy) { server in
            let fixture = try await QueueFixture(server: server, clerks: [("lili", ["residence"]), ("zhang", ["residence"])])
            let li = LiveClient(server: server, token: fixture.clerkTokens["lili"]!)
            let zhang = LiveClient(server: server, token: fixture.clerkTokens["zhang"]!)
            _ = try await fixture.clerk("lili", .put, "/api/v1/clerk/state", json: ["state": "available"])
            try await Task.sleep(for: .milliseconds(20))
            _ = try await fixture.clerk("zhang", .put, "/api/v1/clerk/state", json: ["state": "available"])
            let ticket = try #require(int64(try await fixture.takeTicket().json["id"]))

            // Li has been idle longest: first offer.
            _ = try await li.next("clerk") { ($0["offer"] as? [String: Any]).flatMap { int64($0["ticket"]) } == ticket }
            // Li lets it time out: Zhang is offered it, pushed.
            _ = try await zhang.next("clerk") { ($0["offer"] as? [String: Any]).flatMap { int64($0["ticket"]) } == ticket }
            let liNow = try await fixture.clerk("lili", .get, "/api/v1/clerk")
            #expect(liNow.json["missedOffers"] as? Int == 1)
            // Too late for Li.
            let late = try await fixture.clerk("lili", .post, "/api/v1/clerk/offer/accept", json: ["ticket": ticket])
            #expect(late.status == 409)
            #expect(try late.decode(ErrorReply.self).error.code == "no_such_offer")
            let accepted = try await fixture.clerk("zhang", .post, "/api/v1/clerk/offer/accept", json: ["ticket": ticket])
            #expect(accepted.status == 200)
            await li.close()
            await zhang.close()
        }
    }

    @Test("a clerk is pushed the lines of their skills when they change, and not again while they stay the same")
    func linesPushedWhenChanged() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 3, clerks: [("wang", ["residence"]), ("zhao", ["social-insurance"])])
            // Both stay away from offers: the tickets wait in their lines.
            let wang = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            let zhao = LiveClient(server: server, token: fixture.clerkTokens["zhao"]!)
            _ = try await wang.next("queues")
            _ = try await zhao.next("queues")
            zhao.clear()
            func lines(_ client: LiveClient, showing text: String) async throws {
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline, !client.all.contains(where: { $0.type == "queues" && $0.raw.contains(text) }) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(client.all.contains { $0.type == "queues" && $0.raw.contains(text) }, "\(client.all.map(\.raw))")
            }

            _ = try await fixture.takeTicket(kiosk: 0, item: "JZZ-001")
            try await lines(wang, showing: #""waiting":1"#)
            _ = try await fixture.takeTicket(kiosk: 1, item: "JZZ-001")
            try await lines(wang, showing: #""waiting":2"#)
            // The residence line moved twice; social insurance's never did (pushes go at most once a second).
            try await Task.sleep(for: .milliseconds(1200))
            #expect(zhao.all.filter { $0.type == "queues" }.isEmpty, "\(zhao.all.map(\.raw))")
            // Once it moves, Zhao is told.
            _ = try await fixture.takeTicket(kiosk: 2, item: "SB-001")
            try await lines(zhao, showing: #""category":"social-insurance""#)
            await wang.close()
            await zhao.close()
        }
    }

    @Test("a kiosk that drops keeps its ticket within the grace period, and loses it after")
    func kioskGrace() async throws {
        var policy = RoutingPolicy()
        policy.kioskGrace = 8  // longer than a client close can take (up to 5 s)
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, policy: policy) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2)
            // The kiosk can tell people how long their ticket is kept.
            let site = try await server.call(.GET, "/api/v1/kiosk/site", token: fixture.kioskTokens[0])
            #expect(site.json["kioskGraceSeconds"] as? Int == 8)
            #expect(site.json["elderlyAge"] as? Int == 60)
            let kiosk = LiveClient(server: server, token: fixture.kioskTokens[0])
            _ = try await kiosk.next("idle")
            let ticket = try #require(int64(try await fixture.takeTicket().json["id"]))
            _ = try await kiosk.next("ticket")
            await kiosk.close()
            // Dropped: still waiting, with the grace shown (once the server has seen the socket close).
            var during = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken)
            for _ in 0..<30 where during.json["kioskGraceUntil"] == nil {
                try await Task.sleep(for: .milliseconds(50))
                during = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken)
            }
            #expect(during.json["state"] as? String == "waiting")
            #expect(during.json["kioskGraceUntil"] != nil)
            // Back within the grace: kept, grace cleared.
            let back = LiveClient(server: server, token: fixture.kioskTokens[0])
            let snapshot = try await back.next("ticket")
            #expect(int64(snapshot.data["id"]) == ticket)
            try await Task.sleep(for: .seconds(9))
            let kept = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken)
            #expect(kept.json["state"] as? String == "waiting")
            #expect(kept.json["kioskGraceUntil"] == nil)

            // The second kiosk drops and stays away: its ticket is abandoned after the grace.
            let other = LiveClient(server: server, token: fixture.kioskTokens[1])
            _ = try await other.next("idle")
            let second = try #require(int64(try await fixture.takeTicket(kiosk: 1).json["id"]))
            await other.close()
            try await Task.sleep(for: .seconds(9))
            let gone = try await server.call(.GET, "/api/v1/tickets/\(second)", token: fixture.adminToken)
            #expect(gone.json["state"] as? String == "abandoned")
            await back.close()
        }
    }

    @Test("a kiosk whose live connection dropped is not made present by asking for its ticket: the grace runs out")
    func askingIsNotPresence() async throws {
        var policy = RoutingPolicy()
        // Longer than a slow close of the socket takes (about 3 s at times): the grace must still run when asked.
        policy.kioskGrace = 8
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, policy: policy) { server in
            let fixture = try await QueueFixture(server: server)
            let kiosk = LiveClient(server: server, token: fixture.kioskTokens[0])
            _ = try await kiosk.next("idle")
            let ticket = try #require(int64(try await fixture.takeTicket().json["id"]))
            _ = try await kiosk.next("ticket")
            await kiosk.close()
            var asked = try await server.call(.GET, "/api/v1/tickets/current", token: fixture.kioskTokens[0])
            for _ in 0..<100 where asked.status == 200 && asked.json["kioskGraceUntil"] == nil {
                try await Task.sleep(for: .milliseconds(50))
                asked = try await server.call(.GET, "/api/v1/tickets/current", token: fixture.kioskTokens[0])
            }
            #expect(asked.status == 200 && asked.json["kioskGraceUntil"] != nil, "asking did not clear the grace")
            var state = ""
            for _ in 0..<100 where state != "abandoned" {
                try await Task.sleep(for: .milliseconds(100))
                _ = try await server.call(.GET, "/api/v1/tickets/current", token: fixture.kioskTokens[0])
                state = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken).json["state"] as? String ?? ""
            }
            #expect(state == "abandoned")
        }
    }

    @Test("a session accepted while its kiosk is away waits the rejoin grace for it, then ends dropped with the ticket")
    func kioskNeverJoins() async throws {
        var policy = RoutingPolicy()
        policy.rejoinGrace = 2
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url, policy: policy) { server in
            let fixture = try await QueueFixture(server: server)
            // No live connection from the kiosk: it took its ticket and walked away.
            let (session, ticket) = try await fixture.sessionOfWang()
            let waiting = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(session)")
            #expect(waiting.json["state"] as? String == "connecting")
            var ended = waiting
            for _ in 0..<100 where ended.json["state"] as? String != "ended" {
                try await Task.sleep(for: .milliseconds(100))
                ended = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(session)")
            }
            #expect(ended.json["state"] as? String == "ended" && ended.json["outcome"] as? String == "dropped")
            let done = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: fixture.adminToken)
            #expect(done.json["state"] as? String == "done")
            let clerk = try await fixture.clerk("wang", .get, "/api/v1/clerk")
            #expect(clerk.json["session"] == nil)
        }
    }

    @Test("outside service hours a ticket is refused with the next opening time")
    func closed() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let today = QueueState.localDay(Date())
            var hours = QueueFixture.alwaysOpen
            hours["holidays"] = [today]
            let fixture = try await QueueFixture(server: server, hours: hours)
            let reply = try await fixture.takeTicket()
            #expect(reply.status == 409)
            let error = try reply.decode(ErrorReply.self)
            #expect(error.error.code == "closed")
            #expect(error.error.message.contains("next opening"))
            let body = reply.json["error"] as? [String: Any]
            #expect(body?["nextOpening"] as? String != nil)
        }
    }

    @Test("bad ticket requests get clear 4xx errors and change nothing")
    func badTickets() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let cases: [([String: Any], Int, String)] = [
                (["item": "NOPE-001"], 404, "not_found"),
                (["item": "JZZ-001", "idNumber": "110105194912310021"], 400, "invalid_id_number"),
                (["item": "JZZ-001", "priorityReason": "elderly"], 400, "priority_not_allowed"),
                (["item": "JZZ-001", "priorityReason": "elderly", "idNumber": ResidentID.withCheckDigit("31010120001122123")], 400, "priority_not_allowed"),
                (["item": "JZZ-001", "priorityReason": "vip"], 400, "invalid_body"),
                (["item": 42], 400, "invalid_body"),
            ]
            for (body, status, code) in cases {
                let reply = try await fixture.takeTicket(extra: body)
                #expect(reply.status == status, "\(body)")
                #expect((try? reply.decode(ErrorReply.self).error.code) == code, "\(body): \(String(decoding: reply.body, as: UTF8.self))")
            }
            let notJSON = try await server.request(.POST, "/api/v1/tickets", body: Data("{oops".utf8), headers: ["Authorization": "Bearer \(fixture.kioskTokens[0])"])
            #expect(notJSON.status == 400)
            let board = try await server.call(.GET, "/api/v1/queue", token: fixture.adminToken)
            #expect((board.json["lines"] as? [Any])?.isEmpty == true)

            // One live ticket per kiosk.
            #expect(try await fixture.takeTicket().status == 201)
            let second = try await fixture.takeTicket()
            #expect(second.status == 409)
            #expect((try? second.decode(ErrorReply.self).error.code) == "kiosk_has_ticket")
        }
    }

    @Test("roles are checked: no credential 401, wrong role 403, bad credential 401")
    func roles() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let kiosk = fixture.kioskTokens[0]
            let clerk = fixture.clerkTokens["wang"]!
            let checks: [(HTTPMethodName, String, String?, Int)] = [
                (.post, "/api/v1/tickets", nil, 401),
                (.post, "/api/v1/tickets", clerk, 403),
                (.put, "/api/v1/clerk/state", kiosk, 403),
                (.put, "/api/v1/clerk/state", fixture.adminToken, 403),
                (.post, "/api/v1/sites", clerk, 403),
                (.post, "/api/v1/sites", kiosk, 403),
                (.get, "/api/v1/queue", clerk, 403),
                (.get, "/api/v1/queue", nil, 401),
                (.get, "/metrics", nil, 401),
                (.get, "/api/v1/clerks", "rwa_forged", 401),
                (.get, "/api/v1/live", nil, 401),
            ]
            for (method, path, token, status) in checks {
                var headers: [String: String] = [:]
                if let token { headers["Authorization"] = "Bearer \(token)" }
                let reply = try await server.request(method.nio, path, body: method == .get ? nil : Data("{}".utf8), headers: headers)
                #expect(reply.status == status, "\(method) \(path) with \(token.map { String($0.prefix(4)) } ?? "nothing")")
                #expect((try? reply.decode(ErrorReply.self)) != nil)
            }
            let wrongPassword = try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "wang", "password": "wrong password!"])
            #expect(wrongPassword.status == 401)
        }
    }

    @Test("the queue survives a restart: tickets, clerk states and the log")
    func restart() async throws {
        let data = try TemporaryDirectory()
        let (ticket, admin) = try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let ticket = try #require(int64(try await fixture.takeTicket().json["id"]))
            return (ticket, fixture.adminToken)
        }
        try await TestServer.with(dataDirectory: data.url) { server in
            let reply = try await server.call(.GET, "/api/v1/tickets/\(ticket)", token: admin)
            #expect(reply.status == 200)
            #expect(reply.json["state"] as? String == "waiting")
            // Nobody is connected after a restart: the kiosk's grace period runs.
            #expect(reply.json["kioskGraceUntil"] != nil)
        }
    }

    @Test("clerk and ticket views carry a sequence that grows with every decision, across a restart: an answer that crosses a later push is known as older")
    func clerkViewSequence() async throws {
        let data = try TemporaryDirectory()
        let (last, token) = try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let clerkLive = LiveClient(server: server, token: fixture.clerkTokens["wang"]!)
            let first = try await clerkLive.next("clerk")
            let connected = try #require(int64(first.data["sequence"]))

            let available = try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"])
            let answered = try #require(int64(available.json["sequence"]))
            #expect(answered > connected)
            // The push of the same decision has the same number as its answer.
            let pushed = try await clerkLive.next("clerk") { $0["state"] as? String == "available" }
            #expect(int64(pushed.data["sequence"]) == answered)

            // The ticket taken right after is offered in a push numbered after the answer: the console
            // keeps the offer, whichever of the two reaches it last.
            let kioskLive = LiveClient(server: server, token: fixture.kioskTokens[0])
            _ = try await kioskLive.next("idle")
            let taken = try await fixture.takeTicket()
            let ticketID = try #require(int64(taken.json["id"]))
            let offered = try await clerkLive.next("clerk") { ($0["offer"] as? [String: Any]).flatMap { int64($0["ticket"]) } == ticketID }
            let offerSequence = try #require(int64(offered.data["sequence"]))
            #expect(offerSequence > answered)
            // The kiosk's answer and its push of the same decision (taken, and offered at once) share it.
            #expect(int64(taken.json["sequence"]) == offerSequence)
            let kioskPush = try await kioskLive.next("ticket") { $0["state"] as? String == "offered" }
            #expect(int64(kioskPush.data["sequence"]) == offerSequence)
            let read = try await fixture.clerk("wang", .get, "/api/v1/clerk")
            #expect(int64(read.json["sequence"]) == offerSequence)
            return (offerSequence, fixture.clerkTokens["wang"]!)
        }
        try await TestServer.with(dataDirectory: data.url) { server in
            let read = try await server.call(.GET, "/api/v1/clerk", token: token)
            #expect(read.status == 200)
            #expect(try #require(int64(read.json["sequence"])) > last)
        }
    }
}
