import Foundation
import WindowCore

/// A catalog item as the API serves it: the item's fields plus its own `version` (a ticket keeps
/// the version it was issued under) and its department's name.
public struct CatalogItemView: Codable, Sendable, Equatable {
    public var item: CatalogItem
    public var version: Int
    /// The 实施主体's name from the catalog's table of departments.
    public var departmentName: LocalizedText?

    public init(item: CatalogItem, version: Int, departmentName: LocalizedText? = nil) {
        self.item = item
        self.version = version
        self.departmentName = departmentName
    }

    public init(from decoder: any Decoder) throws {
        item = try CatalogItem(from: decoder)
        let container = try decoder.container(keyedBy: ExtraKey.self)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 0
        departmentName = try container.decodeIfPresent(LocalizedText.self, forKey: .departmentName)
    }

    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKey.self)
        try container.encode(version, forKey: .version)
        try container.encodeIfPresent(departmentName, forKey: .departmentName)
    }

    enum ExtraKey: String, CodingKey { case version, departmentName }
}

/// `catalog` on the live connection: a new catalog version is published; clients reload it.
public struct CatalogPublished: Codable, Sendable, Equatable {
    public var version: Int

    public init(version: Int) { self.version = version }
}

// MARK: - Managing the catalog

/// A draft as a list shows it.
public struct DraftSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var base: Int
    public var state: CatalogDraft.State
    public var note: String
    public var createdBy: String
    public var editors: [String]
    public var updatedAt: Date
    public var publishAt: Date?
    public var changedItems: [String]

    public init(draft: CatalogDraft, changedItems: [String]) {
        id = draft.id
        base = draft.base
        state = draft.state
        note = draft.note
        createdBy = draft.createdBy.username
        editors = draft.editors.map(\.username)
        updatedAt = draft.updatedAt
        publishAt = draft.publishAt
        self.changedItems = changedItems
    }
}

/// A draft with what it changes and what is wrong with it.
public struct DraftView: Codable, Sendable, Equatable {
    public var draft: CatalogDraft
    /// Field by field, from its base version.
    public var changes: [CatalogChange]
    /// Every problem of the draft's catalog (empty when it can be submitted).
    public var problems: [CatalogProblem]
    /// The published version now; the draft needs a rebase when it differs from `draft.base`.
    public var currentVersion: Int

    public init(draft: CatalogDraft, changes: [CatalogChange], problems: [CatalogProblem], currentVersion: Int) {
        self.draft = draft
        self.changes = changes
        self.problems = problems
        self.currentVersion = currentVersion
    }
}

public struct DraftList: Codable, Sendable, Equatable {
    public var drafts: [DraftSummary]
    public init(drafts: [DraftSummary]) { self.drafts = drafts }
}

public struct CreateDraftRequest: Codable, Sendable {
    public var note: String?
    public init(note: String? = nil) { self.note = note }
}

/// Saves one item in a draft; `revision` is the draft's revision of the item the editor loaded (0 if unedited).
public struct SaveDraftItemRequest: Codable, Sendable {
    public var item: CatalogItem
    public var revision: Int
    public init(item: CatalogItem, revision: Int) {
        self.item = item
        self.revision = revision
    }
}

/// Checks an item against the draft's catalog without saving it (live validation).
public struct CheckItemRequest: Codable, Sendable {
    public var item: CatalogItem
    public init(item: CatalogItem) { self.item = item }
}

public struct ProblemList: Codable, Sendable, Equatable {
    public var problems: [CatalogProblem]
    public init(problems: [CatalogProblem]) { self.problems = problems }
}

public struct SubmitDraftRequest: Codable, Sendable {
    public var note: String?
    public init(note: String? = nil) { self.note = note }
}

public struct SendBackRequest: Codable, Sendable {
    public var comment: String
    public init(comment: String) { self.comment = comment }
}

/// Publishes an approved draft now, or at `at` (a future time).
public struct PublishRequest: Codable, Sendable {
    public var at: Date?
    /// Publish even though a category is left without a skilled clerk (the impact says which).
    public var confirmStranding: Bool?
    public init(at: Date? = nil, confirmStranding: Bool? = nil) {
        self.at = at
        self.confirmStranding = confirmStranding
    }
}

public struct RebaseRequest: Codable, Sendable {
    /// Which value wins where both changed; without it a conflict refuses the rebase and lists the fields.
    public var resolution: RebaseResolution?
    public init(resolution: RebaseResolution? = nil) { self.resolution = resolution }
}

public struct RollbackRequest: Codable, Sendable {
    public var note: String
    public init(note: String) { self.note = note }
}

/// What publishing a draft would do to the work in progress.
public struct PublishImpact: Codable, Sendable, Equatable {
    public struct ItemTickets: Codable, Sendable, Equatable {
        public var item: String
        public var waiting: Int
        public init(item: String, waiting: Int) {
            self.item = item
            self.waiting = waiting
        }
    }

    /// Waiting tickets per changed item (they keep their version's materials, guide and ETA).
    public var waitingByChangedItem: [ItemTickets]
    /// Categories with items people can take but no clerk skilled for them.
    public var strandedCategories: [String]
    /// Items the draft suspends or retires that still have tickets waiting (they are still served).
    public var suspendedWithWaiting: [ItemTickets]
    /// Items that move to another category; their waiting tickets move with them.
    public var recategorized: [String]

    public init(waitingByChangedItem: [ItemTickets], strandedCategories: [String], suspendedWithWaiting: [ItemTickets], recategorized: [String]) {
        self.waitingByChangedItem = waitingByChangedItem
        self.strandedCategories = strandedCategories
        self.suspendedWithWaiting = suspendedWithWaiting
        self.recategorized = recategorized
    }
}

public struct VersionList: Codable, Sendable, Equatable {
    public var current: Int
    public var versions: [CatalogVersionInfo]
    public init(current: Int, versions: [CatalogVersionInfo]) {
        self.current = current
        self.versions = versions
    }
}

public struct CatalogDiffView: Codable, Sendable, Equatable {
    public var from: Int
    public var to: Int
    public var changes: [CatalogChange]
    public init(from: Int, to: Int, changes: [CatalogChange]) {
        self.from = from
        self.to = to
        self.changes = changes
    }
}

public struct CatalogPolicy: Codable, Sendable, Equatable {
    /// Whether one manager may edit and approve the same draft.
    public var onePersonPublish: Bool
    public init(onePersonPublish: Bool) { self.onePersonPublish = onePersonPublish }
}

public struct CatalogEventList: Codable, Sendable, Equatable {
    public var events: [CatalogAuditEvent]
    public init(events: [CatalogAuditEvent]) { self.events = events }
}

/// The answer to an import: the draft it opened, or none when the file changes nothing.
public struct ImportResult: Codable, Sendable, Equatable {
    public var draft: DraftView?
    public var changes: Int
    public init(draft: DraftView?, changes: Int) {
        self.draft = draft
        self.changes = changes
    }
}
