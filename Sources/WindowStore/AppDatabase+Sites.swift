import Foundation
import GRDB
import WindowCore

public struct SiteRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "site"
    public var id: Int64?
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var hours: ServiceHours
    public var createdAt: Date
    /// Set while a manager has suspended the site: its kiosks take no new tickets.
    public var suspendedAt: Date?
    public var suspendedReason: String?

    public init(
        id: Int64? = nil, code: String, nameZh: String, nameEn: String, hours: ServiceHours, createdAt: Date,
        suspendedAt: Date? = nil, suspendedReason: String? = nil
    ) {
        self.id = id
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.hours = hours
        self.createdAt = createdAt
        self.suspendedAt = suspendedAt
        self.suspendedReason = suspendedReason
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let code = Column(CodingKeys.code)
    }
}

public struct KioskRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "kiosk"
    public var id: Int64?
    public var siteID: Int64
    public var name: String
    public var tokenHash: String
    public var createdAt: Date
    public var revokedAt: Date?
    /// When its live connection last opened or closed.
    public var lastSeenAt: Date?

    public init(
        id: Int64? = nil, siteID: Int64, name: String, tokenHash: String, createdAt: Date, revokedAt: Date? = nil, lastSeenAt: Date? = nil
    ) {
        self.id = id
        self.siteID = siteID
        self.name = name
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastSeenAt = lastSeenAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let siteID = Column(CodingKeys.siteID)
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let revokedAt = Column(CodingKeys.revokedAt)
    }
}

public struct ClerkProfileRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "clerkProfile"
    public var accountID: Int64
    public var window: String
    public var skills: [String]
    public var items: [String]

    public init(accountID: Int64, window: String, skills: [String], items: [String]) {
        self.accountID = accountID
        self.window = window
        self.skills = skills
        self.items = items
    }
}

public struct AuthTokenRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "authToken"
    public var tokenHash: String
    public var accountID: Int64
    public var createdAt: Date
    public var expiresAt: Date
}

/// A database constraint a caller can explain to a person (e.g. a taken name).
public struct StoreConflict: Error, Sendable {
    public var message: String
}

extension AppDatabase {
    // MARK: Sites and kiosks

    public func createSite(_ site: SiteRecord) throws -> SiteRecord {
        defer { held.forgetSites() }
        return try writer.write { db in
            if try SiteRecord.filter(SiteRecord.Columns.code == site.code).fetchCount(db) > 0 {
                throw StoreConflict(message: "站点编码已存在 / site code \(site.code) is taken")
            }
            var site = site
            try site.insert(db)
            return site
        }
    }

    /// Each site's code by its id, for the board's lines.
    public func siteCodes() throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try sites().map { ($0.id!, $0.code) })
    }

    /// Every site, by id; held in memory (``HeldReference``).
    public func sites() throws -> [SiteRecord] {
        try held.sites { try reader.read { db in try SiteRecord.order(Column("id")).fetchAll(db) } }
    }

    public func site(code: String) throws -> SiteRecord? {
        try sites().first { $0.code == code }
    }

    public func site(id: Int64) throws -> SiteRecord? {
        try sites().first { $0.id == id }
    }

    public func updateSite(_ site: SiteRecord) throws {
        defer { held.forgetSites() }
        try writer.write { db in try site.update(db) }
    }

    public func createKiosk(_ kiosk: KioskRecord) throws -> KioskRecord {
        try writer.write { db in
            var kiosk = kiosk
            try kiosk.insert(db)
            return kiosk
        }
    }

    public func kiosks(siteID: Int64) async throws -> [KioskRecord] {
        try await reader.read { db in try KioskRecord.filter(KioskRecord.Columns.siteID == siteID).order(Column("id")).fetchAll(db) }
    }

    public func kiosk(id: Int64) async throws -> KioskRecord? {
        try await reader.read { db in try KioskRecord.fetchOne(db, key: id) }
    }

    /// The kiosk holding this credential, unless revoked.
    public func kiosk(tokenHash: String) async throws -> KioskRecord? {
        try await reader.read { db in
            try KioskRecord.filter(KioskRecord.Columns.tokenHash == tokenHash && KioskRecord.Columns.revokedAt == nil).fetchOne(db)
        }
    }

    public func revokeKiosk(id: Int64, at: Date) throws -> Bool {
        try writer.write { db in
            guard var kiosk = try KioskRecord.fetchOne(db, key: id), kiosk.revokedAt == nil else { return false }
            kiosk.revokedAt = at
            try kiosk.update(db)
            return true
        }
    }

    // MARK: Accounts, clerks, sign-in tokens

    public func createAccount(_ account: Account, clerkProfile: ClerkProfileRecord? = nil) throws -> Account {
        try writer.write { db in
            if try Account.filter(Account.Columns.username == account.username).fetchCount(db) > 0 {
                throw StoreConflict(message: "用户名已存在 / username \(account.username) is taken")
            }
            var account = account
            try account.insert(db)
            if var profile = clerkProfile {
                profile.accountID = account.id!
                try profile.insert(db)
            }
            return account
        }
    }

    public func account(id: Int64) async throws -> Account? {
        try await reader.read { db in try Account.fetchOne(db, key: id) }
    }

    public func accounts() async throws -> [Account] {
        try await reader.read { db in try Account.order(Column("id")).fetchAll(db) }
    }

    public func updateAccount(_ account: Account) throws {
        try writer.write { db in try account.update(db) }
    }

    public func clerkProfile(accountID: Int64) async throws -> ClerkProfileRecord? {
        try await reader.read { db in try ClerkProfileRecord.fetchOne(db, key: accountID) }
    }

    public func clerkProfiles() async throws -> [ClerkProfileRecord] {
        try await reader.read { db in try ClerkProfileRecord.fetchAll(db) }
    }

    public func saveClerkProfile(_ profile: ClerkProfileRecord) throws {
        try writer.write { db in try profile.save(db) }
    }

    public func insertAuthToken(hash: String, accountID: Int64, createdAt: Date, expiresAt: Date) throws {
        try writer.write { db in
            try AuthTokenRecord(tokenHash: hash, accountID: accountID, createdAt: createdAt, expiresAt: expiresAt).insert(db)
            // Housekeeping: expired tokens are of no use to anyone.
            try db.execute(sql: "DELETE FROM authToken WHERE expiresAt < ?", arguments: [createdAt])
        }
    }

    /// The account signed in with this token, unless it expired.
    public func account(tokenHash: String, now: Date) async throws -> Account? {
        try await reader.read { db in
            guard let token = try AuthTokenRecord.fetchOne(db, key: tokenHash), token.expiresAt > now else { return nil }
            return try Account.fetchOne(db, key: token.accountID)
        }
    }

    /// The account signed in with this token and when the token expires, unless it expired.
    public func accountAndExpiry(tokenHash: String, now: Date) async throws -> (account: Account, expiresAt: Date)? {
        try await reader.read { db in
            guard let token = try AuthTokenRecord.fetchOne(db, key: tokenHash), token.expiresAt > now,
                let account = try Account.fetchOne(db, key: token.accountID)
            else { return nil }
            return (account, token.expiresAt)
        }
    }

    public func deleteAuthToken(hash: String) throws {
        try writer.write { db in _ = try AuthTokenRecord.deleteOne(db, key: hash) }
    }

    public func deleteAuthTokens(accountID: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM authToken WHERE accountID = ?", arguments: [accountID])
        }
    }
}

// MARK: Screen B, the kiosk's video page

extension AppDatabase {
    /// Pairs screen B with a live kiosk, replacing its previous screen B. - Returns: the kiosk (nil when
    /// it is gone or revoked) and the replaced credential's hash.
    public func pairScreenB(kiosk: Int64, tokenHash: String, at: Date) throws -> (kiosk: KioskRecord, replaced: String?)? {
        try writer.write { db in
            guard let record = try KioskRecord.fetchOne(db, key: kiosk), record.revokedAt == nil else { return nil }
            let replaced = try String.fetchOne(db, sql: "SELECT tokenHash FROM screenBCredential WHERE kioskID = ?", arguments: [kiosk])
            try db.execute(sql: "DELETE FROM screenBCredential WHERE kioskID = ?", arguments: [kiosk])
            try db.execute(sql: "INSERT INTO screenBCredential (kioskID, tokenHash, createdAt) VALUES (?, ?, ?)", arguments: [kiosk, tokenHash, at])
            return (record, replaced)
        }
    }

    /// The kiosk whose screen B holds this credential, unless the kiosk is revoked.
    public func kiosk(screenBTokenHash hash: String) async throws -> KioskRecord? {
        try await reader.read { db in
            try KioskRecord.fetchOne(
                db,
                sql: "SELECT kiosk.* FROM kiosk JOIN screenBCredential s ON s.kioskID = kiosk.id WHERE s.tokenHash = ? AND kiosk.revokedAt IS NULL",
                arguments: [hash])
        }
    }

    /// Unpairs the kiosk's screen B (the kiosk was revoked).
    public func unpairScreenB(kiosk: Int64) throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM screenBCredential WHERE kioskID = ?", arguments: [kiosk]) }
    }
}
