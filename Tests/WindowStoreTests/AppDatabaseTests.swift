import Foundation
import GRDB
import Synchronization
import Testing
import WindowCore

@testable import WindowStore

@Suite("store")
struct AppDatabaseTests {
    static func document() -> CatalogDocument {
        func item(_ code: String, _ zh: String, _ en: String, _ category: String) -> CatalogItem {
            CatalogItem(
                code: code, name: .init(zh: zh, en: en),
                department: "sh-psb",
                category: category, expectedMinutes: 5, needsMaterials: true,
                materials: [.init(name: .init(zh: "居民身份证", en: "Resident identity card"), form: .original, required: true)],
                conditions: .init(zh: "条件", en: "Conditions"), fee: .init(yuan: 0, note: .init(zh: "不收费", en: "Free")),
                legalBasis: .init(zh: "《居住证暂行条例》", en: "Interim Regulations on Residence Permits"),
                result: .init(name: .init(zh: "居住证", en: "Residence permit"), kind: .license, delivery: [.onSite]),
                guide: .init(zh: "指南", en: "Guide"), status: .active)
        }
        return CatalogDocument(
            departments: [.init(code: "sh-psb", name: .init(zh: "上海市公安局", en: "Shanghai Municipal Public Security Bureau"))],
            categories: [
                .init(code: "residence", letter: "R", name: .init(zh: "居住证", en: "Residence")),
                .init(code: "housing-fund", letter: "H", name: .init(zh: "公积金", en: "Housing fund")),
            ],
            items: [
                item("JZZ-001", "居住证新办", "Residence permit: new application", "residence"),
                item("JZZ-002", "居住证签注", "Residence permit: endorsement", "residence"),
                item("GJJ-001", "公积金账户查询", "Housing fund account query", "housing-fund"),
            ])
    }

    @Test("migrations apply in order and create the tables")
    func migrations() async throws {
        let database = try AppDatabase.inMemory()
        #expect(try await database.appliedMigrations() == ["v1-catalog", "v1-accounts", "v1-settings", "v2-queue", "v3-sign-in", "v4-queue-rows", "v5-video-link", "v6-queue-snapshot", "v7-scrape-credential", "v8-catalog-versions", "v9-site-operations", "v10-report-columns", "v11-follow-ups", "v12-report-index"])
        try await database.reader.read { db in
            for table in ["category", "catalogItem", "catalogItemVersion", "account", "setting", "site", "kiosk", "clerkProfile",
                          "authToken", "queueEvent", "ticket", "session", "material", "rating", "catalogVersion", "catalogDraft", "catalogDraftEdit", "catalogEvent"] {
                #expect(try db.tableExists(table), "\(table)")
            }
            let columns = try db.columns(in: "catalogItem").map(\.name)
            #expect(columns.contains("document") && columns.contains("version"))
        }
        // Migrating again is a no-op.
        try AppDatabase.migrator.migrate(database.writer)
        #expect(try await database.appliedMigrations().count == 14)
    }

    @Test("a file database runs in WAL mode and keeps data across opens")
    func fileDatabase() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db.sqlite").path
        do {
            let database = try AppDatabase.open(path: path)
            let mode = try await database.reader.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            try database.seedCatalogIfNeeded(Self.document())
        }
        let reopened = try AppDatabase.open(path: path)
        #expect(try await reopened.catalogItems().count == 3)
    }

    @Test("the catalog is seeded once; later seeds keep what managers changed")
    func seedOnce() async throws {
        let database = try AppDatabase.inMemory()
        #expect(try !database.isCatalogSeeded())
        #expect(try database.seedCatalogIfNeeded(Self.document()))
        #expect(try database.isCatalogSeeded())
        #expect(try await database.catalogItems().map(\.item.code) == ["JZZ-001", "JZZ-002", "GJJ-001"])
        #expect(try database.categories().map(\.code) == ["residence", "housing-fund"])

        // A manager's change (simulated in SQL until the catalog editor exists).
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM catalogItem WHERE code = 'JZZ-002'")
        }
        #expect(try !database.seedCatalogIfNeeded(Self.document()))
        #expect(try await database.catalogItems().map(\.item.code) == ["JZZ-001", "GJJ-001"])

        let history = try await database.reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM catalogItemVersion") }
        #expect(history == 3)
    }

    @Test("items round-trip whole, with their version")
    func roundTrip() throws {
        let database = try AppDatabase.inMemory()
        try database.seedCatalogIfNeeded(Self.document())
        let stored = try #require(try database.catalogItem(code: "JZZ-001"))
        #expect(stored.item == Self.document().items[0])
        #expect(stored.version == 1)
        #expect(try database.catalogItem(code: "NOPE-001") == nil)
    }

    @Test("sites and the catalog are held in memory, and a change through the store is seen at once")
    func heldReference() throws {
        let database = try AppDatabase.inMemory()
        try database.seedCatalogIfNeeded(Self.document())
        var site = try database.createSite(SiteRecord(code: "north", nameZh: "北", nameEn: "North", hours: .standard, createdAt: Date()))
        #expect(try database.site(id: site.id!)?.hours == .standard)
        #expect(try database.catalogItem(code: "JZZ-001") != nil)
        // Held: a change behind the store's back is not seen...
        try database.writer.write { db in try db.execute(sql: "UPDATE site SET code = 'elsewhere'") }
        #expect(try database.site(code: "north") != nil)
        // ...a change through it is, and so is a second site.
        site.hours = .always
        try database.updateSite(site)
        #expect(try database.site(id: site.id!)?.hours == .always)
        let south = try database.createSite(SiteRecord(code: "south", nameZh: "南", nameEn: "South", hours: .standard, createdAt: Date()))
        #expect(try database.siteCodes() == [site.id!: "north", south.id!: "south"])
    }

    @Test("filter by category and search zh/en/code; wildcards are literal")
    func search() async throws {
        let database = try AppDatabase.inMemory()
        try database.seedCatalogIfNeeded(Self.document())
        #expect(try await database.catalogItems(category: "housing-fund").map(\.item.code) == ["GJJ-001"])
        #expect(try await database.catalogItems(search: "居住证").count == 2)
        #expect(try await database.catalogItems(search: "ENDORSEMENT").map(\.item.code) == ["JZZ-002"])
        #expect(try await database.catalogItems(search: "gjj-").map(\.item.code) == ["GJJ-001"])
        #expect(try await database.catalogItems(category: "residence", search: "新办").map(\.item.code) == ["JZZ-001"])
        #expect(try await database.catalogItems(search: "%").isEmpty)
        #expect(try await database.catalogItems(search: "_").isEmpty)
        #expect(try await database.catalogItems(search: "   ").count == 3)
    }

    @Test("a half-valid seed writes nothing")
    func seedIsOneTransaction() async throws {
        let database = try AppDatabase.inMemory()
        var document = Self.document()
        document.items.append(document.items[0])  // duplicate primary key fails mid-way
        #expect(throws: (any Error).self) { try database.seedCatalogIfNeeded(document) }
        #expect(try await database.catalogItems().isEmpty)
        #expect(try database.categories().isEmpty)
        #expect(try !database.isCatalogSeeded())
    }

    @Test("the initial admin is created once")
    func initialAdmin() async throws {
        let database = try AppDatabase.inMemory()
        #expect(try !database.hasAdmin())
        let admin = try #require(try database.createInitialAdmin(passwordHash: "$2b$12$hash"))
        #expect(admin.id != nil)
        #expect(admin.role == .admin)
        #expect(try database.createInitialAdmin(passwordHash: "$2b$12$other") == nil)
        #expect(try await database.account(username: "ADMIN")?.passwordHash == "$2b$12$hash")
    }

    @Test("a queue decision is written in one transaction and replays from the log")
    func queueCommitAndReplay() throws {
        let database = try AppDatabase.inMemory()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var state = QueueState()
        var log: [QueueRecord] = []
        let registered = state.registerClerk(7, profile: ClerkProfile(displayName: "王", window: "01", skills: ["residence"]), at: now, actor: "test")
        try database.commitQueue(registered)
        log += registered.records
        let request = TicketRequest(itemCode: "JZZ-001", category: "residence", letter: "R", expectedMinutes: 5, site: 1, kiosk: 3,
                                    idNumberMasked: "1101**********002X", hours: .always)
        let (ticket, issued) = try state.takeTicket(request, at: now, actor: "kiosk:3")
        #expect(issued.tickets[ticket.id] == state.tickets[ticket.id])
        try database.commitQueue(issued, idNumberHashes: [ticket.id: "abc"])
        log += issued.records
        let stored = try #require(try database.ticket(id: ticket.id))
        #expect(stored.number == "R001")
        #expect(stored == state.tickets[ticket.id])
        #expect(try database.idNumberHash(ticket: ticket.id) == "abc")

        var replayed = QueueState()
        for record in try database.queueRecords() { replayed.apply(record) }
        #expect(replayed == state)
        #expect(try database.queueEventCount() == log.count)

        // A failing write leaves nothing behind: the duplicate key aborts the whole transaction.
        let before = try database.queueEventCount()
        #expect(throws: (any Error).self) {
            try database.writer.write { db in
                try db.execute(sql: "INSERT INTO queueEvent (at, actor, kind, record) VALUES (?, 'x', 'x', '{}')", arguments: [now])
                try db.execute(sql: "INSERT INTO ticket (id, number, itemCode, category, siteID, kioskID, state, priorityClass, createdAt) SELECT id, number, itemCode, category, siteID, kioskID, state, priorityClass, createdAt FROM ticket")
            }
        }
        #expect(try database.queueEventCount() == before)
    }

    @Test("the WAL stays under its bound: past it, the checkpointer truncates it")
    func walIsBounded() async throws {
        let filler = try await FillerDatabase(walLimit: 1024 * 1024, restartOnWriter: false)
        for _ in 0..<40 {  // about 2.5 MiB through the WAL, ten times where it truncates
            try await FillerDatabase.insert(into: filler.database)
        }
        #expect(filler.checkpointer.walBytes > 1024 * 1024, "the writer alone lets the WAL grow")
        let after = try await filler.checkpointer.checkpoint()
        #expect(after <= filler.checkpointer.shortenAt)
        #expect(try await filler.rows() == 40)
    }

    @Test("beside a busy writer, the WAL starts again from its beginning past a quarter of its bound: it stays under it, never truncated under the writer, nothing lost")
    func walRestartsOnTheWriter() async throws {
        let filler = try await FillerDatabase(walLimit: 64 * 1024 * 1024, restartOnWriter: true)
        let database = filler.database
        // About 75 MiB through the WAL, commit after commit, while the checkpointer runs beside. (Between
        // restarting at 16 MiB and truncating at 48 there are 512 commits: room for a slow machine.)
        let done = Flag()
        let writes = Task {
            defer { done.value.store(true, ordering: .releasing) }
            for _ in 0..<1200 { try await FillerDatabase.insert(into: database) }
        }
        var largest = 0
        while !done.value.load(ordering: .acquiring) {
            largest = max(largest, try await filler.checkpointer.checkpoint())
            try await Task.sleep(for: .milliseconds(5))  // as the server's, not back to back (250 ms there)
        }
        try await writes.value
        #expect(largest <= filler.checkpointer.walLimit, "largest WAL \(largest)")
        #expect(filler.checkpointer.truncations == 0)
        #expect(try await filler.rows() == 1200)
    }

    @Test("a database seeded with a format-1 catalog is upgraded to format 2 as catalog version 1, nothing lost")
    func upgradesFormatOne() async throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v7-scrape-credential")
        // A format-1 item as the first catalog stored it: department as text, onTheSpot, no result.
        let old = """
            {"code":"JZZ-001","name":{"zh":"居住证新办","en":"Residence permit"},"department":{"zh":"上海市公安局","en":"Shanghai PSB"},
            "category":"residence","onTheSpot":true,"expectedMinutes":10,"needsMaterials":false,
            "materials":[{"name":{"zh":"居民身份证","en":"ID card"},"form":"original","required":true}],
            "conditions":{"zh":"条件","en":"Conditions"},"fee":{"yuan":0,"note":{"zh":"不收费","en":"Free"}},
            "legalBasis":{"zh":"《居住证暂行条例》","en":"Regulations"},"guide":{"zh":"指南","en":"Guide"},"status":"active"}
            """
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO category (code, letter, nameZh, nameEn, position) VALUES ('residence', 'R', '居住证', 'Residence', 0)")
            try db.execute(
                sql: "INSERT INTO catalogItem (code, category, status, nameZh, nameEn, version, position, document, updatedAt) VALUES ('JZZ-001', 'residence', 'active', '居住证新办', 'Residence permit', 1, 0, ?, ?)",
                arguments: [Data(old.utf8), Date()])
            try db.execute(
                sql: "INSERT INTO catalogItemVersion (code, version, document, publishedAt, publishedBy) VALUES ('JZZ-001', 1, ?, ?, 'seed')",
                arguments: [Data(old.utf8), Date()])
        }
        let database = try AppDatabase(queue)
        let published = try database.publishedCatalog()
        #expect(published.version == 1)
        #expect(published.document.departments.map(\.name.zh) == ["上海市公安局"])
        let item = try #require(published.items["JZZ-001"])
        #expect(item.version == 1 && item.item.handlingType == .immediate && item.item.department == published.document.departments[0].code)
        #expect(item.item.needsMaterials)  // the ID card must be brought: the old file's false was wrong
        #expect(try await database.catalogItem(code: "JZZ-001", version: 1)?.item.materials.first?.source == .applicant)
        #expect(try await database.catalogVersions().first?.kind == .upgrade)
    }
}

final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}

/// A WAL database in a folder of its own (removed after), with a table of 64 KiB rows and its
/// checkpointer: for the tests of the WAL's bound.
final class FillerDatabase {
    let folder: URL
    let database: AppDatabase
    let checkpointer: Checkpointer

    init(walLimit: Int, restartOnWriter: Bool) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("wal-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("db.sqlite").path
        database = try AppDatabase.open(path: path, checkpointInBackground: true)
        checkpointer = try Checkpointer(path: path, walLimit: walLimit, writer: restartOnWriter ? database : nil)
        try await database.writer.write { db in try db.execute(sql: "CREATE TABLE filler (blob BLOB)") }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static let row = Data(repeating: 0xAB, count: 64 * 1024)

    static func insert(into database: AppDatabase) async throws {
        try await database.writer.write { db in try db.execute(sql: "INSERT INTO filler (blob) VALUES (?)", arguments: [row]) }
    }

    func rows() async throws -> Int {
        try await database.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM filler") } ?? 0
    }
}
