import Foundation
import Synchronization
import Testing
import WindowAPITypes
import WindowCore

@testable import WindowServer

/// 差评 and 补正 follow-up through the real server.
@Suite("follow-up over TLS")
struct FollowUpFlowTests {
    static func manager(_ fixture: QueueFixture, _ name: String) async throws -> String {
        let created = try await fixture.server.call(.POST, "/api/v1/accounts", token: fixture.adminToken, json: CreateAccountRequest(
            username: name, displayName: "经理 \(name)", password: "correct horse battery", role: .manager))
        #expect(created.status == 201)
        return try await QueueFixture.login(fixture.server, name, "correct horse battery")
    }

    static func step(_ server: TestServer, _ token: String, _ id: Int64, _ action: String, _ body: FollowUpStepRequest) async throws -> TestServer.Reply {
        try await server.call(.POST, "/api/v1/follow-ups/\(id)/\(action)", token: token, json: body)
    }

    @Test("a 差评 case through every state: the phone kept for its owner, the appeal decided by a second manager, overdue shown, no clerk let in")
    func ratingCase() async throws {
        let data = try TemporaryDirectory()
        let offset = Mutex<TimeInterval>(0)
        try await TestServer.with(dataDirectory: data.url, adjust: { settings in
            settings.clock = { Date().addingTimeInterval(offset.withLock { $0 }) }
        }) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 1)
            let lina = try await Self.manager(fixture, "lina")
            let zhaomin = try await Self.manager(fixture, "zhaomin")
            let kiosk = ["Authorization": "Bearer \(fixture.kioskTokens[0])"]

            let (session, _) = try await fixture.sessionOfWang()
            #expect(try await fixture.clerk("wang", .post, "/api/v1/sessions/\(session)/end", json: ["outcome": "completed"]).status == 200)
            // A number needs the worker's consent, and goes with a low rating only.
            let noConsent = try await server.request(.POST, "/api/v1/sessions/\(session)/rating", body: Data(#"{"level":1,"callbackPhone":"13812345678"}"#.utf8), headers: kiosk)
            #expect(try noConsent.decode(ErrorReply.self).error.code == "consent_required")
            let badNumber = try await server.request(.POST, "/api/v1/sessions/\(session)/rating", body: Data(#"{"level":1,"callbackPhone":"12345","phoneConsent":true}"#.utf8), headers: kiosk)
            #expect(try badNumber.decode(ErrorReply.self).error.code == "invalid_phone")
            let rated = try await server.request(
                .POST, "/api/v1/sessions/\(session)/rating", body: Data(#"{"level":1,"comment":"等太久","callbackPhone":"138 1234 5678","phoneConsent":true}"#.utf8), headers: kiosk)
            #expect(rated.status == 201, "\(String(decoding: rated.body, as: UTF8.self))")

            let list = try await server.call(.GET, "/api/v1/follow-ups?kind=rating", token: lina).decode(FollowUpList.self)
            let summary = try #require(list.cases.first)
            #expect(list.cases.count == 1 && summary.level == 1 && summary.state == .open && summary.nextStep == "contact" && !summary.overdue)
            #expect(summary.clerkName == "工作人员 wang")
            // No clerk may open a case, nor learn the rating of their session.
            #expect(try await fixture.clerk("wang", .get, "/api/v1/follow-ups").status == 403)
            #expect(try await fixture.clerk("wang", .get, "/api/v1/follow-ups/\(summary.id)").status == 403)
            #expect(try await fixture.clerk("wang", .get, "/api/v1/sessions/\(session)").json["rating"] == nil)

            // Unsigned, the number is masked for everyone; signed, only its owner reads it.
            #expect(try await server.call(.GET, "/api/v1/follow-ups/\(summary.id)", token: lina).decode(FollowUpView.self).phone == "138****5678")
            #expect(try await Self.step(server, lina, summary.id, "sign", FollowUpStepRequest()).status == 200)
            let owned = try await server.call(.GET, "/api/v1/follow-ups/\(summary.id)", token: lina).decode(FollowUpView.self)
            #expect(owned.phone == "13812345678" && owned.detail.hasPhone)
            #expect(try await server.call(.GET, "/api/v1/follow-ups/\(summary.id)", token: zhaomin).decode(FollowUpView.self).phone == "138****5678")
            // The number is sealed in the database: not there in clear.
            let file = try Data(contentsOf: data.url.appendingPathComponent("windowd.sqlite"))
            #expect(file.range(of: Data("13812345678".utf8)) == nil)

            // Only the owner takes the steps.
            let notOwner = try await Self.step(server, zhaomin, summary.id, "contact", FollowUpStepRequest(note: "x"))
            #expect(notOwner.status == 403)
            #expect(try notOwner.decode(ErrorReply.self).error.code == "not_case_owner")
            #expect(try await Self.step(server, lina, summary.id, "contact", FollowUpStepRequest(note: "已电话联系 / called")).status == 200)
            #expect(try await Self.step(server, lina, summary.id, "rectify", FollowUpStepRequest(note: "x")).status == 409)
            #expect(try await Self.step(server, lina, summary.id, "classify", FollowUpStepRequest(note: "误评 / mistaken", classification: .mistaken)).status == 200)
            let own = try await Self.step(server, lina, summary.id, "appeal-decision", FollowUpStepRequest(note: "x", upheld: true))
            #expect(own.status == 403)
            #expect(try own.decode(ErrorReply.self).error.code == "same_manager")
            let decided = try await Self.step(server, zhaomin, summary.id, "appeal-decision", FollowUpStepRequest(note: "录像证实 / video shows it", upheld: true))
            #expect(decided.status == 200)
            let closed = try decided.decode(FollowUpView.self).detail
            #expect(closed.state == .closed && closed.appealUpheld == true)
            #expect(closed.steps.map(\.action) == ["opened", "signed", "contacted", "appeal-requested", "appeal-upheld"])
            #expect(closed.steps.map(\.by) == ["system", "lina", "lina", "lina", "zhaomin"])
            // The rating is kept, marked; the report no longer counts it.
            let report = try await server.call(.GET, "/api/v1/reports", token: lina).decode(Report.self)
            let row = try #require(report.table("ratings-clerk")?.rows.first)
            #expect(row[2] == .number(0))

            // A second 差评 left alone is overdue after its working day passes.
            let (second, _) = try await fixture.sessionOfWang()
            #expect(try await fixture.clerk("wang", .post, "/api/v1/sessions/\(second)/end", json: ["outcome": "completed"]).status == 200)
            #expect(try await server.request(.POST, "/api/v1/sessions/\(second)/rating", body: Data(#"{"level":2}"#.utf8), headers: kiosk).status == 201)
            #expect(try await server.call(.GET, "/api/v1/follow-ups?state=overdue", token: lina).decode(FollowUpList.self).overdue == 0)
            offset.withLock { $0 = 5 * 86400 }  // five days on: past one working day, whatever the weekday
            let later = try await QueueFixture.login(server, "lina", "correct horse battery")  // the sign-in of five days ago has expired
            let overdue = try await server.call(.GET, "/api/v1/follow-ups?state=overdue", token: later).decode(FollowUpList.self)
            #expect(overdue.overdue == 1 && overdue.cases.map(\.nextStep) == ["contact"] && overdue.cases.allSatisfy(\.overdue))
            let timeliness = try await server.call(.GET, "/api/v1/reports?from=\(Self.day(Date()))&to=\(Self.day(Date()))", token: later).decode(Report.self)
            #expect(timeliness.table("timeliness")?.rows.isEmpty == false)
        }
    }

    static func day(_ date: Date) -> String {
        let parts = ServiceHours.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    @Test("a 补正 return goes to the head of the line and to the same clerk, who reads the earlier notes, materials and missing list")
    func correctionReturn() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 3, clerks: [("wang", ["residence"]), ("zhang", ["residence"])])
            let kiosk = { (index: Int) in ["Authorization": "Bearer \(fixture.kioskTokens[index])"] }
            #expect(try await fixture.clerk("zhang", .put, "/api/v1/clerk/state", json: ["state": "away"]).status == 200)
            let (first, _) = try await fixture.sessionOfWang()  // kiosk 0, JZZ-001
            let upload = try await server.request(.POST, "/api/v1/sessions/\(first)/materials?name=id", body: QueueFixture.png, headers: kiosk(0))
            #expect(upload.status == 201)
            // The missing material must be on the item's list.
            let unknown = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(first)/end", json: ["outcome": "needs-materials", "missingMaterials": ["护照"]])
            #expect(try unknown.decode(ErrorReply.self).error.code == "invalid_materials")
            let ended = try await fixture.clerk("wang", .post, "/api/v1/sessions/\(first)/end", json: [
                "outcome": "needs-materials", "notes": "照片不合格 / photo unusable", "missingMaterials": ["数码照片回执"],
            ])
            #expect(ended.status == 200, "\(String(decoding: ended.body, as: UTF8.self))")
            let seen = try await server.request(.GET, "/api/v1/sessions/\(first)", headers: kiosk(0)).decode(SessionView.self)
            let reference = try #require(seen.correction?.reference)
            #expect(seen.correction?.missing == ["数码照片回执"] && seen.correction?.returnBy != nil)
            #expect(try await fixture.clerk("wang", .post, "/api/v1/clerk/ready").status == 200)
            // Open 补正 and their age are in the reports until the worker comes back.
            let open = try await server.call(.GET, "/api/v1/reports", token: fixture.adminToken).decode(Report.self).table("openCorrections")
            #expect(open?.rows.count == 1 && open?.rows.first?[1] == .number(1) && open?.rows.first?[4] == .number(0))

            // Wang is busy with another worker; someone else waits; then the worker comes back.
            let busy = try await fixture.takeTicket(kiosk: 1, item: "JZZ-002")
            let busyTicket = try #require(int64(busy.json["id"]))
            let busySession = try #require(int64((try await fixture.clerk("wang", .post, "/api/v1/clerk/offer/accept", json: ["ticket": busyTicket]).json["session"] as? [String: Any])?["id"]))
            let other = try await fixture.takeTicket(kiosk: 2, item: "JZZ-002")
            #expect(other.status == 201)
            let lookup = try await server.request(.GET, "/api/v1/kiosk/corrections/\(reference)", headers: kiosk(0)).decode(KioskCorrectionView.self)
            #expect(lookup.item == "JZZ-001" && lookup.missing == ["数码照片回执"])
            #expect(try await server.request(.GET, "/api/v1/kiosk/corrections/RW19990101-000001", headers: kiosk(0)).status == 404)
            let wrongItem = try await fixture.takeTicket(kiosk: 0, item: "JZZ-002", extra: ["reference": reference])
            #expect(wrongItem.status == 400)
            let back = try await fixture.takeTicket(kiosk: 0, item: "JZZ-001", extra: ["reference": reference])
            #expect(back.status == 201, "\(String(decoding: back.body, as: UTF8.self))")
            let returned = try back.decode(TicketView.self)
            #expect(returned.priorityReason == .returning && returned.returnOf == first)
            // Used once.
            #expect(try await server.request(.GET, "/api/v1/kiosk/corrections/\(reference)", headers: kiosk(0)).status == 409)

            // Zhang comes back: the other worker's ticket is his; the return waits for wang.
            #expect(try await fixture.clerk("zhang", .put, "/api/v1/clerk/state", json: ["state": "available"]).status == 200)
            let zhangOffer = try await fixture.clerk("zhang", .get, "/api/v1/clerk")
            #expect(int64((zhangOffer.json["offer"] as? [String: Any])?["ticket"]) == int64(other.json["id"]))
            #expect(try await fixture.clerk("wang", .post, "/api/v1/sessions/\(busySession)/end", json: ["outcome": "completed"]).status == 200)
            #expect(try await fixture.clerk("wang", .post, "/api/v1/clerk/ready").status == 200)
            let wangOffer = try await fixture.clerk("wang", .get, "/api/v1/clerk")
            #expect(int64((wangOffer.json["offer"] as? [String: Any])?["ticket"]) == returned.id)
            let accepted = try await fixture.clerk("wang", .post, "/api/v1/clerk/offer/accept", json: ["ticket": returned.id])
            let caseInHand = try #require(accepted.json["session"] as? [String: Any])
            #expect(int64(caseInHand["returnOf"]) == first)
            // The earlier session: notes, materials, what was missing.
            let earlier = try await fixture.clerk("wang", .get, "/api/v1/sessions/\(first)").decode(SessionView.self)
            #expect(earlier.notes == "照片不合格 / photo unusable" && earlier.materials.count == 1 && earlier.correction?.missing == ["数码照片回执"])
            #expect(earlier.correction?.state == .returned)
            let cases = try await server.call(.GET, "/api/v1/follow-ups?kind=correction&state=all", token: fixture.adminToken).decode(FollowUpList.self)
            #expect(cases.cases.first?.state == .returned)
            #expect(try await server.call(.GET, "/api/v1/reports", token: fixture.adminToken).decode(Report.self).table("openCorrections")?.rows.isEmpty == true)
        }
    }
}
