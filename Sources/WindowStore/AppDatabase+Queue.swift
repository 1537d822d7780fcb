import Foundation
import GRDB
import WindowCore

/// A ticket as the database keeps it: the live or final state, plus what only the store holds.
public struct StoredTicket: Codable, Sendable, Hashable {
    public var ticket: Ticket
    public var endedAt: Date?
    public var idNumberHash: String?
}

public struct StoredSession: Codable, Sendable, Hashable {
    public var session: Session
    public var endedAt: Date?
    public var outcome: SessionOutcome?
    public var notes: String?
    public var caseNumber: String?
}

public struct MaterialRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "material"
    public var id: Int64?
    public var sessionID: Int64
    public var name: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var path: String
    public var uploadedAt: Date
    public var status: MaterialStatus
    public var reason: String?
    public var reviewedAt: Date?
    public var reviewedBy: Int64?

    public init(sessionID: Int64, name: String, contentType: String, size: Int, sha256: String, path: String, uploadedAt: Date) {
        self.sessionID = sessionID
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.path = path
        self.uploadedAt = uploadedAt
        self.status = .pending
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct RatingRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "rating"
    public var sessionID: Int64
    public var level: Int
    public var comment: String?
    public var ratedAt: Date

    public init(sessionID: Int64, level: Int, comment: String?, ratedAt: Date) {
        self.sessionID = sessionID
        self.level = level
        self.comment = comment
        self.ratedAt = ratedAt
    }
}

/// What the session's end adds beyond the queue's own records.
public struct SessionClosing: Sendable {
    public var session: SessionID
    public var notes: String?
    public var caseNumber: String?

    public init(session: SessionID, notes: String?, caseNumber: String?) {
        self.session = session
        self.notes = notes
        self.caseNumber = caseNumber
    }
}

extension AppDatabase {
    static let queueEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()
    static let queueDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    /// Writes one decision of the queue in a single transaction: its records appended to the
    /// log, and the tickets and sessions it touched as they now stand.
    public func commitQueue(
        records: [QueueRecord],
        tickets: [Ticket],
        sessions: [Session],
        idNumberHashes: [TicketID: String] = [:],
        closing: SessionClosing? = nil
    ) throws {
        guard !records.isEmpty || closing != nil else { return }
        try writer.write { db in
            try Self.write(records: records, tickets: tickets, sessions: sessions, idNumberHashes: idNumberHashes, closing: closing, in: db)
        }
    }

    static func write(
        records: [QueueRecord], tickets: [Ticket], sessions: [Session], idNumberHashes: [TicketID: String],
        closing: SessionClosing?, in db: Database
    ) throws {
        let insertEvent = try db.cachedStatement(sql: "INSERT INTO queueEvent (at, actor, kind, ticketID, clerkID, record) VALUES (?, ?, ?, ?, ?, ?)")
        for record in records {
            let data = try queueEncoder.encode(record)
            try insertEvent.execute(arguments: [
                record.at, record.actor, record.event.kind, record.event.tickets.first, record.event.clerks.first,
                String(decoding: data, as: UTF8.self),
            ])
        }
        let upsertTicket = try db.cachedStatement(sql: """
            INSERT INTO ticket (id, number, itemCode, category, siteID, kioskID, state, priorityClass, createdAt, endedAt, sessionID, idNumberMasked, idNumberHash, document)
            VALUES (:id, :number, :itemCode, :category, :siteID, :kioskID, :state, :priorityClass, :createdAt, :endedAt, :sessionID, :idNumberMasked, :idNumberHash, :document)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, category = excluded.category, endedAt = excluded.endedAt,
              sessionID = COALESCE(excluded.sessionID, ticket.sessionID), document = excluded.document
            """)
        let endedAt = records.last?.at
        for ticket in tickets {
            try upsertTicket.execute(arguments: [
                "id": ticket.id, "number": ticket.number, "itemCode": ticket.itemCode, "category": ticket.category,
                "siteID": ticket.site, "kioskID": ticket.kiosk, "state": ticket.state.rawValue,
                "priorityClass": ticket.priorityClass.rawValue, "createdAt": ticket.createdAt,
                "endedAt": ticket.state.isFinal ? endedAt : nil, "sessionID": ticket.session,
                "idNumberMasked": ticket.idNumberMasked, "idNumberHash": idNumberHashes[ticket.id],
                "document": String(decoding: try queueEncoder.encode(ticket), as: UTF8.self),
            ])
        }
        let upsertSession = try db.cachedStatement(sql: """
            INSERT INTO session (id, ticketID, clerkID, kioskID, itemCode, state, startedAt, endedAt, outcome, document)
            VALUES (:id, :ticketID, :clerkID, :kioskID, :itemCode, :state, :startedAt, :endedAt, :outcome, :document)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, endedAt = excluded.endedAt,
              outcome = COALESCE(excluded.outcome, session.outcome), document = excluded.document
            """)
        for session in sessions {
            let outcome = records.lazy.compactMap { record -> SessionOutcome? in
                if case .sessionEnded(session.id, let outcome, _) = record.event { return outcome }
                return nil
            }.first
            try upsertSession.execute(arguments: [
                "id": session.id, "ticketID": session.ticket, "clerkID": session.clerk, "kioskID": session.kiosk,
                "itemCode": session.itemCode, "state": session.state.rawValue, "startedAt": session.startedAt,
                "endedAt": session.state == .ended ? endedAt : nil, "outcome": outcome?.rawValue,
                "document": String(decoding: try queueEncoder.encode(session), as: UTF8.self),
            ])
        }
        if let closing {
            try db.execute(
                sql: "UPDATE session SET notes = ?, caseNumber = ? WHERE id = ?",
                arguments: [closing.notes, closing.caseNumber, closing.session])
        }
    }

    /// The whole log, oldest first, to rebuild the live queue on start.
    public func queueRecords() throws -> [QueueRecord] {
        try reader.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT record FROM queueEvent ORDER BY seq")
            var records: [QueueRecord] = []
            while let row = try rows.next() {
                let text: String = row[0]
                records.append(try Self.queueDecoder.decode(QueueRecord.self, from: Data(text.utf8)))
            }
            return records
        }
    }

    public func queueEventCount() throws -> Int {
        try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queueEvent") ?? 0 }
    }

    public func storedTicket(id: TicketID) throws -> StoredTicket? {
        try reader.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT document, endedAt, idNumberHash FROM ticket WHERE id = ?", arguments: [id]) else { return nil }
            let document: String = row["document"]
            return StoredTicket(
                ticket: try Self.queueDecoder.decode(Ticket.self, from: Data(document.utf8)),
                endedAt: row["endedAt"], idNumberHash: row["idNumberHash"])
        }
    }

    public func storedSession(id: SessionID) throws -> StoredSession? {
        try reader.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT document, endedAt, outcome, notes, caseNumber FROM session WHERE id = ?", arguments: [id]) else { return nil }
            let document: String = row["document"]
            return StoredSession(
                session: try Self.queueDecoder.decode(Session.self, from: Data(document.utf8)),
                endedAt: row["endedAt"], outcome: (row["outcome"] as String?).flatMap(SessionOutcome.init(rawValue:)),
                notes: row["notes"], caseNumber: row["caseNumber"])
        }
    }

    /// Counts of tickets created since `since`, by final state, for today's board.
    public func ticketCounts(since: Date) throws -> [String: Int] {
        try reader.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM ticket WHERE createdAt >= ? GROUP BY state", arguments: [since]) {
                counts[row["state"]] = row["n"]
            }
            return counts
        }
    }

    // MARK: Materials and ratings

    public func insertMaterial(_ material: MaterialRecord) throws -> MaterialRecord {
        try writer.write { db in
            var material = material
            try material.insert(db)
            return material
        }
    }

    public func materials(sessionID: SessionID) throws -> [MaterialRecord] {
        try reader.read { db in try MaterialRecord.filter(Column("sessionID") == sessionID).order(Column("id")).fetchAll(db) }
    }

    public func material(id: Int64) throws -> MaterialRecord? {
        try reader.read { db in try MaterialRecord.fetchOne(db, key: id) }
    }

    public func reviewMaterial(id: Int64, status: MaterialStatus, reason: String?, by clerk: Int64, at: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE material SET status = ?, reason = ?, reviewedAt = ?, reviewedBy = ? WHERE id = ?",
                arguments: [status.rawValue, reason, at, clerk, id])
        }
    }

    /// Saves the rating unless the session already has one. - Returns: false when it had.
    public func insertRating(_ rating: RatingRecord) throws -> Bool {
        try writer.write { db in
            if try RatingRecord.fetchOne(db, key: rating.sessionID) != nil { return false }
            try rating.insert(db)
            return true
        }
    }

    public func rating(sessionID: SessionID) throws -> RatingRecord? {
        try reader.read { db in try RatingRecord.fetchOne(db, key: sessionID) }
    }
}
