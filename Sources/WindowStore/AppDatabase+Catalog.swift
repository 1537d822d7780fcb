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

enum CatalogCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
    static let decoder = JSONDecoder()
}

/// A catalog item as stored: the item plus its published version number.
public struct StoredCatalogItem: Sendable, Hashable {
    public var item: CatalogItem
    public var version: Int
}

extension AppDatabase {
    static let catalogSeededKey = "catalog.seededAt"

    /// Seeds the catalog from a validated document, once. Later starts keep what managers changed.
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

    private func heldCatalog() throws -> HeldReference.Catalog {
        try held.catalog {
            try reader.read { db in
                HeldReference.Catalog(
                    items: Dictionary(uniqueKeysWithValues: try CatalogItemRecord.fetchAll(db).map { ($0.code, StoredCatalogItem(item: try $0.item(), version: $0.version)) }),
                    categories: try CategoryRecord.order(CategoryRecord.Columns.position).fetchAll(db).map(\.category))
            }
        }
    }

    /// Items in catalog order, optionally of one category and matching a search in code or zh/en name.
    public func catalogItems(category: String? = nil, search: String? = nil) async throws -> [StoredCatalogItem] {
        try await reader.read { db in
            var request = CatalogItemRecord.order(CatalogItemRecord.Columns.position)
            if let category {
                request = request.filter(CatalogItemRecord.Columns.category == category)
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

    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

extension AppDatabase {
    public func isCatalogSeeded() throws -> Bool {
        try reader.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [Self.catalogSeededKey]) != nil
        }
    }
}
