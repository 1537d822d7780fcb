import Foundation

extension QueueState {
    // MARK: - Routing

    /// The rule an offer names when it goes to a clerk who passed the ticket over lately, because
    /// no other available clerk may take it.
    public static let excludedButOnlyClerkRule = "excluded-but-only-clerk"

    mutating func emit(_ event: QueueEvent, at: Date, actor: String, into out: inout Decision) {
        let record = QueueRecord(at: at, actor: actor, event: event)
        // A ticket that ends or moves while offered frees its clerk, whom the event does not name.
        let offeredTo = event.tickets.compactMap { tickets[$0]?.offer?.clerk }
        apply(record)
        out.append(record)
        touched(by: record, into: &out)
        for clerk in offeredTo { out.touch(clerk: clerk) }
    }

    /// Offers waiting tickets to available clerks until no available clerk has a ticket it may take.
    ///
    /// First exclusions steer: each ticket that became waiting goes to the longest-idle clerk who
    /// has not passed it over, and each clerk who became available gets the best ticket they have
    /// not passed over. Then an exclusion never keeps a ticket from an idle clerk: what is left
    /// waiting beside an available clerk who serves it goes, in line order, to the longest-idle
    /// such clerk, though they passed it over (``excludedButOnlyClerkRule``). A clerk who keeps
    /// missing offers is still set away after `policy.maxMissedOffers` misses in a row.
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

            // What the exclusions left: from both sides, the tickets that became waiting and
            // were passed over by someone, and the tickets passed over by a clerk who became
            // available and is still idle. (Before this call routing was settled, so no other
            // waiting ticket has an available clerk who serves it.)
            var passedOver = Set(ticketIDs.filter { tickets[$0]?.state == .waiting && tickets[$0]?.excluded.isEmpty == false })
            for id in clerkIDs {
                guard let clerk = clerks[id], clerk.state == .available else { continue }
                passedOver.formUnion(passedOverTickets(for: clerk))
            }
            guard !passedOver.isEmpty else { continue }
            let inLine = passedOver.compactMap { tickets[$0] }.sorted {
                lineKey($0, agedBefore: agedBefore) < lineKey($1, agedBefore: agedBefore)
            }.map(\.id)
            for id in inLine {
                guard let ticket = tickets[id], ticket.state == .waiting else { continue }
                if let (clerk, reason) = bestClerk(for: ticket, orPassedOver: true) {
                    emit(.offerMade(ticket: id, clerk: clerk, expiresAt: now.addingTimeInterval(policy.offerTimeout), reason: reason), at: now, actor: "system", into: &out)
                }
            }
        }
    }

    /// A ticket's place in line as a clerk sees it: lane first (aged tickets and tickets
    /// transferred to that clerk count as priority), then enqueue time.
    func lineKey(_ ticket: Ticket, agedBefore: Date) -> (Int, QueueKey) {
        let lane = ticket.targetClerk != nil || ticket.enqueuedAt < agedBefore ? 0 : ticket.priorityClass.rank
        return (lane, ticket.queueKey)
    }

    /// The longest-idle available clerk who may serve `ticket` and has not passed it over lately.
    ///
    /// With `orPassedOver`, when every available clerk who may serve it passed it over, the
    /// longest-idle of them: an exclusion steers a ticket to other clerks, but never keeps it from
    /// an idle clerk when no other may take it.
    func bestClerk(for ticket: Ticket, orPassedOver: Bool = false) -> (ClerkID, OfferReason)? {
        let lane = ticket.priorityClass
        if let target = ticket.targetClerk {
            guard let clerk = clerks[target], clerk.state == .available else { return nil }
            if ticket.excluded[target] == nil {
                return (target, OfferReason(rule: "transferred-to-clerk", candidates: [target], eligibleCount: 1, lane: lane))
            }
            guard orPassedOver else { return nil }
            return (target, OfferReason(rule: Self.excludedButOnlyClerkRule, candidates: [target], eligibleCount: 1, lane: lane))
        }
        let lists = [availableByCategory[ticket.category], availableByItem[ticket.itemCode]].compactMap { $0 }
        let eligible = lists.reduce(0) { $0 + $1.count }
        var candidates: [IdleKey] = []
        for list in lists {
            var taken = 0
            for key in list.elements where ticket.excluded[key.clerk] == nil {
                candidates.append(key)
                taken += 1
                if taken == 5 { break }
            }
        }
        var rule = "longest-idle eligible clerk"
        if candidates.isEmpty {
            // Every available clerk who may serve it passed it over: the longest idle of them.
            guard orPassedOver else { return nil }
            candidates = lists.flatMap { $0.elements.prefix(5) }
            rule = Self.excludedButOnlyClerkRule
        }
        guard !candidates.isEmpty else { return nil }
        candidates.sort()
        var seen = Set<ClerkID>()
        let unique = candidates.filter { seen.insert($0.clerk).inserted }
        return (unique[0].clerk, OfferReason(rule: rule, candidates: unique.map(\.clerk), eligibleCount: eligible, lane: lane))
    }

    /// The ticket `clerk` should serve next: best lane (aged tickets count as priority), then
    /// earliest enqueue time, among the queues the clerk's skills and items cover, skipping the
    /// tickets the clerk passed over lately.
    func bestTicket(for clerk: Clerk, now: Date) -> (TicketID, PriorityClass)? {
        let agedBefore = now.addingTimeInterval(-policy.agingBound)
        var best: (lane: Int, key: QueueKey)?
        for (list, rank) in queues(for: clerk) {
            for key in list.elements {
                if let ticket = tickets[key.ticket], ticket.excluded[clerk.id] != nil { continue }
                let lane = key.at < agedBefore ? 0 : rank
                if best == nil || (lane, key) < (best!.lane, best!.key) { best = (lane, key) }
                break  // later keys in a lane are never better
            }
        }
        guard let best else { return nil }
        return (best.key.ticket, PriorityClass.allCases.first { $0.rank == best.lane }!)
    }

    /// The waiting tickets `clerk` serves but passed over lately.
    func passedOverTickets(for clerk: Clerk) -> [TicketID] {
        queues(for: clerk).flatMap { list, _ in
            list.elements.lazy.map(\.ticket).filter { self.tickets[$0]?.excluded[clerk.id] != nil }
        }
    }

    /// The non-empty queues `clerk` serves, with their lane rank: tickets transferred to the clerk
    /// (as priority), then every lane of the categories and items the clerk's skills cover.
    func queues(for clerk: Clerk) -> [(SortedArray<QueueKey>, Int)] {
        var result: [(SortedArray<QueueKey>, Int)] = []
        if let queue = direct[clerk.id] { result.append((queue, 0)) }
        var names = Set<QueueName>()
        for skill in clerk.profile.skills { names.formUnion(queuesByCategory[skill] ?? []) }
        for item in clerk.profile.items { names.formUnion(queuesByItem[item] ?? []) }
        for name in names {
            guard let lanes = waiting[name] else { continue }
            for (rank, list) in lanes.enumerated() where !list.isEmpty { result.append((list, rank)) }
        }
        return result
    }

    /// Routes whatever is pending (after a replay, say) without any other change.
    public mutating func route(at now: Date) -> Decision {
        var out = Decision()
        dispatch(at: now, into: &out)
        return out
    }
}
