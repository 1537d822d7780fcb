import WindowAPITypes
import WindowCore

/// A decision waiting for its transaction, with what its caller and its watchers are owed.
struct PendingCommit {
    var decision: Decision
    var idNumberHashes: [TicketID: String]
    /// The pushes, built when the decision was taken, sent when it is durable.
    var messages: [Outgoing]
    var waiter: CheckedContinuation<Void, any Error>
}

/// A push to one subscriber, or to both of a kiosk's screens.
enum Outgoing {
    case to(Subscriber, LiveMessage)
    case toKiosk(KioskID, LiveMessage)
}

/// Tickets, sessions and ratings as decided but not yet written. Memory forgets a ticket or a
/// session once it ends, and the database has its end only after the write: in between, this
/// is where it is.
struct Unwritten {
    private(set) var tickets: [TicketID: Ticket] = [:]
    private(set) var sessions: [SessionID: Session] = [:]
    private(set) var ratings: Set<SessionID> = []

    mutating func add(_ decision: Decision) {
        tickets.merge(decision.tickets) { _, new in new }
        sessions.merge(decision.sessions) { _, new in new }
        for rating in decision.ratings { ratings.insert(rating.session) }
    }

    /// After `decision` is written: forgets what it wrote, unless a later decision changed it again.
    mutating func remove(_ decision: Decision) {
        for (id, ticket) in decision.tickets where tickets[id] == ticket { tickets[id] = nil }
        for (id, session) in decision.sessions where sessions[id] == session { sessions[id] = nil }
        for rating in decision.ratings { ratings.remove(rating.session) }
    }
}
