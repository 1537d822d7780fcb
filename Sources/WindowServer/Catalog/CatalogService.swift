import Foundation
import Logging
import ServiceLifecycle
import WindowAPITypes
import WindowCore
import WindowStore

/// The one owner of catalog drafts: every step on a draft (save, submit, approve, publish, rebase)
/// goes through it in order, so two managers' saves can never interleave half-way.
actor CatalogService {
    let database: AppDatabase
    let queue: QueueService
    let hub: LiveHub
    let now: @Sendable () -> Date
    let logger: Logger

    init(database: AppDatabase, queue: QueueService, hub: LiveHub, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.database = database
        self.queue = queue
        self.hub = hub
        self.now = now
        self.logger = logger
    }

    // MARK: Reading

    func accountName(_ account: Int64) async throws -> AccountName {
        try await database.accountName(account)
    }

    func draft(_ id: Int64) async throws -> CatalogDraft {
        guard let draft = try await database.catalogDraft(id: id) else { throw APIError.notFound("draft \(id)", zh: "草稿 \(id) ") }
        return draft
    }

    func view(_ draft: CatalogDraft) async throws -> DraftView {
        let published = try database.publishedCatalog()
        let base = draft.base == published.version ? published.document : try await database.catalogDocument(version: draft.base) ?? published.document
        return DraftView(
            draft: draft, changes: CatalogDiff.changes(from: base, to: draft.document), problems: draft.document.problems(),
            currentVersion: published.version)
    }

    func summaries(states: [CatalogDraft.State]?) async throws -> [DraftSummary] {
        let drafts = if let states { try await database.catalogDrafts(states: states) } else { try await database.catalogDrafts() }
        var summaries: [DraftSummary] = []
        for draft in drafts {
            let base = try await database.catalogDocument(version: draft.base)
            let changed = base.map { base in Set(CatalogDiff.changes(from: base, to: draft.document).compactMap(\.item)).sorted() } ?? []
            summaries.append(DraftSummary(draft: draft, changedItems: changed))
        }
        return summaries
    }

    // MARK: Editing

    func createDraft(note: String?, by account: Int64) async throws -> DraftView {
        let person = try await accountName(account)
        let published = try database.publishedCatalog()
        let draft = CatalogDraft(
            id: 0, base: published.version, note: note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", createdBy: person, at: now(),
            document: published.document)
        let created = try database.createCatalogDraft(draft, event: event("draft.created", by: person, version: published.version, ["note": draft.note]))
        return try await view(created)
    }

    /// Saves one item. Refused with every problem of the item when it breaks a rule; with 409 and
    /// what changed when someone saved it since the editor loaded it.
    func saveItem(_ item: CatalogItem, code: String, revision: Int, draft id: Int64, by account: Int64) async throws -> DraftView {
        guard item.code == code else {
            throw APIError.badRequest(code: .catalogInvalid, "事项编码与地址不符 / the item's code differs from the address")
        }
        let person = try await accountName(account)
        var draft = try await draft(id)
        let problems = problems(of: item, in: draft)
        guard problems.isEmpty else { throw Self.invalid(problems) }
        let before = draft.document.item(code)
        if let current = try Self.refusal({ () throws(DraftRefusal) in try draft.save(item, startedFrom: revision, by: person, at: now()) }) {
            throw try await editConflict(draft: draft, code: code, from: revision, to: current)
        }
        let changed = before.map { CatalogDiff.changes(from: $0, to: item).map(\.field).joined(separator: ",") } ?? "(new item)"
        try database.saveCatalogDraft(
            draft, event: event("draft.item-saved", by: person, draft: id, ["item": code, "revision": "\(revision + 1)", "fields": changed]),
            edit: (item, revision + 1, person.username))
        return try await view(draft)
    }

    /// Every problem an item would have in the draft's catalog (live validation in the editor).
    nonisolated func problems(of item: CatalogItem, in draft: CatalogDraft) -> [CatalogProblem] {
        var document = draft.document
        document.replace(item)
        let label = CatalogRules.isValidItemCode(item.code) ? item.code : "#\(document.items.count)"
        var problems = item.problems(
            label: label, knownCategories: Set(document.categories.map(\.code)), knownDepartments: Set(document.departments.map(\.code)))
        if !CatalogRules.isValidItemCode(item.code) {
            problems.insert(CatalogProblem(item: label, field: "code", message: "invalid code \"\(item.code)\" (expected like JZZ-001)"), at: 0)
        }
        return problems
    }

    private func editConflict(draft: CatalogDraft, code: String, from revision: Int, to current: Int) async throws -> APIError {
        let published = try database.publishedCatalog()
        let base = try await database.catalogDocument(version: draft.base) ?? published.document
        let loaded = revision == 0 ? base.item(code) : try await database.draftItem(draft: draft.id, code: code, revision: revision)?.item
        let saved = try await database.draftItem(draft: draft.id, code: code, revision: current)
        var error = APIError.conflict(
            code: .editConflict,
            "事项 \(code) 已被 \(saved?.editor ?? "他人") 修改（第 \(current) 次保存），请在其基础上重新修改 / \(code) was saved by \(saved?.editor ?? "someone else") since you opened it (revision \(current)); redo your change on theirs")
        if let loaded, let now = draft.document.item(code) { error.changes = CatalogDiff.changes(from: loaded, to: now) }
        return error
    }

    func submit(_ id: Int64, note: String?, by account: Int64) async throws -> DraftView {
        let person = try await accountName(account)
        var draft = try await draft(id)
        let base = try await database.catalogDocument(version: draft.base) ?? database.publishedCatalog().document
        let problems = draft.document.problems()
        if !problems.isEmpty, draft.state == .editing { throw Self.invalid(problems) }
        try Self.refusal { () throws(DraftRefusal) in try draft.submit(note: note, by: person, base: base, at: now()) }
        try database.saveCatalogDraft(draft, event: event("draft.submitted", by: person, draft: id, ["note": draft.note]))
        return try await view(draft)
    }

    func approve(_ id: Int64, by account: Int64) async throws -> DraftView {
        let person = try await accountName(account)
        var draft = try await draft(id)
        let allowed = try await database.onePersonPublishAllowed()
        try Self.refusal { () throws(DraftRefusal) in try draft.approve(by: person, onePersonAllowed: allowed, at: now()) }
        let alone = draft.editors.contains { $0.account == person.account }
        try database.saveCatalogDraft(draft, event: event("draft.approved", by: person, draft: id, alone ? ["onePersonPublish": "true"] : [:]))
        return try await view(draft)
    }

    func sendBack(_ id: Int64, comment: String, by account: Int64) async throws -> DraftView {
        let person = try await accountName(account)
        var draft = try await draft(id)
        try Self.refusal { () throws(DraftRefusal) in try draft.sendBack(comment: comment, by: person, at: now()) }
        try database.saveCatalogDraft(draft, event: event("draft.sent-back", by: person, draft: id, ["comment": comment]))
        return try await view(draft)
    }

    func discard(_ id: Int64, by account: Int64) async throws -> DraftView {
        let person = try await accountName(account)
        var draft = try await draft(id)
        guard draft.isOpen else { throw APIError.conflict(code: .draftState, "草稿已发布或已放弃 / the draft is already published or discarded") }
        draft.state = .discarded
        draft.updatedAt = now()
        try database.saveCatalogDraft(draft, event: event("draft.discarded", by: person, draft: id, [:]))
        return try await view(draft)
    }

    /// Replays the draft's changes on the published catalog. Fields changed on both sides are
    /// refused with the list, unless `resolution` says which side wins.
    func rebase(_ id: Int64, resolution: RebaseResolution?, by account: Int64) async throws -> DraftView {
        let person = try await accountName(account)
        var draft = try await draft(id)
        guard draft.state == .editing else {
            throw APIError.conflict(code: .draftNotEditable, "只有编辑中的草稿可以变基 / only a draft being edited can be rebased")
        }
        let published = try database.publishedCatalog()
        guard draft.base != published.version else { return try await view(draft) }
        guard let base = try await database.catalogDocument(version: draft.base) else { throw APIError.notFound("version \(draft.base)", zh: "第 \(draft.base) 版") }
        let (merged, conflicts) = try CatalogDiff.rebase(draft: draft.document, base: base, current: published.document, resolution: resolution)
        guard let merged else {
            var error = APIError.conflict(
                code: .rebaseConflict,
                "\(conflicts.count) 个字段在草稿和新发布版本中都被修改 / \(conflicts.count) field(s) changed both in the draft and in the published catalog")
            error.conflicts = conflicts
            throw error
        }
        let from = draft.base
        draft.document = merged
        draft.base = published.version
        draft.updatedAt = now()
        try database.saveCatalogDraft(draft, event: event(
            "draft.rebased", by: person, draft: id, version: published.version,
            ["from": "\(from)", "conflicts": "\(conflicts.count)", "resolution": resolution?.rawValue ?? "-"]))
        return try await view(draft)
    }

    /// A new draft restoring version `number`; it goes through review like any other.
    func rollback(to number: Int, note: String, by account: Int64) async throws -> DraftView {
        let person = try await accountName(account)
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw APIError.badRequest(code: .noteRequired, "请说明回滚原因 / say why (a note is required)") }
        guard let document = try await database.catalogDocument(version: number) else { throw APIError.notFound("version \(number)", zh: "第 \(number) 版") }
        let published = try database.publishedCatalog()
        guard number != published.version else { throw APIError.conflict(code: .noChanges, "这已是当前版本 / that is the current version") }
        var restored = document
        // Items published after that version stay (items are retired, never removed), as they were then absent: retired.
        for item in published.document.items where restored.item(item.code) == nil {
            var retired = item
            retired.status = .retired
            restored.items.append(retired)
        }
        var draft = CatalogDraft(id: 0, base: published.version, note: note, createdBy: person, at: now(), document: restored, rollbackOf: number)
        draft.editors = [person]
        let created = try database.createCatalogDraft(draft, event: event("draft.rollback-created", by: person, version: number, ["note": note]))
        return try await view(created)
    }

    /// Opens a draft with an imported catalog file. A bad file changes nothing and lists every problem;
    /// a file equal to the published catalog opens nothing.
    func importCatalog(_ data: Data, note: String?, by account: Int64) async throws -> ImportResult {
        let person = try await accountName(account)
        let document: CatalogDocument
        do {
            document = try CatalogDocument.load(json: data)
        } catch {
            throw Self.invalid(error.problems)
        }
        let published = try database.publishedCatalog()
        let missing = published.document.items.map(\.code).filter { document.item($0) == nil }
        if !missing.isEmpty {
            throw Self.invalid(missing.map {
                CatalogProblem(item: $0, field: "(item)", message: "items are never removed: keep it with status retired / 事项不能删除，请设为 retired")
            })
        }
        let changes = CatalogDiff.changes(from: published.document, to: document)
        if changes.isEmpty { return ImportResult(draft: nil, changes: 0) }
        var draft = CatalogDraft(
            id: 0, base: published.version, note: note ?? "导入 / import", createdBy: person, at: now(), document: document)
        draft.editors = [person]
        for code in Set(changes.compactMap(\.item)) { draft.revisions[code] = 1 }
        let created = try database.createCatalogDraft(draft, event: event("draft.imported", by: person, version: published.version, ["changes": "\(changes.count)"]))
        return ImportResult(draft: try await view(created), changes: changes.count)
    }

    func setPolicy(_ policy: CatalogPolicy, by account: Int64) async throws -> CatalogPolicy {
        let person = try await accountName(account)
        try database.setOnePersonPublish(policy.onePersonPublish, event: event("policy.changed", by: person, ["onePersonPublish": "\(policy.onePersonPublish)"]))
        return policy
    }

    // MARK: Publishing

    func impact(_ id: Int64) async throws -> PublishImpact {
        try await impact(of: try await draft(id))
    }

    func impact(of draft: CatalogDraft) async throws -> PublishImpact {
        let published = try database.publishedCatalog()
        let waiting = await queue.waitingByItem()
        var changed: [PublishImpact.ItemTickets] = []
        var suspended: [PublishImpact.ItemTickets] = []
        var recategorized: [String] = []
        for item in draft.document.items {
            let old = published.document.item(item.code)
            guard old != item else { continue }
            let count = waiting[item.code] ?? 0
            changed.append(.init(item: item.code, waiting: count))
            if item.status != .active, count > 0 { suspended.append(.init(item: item.code, waiting: count)) }
            if let old, old.category != item.category { recategorized.append(item.code) }
        }
        let profiles = try await database.clerkProfiles()
        let categoryOfItem = Dictionary(draft.document.items.map { ($0.code, $0.category) }, uniquingKeysWith: { a, _ in a })
        var served = Set(profiles.flatMap(\.skills))
        for profile in profiles { for item in profile.items { if let category = categoryOfItem[item] { served.insert(category) } } }
        let offered = Set(draft.document.items.filter { $0.status == .active }.map(\.category))
        let stranded = draft.document.categories.map(\.code).filter { offered.contains($0) && !served.contains($0) }
        return PublishImpact(waitingByChangedItem: changed, strandedCategories: stranded, suspendedWithWaiting: suspended, recategorized: recategorized)
    }

    /// Publishes an approved draft now, or schedules it. Publishing that would strand a category needs `confirmStranding`.
    func publish(_ id: Int64, at: Date?, confirmStranding: Bool, by account: Int64) async throws -> DraftView {
        let person = try await accountName(account)
        var draft = try await draft(id)
        let published = try database.publishedCatalog()
        try Self.refusal { () throws(DraftRefusal) in try draft.checkPublishable(currentVersion: published.version) }
        let impact = try await impact(of: draft)
        if !impact.strandedCategories.isEmpty && !confirmStranding && !draft.strandingConfirmed {
            throw APIError.conflict(
                code: .strandsCategory,
                "发布后以下分类没有具备技能的工作人员：\(impact.strandedCategories.joined(separator: "、"))；确认后可发布 / after publishing no clerk is skilled for: \(impact.strandedCategories.joined(separator: ", ")); confirm to publish")
        }
        draft.strandingConfirmed = draft.strandingConfirmed || confirmStranding
        // A time already past is a mistake, not "now" (a minute's grace for a form sent slowly).
        if let at, at < now().addingTimeInterval(-60) {
            throw APIError.badRequest(code: .invalidBody, "发布时间已过：\(APIError.shanghaiTime(at)) / the publish time has passed")
        }
        if let at, at > now() {
            draft.state = .scheduled
            draft.publishAt = at
            draft.updatedAt = now()
            try database.saveCatalogDraft(draft, event: event("draft.scheduled", by: person, draft: id, ["at": ISO8601DateFormatter().string(from: at)]))
            return try await view(draft)
        }
        let done = try await publishNow(draft, by: person.username)
        return try await view(done)
    }

    /// Publishes scheduled drafts whose time has come (called by the timer).
    func publishDue() async {
        do {
            for draft in try await database.catalogDrafts(states: [.scheduled]) where (draft.publishAt ?? .distantFuture) <= now() {
                do {
                    _ = try await publishNow(draft, by: draft.approvedBy?.username ?? "scheduler")
                } catch is CancellationError {
                    throw CancellationError()  // the server is stopping: the draft stays scheduled for the next start
                } catch {
                    // An outdated base (another version went out first): back to approved, for a rebase.
                    var failed = draft
                    failed.state = .approved
                    failed.publishAt = nil
                    try database.saveCatalogDraft(failed, event: CatalogAuditEvent(
                        seq: 0, at: now(), actor: "scheduler", kind: "draft.schedule-failed", draft: draft.id, version: nil, detail: ["error": "\(error)"]))
                    logger.warning("scheduled publish failed", metadata: ["draft": "\(draft.id)", "error": "\(error)"])
                }
            }
        } catch is CancellationError {
            return  // a graceful shutdown, not a failure
        } catch {
            logger.error("scheduled publish check failed", metadata: ["error": "\(error)"])
        }
    }

    private func publishNow(_ draft: CatalogDraft, by username: String) async throws -> CatalogDraft {
        let old = try database.publishedCatalog().document
        let kind: CatalogVersionKind = draft.rollbackOf == nil ? .publish : .rollback
        let (version, changed) = try Self.refusal { () throws(DraftRefusal) in
            do {
                return try database.publishCatalog(draft, kind: kind, by: username, at: now())
            } catch let refusal as DraftRefusal {
                throw refusal
            } catch {
                throw DraftRefusal(.draftState, "\(error)")
            }
        }
        logger.notice("catalog published", metadata: ["version": "\(version)", "draft": "\(draft.id)", "items": "\(changed.count)"])
        for item in draft.document.items {
            if let before = old.item(item.code), before.category != item.category {
                try await queue.reroute(item: item.code, toCategory: item.category, actor: "catalog:\(version)")
            }
        }
        hub.sendToAll(LiveMessage.catalog(CatalogPublished(version: version)).json())
        var done = draft
        done.state = .published
        done.publishedVersion = version
        return done
    }

    // MARK: Helpers

    private func event(_ kind: String, by person: AccountName, draft: Int64? = nil, version: Int? = nil, _ detail: [String: String]) -> CatalogAuditEvent {
        CatalogAuditEvent(seq: 0, at: now(), actor: person.username, kind: kind, draft: draft, version: version, detail: detail)
    }

    static func invalid(_ problems: [CatalogProblem]) -> APIError {
        var error = APIError(
            .unprocessableContent, code: .catalogInvalid,
            message: "有 \(problems.count) 处问题，未保存 / \(problems.count) problem(s), nothing saved: " + problems.prefix(3).map(\.description).joined(separator: "; "))
        error.problems = problems
        return error
    }

    /// Runs a draft step, turning its refusal into the API's error.
    @discardableResult
    static func refusal<T>(_ body: () throws(DraftRefusal) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            let code: APIErrorCode = switch error.code {
            case .draftNotEditable: .draftNotEditable
            case .draftState: .draftState
            case .noteRequired: .noteRequired
            case .noChanges: .noChanges
            case .catalogInvalid: .catalogInvalid
            case .sameReviewer: .sameReviewer
            case .draftOutdated: .draftOutdated
            }
            throw APIError(code == .sameReviewer ? .forbidden : .conflict, code: code, message: error.message)
        }
    }
}

/// Publishes scheduled drafts when their time comes: checks about once a second (a schedule is
/// set to the minute), with the server's lifecycle.
struct ScheduledPublisher: Service {
    let catalog: CatalogService
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                await catalog.publishDue()
            }
        }
    }
}
