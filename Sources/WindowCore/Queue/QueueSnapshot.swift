import Foundation

/// The live queue as a value to store: everything ``QueueState`` holds but its indexes, which
/// follow from it. Start-up loads the latest snapshot and replays only the log after it, so a
/// restart costs the same however long the history is; the full log stays the record.
public struct QueueSnapshot: Codable, Sendable {
    /// Bumped when the shape changes; an older snapshot is ignored (the full log is replayed).
    public static let currentVersion = 1

    public var version: Int
    public var tickets: [Ticket]
    public var clerks: [Clerk]
    public var sessions: [Session]
    public var materials: [Material]
    public var nextTicketID: TicketID
    public var nextSessionID: SessionID
    public var nextMaterialID: MaterialID
    public var dailyCounters: [String: Int]
    public var handlingSeconds: [String: Double]
    /// The timers as they stand: rebuilding them from the entities would also revive those whose
    /// moment passed with nothing to do. (Snapshots before timers were taken out when settled also
    /// hold spent ones; a restore drops those.)
    var deadlines: [Deadline]
}

extension QueueState {
    /// The state as a snapshot (sorted, so the same state always encodes the same way).
    public var snapshot: QueueSnapshot {
        QueueSnapshot(
            version: QueueSnapshot.currentVersion,
            tickets: tickets.values.sorted { $0.id < $1.id }, clerks: clerks.values.sorted { $0.id < $1.id },
            sessions: sessions.values.sorted { $0.id < $1.id }, materials: materials.values.sorted { $0.id < $1.id },
            nextTicketID: nextTicketID, nextSessionID: nextSessionID, nextMaterialID: nextMaterialID,
            dailyCounters: dailyCounters, handlingSeconds: handlingSeconds, deadlines: deadlines.elements)
    }

    /// The state a snapshot describes, with its indexes and deadlines rebuilt: what replaying the
    /// log up to the snapshot would give (a test checks it does), ready for the records after it.
    public init(snapshot: QueueSnapshot, policy: RoutingPolicy) {
        self.init(policy: policy)
        for clerk in snapshot.clerks {
            clerks[clerk.id] = clerk
            index(clerk: clerk)
            if clerk.state == .available { pendingClerks.append(clerk.id) }
        }
        for ticket in snapshot.tickets {
            tickets[ticket.id] = ticket
            ticketByKiosk[ticket.kiosk] = ticket.id
            if ticket.state == .waiting { enqueue(ticket) }
        }
        for session in snapshot.sessions {
            sessions[session.id] = session
        }
        // A snapshot written before settled timers were taken out holds some: they are dropped.
        for deadline in snapshot.deadlines where isCarried(deadline) { deadlines.insert(deadline) }
        for material in snapshot.materials { materials[material.id] = material }
        nextTicketID = snapshot.nextTicketID
        nextSessionID = snapshot.nextSessionID
        nextMaterialID = snapshot.nextMaterialID
        dailyCounters = snapshot.dailyCounters
        handlingSeconds = snapshot.handlingSeconds
    }
}
