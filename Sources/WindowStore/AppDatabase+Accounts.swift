import Foundation
import GRDB
import WindowCore

public struct Account: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "account"
    public var id: Int64?
    public var username: String
    public var displayName: String
    public var role: Role
    public var passwordHash: String
    public var createdAt: Date
    /// Wrong passwords in a row; reset on success.
    public var failedLogins: Int = 0
    public var lockedUntil: Date?
    public var totpSecret: String?
    public var totpEnabled: Bool = false

    public init(id: Int64? = nil, username: String, displayName: String, role: Role, passwordHash: String, createdAt: Date) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public enum Columns {
        public static let username = Column(CodingKeys.username)
        public static let role = Column(CodingKeys.role)
    }
}

extension AppDatabase {
    public func hasAdmin() throws -> Bool {
        try reader.read { db in
            try Account.filter(Account.Columns.role == Role.admin.rawValue).fetchCount(db) > 0
        }
    }

    /// Creates the first `admin` account, unless an admin already exists.
    /// - Returns: the account when this call created it.
    public func createInitialAdmin(passwordHash: String, now: Date = Date()) throws -> Account? {
        try writer.write { db in
            if try Account.filter(Account.Columns.role == Role.admin.rawValue).fetchCount(db) > 0 { return nil }
            var account = Account(
                username: "admin", displayName: "管理员 Administrator", role: .admin,
                passwordHash: passwordHash, createdAt: now
            )
            try account.insert(db)
            return account
        }
    }

    public func account(username: String) async throws -> Account? {
        try await reader.read { db in
            try Account.filter(Account.Columns.username == username).fetchOne(db)
        }
    }
}

extension AppDatabase {
    /// Records a wrong password. - Returns: the account after the change (count, lock).
    public func recordFailedLogin(accountID: Int64, lockAfter: Int, lockFor: TimeInterval, now: Date) throws -> Account? {
        try writer.write { db in
            guard var account = try Account.fetchOne(db, key: accountID) else { return nil }
            account.failedLogins += 1
            if account.failedLogins >= lockAfter {
                account.lockedUntil = now.addingTimeInterval(lockFor)
                account.failedLogins = 0
            }
            try account.update(db)
            return account
        }
    }

    public func recordSuccessfulLogin(accountID: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE account SET failedLogins = 0, lockedUntil = NULL WHERE id = ?", arguments: [accountID])
        }
    }

    /// Sets a new password, clears any lock, and signs the account out everywhere.
    public func setPassword(accountID: Int64, hash: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE account SET passwordHash = ?, failedLogins = 0, lockedUntil = NULL WHERE id = ?", arguments: [hash, accountID])
            try db.execute(sql: "DELETE FROM authToken WHERE accountID = ?", arguments: [accountID])
        }
    }

    public func accountsWithTOTPSecret() throws -> [Account] {
        try reader.read { db in try Account.filter(Column("totpSecret") != nil).fetchAll(db) }
    }

    public func setTOTP(accountID: Int64, secret: String?, enabled: Bool) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE account SET totpSecret = ?, totpEnabled = ? WHERE id = ?", arguments: [secret, enabled, accountID])
        }
    }
}
