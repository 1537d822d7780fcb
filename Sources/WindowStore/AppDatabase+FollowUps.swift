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
    }
}
