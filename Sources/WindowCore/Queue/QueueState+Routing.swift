import Foundation

extension QueueState {
    // MARK: - Routing

    mutating func emit(_ event: QueueEvent, at: Date, actor: String, into out: inout Decision) {
        let record = QueueRecord(at: at, actor: actor, event: event)
        apply(record)
        out.append(record)
        touched(by: record, into: &out)
    }

    /// Offers waiting tickets to available clerks until no available clerk has a ticket it may take.
    mutating func dispatch(at now: Date, into out: inout Decision) {
        while !pendingTickets.isEmpty || !pendingClerks.isEmpty {
            // Serve tickets in line order, and clerks longest idle first, when several are pending.
            let agedBefore = now.addingTimeInterval(-policy.agingBound)
            func lane(_ ticket: Ticket) -> Int { ticket.enqueuedAt < agedBefore ? 0 : ticket.priorityClass.rank }
            let ticketIDs = Set(pendingTickets).compactMap { tickets[$0] }.sorted {
                (lane($0), $0.queueKey) < (lane($1), $1.queueKey)
            }.map(\.id)
            pendingTickets.removeAll(keepingCapacity: true)
            for id in ticketIDs {
                guard let ticket = tickets[id], ticket.state == .waiting else { continue }
                if let (clerk, reason) = bestClerk(for: ticket) {
                    emit(.offerMade(ticket: id, clerk: clerk, expiresAt: now.addingTimeInterval(policy.offerTimeout), reason: reason), at: now, actor: "system", into: &out)
                }
            }
            let clerkIDs = Set(pendingClerks).compactMap { clerks[$0] }.sorted {
                ($0.idleSince, $0.id) < ($1.idleSince, $1.id)
            }.map(\.id)
            pendingClerks.removeAll(keepingCapacity: true)
            for id in clerkIDs {
                guard let clerk = clerks[id], clerk.state == .available else { continue }
                if let (ticket, lane) = bestTicket(for: clerk, now: now) {
                    let reason = OfferReason(rule: "clerk-became-available: best ticket by lane then enqueue time", candidates: [id], eligibleCount: 1, lane: lane)
                    emit(.offerMade(ticket: ticket, clerk: id, expiresAt: now.addingTimeInterval(policy.offerTimeout), reason: reason), at: now, actor: "system", into: &out)
                }
            }
        }
    }

    /// The longest-idle available clerk who may serve `ticket` and has not passed it over lately.
    func bestClerk(for ticket: Ticket) -> (ClerkID, OfferReason)? {
        let lane = ticket.priorityClass
        if let target = ticket.targetClerk {
            guard let clerk = clerks[target], clerk.state == .available, ticket.excluded[target] == nil else { return nil }
            return (target, OfferReason(rule: "transferred-to-clerk", candidates: [target], eligibleCount: 1, lane: lane))
        }
        var candidates: [IdleKey] = []
        var eligible = 0
        func consider(_ list: SortedArray<IdleKey>?) {
            guard let list else { return }
            eligible += list.count
            var taken = 0
            for key in list.elements where ticket.excluded[key.clerk] == nil {
                candidates.append(key)
                taken += 1
                if taken == 5 { break }
            }
        }
        consider(availableByCategory[ticket.category])
        consider(availableByItem[ticket.itemCode])
        guard !candidates.isEmpty else { return nil }
        candidates.sort()
        var seen = Set<ClerkID>()
        let unique = candidates.filter { seen.insert($0.clerk).inserted }
        return (unique[0].clerk, OfferReason(rule: "longest-idle eligible clerk", candidates: unique.map(\.clerk), eligibleCount: eligible, lane: lane))
    }

    /// The ticket `clerk` should serve next: best lane (aged tickets count as priority), then
    /// earliest enqueue time, among the queues the clerk's skills and items cover.
    func bestTicket(for clerk: Clerk, now: Date) -> (TicketID, PriorityClass)? {
        let agedBefore = now.addingTimeInterval(-policy.agingBound)
        var best: (lane: Int, key: QueueKey)?
        func consider(_ list: SortedArray<QueueKey>, rank: Int) {
            for key in list.elements {
                if let ticket = tickets[key.ticket], ticket.excluded[clerk.id] != nil { continue }
                let lane = key.at < agedBefore ? 0 : rank
                if best == nil || (lane, key) < (best!.lane, best!.key) { best = (lane, key) }
                return  // later keys in a lane are never better
            }
        }
        if let queue = direct[clerk.id] { consider(queue, rank: 0) }
        var names = Set<QueueName>()
        for skill in clerk.profile.skills { names.formUnion(queuesByCategory[skill] ?? []) }
        for item in clerk.profile.items { names.formUnion(queuesByItem[item] ?? []) }
        for name in names {
            guard let lanes = waiting[name] else { continue }
            for (rank, list) in lanes.enumerated() where !list.isEmpty { consider(list, rank: rank) }
        }
        guard let best else { return nil }
        return (best.key.ticket, PriorityClass.allCases.first { $0.rank == best.lane }!)
    }

    /// Routes whatever is pending (after a replay, say) without any other change.
    public mutating func route(at now: Date) -> Decision {
        var out = Decision()
        dispatch(at: now, into: &out)
        return out
    }
}
