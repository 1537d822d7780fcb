import ArgumentParser
import Foundation
import WindowClient
import WindowCore

/// `windowctl catalog …`: browse the published catalog, edit it in drafts, review, publish,
/// roll back, import and export (see docs/catalog-management.md).
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "The service catalog: browse it, edit it in drafts, review, publish, roll back, import and export.",
        discussion: """
            Edits go into a draft over the published version (`catalog draft new`, `catalog edit CODE --draft ID`);
            the draft is submitted, approved by a second manager who did not edit it, then published now or at a
            Shanghai local time as the next catalog version. Versions never change; `catalog rollback N` opens a
            draft restoring version N, reviewed like any other.
            """,
        subcommands: [
            List.self, Show.self, DraftCommand.self, Edit.self, Diff.self, Submit.self, Approve.self, SendBack.self, Discard.self,
            Rebase.self, Impact.self, Publish.self, History.self, Rollback.self, Export.self, Import.self, Policy.self, Events.self,
        ])

    // MARK: Browsing

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The published items: code, status, category, expected minutes, name.")
        @OptionGroup var options: SignInOptions
        @Option(name: .long, help: "Only this category, e.g. residence.") var category: String?
        @Option(name: .long, help: "Only items in this status: active, suspended or retired.") var status: String?
        @Option(name: .long, help: "Only items whose code or name (Chinese or English) contains this text.") var search: String?

        func validate() throws {
            if let status, CatalogItem.Status(rawValue: status) == nil {
                throw ValidationError("--status is active, suspended or retired, not \(status)")
            }
        }

        func run() async throws {
            let status = self.status.flatMap { CatalogItem.Status(rawValue: $0) }
            let list = try await options.withCatalogAPI { try await $0.catalogItems(category: category, status: status, query: search) }
            if options.json { return try printJSON(list) }
            print("目录第 \(list.catalogVersion) 版，共 \(list.count) 项 / catalog version \(list.catalogVersion), \(list.count) item(s)")
            let rows = list.items.map { view -> [String] in
                [view.item.code, view.item.status.rawValue, view.item.category, "\(view.item.expectedMinutes) min", "\(view.item.name.zh) / \(view.item.name.en)"]
            }
            for line in CatalogText.table(rows) { print(line) }
            if list.items.isEmpty { print("没有找到相关事项 / no items found") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One item as published now, or at one of its own item versions.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Item code, e.g. JZZ-002.") var code: String
        @Option(name: .long, help: "The item's own version (a ticket keeps the one it was issued under).") var version: Int?

        func run() async throws {
            let view = try await options.withCatalogAPI { try await $0.item(code: code, version: version) }
            if options.json { return try printJSON(view) }
            for line in CatalogText.itemLines(view.item, version: view.version, departmentName: view.departmentName) { print(line) }
        }
    }

    // MARK: Drafts

    struct DraftCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "draft", abstract: "Open a draft, list the drafts, show one.", subcommands: [New.self, List.self, Show.self])

        struct New: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Open a draft over the published catalog.")
            @OptionGroup var options: SignInOptions
            @Option(name: .long, help: "Why (required before review; can be given at submit).") var note: String?

            func run() async throws {
                let view = try await options.withCatalogAPI { try await $0.createDraft(note: note) }
                if options.json { return try printJSON(view) }
                print("已创建草稿 #\(view.draft.id)（基于第 \(view.draft.base) 版）/ draft #\(view.draft.id) opened over version \(view.draft.base)")
                print("编辑事项 / edit an item: windowctl catalog edit CODE --draft \(view.draft.id)")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The open drafts (all of them with --all).")
            @OptionGroup var options: SignInOptions
            @Flag(name: .long, help: "Also published and discarded drafts.") var all = false

            func run() async throws {
                let drafts = try await options.withCatalogAPI { try await $0.drafts(all: all) }
                if options.json { return try printJSON(DraftList(drafts: drafts)) }
                if drafts.isEmpty { return print("没有草稿 / no drafts") }
                let rows = drafts.map { draft -> [String] in
                    let items = draft.changedItems.isEmpty ? "-" : draft.changedItems.joined(separator: ",")
                    let when = draft.publishAt.map { "@" + CatalogText.time($0) + " " } ?? ""
                    return ["#\(draft.id)", CatalogText.state(draft.state), "v\(draft.base)", CatalogText.time(draft.updatedAt), draft.createdBy, items, when + draft.note]
                }
                for line in CatalogText.table([["草稿 draft", "状态 state", "基于 base", "更新 updated", "创建 by", "事项 items", "说明 note"]] + rows) {
                    print(line)
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A draft: its state, who did what, its changes and problems.")
            @OptionGroup var options: SignInOptions
            @Argument(help: "Draft id.") var id: Int64

            func run() async throws {
                let view = try await options.withCatalogAPI { try await $0.draft(id: id) }
                if options.json { return try printJSON(view) }
                for line in CatalogText.draftLines(view) { print(line) }
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit one item of a draft in $EDITOR (or $VISUAL, else vi); it is checked, then saved.",
            discussion: """
                The item is written, pretty-printed, to a temporary file and the editor opened on it. When the editor
                exits the item is checked against the draft's catalog; with problems you may open the editor again
                (when standard input is a terminal). The save names the revision the edit started from: if someone
                saved the item in the meantime nothing is overwritten, their changes are shown and your file is kept.
                """)
        @OptionGroup var options: SignInOptions
        @Argument(help: "Item code, e.g. JZZ-002.") var code: String
        @Option(name: .long, help: "Draft id.") var draft: Int64

        func run() async throws {
            let loaded = try await options.withCatalogAPI { try await $0.draft(id: draft) }
            guard loaded.draft.state == .editing else {
                throw refuse(
                    "草稿 #\(draft) 不在编辑中（\(CatalogText.state(loaded.draft.state))），需先退回 / draft #\(draft) is not being edited; send it back first")
            }
            guard let original = loaded.draft.document.item(code) else {
                throw refuse("草稿 #\(draft) 中没有事项 \(code) / draft #\(draft) has no item \(code)")
            }
            // The save names this revision, whatever happens while the editor is open.
            let revision = loaded.draft.revisions[code] ?? 0
            let originalBytes: Data
            do {
                originalBytes = try CatalogText.pretty(original)
            } catch {
                throw refuse("无法写出事项 / cannot write the item: \(error)")
            }
            let path = CatalogEditor.temporaryPath(draft: draft, code: code)
            guard FileManager.default.createFile(atPath: path, contents: originalBytes, attributes: [.posixPermissions: 0o600]) else {
                throw refuse("无法创建临时文件 / cannot create the temporary file \(path)")
            }

            var edited: CatalogItem?
            while edited == nil {
                try CatalogEditor.open(path)
                var problems: [CatalogProblem] = []
                switch CatalogEditor.read(path, code: code, original: original, originalBytes: originalBytes) {
                case .unchanged:
                    try? FileManager.default.removeItem(atPath: path)
                    print("未修改，未保存 / unchanged: nothing saved")
                    return
                case .unreadable(let problem):
                    problems = [problem]
                case .edited(let item):
                    problems = try await options.withCatalogAPI { try await $0.checkItem(draft: draft, item: item) }
                    if problems.isEmpty { edited = item }
                }
                if !problems.isEmpty {
                    printError("事项 \(code) 有 \(problems.count) 处问题 / \(code) has \(problems.count) problem(s):")
                    for line in CatalogText.problemLines(problems) { printError(line) }
                    if !CatalogEditor.askAgain() {
                        printError("未保存；你的修改保存在 / not saved; your edit is kept in \(path)")
                        throw ExitCode(1)
                    }
                }
            }
            guard let item = edited else { return }

            enum Outcome {
                case saved(DraftView)
                case refused(WindowClientError)
            }
            let outcome = try await options.withCatalogAPI { (api: WindowAPI) async throws -> Outcome in
                do {
                    return .saved(try await api.saveDraftItem(draft: draft, item: item, revision: revision))
                } catch let error as WindowClientError {
                    // The compiler of this toolchain crashes on `do throws(…) … catch where` here.
                    guard error.serverCode == .editConflict || error.serverCode == .catalogInvalid else { throw error }
                    return .refused(error)
                }
            }
            switch outcome {
            case .refused(let error):
                CatalogReport.failure(error)
                printError("未保存；你的版本保存在 / not saved; your version is kept in \(path)")
                if error.serverCode == .editConflict {
                    printError("请重新打开草稿并在他人修改的基础上重做 / open the item again and redo your change on theirs: windowctl catalog edit \(code) --draft \(draft)")
                }
                throw ExitCode(1)
            case .saved(let view):
                try? FileManager.default.removeItem(atPath: path)
                if options.json { return try printJSON(view) }
                let saved = view.draft.revisions[code] ?? revision + 1
                print("已保存 / saved \(code) in draft #\(draft) (revision \(saved))")
                for line in CatalogText.changeTable(view.changes.filter { $0.item == code }) { print(line) }
            }
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Field by field: what a draft changes, or what changed between two versions (default: the last publish).")
        @OptionGroup var options: SignInOptions
        @Option(name: .long, help: "A draft's changes from its base version.") var draft: Int64?
        @Option(name: .long, help: "From this catalog version.") var from: Int?
        @Option(name: .long, help: "To this catalog version (default: the current one).") var to: Int?

        func validate() throws {
            if draft != nil, from != nil || to != nil { throw ValidationError("give --draft, or --from/--to, not both") }
        }

        func run() async throws {
            if let draft {
                let view = try await options.withCatalogAPI { try await $0.draft(id: draft) }
                if options.json { return try printJSON(view.changes) }
                print("草稿 #\(draft) 相对第 \(view.draft.base) 版的修改 / draft #\(draft) against version \(view.draft.base): \(view.changes.count) change(s)")
                for line in CatalogText.changeTable(view.changes) { print(line) }
            } else {
                let diff = try await options.withCatalogAPI { try await $0.catalogDiff(from: from, to: to) }
                if options.json { return try printJSON(diff) }
                print("第 \(diff.from) 版 → 第 \(diff.to) 版 / version \(diff.from) → \(diff.to): \(diff.changes.count) change(s)")
                for line in CatalogText.changeTable(diff.changes) { print(line) }
            }
        }
    }

    // MARK: Review

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit a draft for review by a second manager (a note says why).")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Draft id.") var id: Int64
        @Option(name: .long, help: "Why: required unless the draft already has a note.") var note: String?

        func run() async throws {
            let view = try await options.withCatalogAPI { try await $0.submitDraft(id: id, note: note) }
            if options.json { return try printJSON(view) }
            print("已提交审核 / draft #\(id) submitted for review (\(view.changes.count) change(s))")
            print("另一位未修改该草稿的管理员审核 / a second manager who made no edit approves it: windowctl catalog approve \(id)")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a submitted draft (not by anyone who edited or submitted it).")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Draft id.") var id: Int64

        func run() async throws {
            let view = try await options.withCatalogAPI { try await $0.approveDraft(id: id) }
            if options.json { return try printJSON(view) }
            print("已批准 / draft #\(id) approved by \(view.draft.approvedBy?.username ?? "-")")
            print("发布 / publish it: windowctl catalog publish \(id) [--at \"YYYY-MM-DD HH:MM\"]")
        }
    }

    struct SendBack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-back", abstract: "Return a submitted, approved or scheduled draft to editing, saying why.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Draft id.") var id: Int64
        @Option(name: .long, help: "Why it goes back.") var comment: String

        func run() async throws {
            let view = try await options.withCatalogAPI { try await $0.sendBack(draft: id, comment: comment) }
            if options.json { return try printJSON(view) }
            print("已退回编辑 / draft #\(id) sent back to editing")
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Discard an open draft; nothing of it is published.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Draft id.") var id: Int64

        func run() async throws {
            let view = try await options.withCatalogAPI { try await $0.discardDraft(id: id) }
            if options.json { return try printJSON(view) }
            print("已放弃 / draft #\(id) discarded")
        }
    }

    struct Rebase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a draft's changes on the version published since it began, field by field.",
            discussion: "Where a field changed both in the draft and in the published catalog the rebase is refused and the fields listed; --keep chooses which side wins.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Draft id.") var id: Int64
        @Option(name: .long, help: "Where both changed, keep the draft's value (draft) or the published one (current).") var keep: String?

        func validate() throws {
            if let keep, RebaseResolution(rawValue: keep) == nil { throw ValidationError("--keep is draft or current, not \(keep)") }
        }

        func run() async throws {
            let resolution = keep.flatMap { RebaseResolution(rawValue: $0) }
            let view = try await options.withCatalogAPI { try await $0.rebaseDraft(id: id, resolution: resolution) }
            if options.json { return try printJSON(view) }
            print("已变基到第 \(view.draft.base) 版 / draft #\(id) rebased on version \(view.draft.base): \(view.changes.count) change(s)")
            if !view.problems.isEmpty {
                print("变基后有 \(view.problems.count) 处问题 / \(view.problems.count) problem(s) after the rebase:")
                for line in CatalogText.problemLines(view.problems) { print(line) }
            }
        }
    }

    struct Impact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What publishing a draft would do to the tickets waiting and the clerks' skills.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Draft id.") var id: Int64

        func run() async throws {
            let impact = try await options.withCatalogAPI { try await $0.draftImpact(id: id) }
            if options.json { return try printJSON(impact) }
            print("发布草稿 #\(id) 的影响 / impact of publishing draft #\(id):")
            print("  修改的事项（排队中的办件保留原版本）/ changed items (waiting tickets keep their version):")
            if impact.waitingByChangedItem.isEmpty { print("    (无 / none)") }
            for entry in impact.waitingByChangedItem { print("    \(entry.item)\t排队 waiting \(entry.waiting)") }
            print("  无人具备技能的分类 / categories no clerk is skilled for: " + CatalogText.list(impact.strandedCategories))
            if !impact.strandedCategories.isEmpty {
                print("    发布需确认 / publishing needs --confirm-stranding")
            }
            print("  暂停或撤销但仍有人排队（照常办理）/ suspended or retired with tickets waiting (still served): "
                + CatalogText.list(impact.suspendedWithWaiting.map { "\($0.item) (\($0.waiting))" }))
            print("  改变分类的事项（排队随之迁移）/ items moving category (their waiting tickets move too): " + CatalogText.list(impact.recategorized))
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish an approved draft now, or at a Shanghai local time, as the next catalog version.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Draft id.") var id: Int64
        @Option(name: .long, help: "When, Shanghai local time \"YYYY-MM-DD HH:MM\" (or a full ISO-8601 time); default now.") var at: String?
        @Flag(name: .customLong("confirm-stranding"), help: "Publish although a category is left without a skilled clerk.") var confirmStranding = false

        func validate() throws {
            if let at, CatalogText.parseTime(at) == nil {
                throw ValidationError("--at is Shanghai local time YYYY-MM-DD HH:MM (e.g. \"2026-12-01 08:00\") or ISO-8601, not \(at)")
            }
        }

        func run() async throws {
            let when = at.flatMap { CatalogText.parseTime($0) }
            if let when, when <= Date() {
                throw refuse("该时间已过 / \(CatalogText.time(when)) has passed; leave out --at to publish now")
            }
            let view = try await options.withCatalogAPI { try await $0.publishDraft(id: id, at: when, confirmStranding: confirmStranding) }
            if options.json { return try printJSON(view) }
            if view.draft.state == .scheduled, let publishAt = view.draft.publishAt {
                print("已排期 / draft #\(id) scheduled for \(CatalogText.time(publishAt)) (Asia/Shanghai)")
            } else if let version = view.draft.publishedVersion {
                print("已发布为第 \(version) 版 / draft #\(id) published as catalog version \(version)")
            } else {
                print("草稿 #\(id)：\(CatalogText.state(view.draft.state)) / draft #\(id): \(view.draft.state.rawValue)")
            }
        }
    }

    // MARK: History

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every published catalog version, newest first: who drafted, approved and published it, and why.")
        @OptionGroup var options: SignInOptions

        func run() async throws {
            let list = try await options.withCatalogAPI { try await $0.catalogVersions() }
            if options.json { return try printJSON(list) }
            print("当前为第 \(list.current) 版 / current version: \(list.current)")
            let rows = list.versions.map { version -> [String] in
                let marker = version.number == list.current ? "* " : "  "
                let kind = version.kind.rawValue + (version.rollbackOf.map { " → v\($0)" } ?? "")
                let drafted = version.draftedBy.isEmpty ? "-" : version.draftedBy.joined(separator: ",")
                let draft = version.draft.map { "#\($0)" } ?? "-"
                return [
                    marker + "v\(version.number)", kind, CatalogText.time(version.publishedAt), "发布 by \(version.publishedBy)",
                    "批准 approved \(version.approvedBy ?? "-")", "起草 drafted \(drafted)", draft, version.note,
                ]
            }
            for line in CatalogText.table(rows) { print(line) }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a draft restoring an earlier version; it is reviewed and published like any other.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "The catalog version to restore.") var version: Int
        @Option(name: .long, help: "Why.") var note: String

        func run() async throws {
            let view = try await options.withCatalogAPI { try await $0.rollback(version: version, note: note) }
            if options.json { return try printJSON(view) }
            print("已创建回滚草稿 #\(view.draft.id)（恢复第 \(version) 版）/ draft #\(view.draft.id) restores version \(version): \(view.changes.count) change(s)")
            print("提交审核 / submit it for review: windowctl catalog submit \(view.draft.id)")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a version's catalog file (catalog/items.json format), byte for byte as the server keeps it.")
        @OptionGroup var options: SignInOptions
        @Option(name: .long, help: "The catalog version (default: the current one).") var version: Int?
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let data = try await options.withCatalogAPI { try await $0.exportCatalog(version: version) }
            guard let output else {
                FileHandle.standardOutput.write(data)
                return
            }
            do {
                try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw refuse("无法写入文件 / cannot write \(output): \(error.localizedDescription)")
            }
            print("已导出 / exported \(version.map { "version \($0)" } ?? "the current version") to \(output) (\(data.count) bytes)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a draft from a catalog file; a bad file changes nothing and every problem is listed.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "The catalog file (catalog/items.json format).") var file: String
        @Option(name: .long, help: "Why.") var note: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw refuse("无法读取文件 / cannot read \(file)")
            }
            let result = try await options.withCatalogAPI { try await $0.importCatalog(data, note: note) }
            if options.json { return try printJSON(result) }
            guard let view = result.draft else {
                return print("没有修改 / no changes: the file is the published catalog; no draft opened")
            }
            print("已导入为草稿 #\(view.draft.id)，\(result.changes) 处修改 / imported as draft #\(view.draft.id): \(result.changes) change(s)")
            for line in CatalogText.changeTable(view.changes) { print(line) }
        }
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Whether one manager may edit and approve the same draft (admins change it; the change is in the audit log).")
        @OptionGroup var options: SignInOptions
        @Option(name: .customLong("one-person-publish"), help: "on or off (admins only).") var onePersonPublish: String?

        func validate() throws {
            if let onePersonPublish, !["on", "off"].contains(onePersonPublish) {
                throw ValidationError("--one-person-publish is on or off, not \(onePersonPublish)")
            }
        }

        func run() async throws {
            let policy: CatalogPolicy
            if let onePersonPublish {
                let wanted = CatalogPolicy(onePersonPublish: onePersonPublish == "on")
                policy = try await options.withCatalogAPI { try await $0.setCatalogPolicy(wanted) }
            } else {
                policy = try await options.withCatalogAPI { try await $0.catalogPolicy() }
            }
            if options.json { return try printJSON(policy) }
            print(policy.onePersonPublish
                ? "单人发布：开启（编辑者可自行审核）/ one-person publish: on (an editor may approve their own draft)"
                : "单人发布：关闭（须另一位管理员审核）/ one-person publish: off (a second manager approves)")
        }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The catalog's audit log, or one draft's.")
        @OptionGroup var options: SignInOptions
        @Option(name: .long, help: "Only this draft's events.") var draft: Int64?

        func run() async throws {
            let events = try await options.withCatalogAPI { try await $0.catalogEvents(draft: draft) }
            if options.json { return try printJSON(CatalogEventList(events: events)) }
            if events.isEmpty { return print("没有记录 / no events") }
            let rows = events.map { event -> [String] in
                let draft = event.draft.map { "#\($0)" } ?? "-"
                let version = event.version.map { "v\($0)" } ?? "-"
                let detail = event.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                return ["\(event.seq)", CatalogText.time(event.at), event.actor, event.kind, draft, version, detail]
            }
            for line in CatalogText.table(rows) { print(line) }
        }
    }
}

// MARK: - Errors

extension SignInOptions {
    /// Like `withAPI`, but a refusal also prints every problem, change or conflict the server
    /// sent, with a hint for the next step. An `ExitCode` thrown by `body` passes through.
    func withCatalogAPI<T>(_ body: (WindowAPI) async throws -> T) async throws -> T {
        do {
            let signIn = try location.load()
            let endpoint = try ServerEndpoint(url: signIn.server, caPEM: signIn.caPEM)
            return try await WindowAPI.using(endpoint: endpoint, credential: signIn.token, body)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            CatalogReport.failure(error)
            throw ExitCode(1)
        }
    }
}

/// Prints one bilingual line on standard error and gives the exit code to throw.
func refuse(_ message: String) -> ExitCode {
    Failure.report(Failure(message))
    return ExitCode(1)
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

enum CatalogReport {
    static func failure(_ error: any Error) {
        Failure.report(error)
        guard let error = error as? WindowClientError else { return }
        if !error.problems.isEmpty {
            printError("问题 / problems (\(error.problems.count)):")
            for line in CatalogText.problemLines(error.problems) { printError(line) }
        }
        if !error.changes.isEmpty {
            printError("在你打开之后他人修改的字段 / changed by someone else since you opened it:")
            for line in CatalogText.changeTable(error.changes) { printError(line) }
        }
        if !error.conflicts.isEmpty {
            printError("两边都修改的字段 / fields changed both in the draft and in the published catalog:")
            for line in CatalogText.conflictLines(error.conflicts) { printError(line) }
        }
        switch error.serverCode {
        case .draftOutdated?:
            printError("提示 / hint: 先变基 / rebase it first: windowctl catalog rebase DRAFT")
        case .rebaseConflict?:
            printError("提示 / hint: 选择保留哪一方 / choose a side: --keep draft (the draft's values) or --keep current (the published ones)")
        case .strandsCategory?:
            printError("提示 / hint: windowctl catalog impact DRAFT 查看影响 / shows the impact; add --confirm-stranding to publish anyway")
        case .sameReviewer?:
            printError("提示 / hint: 请另一位未修改该草稿的管理员批准 / another manager who made no edit in it approves")
        case .noteRequired?:
            printError("提示 / hint: 加上 / add --note \"…\"")
        default:
            break
        }
    }
}

// MARK: - Text

enum CatalogText {
    static func state(_ state: CatalogDraft.State) -> String {
        switch state {
        case .editing: "编辑中 editing"
        case .submitted: "待审核 submitted"
        case .approved: "已批准 approved"
        case .scheduled: "已排期 scheduled"
        case .published: "已发布 published"
        case .discarded: "已放弃 discarded"
        }
    }

    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    /// `2026-12-01 08:00`, Shanghai local time.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = shanghai
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// `YYYY-MM-DD HH:MM` (also with `T`, or with seconds) as Shanghai local time, or a full ISO-8601 time with its zone.
    static func parseTime(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = shanghai
        formatter.isLenient = false
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func list(_ values: [String]) -> String {
        values.isEmpty ? "(无 / none)" : values.joined(separator: ", ")
    }

    /// One item, pretty-printed with sorted keys (what the editor shows).
    static func pretty(_ item: CatalogItem) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(item)
        data.append(0x0A)
        return data
    }

    /// A value in a diff, on one line and at most 60 characters.
    static func value(_ value: JSONValue?) -> String {
        guard let value else { return "—" }
        var text = value.text.replacingOccurrences(of: "\n", with: " ")
        if case .string(let string) = value, string.isEmpty { text = "\"\"" }
        if text.count > 60 { text = String(text.prefix(59)) + "…" }
        return text
    }

    static func changeTable(_ changes: [CatalogChange]) -> [String] {
        guard !changes.isEmpty else { return ["  (无修改 / no changes)"] }
        let header = ["事项 item", "字段 field", "名称 label (zh / en)", "修改前 → 修改后 / before → after"]
        let rows = changes.map { change -> [String] in
            [change.item ?? "(目录 catalog)", change.field, "\(change.label.zh) / \(change.label.en)", "\(value(change.before)) → \(value(change.after))"]
        }
        return table([header] + rows).map { "  " + $0 }
    }

    static func problemLines(_ problems: [CatalogProblem]) -> [String] {
        problems.map { problem in "  - " + (problem.item.map { "\($0) " } ?? "") + "\(problem.field): \(problem.message)" }
    }

    static func conflictLines(_ conflicts: [CatalogConflict]) -> [String] {
        conflicts.map { conflict -> String in
            "  - \(conflict.item) \(conflict.field) (\(conflict.label.zh) / \(conflict.label.en)): "
                + "原 base \(value(conflict.base)) | 已发布 current \(value(conflict.current)) | 草稿 draft \(value(conflict.draft))"
        }
    }

    static func draftLines(_ view: DraftView) -> [String] {
        let draft = view.draft
        var header = "草稿 / draft #\(draft.id)  \(state(draft.state))  基于 / base v\(draft.base)"
        if draft.isOpen && draft.base != view.currentVersion {
            header += "（当前为 v\(view.currentVersion)，需变基 / v\(view.currentVersion) is current: rebase it）"
        }
        var lines: [String] = [header]
        lines.append("  说明 / note: " + (draft.note.isEmpty ? "-" : draft.note))
        lines.append("  创建 / created: \(draft.createdBy.username), \(time(draft.createdAt))   更新 / updated: \(time(draft.updatedAt))")
        lines.append("  编辑 / editors: " + list(draft.editors.map(\.username)))
        if let by = draft.submittedBy { lines.append("  提交 / submitted by: \(by.username)") }
        if let by = draft.approvedBy { lines.append("  批准 / approved by: \(by.username)") }
        if let at = draft.publishAt { lines.append("  排期 / publishes at: \(time(at)) (Asia/Shanghai)") }
        if let version = draft.publishedVersion { lines.append("  已发布为 / published as: v\(version)") }
        if let version = draft.rollbackOf { lines.append("  回滚到 / restores: v\(version)") }
        if draft.strandingConfirmed { lines.append("  已确认无人可办的分类 / stranding confirmed") }
        for comment in draft.comments { lines.append("  意见 / comment (\(comment.by.username), \(time(comment.at))): \(comment.text)") }
        lines.append("修改 / changes (\(view.changes.count)):")
        lines += changeTable(view.changes)
        if !view.problems.isEmpty {
            lines.append("问题 / problems (\(view.problems.count)):")
            lines += problemLines(view.problems)
        }
        return lines
    }

    static func itemLines(_ item: CatalogItem, version: Int, departmentName: LocalizedText?) -> [String] {
        let department = departmentName.map { " \($0.zh) / \($0.en)" } ?? ""
        var lines: [String] = ["\(item.code)  \(item.name.zh) / \(item.name.en)"]
        lines.append("  状态 / status: \(item.status.rawValue)   事项版本 / item version: \(version)   分类 / category: \(item.category)")
        lines.append("  实施主体 / department: \(item.department)\(department) (\(item.departmentRole.rawValue))")
        lines.append("  办件类型 / handling: \(item.handlingType.rawValue)   预计 / expected: \(item.expectedMinutes) min   到现场 / visits: \(item.visits)")
        lines.append(
            "  法定时限 / legal limit: \(item.legalTimeLimit.days) \(item.legalTimeLimit.unit.rawValue)   "
                + "承诺时限 / promised: \(item.promisedTimeLimit.days) \(item.promisedTimeLimit.unit.rawValue)")
        lines.append("  收费 / fee: \(item.fee.yuan) 元 — \(item.fee.note.zh) / \(item.fee.note.en)")
        lines.append("  申请材料 / materials:" + (item.materials.isEmpty ? " (无 / none)" : ""))
        for (index, material) in item.materials.enumerated() {
            let flags: [String] = [
                material.form.rawValue, material.required ? "required" : "optional", "\(material.copies) copy", material.medium.rawValue,
                material.source.rawValue,
            ]
            lines.append("    \(index + 1). \(material.name.zh) / \(material.name.en) (\(flags.joined(separator: ", ")))")
        }
        lines.append("  受理条件 / conditions: \(item.conditions.zh) / \(item.conditions.en)")
        lines.append("  办理结果 / result: \(item.result.name.zh) / \(item.result.name.en) (\(item.result.kind.rawValue))")
        lines.append("  办事指南 / guide: \(item.guide.zh) / \(item.guide.en)")
        lines.append("  咨询 / enquiries: \(item.consultPhone)   投诉 / complaints: \(item.complaintPhone)")
        if let date = item.effectiveFrom { lines.append("  生效日期 / effective from: \(date)") }
        return lines
    }

    /// Columns padded to the widest cell (Chinese characters count double); the last column is not padded.
    static func table(_ rows: [[String]]) -> [String] {
        var widths: [Int] = []
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index >= widths.count { widths.append(0) }
                widths[index] = max(widths[index], width(cell))
            }
        }
        return rows.map { row -> String in
            var line = ""
            for (index, cell) in row.enumerated() {
                if index > 0 { line += "  " }
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - width(cell)) }
            }
            return line
        }
    }

    static func width(_ text: String) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += isWide(scalar.value) ? 2 : 1 }
        return total
    }

    /// East Asian wide characters take two columns in a terminal.
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

// MARK: - The editor

enum CatalogEditor {
    enum Reading {
        case unchanged
        case edited(CatalogItem)
        case unreadable(CatalogProblem)
    }

    /// `$EDITOR`, else `$VISUAL`, else `vi`; it may carry arguments (`code --wait`).
    static var command: String {
        let environment = ProcessInfo.processInfo.environment
        for name in ["EDITOR", "VISUAL"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return "vi"
    }

    static func temporaryPath(draft: Int64, code: String) -> String {
        var safe = ""
        for scalar in code.unicodeScalars where CharacterSet.alphanumerics.contains(scalar) || scalar == "-" {
            safe.unicodeScalars.append(scalar)
        }
        let name = "windowctl-draft\(draft)-\(safe)-\(UUID().uuidString.prefix(8)).json"
        return FileManager.default.temporaryDirectory.appendingPathComponent(name).path
    }

    /// Runs the editor on `path` and waits for it. The editor is spawned directly, in windowctl's
    /// own process group: Foundation's `Process` on Linux puts its child in a new process group,
    /// where a terminal editor is stopped (SIGTTIN) the moment it reads the terminal.
    static func open(_ path: String) throws {
        let editor = command
        // Through the shell, so that EDITOR may carry arguments; the path is passed as "$1", never parsed.
        let arguments = ["/bin/sh", "-c", editor + " \"$@\"", editor, path]
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, envp)
        guard spawned == 0 else {
            throw refuse("无法启动编辑器 / cannot start the editor \(editor): \(String(cString: strerror(spawned))); your file is \(path)")
        }
        // Ctrl-C belongs to the editor while it runs (as with git): windowctl keeps waiting.
        let previousInterrupt = signal(SIGINT, SIG_IGN)
        let previousQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            _ = signal(SIGINT, previousInterrupt)
            _ = signal(SIGQUIT, previousQuit)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw refuse("等待编辑器失败 / lost the editor: \(String(cString: strerror(errno))); your file is \(path)") }
        }
        let signalled = status & 0x7F
        let exitCode = (status >> 8) & 0xFF
        guard signalled == 0, exitCode == 0 else {
            let how = signalled != 0 ? "signal \(signalled)" : "status \(exitCode)"
            throw refuse("编辑器异常退出，未保存 / the editor \(editor) ended with \(how); nothing saved, your file is kept in \(path)")
        }
    }

    static func read(_ path: String, code: String, original: CatalogItem, originalBytes: Data) -> Reading {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .unreadable(CatalogProblem(item: code, field: "(file)", message: "文件不见了 / the file \(path) is gone"))
        }
        if data == originalBytes { return .unchanged }
        let item: CatalogItem
        do {
            item = try JSONDecoder().decode(CatalogItem.self, from: data)
        } catch let error as DecodingError {
            return .unreadable(CatalogProblem(item: code, field: "(file)", message: error.summary))
        } catch {
            return .unreadable(CatalogProblem(item: code, field: "(file)", message: "\(error)"))
        }
        if item == original { return .unchanged }
        if item.code != code {
            return .unreadable(CatalogProblem(
                item: code, field: "code", message: "编码不能修改 / the code cannot change here (was \(code), now \(item.code))"))
        }
        return .edited(item)
    }

    /// Asks whether to open the editor again; false without a terminal on standard input.
    static func askAgain() -> Bool {
        guard isatty(STDIN_FILENO) != 0 else { return false }
        while true {
            FileHandle.standardError.write(Data("重新打开编辑器修改？/ edit again? [y/n] ".utf8))
            guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
            if ["y", "yes", "是"].contains(answer) { return true }
            if ["n", "no", "否"].contains(answer) { return false }
        }
    }
}
