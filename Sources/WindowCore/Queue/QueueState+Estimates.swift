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

extension QueueState {
    /// Every invariant the queue must hold; empty when all do. Checked by tests after every step.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        var offeredTickets = Set<TicketID>()
        for clerk in clerks.values {
            switch clerk.state {
            case .offered:
                guard let offer = clerk.offer else { problems.append("clerk \(clerk.id) offered without an offer"); continue }
                if tickets[offer.ticket]?.offer != offer { problems.append("clerk \(clerk.id) offer does not match ticket \(offer.ticket)") }
                if !offeredTickets.insert(offer.ticket).inserted { problems.append("ticket \(offer.ticket) offered twice") }
                if clerk.session != nil { problems.append("clerk \(clerk.id) has an offer and a session") }
            case .inSession:
                guard let id = clerk.session, let session = sessions[id] else { problems.append("clerk \(clerk.id) in session without one"); continue }
                if session.clerk != clerk.id { problems.append("session \(id) clerk mismatch") }
                if clerk.offer != nil { problems.append("clerk \(clerk.id) in session with an offer") }
            default:
                if clerk.offer != nil || clerk.session != nil { problems.append("clerk \(clerk.id) \(clerk.state) holds an offer or session") }
            }
            let key = IdleKey(idleSince: clerk.idleSince, clerk: clerk.id)
            for skill in clerk.profile.skills where (availableByCategory[skill]?.contains(key) ?? false) != (clerk.state == .available) {
                problems.append("clerk \(clerk.id) availability index wrong for \(skill)")
            }
        }
        var sessionsByTicket = Set<TicketID>()
        for session in sessions.values {
            if !sessionsByTicket.insert(session.ticket).inserted { problems.append("ticket \(session.ticket) in two sessions") }
            if tickets[session.ticket]?.session != session.id { problems.append("session \(session.id) ticket mismatch") }
            if clerks[session.clerk]?.session != session.id { problems.append("session \(session.id) clerk mismatch") }
        }
        for ticket in tickets.values {
            if ticket.state.isFinal { problems.append("final ticket \(ticket.id) still live") }
            if ticket.state == .offered {
                guard let offer = ticket.offer, clerks[offer.clerk]?.offer == offer else { problems.append("ticket \(ticket.id) offer dangling"); continue }
            } else if ticket.offer != nil {
                problems.append("ticket \(ticket.id) \(ticket.state) has an offer")
            }
            let queued: Bool
            if let target = ticket.targetClerk {
                queued = direct[target]?.contains(ticket.queueKey) ?? false
            } else {
                queued = waiting[QueueName(category: ticket.category, item: ticket.itemCode)]?[ticket.priorityClass.rank].contains(ticket.queueKey) ?? false
            }
            if queued != (ticket.state == .waiting) { problems.append("ticket \(ticket.id) queue index wrong (\(ticket.state))") }
        }
        let byKiosk = Dictionary(tickets.values.map { ($0.kiosk, [$0.id]) }, uniquingKeysWith: +)
        for (kiosk, held) in byKiosk where held.count > 1 { problems.append("kiosk \(kiosk) holds tickets \(held)") }
        if byKiosk.mapValues({ $0[0] }) != ticketByKiosk { problems.append("kiosk ticket index wrong") }
        let queuedCount = waiting.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } + direct.values.reduce(0) { $0 + $1.count }
        let waitingCount = tickets.values.filter { $0.state == .waiting }.count
        if queuedCount != waitingCount { problems.append("queues hold \(queuedCount) keys for \(waitingCount) waiting tickets") }
        // Routing is settled: no available clerk may take a waiting ticket.
        if pendingTickets.isEmpty && pendingClerks.isEmpty {
            for ticket in tickets.values where ticket.state == .waiting {
                if let target = ticket.targetClerk {
                    if clerks[target]?.state == .available, ticket.excluded[target] == nil { problems.append("ticket \(ticket.id) waits while its clerk is available") }
                } else if clerks.values.contains(where: { $0.state == .available && $0.serves(category: ticket.category, item: ticket.itemCode) && ticket.excluded[$0.id] == nil }) {
                    problems.append("ticket \(ticket.id) waits while an eligible clerk is available")
                }
            }
        }
        return problems
    }
}
