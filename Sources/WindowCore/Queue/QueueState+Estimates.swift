import Foundation

/// Where a ticket stands: its place in line and the expected wait.
public struct Estimate: Codable, Hashable, Sendable {
    /// 1 = next. 0 once offered or in session.
    public var position: Int
    public var ahead: Int
    /// Clerks on duty who can serve the ticket.
    public var clerksOnDuty: Int
    /// Expected wait in seconds; nil while no clerk who can serve it is on duty.
    public var waitSeconds: Int?
}

extension QueueState {
    /// ETA = recent handling time of the item × tickets ahead ÷ eligible clerks on duty.
    public func estimate(for id: TicketID, now: Date) -> Estimate? {
        guard let ticket = tickets[id] else { return nil }
        let onDuty = ticket.targetClerk.map { clerks[$0]?.state.isOnDuty == true ? 1 : 0 }
            ?? ((onDutyByCategory[ticket.category] ?? 0) + (onDutyByItem[ticket.itemCode] ?? 0))
        guard ticket.state == .waiting else {
            return Estimate(position: 0, ahead: 0, clerksOnDuty: onDuty, waitSeconds: 0)
        }
        let ahead = ticketsAhead(of: ticket, now: now)
        let handling = handlingSeconds[ticket.itemCode] ?? 300
        let wait: Int? = onDuty > 0 ? Int((handling * Double(ahead) / Double(onDuty)).rounded()) : nil
        return Estimate(position: ahead + 1, ahead: ahead, clerksOnDuty: onDuty, waitSeconds: wait)
    }

    /// Waiting tickets of the same skill that are served before this one.
    func ticketsAhead(of ticket: Ticket, now: Date) -> Int {
        let own = ticket.queueKey
        let agedBefore = QueueKey(at: now.addingTimeInterval(-policy.agingBound), ticket: Int64.min)
        if let target = ticket.targetClerk {
            return direct[target]?.lowerBound(own) ?? 0
        }
        let ownLane = own < agedBefore ? 0 : ticket.priorityClass.rank
        var ahead = 0
        for name in queuesByCategory[ticket.category] ?? [] {
            guard let lanes = waiting[name] else { continue }
            for (rank, list) in lanes.enumerated() where !list.isEmpty {
                // Aged tickets (a prefix of each lane) count as priority.
                let aged = rank == 0 ? 0 : list.lowerBound(agedBefore)
                let below = list.lowerBound(own)
                if ownLane == 0 {
                    ahead += min(below, aged)
                    if rank == 0 { ahead += below }
                } else {
                    ahead += aged
                    if rank < ownLane {
                        ahead += list.count - aged
                    } else if rank == ownLane {
                        ahead += max(0, below - aged)
                    }
                }
            }
        }
        return ahead
    }

    /// Waiting tickets by category, for boards and metrics.
    public func waitingCount(category: String) -> Int {
        (queuesByCategory[category] ?? []).reduce(0) { sum, name in
            sum + (waiting[name]?.reduce(0) { $0 + $1.count } ?? 0)
        }
    }

    public var waitingCategories: [String] { Array(queuesByCategory.keys) }
}
