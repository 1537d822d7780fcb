import Foundation
import GRDB
import WindowCore

extension AppDatabase {
    static func registerFollowUps(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-report-columns") { db in
            // What reports count on, beside each record (see QueueEvent.reportColumns), and the time
            // as a number, indexed: a year of the log is read without decoding a record.
            try db.alter(table: "queueEvent") { t in
                t.add(column: "t", .double)
                t.add(column: "sessionID", .integer)
                t.add(column: "siteID", .integer)
                t.add(column: "item", .text)
                t.add(column: "itemVersion", .integer)
                t.add(column: "category", .text)
                t.add(column: "value", .text)
                t.add(column: "level", .integer)
            }
            // Records written before: the same facts, read once from their JSON (times are ms since 1970).
            try db.execute(sql: """
                UPDATE queueEvent SET t = json_extract(record, '$.at') / 1000.0,
                  sessionID = CASE kind
                    WHEN 'offer.accepted' THEN json_extract(record, '$.event.offerAccepted.session')
                    WHEN 'session.ended' THEN json_extract(record, '$.event.sessionEnded.session')
                    WHEN 'session.rated' THEN json_extract(record, '$.event.sessionRated.rating.session') END,
                  siteID = CASE kind WHEN 'ticket.issued' THEN json_extract(record, '$.event.ticketIssued.ticket.site') END,
                  item = CASE kind WHEN 'ticket.issued' THEN json_extract(record, '$.event.ticketIssued.ticket.itemCode') END,
                  itemVersion = CASE kind WHEN 'ticket.issued' THEN json_extract(record, '$.event.ticketIssued.ticket.itemVersion') END,
                  category = CASE kind
                    WHEN 'ticket.issued' THEN json_extract(record, '$.event.ticketIssued.ticket.category')
                    WHEN 'ticket.transferred' THEN json_extract(record, '$.event.ticketTransferred.category')
                    WHEN 'ticket.rerouted' THEN json_extract(record, '$.event.ticketRerouted.category') END,
                  value = CASE kind
                    WHEN 'ticket.issued' THEN json_extract(record, '$.event.ticketIssued.ticket.priorityClass')
                    WHEN 'session.ended' THEN json_extract(record, '$.event.sessionEnded.outcome')
                    WHEN 'clerk.state' THEN json_extract(record, '$.event.clerkStateChanged.state') END,
                  level = CASE kind
                    WHEN 'session.rated' THEN json_extract(record, '$.event.sessionRated.rating.level')
                    WHEN 'offer.expired' THEN json_extract(record, '$.event.offerExpired.clerkAway') END
                """)
            try db.create(index: "queueEvent_t", on: "queueEvent", columns: ["t"])
        }
        migrator.registerMigration("v11-follow-ups") { db in
            // 差评 and 补正 cases: the case as JSON, with the columns lists filter on.
            try db.create(table: "followUp") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("sessionID", .integer).notNull()
                t.column("caseNumber", .text).indexed()
                t.column("clerkID", .integer).notNull()
                t.column("siteID", .integer).notNull()
                t.column("openedAt", .datetime).notNull()
                t.column("document", .jsonText).notNull()
                // The call-back number, sealed with a key kept outside the data folder; only the case owner reads it.
                t.column("phoneSealed", .text)
                t.uniqueKey(["kind", "sessionID"])
            }
            // Every step of every case: who, when, what.
            try db.create(table: "followUpEvent") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("followUpID", .integer).notNull().indexed().references("followUp", onDelete: .cascade)
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("note", .text)
            }
            // A rating is never deleted: an upheld appeal only marks it.
            try db.alter(table: "rating") { t in t.add(column: "appealUpheld", .boolean) }
            try db.alter(table: "ticket") { t in
                t.add(column: "itemVersion", .integer)
                t.add(column: "returnOf", .integer)
            }
        }
        migrator.registerMigration("v12-report-index") { db in
            // The events reports read, and only the columns they read: a year is scanned from this
            // compact index instead of the log's rows and their records.
            try db.execute(sql: """
                CREATE INDEX queueEvent_report ON queueEvent(seq, kind, t, ticketID, clerkID, sessionID, siteID, item, itemVersion, category, value, level)
                WHERE kind IN (\(AppDatabase.reportKindList))
                """)
        }
    }
}

extension AppDatabase {
    static func decodeCase(_ data: Data) throws -> FollowUpCase {
        try QueueJSON.decoder.decode(FollowUpCase.self, from: data)
    }

    /// Opens a case once per kind and session (a second open of the same one returns the first).
    public func openFollowUp(_ item: FollowUpCase, phoneSealed: String? = nil) throws -> FollowUpCase {
        try writer.write { db in
            if let existing = try Data.fetchOne(
                db, sql: "SELECT document FROM followUp WHERE kind = ? AND sessionID = ?", arguments: [item.kind.rawValue, item.session])
            {
                return try Self.decodeCase(existing)
            }
            try db.execute(
                sql: "INSERT INTO followUp (kind, state, sessionID, caseNumber, clerkID, siteID, openedAt, document, phoneSealed) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?)",
                arguments: [item.kind.rawValue, item.state.rawValue, item.session, item.caseNumber, item.clerk, item.site, item.openedAt, phoneSealed])
            var created = item
            created.id = db.lastInsertedRowID
            try Self.update(db, created, newSteps: created.steps)
            return created
        }
    }

    /// Writes a case's new state and its new steps to the case's event log, in one transaction.
    /// `markRating`: an upheld appeal marks the rating (never deleted).
    public func saveFollowUp(_ item: FollowUpCase, newSteps: [FollowUpCase.Step]) throws {
        try writer.write { db in
            try Self.update(db, item, newSteps: newSteps)
            if item.kind == .rating, let upheld = item.appealUpheld {
                try db.execute(sql: "UPDATE rating SET appealUpheld = ? WHERE sessionID = ?", arguments: [upheld, item.session])
            }
        }
    }

    static func update(_ db: Database, _ item: FollowUpCase, newSteps: [FollowUpCase.Step]) throws {
        try db.execute(
            sql: "UPDATE followUp SET state = ?, document = ? WHERE id = ?",
            arguments: [item.state.rawValue, try QueueJSON.encoder.encode(item), item.id])
        for step in newSteps {
            try db.execute(
                sql: "INSERT INTO followUpEvent (followUpID, at, actor, action, note) VALUES (?, ?, ?, ?, ?)",
                arguments: [item.id, step.at, step.by, step.action, step.note])
        }
    }

    public func followUp(id: Int64) async throws -> (case: FollowUpCase, phoneSealed: String?)? {
        try await reader.read { db in
            try Row.fetchOne(db, sql: "SELECT document, phoneSealed FROM followUp WHERE id = ?", arguments: [id]).map {
                (try Self.decodeCase($0["document"]), $0["phoneSealed"])
            }
        }
    }

    /// The open 补正 with this reference (its session's case number).
    public func correction(caseNumber: String) async throws -> FollowUpCase? {
        try await reader.read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM followUp WHERE kind = 'correction' AND caseNumber = ?", arguments: [caseNumber])
                .map(Self.decodeCase)
        }
    }

    public func correction(session: SessionID) async throws -> FollowUpCase? {
        try await reader.read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM followUp WHERE kind = 'correction' AND sessionID = ?", arguments: [session])
                .map(Self.decodeCase)
        }
    }

    /// Cases, newest first; of one kind and in some states when given.
    public func followUps(kind: FollowUpCase.Kind? = nil, states: [FollowUpCase.State]? = nil, limit: Int = 1000) async throws -> [FollowUpCase] {
        try await reader.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let kind { conditions.append("kind = ?"); arguments.append(kind.rawValue) }
            if let states {
                conditions.append("state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
                arguments += states.map(\.rawValue)
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Data.fetchAll(db, sql: "SELECT document FROM followUp \(filter) ORDER BY id DESC LIMIT \(limit)", arguments: StatementArguments(arguments))
                .map(Self.decodeCase)
        }
    }

    /// Every case's deadlines and when they were met, for the timeliness report.
    public func followUpFacts() async throws -> [FollowUpFact] {
        try await followUps(limit: Int.max).map(\.fact)
    }

    /// Sessions whose rating an upheld appeal marked mistaken or malicious.
    public func ratingsMarkedByAppeal() async throws -> Set<SessionID> {
        try await reader.read { db in Set(try SessionID.fetchAll(db, sql: "SELECT sessionID FROM rating WHERE appealUpheld = 1")) }
    }

    /// Ratings of 1–2 and 补正 sessions without a case (a crash between the queue's write and the
    /// case's): opened on start so that none is lost.
    public func followUpsMissing() async throws -> (ratings: [(Rating, Session, Ticket)], corrections: [(Session, Ticket)]) {
        try await reader.read { db in
            let ratings = try Row.fetchAll(db, sql: """
                SELECT r.sessionID, r.level, r.comment, r.ratedAt FROM rating r
                WHERE r.level <= 2 AND NOT EXISTS (SELECT 1 FROM followUp f WHERE f.kind = 'rating' AND f.sessionID = r.sessionID)
                """).compactMap { row -> (Rating, Session, Ticket)? in
                    let id: SessionID = row["sessionID"]
                    guard let session = try Session.fetchOne(db, key: id), let ticket = try Ticket.fetchOne(db, key: session.ticket) else { return nil }
                    return (Rating(session: id, level: row["level"], comment: row["comment"], ratedAt: row["ratedAt"]), session, ticket)
                }
            let corrections = try Session.fetchAll(db, sql: """
                SELECT * FROM session s WHERE s.outcome = 'needs-materials'
                AND NOT EXISTS (SELECT 1 FROM followUp f WHERE f.kind = 'correction' AND f.sessionID = s.id)
                """).compactMap { session -> (Session, Ticket)? in
                    try Ticket.fetchOne(db, key: session.ticket).map { (session, $0) }
                }
            return (ratings, corrections)
        }
    }
}
