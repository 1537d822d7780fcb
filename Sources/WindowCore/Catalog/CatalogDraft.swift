import Foundation

/// A comment on a draft, e.g. why it was sent back.
public struct DraftComment: Codable, Hashable, Sendable {
    public var by: AccountName
    public var at: Date
    public var text: String

    public init(by: AccountName, at: Date, text: String) {
        self.by = by
        self.at = at
        self.text = text
    }
}

/// Edits to the catalog collected over a base version, reviewed by a second manager, then
/// published as the next version.
public struct CatalogDraft: Codable, Hashable, Sendable {
    public enum State: String, Codable, Hashable, Sendable, CaseIterable {
        /// Managers edit it.
        case editing
        /// Waiting for a second manager's review.
        case submitted
        /// Approved; a manager may publish it now or at a set time.
        case approved
        /// Approved and to be published at ``CatalogDraft/publishAt``.
        case scheduled
        case published
        case discarded
    }

    public var id: Int64
    /// The published catalog version the edits apply to.
    public var base: Int
    public var state: State
    /// Why: required before review, kept in the history.
    public var note: String
    public var createdBy: AccountName
    public var createdAt: Date
    public var updatedAt: Date
    /// The catalog as it would be published.
    public var document: CatalogDocument
    /// Per item code, how many times the item was saved in this draft (a save names the revision it started from).
    public var revisions: [String: Int]
    /// Everyone who changed the draft; none of them may approve it (unless one-person publish is allowed).
    public var editors: [AccountName]
    public var submittedBy: AccountName?
    public var approvedBy: AccountName?
    public var publishAt: Date?
    public var publishedVersion: Int?
    public var comments: [DraftComment]
    /// Set when the draft restores an earlier version.
    public var rollbackOf: Int?
    /// The manager confirmed publishing although a category is left without a skilled clerk.
    public var strandingConfirmed: Bool

    public init(
        id: Int64, base: Int, note: String, createdBy: AccountName, at: Date, document: CatalogDocument, rollbackOf: Int? = nil
    ) {
        self.id = id
        self.base = base
        self.state = .editing
        self.note = note
        self.createdBy = createdBy
        self.createdAt = at
        self.updatedAt = at
        self.document = document
        self.revisions = [:]
        self.editors = []
        self.submittedBy = nil
        self.approvedBy = nil
        self.publishAt = nil
        self.publishedVersion = nil
        self.comments = []
        self.rollbackOf = rollbackOf
        self.strandingConfirmed = false
    }

    public var isOpen: Bool { state != .published && state != .discarded }
}

/// Why a step on a draft is refused, with a stable code for the API.
public struct DraftRefusal: Error, Hashable, Sendable {
    public enum Code: String, Sendable {
        case draftNotEditable
        case draftState
        case noteRequired
        case noChanges
        case catalogInvalid
        case sameReviewer
        case draftOutdated
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension CatalogDraft {
    /// Saves one item's new version; `revision` is the draft's revision of the item the editor began from.
    /// - Returns: nil when saved, or the revision now in the draft when someone saved in between.
    public mutating func save(_ item: CatalogItem, startedFrom revision: Int, by person: AccountName, at: Date) throws(DraftRefusal) -> Int? {
        guard state == .editing else {
            throw DraftRefusal(.draftNotEditable, "草稿已提交审核，需退回后才能修改 / the draft is under review or done; send it back to edit")
        }
        let current = revisions[item.code] ?? 0
        if current != revision { return current }
        document.replace(item)
        revisions[item.code] = current + 1
        touch(by: person, at: at)
        return nil
    }

    mutating func touch(by person: AccountName, at: Date) {
        if !editors.contains(where: { $0.account == person.account }) { editors.append(person) }
        updatedAt = at
    }

    public mutating func submit(note: String?, by person: AccountName, base current: CatalogDocument, at: Date) throws(DraftRefusal) {
        guard state == .editing else { throw DraftRefusal(.draftState, "只有编辑中的草稿可以提交 / only a draft being edited can be submitted") }
        if let note = note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty { self.note = note }
        guard !self.note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DraftRefusal(.noteRequired, "请说明修改原因 / say why (a note is required)")
        }
        guard document != current else { throw DraftRefusal(.noChanges, "草稿没有任何修改 / the draft changes nothing") }
        let problems = document.problems()
        guard problems.isEmpty else {
            throw DraftRefusal(.catalogInvalid, "草稿有 \(problems.count) 处问题 / the draft has \(problems.count) problem(s): " + problems.prefix(5).map(\.description).joined(separator: "; "))
        }
        state = .submitted
        submittedBy = person
        updatedAt = at
    }

    /// A second manager approves. The people who edited may not, unless one-person publish is allowed.
    public mutating func approve(by person: AccountName, onePersonAllowed: Bool, at: Date) throws(DraftRefusal) {
        guard state == .submitted else { throw DraftRefusal(.draftState, "只有已提交的草稿可以审核 / only a submitted draft can be approved") }
        if !onePersonAllowed, editors.contains(where: { $0.account == person.account }) || submittedBy?.account == person.account {
            throw DraftRefusal(.sameReviewer, "审核须由未修改该草稿的另一位管理员进行 / a second manager who made no edit in the draft must approve it")
        }
        state = .approved
        approvedBy = person
        updatedAt = at
    }

    /// Sends the draft back to editing, with the reason.
    public mutating func sendBack(comment: String, by person: AccountName, at: Date) throws(DraftRefusal) {
        guard [.submitted, .approved, .scheduled].contains(state) else {
            throw DraftRefusal(.draftState, "只有审核中、已批准或已排期的草稿可以退回 / only a draft under review, approved or scheduled can be sent back")
        }
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !comment.isEmpty else { throw DraftRefusal(.noteRequired, "退回须写明原因 / say why it goes back") }
        state = .editing
        approvedBy = nil
        submittedBy = nil
        publishAt = nil
        strandingConfirmed = false
        comments.append(DraftComment(by: person, at: at, text: comment))
        updatedAt = at
    }

    /// Checks the draft can be published over `currentVersion`.
    public func checkPublishable(currentVersion: Int) throws(DraftRefusal) {
        guard state == .approved || state == .scheduled else {
            throw DraftRefusal(.draftState, "只有已批准的草稿可以发布 / only an approved draft can be published")
        }
        guard base == currentVersion else {
            throw DraftRefusal(.draftOutdated, "草稿基于第 \(base) 版，当前为第 \(currentVersion) 版，请先变基 / the draft is based on version \(base) but version \(currentVersion) is current; rebase it first")
        }
    }
}

/// How a catalog version came to be.
public enum CatalogVersionKind: String, Codable, Hashable, Sendable {
    /// Loaded from `catalog/` on first start.
    case seed
    /// Converted from an older file format.
    case upgrade
    /// A reviewed draft.
    case publish
    /// A reviewed draft restoring an earlier version.
    case rollback
}

/// One published catalog version: who drafted, who approved, when and why.
public struct CatalogVersionInfo: Codable, Hashable, Sendable {
    public var number: Int
    public var kind: CatalogVersionKind
    public var publishedAt: Date
    public var publishedBy: String
    public var approvedBy: String?
    public var draftedBy: [String]
    public var draft: Int64?
    public var note: String
    public var rollbackOf: Int?

    public init(
        number: Int, kind: CatalogVersionKind, publishedAt: Date, publishedBy: String, approvedBy: String?, draftedBy: [String],
        draft: Int64?, note: String, rollbackOf: Int?
    ) {
        self.number = number
        self.kind = kind
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
        self.approvedBy = approvedBy
        self.draftedBy = draftedBy
        self.draft = draft
        self.note = note
        self.rollbackOf = rollbackOf
    }
}

/// One entry of the catalog's audit log.
public struct CatalogAuditEvent: Codable, Hashable, Sendable {
    public var seq: Int64
    public var at: Date
    public var actor: String
    /// e.g. `draft.created`, `draft.item-saved`, `draft.approved`, `catalog.published`, `policy.changed`.
    public var kind: String
    public var draft: Int64?
    public var version: Int?
    public var detail: [String: String]

    public init(seq: Int64, at: Date, actor: String, kind: String, draft: Int64?, version: Int?, detail: [String: String]) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.kind = kind
        self.draft = draft
        self.version = version
        self.detail = detail
    }
}
