import Foundation

/// Every ticket, session, material and rating the log describes, live or ended: the log
/// replayed from the beginning. The store's rows must equal it (a test checks they do).
public struct QueueLedger: Sendable {
    public private(set) var state: QueueState
    public private(set) var tickets: [TicketID: Ticket] = [:]
    public private(set) var sessions: [SessionID: Session] = [:]
    public private(set) var materials: [MaterialID: Material] = [:]
    public private(set) var ratings: [SessionID: Rating] = [:]

    public init(policy: RoutingPolicy = RoutingPolicy()) {
        state = QueueState(policy: policy)
    }

    public mutating func apply(_ record: QueueRecord) {
        state.apply(record)
        var touched = Decision()
        state.touched(by: record, into: &touched)
        _ = state.drainFinished()
        tickets.merge(touched.tickets) { _, new in new }
        sessions.merge(touched.sessions) { _, new in new }
        materials.merge(touched.materials) { _, new in new }
        for rating in touched.ratings { ratings[rating.session] = rating }
    }
}
