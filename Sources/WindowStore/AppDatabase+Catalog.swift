import Foundation
import GRDB
import WindowCore

struct CategoryRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "category"
    var code: String
    var letter: String
    var nameZh: String
    var nameEn: String
    var position: Int

    enum Columns {
        static let code = Column(CodingKeys.code)
        static let position = Column(CodingKeys.position)
    }

    var category: WindowCore.Category {
        Category(code: code, letter: letter, name: LocalizedText(zh: nameZh, en: nameEn))
    }
}

struct CatalogItemRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "catalogItem"
    var code: String
    var category: String
    var status: String
    var nameZh: String
    var nameEn: String
    var version: Int
    var position: Int
    var document: Data
    var updatedAt: Date

    enum Columns {
        static let code = Column(CodingKeys.code)
        static let category = Column(CodingKeys.category)
        static let nameZh = Column(CodingKeys.nameZh)
        static let nameEn = Column(CodingKeys.nameEn)
        static let position = Column(CodingKeys.position)
    }

    init(item: CatalogItem, version: Int, position: Int, updatedAt: Date) throws {
        code = item.code
        category = item.category
        status = item.status.rawValue
        nameZh = item.name.zh
        nameEn = item.name.en
        self.version = version
        self.position = position
        document = try CatalogCoding.encoder.encode(item)
        self.updatedAt = updatedAt
    }

    func item() throws -> CatalogItem {
        try CatalogCoding.decoder.decode(CatalogItem.self, from: document)
    }
}

struct CatalogItemVersionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "catalogItemVersion"
    var code: String
    var version: Int
    var document: Data
    var publishedAt: Date
    var publishedBy: String
}

struct CatalogVersionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "catalogVersion"
    var number: Int
    var document: Data
    var publishedAt: Date
    var publishedBy: String
    var approvedBy: String?
    var draftID: Int64?
    var note: String
    var kind: String
}

enum CatalogCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
    static let decoder = JSONDecoder()
}

/// A catalog item as stored: the item plus its own version number (bumped each time a publish changes it).
public struct StoredCatalogItem: Sendable, Hashable {
    public var item: CatalogItem
    public var version: Int
}

/// The published catalog as it stands: its version number and document, with each item's version.
public struct PublishedCatalog: Sendable {
    public var version: Int
    public var document: CatalogDocument
    public var items: [String: StoredCatalogItem]

    public func department(_ code: String) -> Department? { document.department(code) }
}

extension AppDatabase {
    static let catalogSeededKey = "catalog.seededAt"
    static let onePersonPublishKey = "catalog.onePersonPublish"

    /// Seeds the catalog from a validated document, once, as version 1. Later starts keep what managers published.
    /// - Returns: true when this call seeded the catalog.
    @discardableResult
    public func seedCatalogIfNeeded(_ document: CatalogDocument, now: Date = Date()) throws -> Bool {
        defer { held.forgetCatalog() }
        return try writer.write { db in
            if try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [Self.catalogSeededKey]) != nil {
                return false
            }
            for (position, category) in document.categories.enumerated() {
                try CategoryRecord(
                    code: category.code, letter: category.letter,
                    nameZh: category.name.zh, nameEn: category.name.en, position: position
                ).insert(db)
            }
            for (position, item) in document.items.enumerated() {
                let record = try CatalogItemRecord(item: item, version: 1, position: position, updatedAt: now)
                try record.insert(db)
                try CatalogItemVersionRecord(
                    code: item.code, version: 1, document: record.document, publishedAt: now, publishedBy: "seed"
                ).insert(db)
            }
            try CatalogVersionRecord(
                number: 1, document: try CatalogCoding.encoder.encode(document), publishedAt: now, publishedBy: "seed",
                approvedBy: nil, draftID: nil, note: "初始目录 / the shipped catalog", kind: CatalogVersionKind.seed.rawValue
            ).insert(db)
            try db.execute(
                sql: "INSERT INTO setting (key, value) VALUES (?, ?)",
                arguments: [Self.catalogSeededKey, ISO8601DateFormatter().string(from: now)]
            )
            return true
        }
    }

    /// Categories in catalog order; held in memory (``HeldReference``).
    public func categories() throws -> [WindowCore.Category] {
        try heldCatalog().categories
    }

    /// The published catalog; held in memory (``HeldReference``).
    public func publishedCatalog() throws -> PublishedCatalog {
        let held = try heldCatalog()
        return PublishedCatalog(version: held.version, document: held.document, items: held.items)
    }

    private func heldCatalog() throws -> HeldReference.Catalog {
        try held.catalog {
            try reader.read { db in
                let version = try CatalogVersionRecord.order(Column("number").desc).fetchOne(db)
                let document = try version.map { try CatalogCoding.decoder.decode(CatalogDocument.self, from: $0.document) }
                return HeldReference.Catalog(
                    version: version?.number ?? 0,
                    document: document ?? CatalogDocument(departments: [], categories: [], items: []),
                    items: Dictionary(uniqueKeysWithValues: try CatalogItemRecord.fetchAll(db).map { ($0.code, StoredCatalogItem(item: try $0.item(), version: $0.version)) }),
                    categories: try CategoryRecord.order(CategoryRecord.Columns.position).fetchAll(db).map(\.category))
            }
        }
    }

    /// Items in catalog order, optionally of one category and status, matching a search in code or zh/en name.
    public func catalogItems(category: String? = nil, status: CatalogItem.Status? = nil, search: String? = nil) async throws -> [StoredCatalogItem] {
        try await reader.read { db in
            var request = CatalogItemRecord.order(CatalogItemRecord.Columns.position)
            if let category {
                request = request.filter(CatalogItemRecord.Columns.category == category)
            }
            if let status {
                request = request.filter(Column("status") == status.rawValue)
            }
            if let search = search?.trimmingCharacters(in: .whitespacesAndNewlines), !search.isEmpty {
                let pattern = "%" + Self.escapeLike(search) + "%"
                request = request.filter(
                    sql: "(code LIKE ? ESCAPE '\\' OR nameZh LIKE ? ESCAPE '\\' OR nameEn LIKE ? ESCAPE '\\')",
                    arguments: [pattern, pattern, pattern]
                )
            }
            return try request.fetchAll(db).map { StoredCatalogItem(item: try $0.item(), version: $0.version) }
        }
    }

    /// One item as stored; held in memory (``HeldReference``).
    public func catalogItem(code: String) throws -> StoredCatalogItem? {
        try heldCatalog().items[code]
    }

    /// One version of one item, as tickets issued under it keep seeing it.
    public func catalogItem(code: String, version: Int) async throws -> StoredCatalogItem? {
        if let held = try heldCatalog().items[code], held.version == version { return held }
        return try await reader.read { db in
            try CatalogItemVersionRecord.filter(Column("code") == code && Column("version") == version).fetchOne(db).map {
                StoredCatalogItem(item: try CatalogCoding.decoder.decode(CatalogItem.self, from: $0.document), version: version)
            }
        }
    }

    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    public func isCatalogSeeded() throws -> Bool {
        try reader.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [Self.catalogSeededKey]) != nil
        }
    }
}

// MARK: - Versions, drafts and the audit log

extension AppDatabase {
    /// Every published version, newest first, with who drafted and approved it.
    public func catalogVersions() async throws -> [CatalogVersionInfo] {
        try await reader.read { db in
            let drafts = try Self.drafts(db, states: [.published])
            return try CatalogVersionRecord.order(Column("number").desc).fetchAll(db).map { record in
                let draft = record.draftID.flatMap { id in drafts.first { $0.id == id } }
                return CatalogVersionInfo(
                    number: record.number, kind: CatalogVersionKind(rawValue: record.kind) ?? .publish, publishedAt: record.publishedAt,
                    publishedBy: record.publishedBy, approvedBy: record.approvedBy, draftedBy: draft?.editors.map(\.username) ?? [],
                    draft: record.draftID, note: record.note, rollbackOf: draft?.rollbackOf)
            }
        }
    }

    /// One published version's whole catalog.
    public func catalogDocument(version: Int) async throws -> CatalogDocument? {
        try await reader.read { db in
            try CatalogVersionRecord.fetchOne(db, key: version).map { try CatalogCoding.decoder.decode(CatalogDocument.self, from: $0.document) }
        }
    }

    public func catalogDraft(id: Int64) async throws -> CatalogDraft? {
        try await reader.read { db in try Self.draft(db, id: id) }
    }

    /// Drafts, newest first; by default the open ones.
    public func catalogDrafts(states: [CatalogDraft.State] = CatalogDraft.State.allCases.filter { $0 != .published && $0 != .discarded }) async throws -> [CatalogDraft] {
        try await reader.read { db in try Self.drafts(db, states: states) }
    }

    static func draft(_ db: Database, id: Int64) throws -> CatalogDraft? {
        try Data.fetchOne(db, sql: "SELECT draft FROM catalogDraft WHERE id = ?", arguments: [id]).map {
            try CatalogCoding.decoder.decode(CatalogDraft.self, from: $0)
        }
    }

    static func drafts(_ db: Database, states: [CatalogDraft.State]) throws -> [CatalogDraft] {
        try Data.fetchAll(
            db, sql: "SELECT draft FROM catalogDraft WHERE state IN (\(states.map { _ in "?" }.joined(separator: ","))) ORDER BY id DESC",
            arguments: StatementArguments(states.map(\.rawValue))
        ).map { try CatalogCoding.decoder.decode(CatalogDraft.self, from: $0) }
    }

    /// Creates a draft (its id is assigned here) and logs it.
    public func createCatalogDraft(_ draft: CatalogDraft, event: CatalogAuditEvent) throws -> CatalogDraft {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO catalogDraft (state, draft) VALUES (?, '{}')", arguments: [draft.state.rawValue])
            var created = draft
            created.id = db.lastInsertedRowID
            try Self.update(db, created)
            var event = event
            event.draft = created.id
            try Self.append(db, event)
            return created
        }
    }

    /// Writes a draft's new state and its audit event together; `edit` records an item's save.
    public func saveCatalogDraft(_ draft: CatalogDraft, event: CatalogAuditEvent, edit: (item: CatalogItem, revision: Int, editor: String)? = nil) throws {
        try writer.write { db in
            try Self.update(db, draft)
            if let edit {
                try db.execute(
                    sql: "INSERT INTO catalogDraftEdit (draftID, code, revision, editor, at, document) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [draft.id, edit.item.code, edit.revision, edit.editor, event.at, try CatalogCoding.encoder.encode(edit.item)])
            }
            try Self.append(db, event)
        }
    }

    /// An item as saved at one revision of a draft (revision 0 is the base version's).
    public func draftItem(draft: Int64, code: String, revision: Int) async throws -> (item: CatalogItem, editor: String, at: Date)? {
        try await reader.read { db in
            try Row.fetchOne(
                db, sql: "SELECT document, editor, at FROM catalogDraftEdit WHERE draftID = ? AND code = ? AND revision = ?",
                arguments: [draft, code, revision]
            ).map { (try CatalogCoding.decoder.decode(CatalogItem.self, from: $0["document"] as Data), $0["editor"], $0["at"]) }
        }
    }

    static func update(_ db: Database, _ draft: CatalogDraft) throws {
        try db.execute(
            sql: "UPDATE catalogDraft SET state = ?, draft = ? WHERE id = ?",
            arguments: [draft.state.rawValue, try CatalogCoding.encoder.encode(draft), draft.id])
    }

    static func append(_ db: Database, _ event: CatalogAuditEvent) throws {
        try db.execute(
            sql: "INSERT INTO catalogEvent (at, actor, kind, draftID, version, detail) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [event.at, event.actor, event.kind, event.draft, event.version, try CatalogCoding.encoder.encode(event.detail)])
    }

    public func appendCatalogEvent(_ event: CatalogAuditEvent) throws {
        try writer.write { db in try Self.append(db, event) }
    }

    /// The catalog's audit log, newest first; of one draft when given.
    public func catalogEvents(draft: Int64? = nil, limit: Int = 200) async throws -> [CatalogAuditEvent] {
        try await reader.read { db in
            let filter = draft == nil ? "" : "WHERE draftID = ?"
            let arguments: StatementArguments = draft.map { [$0, limit] } ?? [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM catalogEvent \(filter) ORDER BY seq DESC LIMIT ?", arguments: arguments).map { row in
                CatalogAuditEvent(
                    seq: row["seq"], at: row["at"], actor: row["actor"], kind: row["kind"], draft: row["draftID"], version: row["version"],
                    detail: (try? CatalogCoding.decoder.decode([String: String].self, from: row["detail"] as Data)) ?? [:])
            }
        }
    }

    /// Whether one manager may both edit and approve a draft (an admin's site-wide setting).
    public func onePersonPublishAllowed() async throws -> Bool {
        try await reader.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [Self.onePersonPublishKey]) == "true"
        }
    }

    public func setOnePersonPublish(_ allowed: Bool, event: CatalogAuditEvent) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [Self.onePersonPublishKey, allowed ? "true" : "false"])
            try Self.append(db, event)
        }
    }

    /// Publishes an approved draft as the next version, in one transaction: the version, every
    /// changed item's new item version, the categories, the draft's state and the audit event.
    /// - Returns: the new catalog version and the items whose version changed, with their new versions.
    public func publishCatalog(
        _ draft: CatalogDraft, kind: CatalogVersionKind, by person: String, at: Date
    ) throws -> (version: Int, changed: [String: Int]) {
        defer { held.forgetCatalog() }
        return try writer.write { db in
            let current = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM catalogVersion") ?? 0
            var draft = draft
            try draft.checkPublishable(currentVersion: current)
            let number = current + 1
            let document = draft.document
            try CatalogVersionRecord(
                number: number, document: try CatalogCoding.encoder.encode(document), publishedAt: at, publishedBy: person,
                approvedBy: draft.approvedBy?.username, draftID: draft.id, note: draft.note, kind: kind.rawValue
            ).insert(db)

            for (position, category) in document.categories.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO category (code, letter, nameZh, nameEn, position) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(code) DO UPDATE SET letter = excluded.letter, nameZh = excluded.nameZh,
                        nameEn = excluded.nameEn, position = excluded.position
                        """,
                    arguments: [category.code, category.letter, category.name.zh, category.name.en, position + 1_000])
            }
            let stored = Dictionary(uniqueKeysWithValues: try CatalogItemRecord.fetchAll(db).map { ($0.code, $0) })
            var changed: [String: Int] = [:]
            for (position, item) in document.items.enumerated() {
                let old = stored[item.code]
                let version = try old.map { try $0.item() == item ? $0.version : $0.version + 1 } ?? 1
                let record = try CatalogItemRecord(item: item, version: version, position: position, updatedAt: at)
                if version != old?.version {
                    changed[item.code] = version
                    try CatalogItemVersionRecord(code: item.code, version: version, document: record.document, publishedAt: at, publishedBy: person).insert(db)
                    try record.save(db)
                } else if old?.position != position {
                    try db.execute(sql: "UPDATE catalogItem SET position = ? WHERE code = ?", arguments: [position, item.code])
                }
            }
            let codes = document.categories.map(\.code)
            try db.execute(
                sql: "DELETE FROM category WHERE code NOT IN (\(codes.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments(codes))
            try db.execute(sql: "UPDATE category SET position = position - 1000 WHERE position >= 1000")

            draft.state = .published
            draft.publishedVersion = number
            draft.updatedAt = at
            try Self.update(db, draft)
            try Self.append(db, CatalogAuditEvent(
                seq: 0, at: at, actor: person, kind: kind == .rollback ? "catalog.rolled-back" : "catalog.published", draft: draft.id,
                version: number, detail: ["items": changed.keys.sorted().joined(separator: ","), "note": draft.note]))
            return (number, changed)
        }
    }
}
