import Foundation
import GRDB
import Synchronization
import WindowCore

/// The application's database: owns the schema and exposes one method per intention,
/// each of them a single transaction.
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter
    let held = HeldReference()

    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// Opens (creating when missing) the WAL database at `path`.
    ///
    /// The writer never checkpoints the WAL itself (that would stall a commit for a whole
    /// checkpoint); ``Checkpointer`` does it beside it, on its own connection.
    public static func open(path: String, checkpointInBackground: Bool = false) throws -> AppDatabase {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A busy writer waits instead of failing: several connections may write in WAL mode.
        configuration.busyMode = Self.busyWait
        if checkpointInBackground {
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try AppDatabase(pool)
    }

    /// Waiting for a lock (the checkpointer's, another writer's): try again every 200 µs, for up
    /// to about five seconds. SQLite's own timeout backs off to sleeps of 100 ms, and a commit of the
    /// live queue behind a WAL truncation slept tens of milliseconds for a lock held one.
    static let busyWait = Database.BusyMode.callback { tries in
        usleep(200)
        return tries < 25_000
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
        migrator.registerMigration("v2-queue") { db in
            try db.create(table: "site") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("code", .text).notNull().unique()
                t.column("nameZh", .text).notNull()
                t.column("nameEn", .text).notNull()
                t.column("hours", .jsonText).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "kiosk") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("siteID", .integer).notNull().indexed().references("site", onDelete: .restrict)
                t.column("name", .text).notNull()
                // SHA-256 of the kiosk's credential; the credential itself is shown once.
                t.column("tokenHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
            try db.create(table: "clerkProfile") { t in
                t.primaryKey("accountID", .integer).references("account", onDelete: .cascade)
                t.column("window", .text).notNull()
                t.column("skills", .jsonText).notNull()
                t.column("items", .jsonText).notNull()
            }
            try db.create(table: "authToken") { t in
                t.primaryKey("tokenHash", .text)
                t.column("accountID", .integer).notNull().indexed().references("account", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            // The append-only audit log of the live queue; replaying it rebuilds the queue.
            try db.create(table: "queueEvent") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("ticketID", .integer).indexed()
                t.column("clerkID", .integer).indexed()
                t.column("record", .jsonText).notNull()
            }
            // Projections of tickets and sessions as they stand, for reads and reports.
            try db.create(table: "ticket") { t in
                t.primaryKey("id", .integer)
                t.column("number", .text).notNull()
                t.column("itemCode", .text).notNull()
                t.column("category", .text).notNull()
                t.column("siteID", .integer).notNull()
                t.column("kioskID", .integer).notNull().indexed()
                t.column("state", .text).notNull()
                t.column("priorityClass", .text).notNull()
                t.column("createdAt", .datetime).notNull().indexed()
                t.column("endedAt", .datetime)
                t.column("sessionID", .integer)
                t.column("idNumberMasked", .text)
                // HMAC of the ID number under this installation's key: matches repeat visits, reveals nothing.
                t.column("idNumberHash", .text).indexed()
                t.column("document", .jsonText).notNull()
            }
            try db.create(table: "session") { t in
                t.primaryKey("id", .integer)
                t.column("ticketID", .integer).notNull().indexed()
                t.column("clerkID", .integer).notNull().indexed()
                t.column("kioskID", .integer).notNull()
                t.column("itemCode", .text).notNull()
                t.column("state", .text).notNull()
                t.column("startedAt", .datetime).notNull()
                t.column("endedAt", .datetime)
                t.column("outcome", .text)
                t.column("notes", .text)
                t.column("caseNumber", .text)
                t.column("document", .jsonText).notNull()
            }
            try db.create(table: "material") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sessionID", .integer).notNull().indexed().references("session", onDelete: .restrict)
                t.column("name", .text).notNull()
                t.column("contentType", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("sha256", .text).notNull()
                t.column("path", .text).notNull()
                t.column("uploadedAt", .datetime).notNull()
                t.column("status", .text).notNull()
                t.column("reason", .text)
                t.column("reviewedAt", .datetime)
                t.column("reviewedBy", .integer)
            }
            try db.create(table: "rating") { t in
                t.primaryKey("sessionID", .integer).references("session", onDelete: .restrict)
                t.column("level", .integer).notNull()
                t.column("comment", .text)
                t.column("ratedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3-sign-in") { db in
            try db.alter(table: "account") { t in
                t.add(column: "failedLogins", .integer).notNull().defaults(to: 0)
                t.add(column: "lockedUntil", .datetime)
                // TOTP second factor: the shared secret, and whether it has been confirmed.
                t.add(column: "totpSecret", .text)
                t.add(column: "totpEnabled", .boolean).notNull().defaults(to: false)
            }
        }
        migrator.registerMigration("v4-queue-rows") { db in
            // Tickets and sessions become rows of their own columns: the JSON copy beside them goes.
            try db.alter(table: "ticket") { t in
                t.add(column: "expectedMinutes", .integer).notNull().defaults(to: 0)
                t.add(column: "priorityReason", .text)
                t.add(column: "enqueuedAt", .datetime)
                t.add(column: "offer", .jsonText)
                t.add(column: "targetClerk", .integer)
                t.add(column: "excluded", .jsonText)
                t.add(column: "kioskGraceUntil", .datetime)
                t.add(column: "transfers", .integer).notNull().defaults(to: 0)
            }
            // The old documents kept dates as milliseconds since 1970.
            let date = { (path: String) in
                "strftime('%Y-%m-%d %H:%M:%f', json_extract(document, '$.\(path)') / 1000.0, 'unixepoch')"
            }
            try db.execute(sql: """
                UPDATE ticket SET
                  expectedMinutes = json_extract(document, '$.expectedMinutes'),
                  priorityReason = json_extract(document, '$.priorityReason'),
                  enqueuedAt = \(date("enqueuedAt")),
                  offer = json_extract(document, '$.offer'),
                  targetClerk = json_extract(document, '$.targetClerk'),
                  excluded = json_extract(document, '$.excluded'),
                  kioskGraceUntil = \(date("kioskGraceUntil")),
                  transfers = json_extract(document, '$.transfers')
                """)
            try db.alter(table: "ticket") { t in t.drop(column: "document") }
            try db.alter(table: "session") { t in
                t.add(column: "room", .text).notNull().defaults(to: "")
                t.add(column: "kioskPresent", .boolean).notNull().defaults(to: false)
                t.add(column: "clerkPresent", .boolean).notNull().defaults(to: false)
                t.add(column: "rejoinUntil", .datetime)
            }
            try db.execute(sql: """
                UPDATE session SET
                  room = json_extract(document, '$.room'),
                  kioskPresent = json_extract(document, '$.kioskPresent'),
                  clerkPresent = json_extract(document, '$.clerkPresent'),
                  rejoinUntil = \(date("rejoinUntil"))
                """)
            try db.alter(table: "session") { t in t.drop(column: "document") }
        }
        migrator.registerMigration("v5-video-link") { db in
            try db.alter(table: "session") { t in
                t.add(column: "consent", .boolean)
                t.add(column: "kioskMedia", .text)
                t.add(column: "clerkMedia", .text)
                t.add(column: "mediaConnectedAt", .datetime)
            }
            // Screen B, the kiosk's video page: one credential per kiosk (a new pairing replaces it),
            // kept as a SHA-256 only and gone with the kiosk's revocation.
            try db.create(table: "screenBCredential") { t in
                t.primaryKey("kioskID", .integer).references("kiosk", onDelete: .cascade)
                t.column("tokenHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v6-queue-snapshot") { db in
            // The live queue as of one event of the log: start-up replays only what came after.
            try db.create(table: "queueSnapshot") { t in
                t.primaryKey("lastSeq", .integer)
                t.column("takenAt", .datetime).notNull()
                t.column("version", .integer).notNull()
                t.column("state", .jsonText).notNull()
            }
        }
        migrator.registerMigration("v7-scrape-credential") { db in
            // Read-only credentials for Prometheus' scrape of /metrics: long-lived, issued and revoked by an admin.
            try db.create(table: "scrapeCredential") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("tokenHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("createdBy", .integer).notNull()
                t.column("revokedAt", .datetime)
            }
        }
        migrator.registerMigration("v8-catalog-versions") { db in
            // Every published catalog, whole and immutable: history, diff and rollback read it.
            try db.create(table: "catalogVersion") { t in
                t.primaryKey("number", .integer)
                t.column("document", .jsonText).notNull()
                t.column("publishedAt", .datetime).notNull()
                t.column("publishedBy", .text).notNull()
                t.column("approvedBy", .text)
                t.column("draftID", .integer)
                t.column("note", .text).notNull()
                t.column("kind", .text).notNull()
            }
            // Drafts: a change set over a base version, as the whole catalog it would publish.
            try db.create(table: "catalogDraft") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("state", .text).notNull().indexed()
                t.column("draft", .jsonText).notNull()
            }
            // Every save of an item in a draft, so a refused save can show what changed under the editor.
            try db.create(table: "catalogDraftEdit") { t in
                t.column("draftID", .integer).notNull().references("catalogDraft", onDelete: .cascade)
                t.column("code", .text).notNull()
                t.column("revision", .integer).notNull()
                t.column("editor", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("document", .jsonText).notNull()
                t.primaryKey(["draftID", "code", "revision"])
            }
            // The catalog's audit log: every edit, review, publish, rollback and policy change.
            try db.create(table: "catalogEvent") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("draftID", .integer).indexed()
                t.column("version", .integer)
                t.column("detail", .jsonText).notNull()
            }
            try CatalogFormatUpgrade.upgrade(db)
        }
        registerSiteOperations(&migrator)  // v9
        registerFollowUps(&migrator)  // v10, v11
        return migrator
    }

    /// Names of the applied migrations, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await reader.read { db in try Self.migrator.appliedMigrations(db) }
    }
}

/// Copies the WAL back into the database file in the background, on a connection of its own,
/// so commits of the live queue never wait for a checkpoint.
///
/// Passive checkpoints never make the WAL file smaller, and beside a busy writer they never let it
/// restart (a writer restarts the WAL only if it began while everything was copied back). So once
/// it is past a quarter of `walLimit`, the writer itself copies back, between two commits, the few
/// frames the passive one could not reach: its next commit then starts the WAL from its beginning
/// and cuts the file back to a quarter. That holds one commit back for a few frames' copy, where a
/// TRUNCATE checkpoint held commits back about 10 ms; a TRUNCATE is left for when the WAL still
/// passes three quarters of the bound (a reader kept it from restarting), or no writer is given.
public final class Checkpointer: Sendable {
    private let connection: DatabaseQueue
    private let walPath: String
    public let walLimit: Int

    /// Has the writer copy back, between two of its commits, the little the passive checkpoint
    /// could not reach, so that its next commit starts the WAL again from its beginning.
    private let writer: AppDatabase?

    /// - Parameter writer: the database whose writer restarts the WAL (without it, past
    ///   ``shortenAt`` the WAL is truncated).
    public init(path: String, walLimit: Int = 64 << 20, writer: AppDatabase? = nil) throws {
        var configuration = Configuration()
        configuration.busyMode = AppDatabase.busyWait
        connection = try DatabaseQueue(path: path, configuration: configuration)
        walPath = path + "-wal"
        self.walLimit = walLimit
        self.writer = writer
        // When the writer starts the WAL again from its beginning, it cuts the file back to this.
        try writer?.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_size_limit = \(shortenAt)") }
    }

    /// How many times the WAL was truncated: under the writer, which waits meanwhile (with the
    /// writer given, only when restarting it did not keep the WAL under three quarters of the bound).
    public var truncations: Int { truncated.load(ordering: .relaxed) }
    private let truncated = Atomic<Int>(0)

    /// The WAL file's size in bytes (0 when there is none).
    public var walBytes: Int {
        ((try? FileManager.default.attributesOfItem(atPath: walPath)[.size]) as? Int) ?? 0
    }

    /// Past this size the WAL is shortened: started again from its beginning by the writer, or truncated.
    public var shortenAt: Int { walLimit / 4 }

    /// Past this size it is truncated at once, under the writer (a long reader kept it from restarting).
    var truncateAt: Int { walLimit / 4 * 3 }

    /// A passive checkpoint: copies what it can without blocking the writer; then, past
    /// ``shortenAt`` and once the passive one has copied everything, the writer's own (the WAL
    /// restarts), or without a writer a truncating one; past three quarters of the bound, a
    /// truncating one at once. None holds a thread while it waits.
    /// - Returns: the WAL's size afterwards.
    @discardableResult
    public func checkpoint() async throws -> Int {
        guard let (frames, copied) = try await Self.passive(on: connection) else { return walBytes }
        let size = walBytes
        if size > truncateAt || (size > shortenAt && copied == frames && writer == nil) {
            try await connection.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            truncated.add(1, ordering: .relaxed)
        } else if size > shortenAt, copied == frames, let writer,
            // Once more beside the writer, which then has only the frames of this short pass to copy.
            let (again, copiedAgain) = try await Self.passive(on: connection), copiedAgain == again
        {
            _ = try await Self.passive(on: writer.writer)
        }
        return walBytes
    }

    /// A passive checkpoint on `connection`. - Returns: the WAL's frames and those copied back, or
    /// nil when it was busy, as it now and then is beside a busy writer (it was writing the WAL's
    /// header): the next checkpoint tries again.
    private static func passive(on connection: any DatabaseWriter) async throws -> (frames: Int, copied: Int)? {
        do {
            return try await connection.writeWithoutTransaction { db in
                let result = try db.checkpoint(.passive)
                return (result.walFrameCount, result.checkpointedFrameCount)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return nil
        }
    }
}
