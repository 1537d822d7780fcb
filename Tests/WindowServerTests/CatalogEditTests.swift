import Foundation
import Synchronization
import Testing
import WindowAPITypes
import WindowCore
import WindowStore

@testable import WindowServer

/// Managers editing the catalog through the API: drafts, four eyes, publish, history, rollback,
/// concurrent edits, rebase, scheduled publish, import and export, and work in progress untouched.
@Suite("catalog management over TLS")
struct CatalogEditTests {
    /// Two managers besides the admin, and the queue fixture's kiosk and clerk.
    struct Managers {
        let fixture: QueueFixture
        let li: String
        let zhao: String
        var server: TestServer { fixture.server }

        init(_ server: TestServer, clerks: [(username: String, skills: [String])] = [("wang", ["residence"])]) async throws {
            fixture = try await QueueFixture(server: server, kiosks: 2, clerks: clerks)
            for name in ["lina", "zhaomin"] {
                let created = try await server.call(.POST, "/api/v1/accounts", token: fixture.adminToken, json: CreateAccountRequest(
                    username: name, displayName: "经理 \(name)", password: "correct horse battery", role: .manager))
                #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            }
            li = try await QueueFixture.login(server, "lina", "correct horse battery")
            zhao = try await QueueFixture.login(server, "zhaomin", "correct horse battery")
        }

        func draft(_ token: String, note: String = "测试 / test") async throws -> DraftView {
            let reply = try await server.call(.POST, "/api/v1/catalog/drafts", token: token, json: CreateDraftRequest(note: note))
            #expect(reply.status == 201, "\(String(decoding: reply.body, as: UTF8.self))")
            return try reply.decode(DraftView.self)
        }

        func save(_ token: String, _ draft: Int64, _ item: CatalogItem, revision: Int = 0) async throws -> TestServer.Reply {
            try await server.call(.PUT, "/api/v1/catalog/drafts/\(draft)/items/\(item.code)", token: token, json: SaveDraftItemRequest(item: item, revision: revision))
        }

        func step(_ token: String, _ draft: Int64, _ action: String, _ body: any Encodable = [String: String]()) async throws -> TestServer.Reply {
            try await server.call(.POST, "/api/v1/catalog/drafts/\(draft)/\(action)", token: token, json: body)
        }

        func item(_ code: String, version: Int? = nil) async throws -> CatalogItemView {
            try await server.request(.GET, "/api/v1/catalog/items/\(code)" + (version.map { "?version=\($0)" } ?? "")).decode(CatalogItemView.self)
        }

        /// Edits `code` in a new draft by li, submits, approves by zhao and publishes: the new version.
        func publish(_ code: String, note: String = "测试 / test", _ change: (inout CatalogItem) -> Void) async throws -> Int {
            let draft = try await draft(li, note: note)
            var item = try #require(draft.draft.document.item(code))
            change(&item)
            let saved = try await save(li, draft.draft.id, item)
            #expect(saved.status == 200, "\(String(decoding: saved.body, as: UTF8.self))")
            #expect(try await step(li, draft.draft.id, "submit").status == 200)
            #expect(try await step(zhao, draft.draft.id, "approve").status == 200)
            let published = try await step(zhao, draft.draft.id, "publish", PublishRequest(confirmStranding: true))
            #expect(published.status == 200, "\(String(decoding: published.body, as: UTF8.self))")
            return try #require(try published.decode(DraftView.self).draft.publishedVersion)
        }
    }

    static let newMaterial = RequiredMaterial(name: LocalizedText(zh: "近期免冠照片", en: "Recent photo"), form: .original, required: true)

    @Test("draft → review by a second manager → publish → history, diff and rollback; every step in the audit log")
    func draftReviewPublishRollback() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let m = try await Managers(server)
            let draft = try await m.draft(m.li, note: "")
            #expect(draft.draft.base == 1 && draft.currentVersion == 1 && draft.changes.isEmpty)
            var item = try #require(draft.draft.document.item("JZZ-002"))
            item.materials.append(Self.newMaterial)
            item.needsMaterials = true
            #expect(try await m.save(m.li, draft.draft.id, item).status == 200)

            // Submitting needs a note; the editor cannot approve; a clerk cannot touch drafts.
            #expect(try await m.step(m.li, draft.draft.id, "submit").decode(ErrorReply.self).error.code == "note_required")
            let submitted = try await m.step(m.li, draft.draft.id, "submit", SubmitDraftRequest(note: "新增照片材料 / add the photo"))
            #expect(submitted.status == 200)
            let own = try await m.step(m.li, draft.draft.id, "approve")
            #expect(own.status == 403)
            #expect(try own.decode(ErrorReply.self).error.code == "same_reviewer")
            let clerk = try await m.fixture.clerk("wang", .post, "/api/v1/catalog/drafts/\(draft.draft.id)/approve", json: [:])
            #expect(clerk.status == 403)
            // Publishing before approval is refused; a second manager approves and publishes.
            #expect(try await m.step(m.zhao, draft.draft.id, "publish", PublishRequest()).status == 409)
            #expect(try await m.step(m.zhao, draft.draft.id, "approve").status == 200)
            let published = try await m.step(m.zhao, draft.draft.id, "publish", PublishRequest(confirmStranding: true))
            #expect(published.status == 200, "\(String(decoding: published.body, as: UTF8.self))")
            #expect(try published.decode(DraftView.self).draft.publishedVersion == 2)

            let now = try await m.item("JZZ-002")
            #expect(now.version == 2 && now.item.materials.contains(Self.newMaterial))
            #expect(try await m.item("JZZ-002", version: 1).item.materials.contains(Self.newMaterial) == false)
            #expect(try await m.item("JZZ-001").version == 1)  // unchanged items keep their version

            let history = try await server.call(.GET, "/api/v1/catalog/versions", token: m.li).decode(VersionList.self)
            #expect(history.current == 2)
            let latest = try #require(history.versions.first)
            #expect(latest.number == 2 && latest.approvedBy == "zhaomin" && latest.draftedBy == ["lina"] && latest.note == "新增照片材料 / add the photo")
            let diff = try await server.call(.GET, "/api/v1/catalog/diff?from=1&to=2", token: m.li).decode(CatalogDiffView.self)
            #expect(diff.changes.count == 1)
            #expect(diff.changes.first?.item == "JZZ-002")
            #expect(diff.changes.first?.label.zh.hasPrefix("申请材料") == true)

            // Rollback is a new draft, reviewed like any other.
            let rollback = try await server.call(.POST, "/api/v1/catalog/versions/1/rollback", token: m.zhao, json: RollbackRequest(note: "撤回 / undo"))
            #expect(rollback.status == 201)
            let back = try rollback.decode(DraftView.self)
            #expect(back.draft.rollbackOf == 1 && back.changes.count == 1)
            #expect(try await m.step(m.zhao, back.draft.id, "submit").status == 200)
            #expect(try await m.step(m.zhao, back.draft.id, "approve").status == 403)
            #expect(try await m.step(m.li, back.draft.id, "approve").status == 200)
            #expect(try await m.step(m.li, back.draft.id, "publish", PublishRequest(confirmStranding: true)).status == 200)
            #expect(try await m.item("JZZ-002").item.materials.contains(Self.newMaterial) == false)
            #expect(try await m.item("JZZ-002").version == 3)
            let versions = try await server.call(.GET, "/api/v1/catalog/versions", token: m.li).decode(VersionList.self)
            #expect(versions.versions.first?.kind == .rollback && versions.versions.first?.rollbackOf == 1)

            let events = try await server.call(.GET, "/api/v1/catalog/events", token: m.li).decode(CatalogEventList.self).events.map(\.kind)
            for kind in ["draft.created", "draft.item-saved", "draft.submitted", "draft.approved", "catalog.published", "draft.rollback-created", "catalog.rolled-back"] {
                #expect(events.contains(kind), "\(kind)")
            }
        }
    }

    @Test("one-person publish is refused unless an admin allows it, and that setting is audited")
    func onePersonPolicy() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let m = try await Managers(server)
            let draft = try await m.draft(m.li)
            var item = try #require(draft.draft.document.item("SB-001"))
            item.expectedMinutes += 1
            #expect(try await m.save(m.li, draft.draft.id, item).status == 200)
            #expect(try await m.step(m.li, draft.draft.id, "submit").status == 200)
            #expect(try await m.step(m.li, draft.draft.id, "approve").status == 403)
            // Managers cannot change the policy; the admin can.
            #expect(try await server.call(.PUT, "/api/v1/catalog/policy", token: m.li, json: CatalogPolicy(onePersonPublish: true)).status == 403)
            #expect(try await server.call(.PUT, "/api/v1/catalog/policy", token: m.fixture.adminToken, json: CatalogPolicy(onePersonPublish: true)).status == 200)
            #expect(try await m.step(m.li, draft.draft.id, "approve").status == 200)
            #expect(try await m.step(m.li, draft.draft.id, "publish", PublishRequest(confirmStranding: true)).status == 200)
            let events = try await server.call(.GET, "/api/v1/catalog/events", token: m.li).decode(CatalogEventList.self).events
            #expect(events.contains { $0.kind == "policy.changed" && $0.actor == "admin" && $0.detail["onePersonPublish"] == "true" })
            #expect(events.contains { $0.kind == "draft.approved" && $0.detail["onePersonPublish"] == "true" })
        }
    }

    @Test("a save over someone else's is refused with what changed, nothing lost; an outdated draft is rebased field by field")
    func concurrentEditsAndRebase() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let m = try await Managers(server)
            let draft = try await m.draft(m.li)
            let base = try #require(draft.draft.document.item("GJJ-001"))
            var mine = base
            mine.expectedMinutes = 9
            var theirs = base
            theirs.conditions = LocalizedText(zh: "已缴存住房公积金的职工。", en: "Employees who pay into the fund.")
            #expect(try await m.save(m.zhao, draft.draft.id, theirs, revision: 0).status == 200)
            let refused = try await m.save(m.li, draft.draft.id, mine, revision: 0)
            #expect(refused.status == 409)
            let error = try refused.decode(ErrorReply.self).error
            #expect(error.code == "edit_conflict")
            #expect(error.changes?.map(\.field) == ["conditions.en", "conditions.zh"])
            // Nothing lost: zhao's save stands; li saves again over revision 1.
            mine.conditions = theirs.conditions
            #expect(try await m.save(m.li, draft.draft.id, mine, revision: 1).status == 200)

            // Another version goes out meanwhile, changing the same field and another.
            _ = try await m.publish("GJJ-001") { item in
                item.expectedMinutes = 7
                item.guideURL = "https://zwdt.sh.gov.cn/"
            }
            let submitted = try await m.step(m.li, draft.draft.id, "submit")
            #expect(submitted.status == 200)
            // Both managers edited it: neither may approve (four eyes); the admin reviews.
            #expect(try await m.step(m.zhao, draft.draft.id, "approve").status == 403)
            #expect(try await m.step(m.fixture.adminToken, draft.draft.id, "approve").status == 200)
            let outdated = try await m.step(m.fixture.adminToken, draft.draft.id, "publish", PublishRequest(confirmStranding: true))
            #expect(try outdated.decode(ErrorReply.self).error.code == "draft_outdated")
            #expect(try await m.step(m.zhao, draft.draft.id, "send-back", SendBackRequest(comment: "请变基 / rebase please")).status == 200)

            let conflicted = try await m.step(m.li, draft.draft.id, "rebase", RebaseRequest())
            #expect(conflicted.status == 409)
            let conflicts = try #require(try conflicted.decode(ErrorReply.self).error.conflicts)
            #expect(conflicts.map(\.field) == ["expectedMinutes"])
            #expect(conflicts.first?.current == .number(7) && conflicts.first?.draft == .number(9))
            let rebased = try await m.step(m.li, draft.draft.id, "rebase", RebaseRequest(resolution: .draft))
            #expect(rebased.status == 200)
            let merged = try #require(try rebased.decode(DraftView.self).draft.document.item("GJJ-001"))
            #expect(merged.expectedMinutes == 9 && merged.guideURL == "https://zwdt.sh.gov.cn/" && merged.conditions == theirs.conditions)
        }
    }

    @Test("a waiting ticket keeps its version's materials and ETA; a suspended item refuses tickets and serves the waiting; a category change moves waiting tickets")
    func workInProgressUntouched() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let m = try await Managers(server, clerks: [("wang", ["social-insurance"])])
            let fixture = m.fixture
            let taken = try await fixture.takeTicket(kiosk: 0, item: "JZZ-002")
            #expect(taken.status == 201)
            let before = try taken.decode(TicketView.self)
            #expect(before.itemVersion == 1)
            let oldMinutes = try await m.item("JZZ-002").item.expectedMinutes

            _ = try await m.publish("JZZ-002") { item in
                item.materials.append(Self.newMaterial)
                item.needsMaterials = true
                item.expectedMinutes = 40
                item.status = .suspended
            }
            // The waiting ticket still reads version 1: its materials and expected minutes.
            let ticket = try await server.call(.GET, "/api/v1/tickets/\(before.id)", token: m.fixture.adminToken).decode(TicketView.self)
            #expect(ticket.itemVersion == 1)
            #expect(try await m.item("JZZ-002", version: 1).item.materials.contains(Self.newMaterial) == false)
            #expect(try await m.item("JZZ-002", version: 1).item.expectedMinutes == oldMinutes)
            // A suspended item refuses new tickets with a clear message.
            let refused = try await fixture.takeTicket(kiosk: 1, item: "JZZ-002")
            #expect(refused.status == 409)
            #expect(try refused.decode(ErrorReply.self).error.code == "item_unavailable")
            #expect(try refused.decode(ErrorReply.self).error.message.contains("暂停受理"))

            // Moving the item to social insurance moves its waiting ticket to wang's line, and wang is offered it.
            _ = try await m.publish("JZZ-002") { item in
                item.category = "social-insurance"
            }
            let moved = try await server.call(.GET, "/api/v1/tickets/\(before.id)", token: m.fixture.adminToken).decode(TicketView.self)
            #expect(moved.category == "social-insurance")
            #expect(try await m.fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"]).status == 200)
            let offered = try await m.fixture.clerk("wang", .get, "/api/v1/clerk")
            #expect((offered.json["offer"] as? [String: Any])?["ticket"] as? Int == Int(before.id))
        }
    }

    @Test("publishing that strands a category needs a confirmation; the impact says which")
    func stranding() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let m = try await Managers(server)
            let draft = try await m.draft(m.li)
            var item = try #require(draft.draft.document.item("SB-001"))
            item.expectedMinutes += 2
            #expect(try await m.save(m.li, draft.draft.id, item).status == 200)
            #expect(try await m.step(m.li, draft.draft.id, "submit").status == 200)
            #expect(try await m.step(m.zhao, draft.draft.id, "approve").status == 200)
            let impact = try await server.call(.GET, "/api/v1/catalog/drafts/\(draft.draft.id)/impact", token: m.zhao).decode(PublishImpact.self)
            #expect(impact.strandedCategories.contains("social-insurance"))  // only wang, with residence
            #expect(!impact.strandedCategories.contains("residence"))
            #expect(impact.waitingByChangedItem.map(\.item) == ["SB-001"])
            let refused = try await m.step(m.zhao, draft.draft.id, "publish", PublishRequest())
            #expect(refused.status == 409)
            #expect(try refused.decode(ErrorReply.self).error.code == "strands_category")
            #expect(try await m.step(m.zhao, draft.draft.id, "publish", PublishRequest(confirmStranding: true)).status == 200)
        }
    }

    @Test("a scheduled publish fires at its time (test clock) and every live connection hears of it")
    func scheduledPublish() async throws {
        let data = try TemporaryDirectory()
        let offset = Mutex<TimeInterval>(0)
        try await TestServer.with(dataDirectory: data.url, adjust: { settings in
            settings.clock = { Date().addingTimeInterval(offset.withLock { $0 }) }
        }) { server in
            let m = try await Managers(server)
            let draft = try await m.draft(m.li)
            var item = try #require(draft.draft.document.item("SB-002"))
            item.expectedMinutes += 3
            #expect(try await m.save(m.li, draft.draft.id, item).status == 200)
            #expect(try await m.step(m.li, draft.draft.id, "submit").status == 200)
            #expect(try await m.step(m.zhao, draft.draft.id, "approve").status == 200)
            let at = Date().addingTimeInterval(3600)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let body = try encoder.encode(PublishRequest(at: at, confirmStranding: true))
            let scheduled = try await server.request(
                .POST, "/api/v1/catalog/drafts/\(draft.draft.id)/publish", body: body, headers: ["Authorization": "Bearer \(m.zhao)"])
            #expect(scheduled.status == 200)
            #expect(try scheduled.decode(DraftView.self).draft.state == .scheduled)

            let kiosk = LiveClient(server: server, token: m.fixture.kioskTokens[0])
            _ = try await kiosk.next("idle")
            #expect(try await m.item("SB-002").version == 1)  // not yet
            offset.withLock { $0 = 3601 }
            let message = try await kiosk.next("catalog")
            #expect(message.data["version"] as? Int == 2)
            #expect(try await m.item("SB-002").version == 2)
            let shown = try await server.call(.GET, "/api/v1/catalog/drafts/\(draft.draft.id)", token: m.li).decode(DraftView.self)
            #expect(shown.draft.state == .published && shown.draft.publishedVersion == 2)
            await kiosk.close()
        }
    }

    @Test("a graceful shutdown during the scheduled publish check is not logged as an error")
    func publishCheckCancelled() async throws {
        let data = try TemporaryDirectory()
        let recorder = LogRecorder()
        let services = try await AppServices.make(
            database: try AppDatabase.inMemory(), settings: ServerSettings(dataDirectory: data.url), logger: recorder.logger)
        // As the timer's task is at shutdown: cancelled while it checks.
        let check = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await services.catalog.publishDue()
        }
        await check.value
        #expect(recorder.errors.isEmpty, "logged: \(recorder.errors)")
    }

    @Test("export, import and export again are byte-identical and change nothing; a bad import changes nothing and names every problem")
    func importExport() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let m = try await Managers(server)
            let export = try await server.call(.GET, "/api/v1/catalog/export", token: m.li)
            #expect(export.status == 200)
            #expect(export.body == (try Data(contentsOf: URL(fileURLWithPath: Repository.catalogPath))), "the shipped file is in the export's form")
            let reimport = try await server.request(.POST, "/api/v1/catalog/import", body: export.body, headers: ["Authorization": "Bearer \(m.li)"])
            #expect(reimport.status == 200)
            #expect(try reimport.decode(ImportResult.self).changes == 0)
            #expect(try await server.call(.GET, "/api/v1/catalog/export", token: m.li).body == export.body)

            var document = try CatalogDocument.load(json: export.body)
            document.items[0].visits = 1
            document.items[1].fee = Fee(yuan: 20, note: LocalizedText(zh: "工本费", en: "Card fee"))
            document.items[2].consultPhone = "call us"
            let bad = try await server.request(.POST, "/api/v1/catalog/import", body: try JSONEncoder().encode(document), headers: ["Authorization": "Bearer \(m.li)"])
            #expect(bad.status == 422)
            let problems = try #require(try bad.decode(ErrorReply.self).error.problems)
            #expect(Set(problems.map(\.field)) == ["visits", "fee.basis", "consultPhone"])
            #expect(try await server.call(.GET, "/api/v1/catalog/drafts", token: m.li).decode(DraftList.self).drafts.isEmpty)
            #expect(try await server.call(.GET, "/api/v1/catalog/export", token: m.li).body == export.body)

            // A good import opens a draft with exactly its changes.
            document = try CatalogDocument.load(json: export.body)
            document.items[3].expectedMinutes += 1
            let good = try await server.request(.POST, "/api/v1/catalog/import?note=x", body: try JSONEncoder().encode(document), headers: ["Authorization": "Bearer \(m.li)"])
            #expect(good.status == 200)
            #expect(try good.decode(ImportResult.self).draft?.changes.map(\.field) == ["expectedMinutes"])
        }
    }

    @Test("an invalid save is refused with every problem of the item named; nothing is saved")
    func invalidSave() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let m = try await Managers(server)
            let draft = try await m.draft(m.li)
            var item = try #require(draft.draft.document.item("JZZ-002"))
            item.name.en = ""
            item.department = "nowhere"
            item.promisedTimeLimit = TimeLimit(days: 3, unit: .workingDays)
            item.handlingType = .immediate
            let refused = try await m.save(m.li, draft.draft.id, item)
            #expect(refused.status == 422)
            let fields = Set(try #require(try refused.decode(ErrorReply.self).error.problems).map(\.field))
            #expect(fields == ["name.en", "department", "promisedTimeLimit.days"])
            let check = try await server.call(.POST, "/api/v1/catalog/drafts/\(draft.draft.id)/check", token: m.li, json: CheckItemRequest(item: item))
            #expect(try check.decode(ProblemList.self).problems.count == 3)
            let after = try await server.call(.GET, "/api/v1/catalog/drafts/\(draft.draft.id)", token: m.li).decode(DraftView.self)
            #expect(after.changes.isEmpty && after.draft.revisions.isEmpty)
        }
    }
}
