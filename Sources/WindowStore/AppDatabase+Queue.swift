import Foundation
import GRDB
import WindowCore

extension AppDatabase {
    /// Writes one decision of the queue in a single transaction: its records appended to the
    /// log, and the tickets, sessions, materials and ratings it touched as they now stand.
    public func commitQueue(_ decision: Decision, idNumberHashes: [TicketID: String] = [:]) throws {
        guard !decision.isEmpty else { return }
        try writer.write { db in try Self.write(decision, idNumberHashes: idNumberHashes, in: db) }
    }

    /// Writes the decisions of many commands (merged in order) in one transaction, without
    /// holding a thread while it waits; with a snapshot of the state they leave, if given.
    public func commitQueue(_ decision: Decision, idNumberHashes: [TicketID: String], snapshot: (QueueSnapshot, Date)?) async throws {
        // Encoded before the transaction, so a snapshot that cannot be encoded costs only itself.
        let encoded: (state: String, version: Int, at: Date)? = snapshot.flatMap { snapshot, at in
            (try? QueueJSON.encode(snapshot)).map { ($0, snapshot.version, at) }
        }
        guard !decision.isEmpty || encoded != nil else { return }
        try await writer.write { db in
            try Self.write(decision, idNumberHashes: idNumberHashes, in: db)
            if let encoded { try Self.insertSnapshot(encoded.state, version: encoded.version, at: encoded.at, in: db) }
        }
    }

    static func write(_ decision: Decision, idNumberHashes: [TicketID: String], in db: Database) throws {
        let insertEvent = try db.cachedStatement(sql: """
            INSERT INTO queueEvent (at, actor, kind, ticketID, clerkID, record, t, sessionID, siteID, item, itemVersion, category, value, level)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for record in decision.records {
            let columns = record.event.reportColumns
            try insertEvent.execute(arguments: [
                record.at, record.actor, record.event.kind, record.event.tickets.first, record.event.clerks.first, try QueueJSON.encode(record),
                record.at.timeIntervalSince1970, columns.session, columns.site, columns.item, columns.itemVersion, columns.category,
                columns.value, columns.level,
            ])
        }
        for ticket in decision.tickets.values { try ticket.upsertByID(db) }
        for (ticket, hash) in idNumberHashes {
            try db.execute(sql: "UPDATE ticket SET idNumberHash = ? WHERE id = ?", arguments: [hash, ticket])
        }
        for session in decision.sessions.values { try session.upsertByID(db) }
        for material in decision.materials.values { try material.upsertByID(db) }
        for rating in decision.ratings { try rating.insert(db) }
    }

    /// The whole log, oldest first, to rebuild the live queue on start.
    public func queueRecords() throws -> [QueueRecord] {
        try reader.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT record FROM queueEvent ORDER BY seq")
            var records: [QueueRecord] = []
            while let row = try rows.next() {
                records.append(try QueueJSON.decoder.decode(QueueRecord.self, from: Data((row[0] as String).utf8)))
            }
            return records
        }
    }

    public func queueEventCount() throws -> Int {
        try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queueEvent") ?? 0 }
    }

    public func ticket(id: TicketID) throws -> Ticket? {
        try reader.read { db in try Ticket.fetchOne(db, key: id) }
    }

    /// The keyed hash of the ID number read at issue, if one was.
    public func idNumberHash(ticket id: TicketID) throws -> String? {
        try reader.read { db in try String.fetchOne(db, Ticket.select(Ticket.Columns.idNumberHash).filter(key: id)) }
    }

    public func session(id: SessionID) throws -> Session? {
        try reader.read { db in try Session.fetchOne(db, key: id) }
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

    public func materials(session id: SessionID) throws -> [Material] {
        try reader.read { db in try Material.filter(Material.Columns.session == id).order(Material.Columns.id).fetchAll(db) }
    }

    public func material(id: MaterialID) async throws -> Material? {
        try await reader.read { db in try Material.fetchOne(db, key: id) }
    }

    /// Every stored material's file path.
    public func materialPaths() throws -> Set<String> {
        try reader.read { db in Set(try String.fetchAll(db, sql: "SELECT path FROM material")) }
    }

    /// The highest material number ever given, so new ones continue after it.
    public func lastMaterialID() throws -> MaterialID {
        try reader.read { db in try MaterialID.fetchOne(db, sql: "SELECT MAX(id) FROM material") ?? 0 }
    }

    public func rating(session id: SessionID) throws -> Rating? {
        try reader.read { db in try Rating.fetchOne(db, key: id) }
    }

    /// Every stored ticket, session, material and rating (for checking the store against a replay of the log).
    public func queueRows() throws -> (tickets: [Ticket], sessions: [Session], materials: [Material], ratings: [Rating]) {
        try reader.read { db in
            (try Ticket.order(Ticket.Columns.id).fetchAll(db), try Session.order(Session.Columns.id).fetchAll(db),
             try Material.order(Material.Columns.id).fetchAll(db), try Rating.order(Rating.Columns.session).fetchAll(db))
        }
    }
}

// MARK: Snapshots of the live queue

extension AppDatabase {
    /// The snapshots kept: the newest and the one before it (in case the newest cannot be read).
    static let snapshotsKept = 2

    /// Stores the live queue as of the last event written, in one transaction with that reading.
    /// Only the queue's owner writes events, and it calls this between its commits, so the two agree.
    /// - Returns: the last event's sequence number it covers.
    @discardableResult
    public func saveQueueSnapshot(_ snapshot: QueueSnapshot, at: Date) throws -> Int64 {
        let state = try QueueJSON.encode(snapshot)
        return try writer.write { db in try Self.insertSnapshot(state, version: snapshot.version, at: at, in: db) }
    }

    /// A snapshot covers every event written so far, in this transaction too; the oldest beyond `snapshotsKept` go.
    @discardableResult
    static func insertSnapshot(_ state: String, version: Int, at: Date, in db: Database) throws -> Int64 {
        let lastSeq = try Self.lastQueueSeq(db)
        try db.execute(
            sql: "INSERT OR REPLACE INTO queueSnapshot (lastSeq, takenAt, version, state) VALUES (?, ?, ?, ?)",
            arguments: [lastSeq, at, version, state])
        try db.execute(
            sql: "DELETE FROM queueSnapshot WHERE lastSeq NOT IN (SELECT lastSeq FROM queueSnapshot ORDER BY lastSeq DESC LIMIT ?)",
            arguments: [Self.snapshotsKept])
        return lastSeq
    }

    /// The newest snapshot of the current version that decodes, with the last event it covers.
    public func latestQueueSnapshot() throws -> (lastSeq: Int64, takenAt: Date, snapshot: QueueSnapshot)? {
        try reader.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT lastSeq, takenAt, state FROM queueSnapshot WHERE version = ? ORDER BY lastSeq DESC",
                arguments: [QueueSnapshot.currentVersion])
            for row in rows {
                if let snapshot = try? QueueJSON.decode(QueueSnapshot.self, row["state"]) {
                    return (row["lastSeq"], row["takenAt"], snapshot)
                }
            }
            return nil
        }
    }

    /// The seq of the log's last event (0 when empty).
    public func lastQueueSeq() throws -> Int64 {
        try reader.read { db in try Self.lastQueueSeq(db) }
    }

    static func lastQueueSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM queueEvent") ?? 0
    }

    /// The log after event `seq`, oldest first.
    public func queueRecords(after seq: Int64) throws -> [QueueRecord] {
        try reader.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT record FROM queueEvent WHERE seq > ? ORDER BY seq", arguments: [seq])
            var records: [QueueRecord] = []
            while let row = try rows.next() {
                records.append(try QueueJSON.decoder.decode(QueueRecord.self, from: Data((row[0] as String).utf8)))
            }
            return records
        }
    }
}

extension AppDatabase {
    public func queueSnapshotCount() throws -> Int {
        try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queueSnapshot") ?? 0 }
    }
}
