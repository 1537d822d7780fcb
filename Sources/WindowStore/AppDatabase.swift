import Foundation
import GRDB
import WindowCore

/// The application's database: owns the schema and exposes one method per intention,
/// each of them a single transaction.
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter

    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// Opens (creating when missing) the WAL database at `path`.
    public static func open(path: String) throws -> AppDatabase {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A busy writer waits instead of failing: several connections may write in WAL mode.
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try AppDatabase(pool)
    }

    /// An empty in-memory database, for tests.
    public static func inMemory() throws -> AppDatabase {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try AppDatabase(DatabaseQueue(configuration: configuration))
    }

    public var reader: any DatabaseReader { writer }
}

extension AppDatabase {
    /// The schema. Migrations never change once shipped: add new ones at the end.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-catalog") { db in
            try db.create(table: "category") { t in
                t.primaryKey("code", .text)
                t.column("letter", .text).notNull().unique()
                t.column("nameZh", .text).notNull()
                t.column("nameEn", .text).notNull()
                t.column("position", .integer).notNull()
            }
            try db.create(table: "catalogItem") { t in
                t.primaryKey("code", .text)
                t.column("category", .text).notNull().indexed().references("category", onDelete: .restrict)
                t.column("status", .text).notNull()
                t.column("nameZh", .text).notNull()
                t.column("nameEn", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("position", .integer).notNull()
                // The whole item as JSON: the authoritative copy the columns above index.
                t.column("document", .jsonText).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            // Every published version of every item, for history and audit.
            try db.create(table: "catalogItemVersion") { t in
                t.column("code", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("document", .jsonText).notNull()
                t.column("publishedAt", .datetime).notNull()
                t.column("publishedBy", .text).notNull()
                t.primaryKey(["code", "version"])
            }
        }

        migrator.registerMigration("v1-accounts") { db in
            try db.create(table: "account") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("username", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("displayName", .text).notNull()
                t.column("role", .text).notNull()
                t.column("passwordHash", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }

        migrator.registerMigration("v1-settings") { db in
            // Small facts about this installation, e.g. when the catalog was seeded.
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        return migrator
    }

    /// Names of the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try reader.read { db in try Self.migrator.appliedMigrations(db) }
    }
}
