import Foundation

/// What one command decided: its records, in order (the state has already applied them), and
/// everything they touched as it now stands — filled once, as each record is applied, so the
/// store, the metrics and the pusher never re-derive it from the events.
public struct Decision: Sendable, Equatable {
    public private(set) var records: [QueueRecord] = []
    /// Tickets and sessions as they stand after the decision (ended ones included).
    public private(set) var tickets: [TicketID: Ticket] = [:]
    public private(set) var sessions: [SessionID: Session] = [:]
    /// Clerks whose state or offer changed.
    public private(set) var clerks: Set<ClerkID> = []
    public private(set) var materials: [MaterialID: Material] = [:]
    public private(set) var ratings: [Rating] = []

    public init() {}

    public var isEmpty: Bool { records.isEmpty }

    mutating func append(_ record: QueueRecord) {
        records.append(record)
    }

    mutating func touch(_ ticket: Ticket) { tickets[ticket.id] = ticket }
    mutating func touch(_ session: Session) { sessions[session.id] = session }
    mutating func touch(clerk: ClerkID) { clerks.insert(clerk) }
    mutating func touch(_ material: Material) { materials[material.id] = material }
    mutating func touch(_ rating: Rating) { ratings.append(rating) }

    /// One decision after another: later values of the same ticket or session win.
    public static func += (lhs: inout Decision, rhs: Decision) {
        lhs.records += rhs.records
        lhs.tickets.merge(rhs.tickets) { _, new in new }
        lhs.sessions.merge(rhs.sessions) { _, new in new }
        lhs.clerks.formUnion(rhs.clerks)
        lhs.materials.merge(rhs.materials) { _, new in new }
        lhs.ratings += rhs.ratings
    }
}

extension QueueState {
    /// Notes in `out` what an applied record touched, as it now stands (an ended ticket or
    /// session from the finished buffers).
    func touched(by record: QueueRecord, into out: inout Decision) {
        func ticket(_ id: TicketID) -> Ticket? { tickets[id] ?? finishedTickets.last { $0.id == id } }
        func session(_ id: SessionID) -> Session? { sessions[id] ?? finishedSessions.last { $0.id == id } }
        let event = record.event
        for id in event.tickets { ticket(id).map { out.touch($0) } }
        for id in event.clerks { out.touch(clerk: id) }
        for id in event.sessions {
            guard let session = session(id) else { continue }
            out.touch(session)
            switch event {
            case .sessionEnded:
                // The session's end finishes (or returns) its ticket and puts its clerk in wrap-up.
                ticket(session.ticket).map { out.touch($0) }
                out.touch(clerk: session.clerk)
            case .participantJoined(_, .kiosk):
                ticket(session.ticket).map { out.touch($0) }  // its kiosk grace ends
            default: break
            }
        }
        switch event {
        case .materialUploaded(let material): out.touch(materials[material.id] ?? material)
        case .materialReviewed(let id, _, _, _, _): materials[id].map { out.touch($0) }
        case .sessionRated(let rating): out.touch(rating)
        default: break
        }
    }
}
