import Foundation
import GRDB
import WindowCore

extension AppDatabase {
    static func registerSiteOperations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-site-operations") { db in
            // A manager may suspend a site: its kiosks take no new tickets, waiting ones are still served.
            try db.alter(table: "site") { t in
                t.add(column: "suspendedAt", .datetime)
                t.add(column: "suspendedReason", .text)
            }
            // When the kiosk's live connection last opened or closed.
            try db.alter(table: "kiosk") { t in
                t.add(column: "lastSeenAt", .datetime)
            }
        }
    }
}

// MARK: Renaming, suspending, last seen

extension AppDatabase {
    /// Renames a site. - Returns: the site, nil when there is none with that code.
    public func renameSite(code: String, nameZh: String, nameEn: String) throws -> SiteRecord? {
        defer { held.forgetSites() }
        return try writer.write { db in
            guard var site = try SiteRecord.filter(SiteRecord.Columns.code == code).fetchOne(db) else { return nil }
            site.nameZh = nameZh
            site.nameEn = nameEn
            try site.update(db)
            return site
        }
    }

    /// Suspends a site (its kiosks take no new tickets) with a reason, or resumes it (`suspended` false,
    /// the reason forgotten). Suspending a suspended site keeps when it began and replaces the reason.
    /// - Returns: the site, nil when there is none with that code.
    public func setSiteSuspension(code: String, suspended: Bool, reason: String?, at: Date) throws -> SiteRecord? {
        defer { held.forgetSites() }
        return try writer.write { db in
            guard var site = try SiteRecord.filter(SiteRecord.Columns.code == code).fetchOne(db) else { return nil }
            if suspended {
                site.suspendedAt = site.suspendedAt ?? at
                site.suspendedReason = reason
            } else {
                site.suspendedAt = nil
                site.suspendedReason = nil
            }
            try site.update(db)
            return site
        }
    }

    /// Renames a kiosk that is not revoked. - Returns: the kiosk, nil when it is gone or revoked.
    public func renameKiosk(id: Int64, name: String) throws -> KioskRecord? {
        try writer.write { db in
            guard var kiosk = try KioskRecord.fetchOne(db, key: id), kiosk.revokedAt == nil else { return nil }
            kiosk.name = name
            try kiosk.update(db)
            return kiosk
        }
    }

    /// Records that the kiosk's live connection opened or closed at `at`.
    public func recordKioskSeen(id: Int64, at: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE kiosk SET lastSeenAt = ? WHERE id = ?", arguments: [at, id])
        }
    }

    /// The kiosks of a site whose screen B is paired.
    public func pairedScreenBKiosks(siteID: Int64) async throws -> Set<Int64> {
        try await reader.read { db in
            try Set(Int64.fetchAll(
                db, sql: "SELECT s.kioskID FROM screenBCredential s JOIN kiosk ON kiosk.id = s.kioskID WHERE kiosk.siteID = ?", arguments: [siteID]))
        }
    }
}
