import Foundation
import GRDB

/// A read-only credential for Prometheus' scrape of `/metrics`, kept as a SHA-256 only.
public struct ScrapeCredentialRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "scrapeCredential"
    public var id: Int64?
    public var name: String
    public var tokenHash: String
    public var createdAt: Date
    /// The admin who issued it.
    public var createdBy: Int64
    public var revokedAt: Date?

    public init(id: Int64? = nil, name: String, tokenHash: String, createdAt: Date, createdBy: Int64, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let revokedAt = Column(CodingKeys.revokedAt)
    }
}

extension AppDatabase {
    public func createScrapeCredential(_ record: ScrapeCredentialRecord) throws -> ScrapeCredentialRecord {
        try writer.write { db in
            var record = record
            try record.insert(db)
            return record
        }
    }

    public func scrapeCredentials() async throws -> [ScrapeCredentialRecord] {
        try await reader.read { db in try ScrapeCredentialRecord.order(Column("id")).fetchAll(db) }
    }

    /// The credential with this hash, unless revoked.
    public func scrapeCredential(tokenHash: String) async throws -> ScrapeCredentialRecord? {
        try await reader.read { db in
            try ScrapeCredentialRecord.filter(ScrapeCredentialRecord.Columns.tokenHash == tokenHash && ScrapeCredentialRecord.Columns.revokedAt == nil).fetchOne(db)
        }
    }

    /// Revokes it. - Returns: its hash, or nil when there is no such live credential.
    public func revokeScrapeCredential(id: Int64, at: Date) throws -> String? {
        try writer.write { db in
            guard var record = try ScrapeCredentialRecord.fetchOne(db, key: id), record.revokedAt == nil else { return nil }
            record.revokedAt = at
            try record.update(db)
            return record.tokenHash
        }
    }
}
