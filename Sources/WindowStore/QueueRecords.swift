import Foundation
import GRDB
import WindowCore

// The queue's entities are the rows of their tables: one representation, column by column.
// (Their Codable form is the event log's, which must not change; the mapping to columns is here.)

extension Ticket: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ticket"

    public enum Columns {
        static let id = Column("id"), number = Column("number"), itemCode = Column("itemCode"), category = Column("category")
        static let site = Column("siteID"), kiosk = Column("kioskID"), state = Column("state"), priorityClass = Column("priorityClass")
        static let priorityReason = Column("priorityReason"), createdAt = Column("createdAt"), enqueuedAt = Column("enqueuedAt")
        static let endedAt = Column("endedAt"), session = Column("sessionID"), idNumberMasked = Column("idNumberMasked")
        static let expectedMinutes = Column("expectedMinutes"), offer = Column("offer"), targetClerk = Column("targetClerk")
        static let excluded = Column("excluded"), kioskGraceUntil = Column("kioskGraceUntil"), transfers = Column("transfers")
        static let itemVersion = Column("itemVersion"), returnOf = Column("returnOf")
        /// Written once, at issue; not part of the entity.
        static let idNumberHash = Column("idNumberHash")
    }

    public init(row: Row) throws {
        self.init(
            id: row[Columns.id], number: row[Columns.number], itemCode: row[Columns.itemCode], category: row[Columns.category],
            site: row[Columns.site], kiosk: row[Columns.kiosk], priorityClass: try Self.enumValue(row[Columns.priorityClass]),
            priorityReason: (row[Columns.priorityReason] as String?).flatMap(PriorityReason.init(rawValue:)),
            createdAt: row[Columns.createdAt], expectedMinutes: row[Columns.expectedMinutes], idNumberMasked: row[Columns.idNumberMasked])
        enqueuedAt = row[Columns.enqueuedAt]
        state = try Self.enumValue(row[Columns.state])
        offer = try QueueJSON.decode(Offer.self, row[Columns.offer])
        session = row[Columns.session]
        targetClerk = row[Columns.targetClerk]
        excluded = try QueueJSON.decode([ClerkID: Date].self, row[Columns.excluded]) ?? [:]
        kioskGraceUntil = row[Columns.kioskGraceUntil]
        transfers = row[Columns.transfers]
        endedAt = row[Columns.endedAt]
        itemVersion = row[Columns.itemVersion]
        returnOf = row[Columns.returnOf]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.itemVersion] = itemVersion
        container[Columns.returnOf] = returnOf
        container[Columns.number] = number
        container[Columns.itemCode] = itemCode
        container[Columns.category] = category
        container[Columns.site] = site
        container[Columns.kiosk] = kiosk
        container[Columns.state] = state.rawValue
        container[Columns.priorityClass] = priorityClass.rawValue
        container[Columns.priorityReason] = priorityReason?.rawValue
        container[Columns.createdAt] = createdAt
        container[Columns.enqueuedAt] = enqueuedAt
        container[Columns.endedAt] = endedAt
        container[Columns.session] = session
        container[Columns.idNumberMasked] = idNumberMasked
        container[Columns.expectedMinutes] = expectedMinutes
        container[Columns.offer] = try offer.map(QueueJSON.encode)
        container[Columns.targetClerk] = targetClerk
        container[Columns.excluded] = try QueueJSON.encode(excluded)
        container[Columns.kioskGraceUntil] = kioskGraceUntil
        container[Columns.transfers] = transfers
    }
}

extension Session: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session"

    public enum Columns {
        static let id = Column("id"), ticket = Column("ticketID"), clerk = Column("clerkID"), kiosk = Column("kioskID")
        static let itemCode = Column("itemCode"), room = Column("room"), state = Column("state"), startedAt = Column("startedAt")
        static let kioskPresent = Column("kioskPresent"), clerkPresent = Column("clerkPresent"), rejoinUntil = Column("rejoinUntil")
        static let endedAt = Column("endedAt"), outcome = Column("outcome"), notes = Column("notes"), caseNumber = Column("caseNumber")
        static let consent = Column("consent"), kioskMedia = Column("kioskMedia"), clerkMedia = Column("clerkMedia")
        static let mediaConnectedAt = Column("mediaConnectedAt")
    }

    public init(row: Row) throws {
        self.init(
            id: row[Columns.id], ticket: row[Columns.ticket], clerk: row[Columns.clerk], kiosk: row[Columns.kiosk],
            itemCode: row[Columns.itemCode], room: row[Columns.room], state: try Self.enumValue(row[Columns.state]),
            startedAt: row[Columns.startedAt], kioskPresent: row[Columns.kioskPresent], clerkPresent: row[Columns.clerkPresent],
            rejoinUntil: row[Columns.rejoinUntil], endedAt: row[Columns.endedAt],
            outcome: (row[Columns.outcome] as String?).flatMap(SessionOutcome.init(rawValue:)), notes: row[Columns.notes],
            caseNumber: row[Columns.caseNumber])
        consent = row[Columns.consent]
        kioskMedia = (row[Columns.kioskMedia] as String?).flatMap(MediaState.init(rawValue:))
        clerkMedia = (row[Columns.clerkMedia] as String?).flatMap(MediaState.init(rawValue:))
        mediaConnectedAt = row[Columns.mediaConnectedAt]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.ticket] = ticket
        container[Columns.clerk] = clerk
        container[Columns.kiosk] = kiosk
        container[Columns.itemCode] = itemCode
        container[Columns.room] = room
        container[Columns.state] = state.rawValue
        container[Columns.startedAt] = startedAt
        container[Columns.kioskPresent] = kioskPresent
        container[Columns.clerkPresent] = clerkPresent
        container[Columns.rejoinUntil] = rejoinUntil
        container[Columns.endedAt] = endedAt
        container[Columns.outcome] = outcome?.rawValue
        container[Columns.notes] = notes
        container[Columns.caseNumber] = caseNumber
        container[Columns.consent] = consent
        container[Columns.kioskMedia] = kioskMedia?.rawValue
        container[Columns.clerkMedia] = clerkMedia?.rawValue
        container[Columns.mediaConnectedAt] = mediaConnectedAt
    }
}

extension Material: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "material"

    public enum Columns {
        static let id = Column("id"), session = Column("sessionID"), name = Column("name"), contentType = Column("contentType")
        static let size = Column("size"), sha256 = Column("sha256"), path = Column("path"), uploadedAt = Column("uploadedAt")
        static let status = Column("status"), reason = Column("reason"), reviewedAt = Column("reviewedAt"), reviewedBy = Column("reviewedBy")
    }

    public init(row: Row) throws {
        self.init(
            id: row[Columns.id], session: row[Columns.session],
            upload: MaterialUpload(
                name: row[Columns.name], contentType: row[Columns.contentType], size: row[Columns.size], sha256: row[Columns.sha256],
                path: row[Columns.path]),
            at: row[Columns.uploadedAt])
        status = try Self.enumValue(row[Columns.status])
        reason = row[Columns.reason]
        reviewedAt = row[Columns.reviewedAt]
        reviewedBy = row[Columns.reviewedBy]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.session] = session
        container[Columns.name] = name
        container[Columns.contentType] = contentType
        container[Columns.size] = size
        container[Columns.sha256] = sha256
        container[Columns.path] = path
        container[Columns.uploadedAt] = uploadedAt
        container[Columns.status] = status.rawValue
        container[Columns.reason] = reason
        container[Columns.reviewedAt] = reviewedAt
        container[Columns.reviewedBy] = reviewedBy
    }
}

extension Rating: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rating"

    public enum Columns {
        static let session = Column("sessionID"), level = Column("level"), comment = Column("comment"), ratedAt = Column("ratedAt")
    }

    public init(row: Row) throws {
        self.init(session: row[Columns.session], level: row[Columns.level], comment: row[Columns.comment], ratedAt: row[Columns.ratedAt])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.session] = session
        container[Columns.level] = level
        container[Columns.comment] = comment
        container[Columns.ratedAt] = ratedAt
    }
}

extension FetchableRecord {
    /// A stored raw value read back as its enum; an unknown one is a damaged row, not a crash.
    static func enumValue<T: RawRepresentable>(_ raw: T.RawValue) throws -> T {
        guard let value = T(rawValue: raw) else { throw QueueJSON.DamagedRow(description: "\(Self.self): unknown value \(raw)") }
        return value
    }
}

/// Nested values in a column (an offer, the exclusions) as JSON, with millisecond dates like the log.
enum QueueJSON {
    struct DamagedRow: Error, CustomStringConvertible { var description: String }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
        guard let text else { return nil }
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

extension PersistableRecord {
    /// Inserts the row, or updates every column it encodes when its `id` exists, with a statement
    /// prepared once per table: GRDB's `upsert` prepares a new one each time, and the queue writes
    /// several rows for every decision. Columns it does not encode (a ticket's `idNumberHash`) are kept.
    func upsertByID(_ db: Database) throws {
        let values = try databaseDictionary.sorted { $0.key < $1.key }
        let columns = values.map(\.key)
        let sql = "INSERT INTO \(Self.databaseTableName) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
            + " ON CONFLICT(id) DO UPDATE SET \(columns.filter { $0 != "id" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))"
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(values.map(\.value)))
    }
}
