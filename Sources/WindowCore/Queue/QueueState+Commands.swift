import Foundation

/// A kiosk's request for a ticket, as the queue sees it (the server has checked the item and site).
public struct TicketRequest: Sendable {
    public var itemCode: String
    public var category: String
    public var letter: String
    public var expectedMinutes: Int
    public var site: SiteID
    public var kiosk: KioskID
    public var priorityReason: PriorityReason?
    public var idNumberMasked: String?
    public var hours: ServiceHours

    public init(
        itemCode: String, category: String, letter: String, expectedMinutes: Int, site: SiteID, kiosk: KioskID,
        priorityReason: PriorityReason? = nil, idNumberMasked: String? = nil, hours: ServiceHours
    ) {
        self.itemCode = itemCode
        self.category = category
        self.letter = letter
        self.expectedMinutes = expectedMinutes
        self.site = site
        self.kiosk = kiosk
        self.priorityReason = priorityReason
        self.idNumberMasked = idNumberMasked
        self.hours = hours
    }
}


extension QueueState {
    // MARK: - Commands. Each validates, emits records (applying them), then routes.

    public mutating func registerClerk(_ id: ClerkID, profile: ClerkProfile, at: Date, actor: String) -> Decision {
        var out = Decision()
        if clerks[id]?.profile == profile { return out }
        emit(.clerkRegistered(clerk: id, profile: profile), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    /// A clerk sets themself available, away (a break) or offline.
    public mutating func setClerkState(_ id: ClerkID, to target: ClerkState, at: Date, actor: String) throws(QueueError) -> Decision {
        guard let clerk = clerks[id] else { throw .clerkNotFound(id) }
        guard [.available, .away, .offline].contains(target) else {
            throw QueueError(.invalid, code: "invalid_state", message: "只能设为空闲、小休或离线 / state must be available, away or offline")
        }
        var out = Decision()
        switch clerk.state {
        case .inSession:
            throw QueueError(.conflict, code: "in_session", message: "请先结束当前会话 / end the current session first")
        case .offered:
            if target == .available { return out }
            // Leaving with an offer open declines it, so the ticket moves on at once.
            let offer = clerk.offer!
            emit(.offerDeclined(ticket: offer.ticket, clerk: id, excludedUntil: at.addingTimeInterval(policy.exclusionPeriod)), at: at, actor: actor, into: &out)
            emit(.clerkStateChanged(clerk: id, state: target), at: at, actor: actor, into: &out)
        case .wrapUp where target == .available:
            emit(.wrapUpFinished(clerk: id), at: at, actor: actor, into: &out)
        default:
            if clerk.state == target { return out }
            emit(.clerkStateChanged(clerk: id, state: target), at: at, actor: actor, into: &out)
        }
        dispatch(at: at, into: &out)
        return out
    }

    public mutating func issueTicket(_ request: TicketRequest, at: Date, actor: String) throws(QueueError) -> (Ticket, Decision) {
        guard request.hours.isOpen(at: at) else {
            let next = request.hours.nextOpening(after: at)
            throw QueueError(.closed, code: "closed", message: "当前不在服务时间内 / the window is closed now", nextOpening: next)
        }
        if let heldID = ticketByKiosk[request.kiosk], let held = tickets[heldID] {
            throw QueueError(.conflict, code: "kiosk_has_ticket", message: "本终端已有号票 \(held.number)，请先办完或离开队列 / this kiosk already holds ticket \(held.number); finish or leave first")
        }
        let ticket = Ticket(
            id: nextTicketID, number: nextNumber(letter: request.letter, at: at), itemCode: request.itemCode,
            category: request.category, site: request.site, kiosk: request.kiosk,
            priorityClass: request.priorityReason?.priorityClass ?? .normal, priorityReason: request.priorityReason,
            createdAt: at, expectedMinutes: request.expectedMinutes, idNumberMasked: request.idNumberMasked
        )
        var out = Decision()
        emit(.ticketIssued(ticket: ticket), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return (tickets[ticket.id] ?? ticket, out)
    }

    /// The person leaves the queue.
    public mutating func cancelTicket(_ id: TicketID, at: Date, actor: String) throws(QueueError) -> Decision {
        guard let ticket = tickets[id] else { throw .ticketNotFound(id) }
        guard ticket.state == .waiting || ticket.state == .offered else {
            throw QueueError(.conflict, code: "in_session", message: "会话进行中，不能取消 / the session has started and cannot be cancelled")
        }
        var out = Decision()
        emit(.ticketCancelled(ticket: id), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    public mutating func acceptOffer(clerk id: ClerkID, ticket ticketID: TicketID, at: Date, actor: String) throws(QueueError) -> (SessionID, Decision) {
        guard let clerk = clerks[id] else { throw .clerkNotFound(id) }
        guard let offer = clerk.offer, offer.ticket == ticketID else {
            throw QueueError(.conflict, code: "no_such_offer", message: "该号票没有向您派单，或派单已失效 / there is no open offer of this ticket to you")
        }
        var out = Decision()
        let session = nextSessionID
        emit(.offerAccepted(ticket: ticketID, clerk: id, session: session), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return (session, out)
    }

    public mutating func declineOffer(clerk id: ClerkID, ticket ticketID: TicketID, at: Date, actor: String) throws(QueueError) -> Decision {
        guard let clerk = clerks[id] else { throw .clerkNotFound(id) }
        guard let offer = clerk.offer, offer.ticket == ticketID else {
            throw QueueError(.conflict, code: "no_such_offer", message: "该号票没有向您派单，或派单已失效 / there is no open offer of this ticket to you")
        }
        var out = Decision()
        emit(.offerDeclined(ticket: ticketID, clerk: id, excludedUntil: at.addingTimeInterval(policy.exclusionPeriod)), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    public mutating func endSession(
        _ id: SessionID, outcome: SessionOutcome, notes: String? = nil, caseNumber: String? = nil, by clerk: ClerkID, at: Date, actor: String
    ) throws(QueueError) -> Decision {
        guard let session = sessions[id] else { throw .sessionNotFound(id) }
        guard session.clerk == clerk else {
            throw QueueError(.forbidden, code: "not_your_session", message: "这不是您的会话 / this is not your session")
        }
        guard outcome != .transferred && outcome != .dropped else {
            throw QueueError(.invalid, code: "invalid_outcome", message: "转办请用转办操作 / use transfer to transfer; dropped is set by the system")
        }
        var out = Decision()
        emit(.sessionEnded(session: id, outcome: outcome, wrapUpUntil: at.addingTimeInterval(policy.wrapUp), notes: notes, caseNumber: caseNumber), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    /// Ends the session as transferred and puts the ticket back in line at its old place,
    /// for another skill or one named clerk.
    public mutating func transfer(
        _ id: SessionID, by clerk: ClerkID, toCategory category: String?, toClerk target: ClerkID?, notes: String? = nil, at: Date, actor: String
    ) throws(QueueError) -> Decision {
        guard let session = sessions[id] else { throw .sessionNotFound(id) }
        guard session.clerk == clerk else {
            throw QueueError(.forbidden, code: "not_your_session", message: "这不是您的会话 / this is not your session")
        }
        guard let ticket = tickets[session.ticket] else { throw .ticketNotFound(session.ticket) }
        if let target {
            guard target != clerk else {
                throw QueueError(.invalid, code: "invalid_transfer", message: "不能转给自己 / cannot transfer to yourself")
            }
            guard let targetClerk = clerks[target] else { throw .clerkNotFound(target) }
            guard targetClerk.serves(category: category ?? ticket.category, item: ticket.itemCode) else {
                throw QueueError(.invalid, code: "invalid_transfer", message: "该坐席不具备办理此事项的技能 / that clerk lacks the skill for this item")
            }
        }
        guard category != nil || target != nil else {
            throw QueueError(.invalid, code: "invalid_transfer", message: "请指定技能或坐席 / name a skill or a clerk")
        }
        var out = Decision()
        emit(.sessionEnded(session: id, outcome: .transferred, wrapUpUntil: at.addingTimeInterval(policy.wrapUp), notes: notes), at: at, actor: actor, into: &out)
        emit(.ticketTransferred(ticket: ticket.id, category: category ?? ticket.category, clerk: target), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    public mutating func finishWrapUp(clerk id: ClerkID, at: Date, actor: String) throws(QueueError) -> Decision {
        guard let clerk = clerks[id] else { throw .clerkNotFound(id) }
        guard clerk.state == .wrapUp else {
            throw QueueError(.conflict, code: "not_in_wrap_up", message: "当前不在整理状态 / not in wrap-up")
        }
        var out = Decision()
        emit(.wrapUpFinished(clerk: id), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    /// The kiosk's live connection for a ticket came or went.
    public mutating func kioskConnection(ticket id: TicketID, connected: Bool, at: Date, actor: String) -> Decision {
        guard let ticket = tickets[id] else { return Decision() }
        var out = Decision()
        if let session = ticket.session.flatMap({ sessions[$0] }) {
            presence(session, .kiosk, present: connected, at: at, actor: actor, into: &out)
        } else if connected, ticket.kioskGraceUntil != nil {
            emit(.kioskReconnected(ticket: id), at: at, actor: actor, into: &out)
        } else if !connected, ticket.kioskGraceUntil == nil {
            emit(.kioskDisconnected(ticket: id, graceUntil: at.addingTimeInterval(policy.kioskGrace)), at: at, actor: actor, into: &out)
        }
        return out
    }

    /// The clerk's console connection came or went.
    public mutating func clerkConnection(_ id: ClerkID, connected: Bool, at: Date, actor: String) -> Decision {
        guard let clerk = clerks[id] else { return Decision() }
        var out = Decision()
        if let session = clerk.session.flatMap({ sessions[$0] }) {
            presence(session, .clerk, present: connected, at: at, actor: actor, into: &out)
        }
        if connected, clerk.disconnectedUntil != nil {
            emit(.clerkReconnected(clerk: id), at: at, actor: actor, into: &out)
        } else if !connected, clerk.disconnectedUntil == nil, clerk.state != .offline {
            emit(.clerkDisconnected(clerk: id, graceUntil: at.addingTimeInterval(policy.clerkGrace)), at: at, actor: actor, into: &out)
        }
        return out
    }

    mutating func presence(_ session: Session, _ participant: Participant, present: Bool, at: Date, actor: String, into out: inout Decision) {
        let isPresent = participant == .kiosk ? session.kioskPresent : session.clerkPresent
        if present && !isPresent {
            emit(.participantJoined(session: session.id, participant: participant), at: at, actor: actor, into: &out)
        } else if !present && isPresent {
            emit(.participantLeft(session: session.id, participant: participant, rejoinUntil: at.addingTimeInterval(policy.rejoinGrace)), at: at, actor: actor, into: &out)
        }
    }

    /// The next time something is due, for the timer to sleep until.
    public var nextDeadline: Date? { deadlines.first?.at }

    /// Acts on everything due by `now`: expired offers, lapsed exclusions and graces, ended wrap-ups.
    public mutating func tick(now: Date) -> Decision {
        var out = Decision()
        let actor = "system"
        while let deadline = deadlines.first, deadline.at <= now {
            _ = deadlines.removeFirst()
            let at = deadline.at
            switch deadline.kind {
            case .offer(let ticketID):
                guard let offer = tickets[ticketID]?.offer, offer.expiresAt == at, let clerk = clerks[offer.clerk] else { continue }
                let away = clerk.missedOffers + 1 >= policy.maxMissedOffers
                emit(.offerExpired(ticket: ticketID, clerk: offer.clerk, excludedUntil: at.addingTimeInterval(policy.exclusionPeriod), clerkAway: away), at: at, actor: actor, into: &out)
            case .exclusion(let ticketID, let clerkID):
                guard let until = tickets[ticketID]?.excluded[clerkID], until == at else { continue }
                emit(.exclusionLapsed(ticket: ticketID, clerk: clerkID), at: at, actor: actor, into: &out)
            case .kioskGrace(let ticketID):
                guard let ticket = tickets[ticketID], ticket.kioskGraceUntil == at, ticket.session == nil else { continue }
                emit(.ticketAbandoned(ticket: ticketID), at: at, actor: actor, into: &out)
            case .rejoin(let sessionID):
                guard let session = sessions[sessionID], session.state == .reconnecting, session.rejoinUntil == at else { continue }
                emit(.sessionEnded(session: sessionID, outcome: .dropped, wrapUpUntil: at.addingTimeInterval(policy.wrapUp)), at: at, actor: actor, into: &out)
            case .wrapUp(let clerkID):
                guard let clerk = clerks[clerkID], clerk.state == .wrapUp, clerk.wrapUpUntil == at else { continue }
                emit(.wrapUpFinished(clerk: clerkID), at: at, actor: actor, into: &out)
            case .clerkGrace(let clerkID):
                guard let clerk = clerks[clerkID], clerk.disconnectedUntil == at else { continue }
                if clerk.state == .available || clerk.state == .wrapUp || clerk.state == .away {
                    emit(.clerkStateChanged(clerk: clerkID, state: .offline), at: at, actor: actor, into: &out)
                } else if clerk.state == .offered, let offer = clerk.offer {
                    emit(.offerDeclined(ticket: offer.ticket, clerk: clerkID, excludedUntil: at.addingTimeInterval(policy.exclusionPeriod)), at: at, actor: actor, into: &out)
                    emit(.clerkStateChanged(clerk: clerkID, state: .offline), at: at, actor: actor, into: &out)
                }
            }
            dispatch(at: at, into: &out)
        }
        return out
    }

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
}

extension QueueState {
    /// Routes whatever is pending (after a replay, say) without any other change.
    public mutating func route(at now: Date) -> Decision {
        var out = Decision()
        dispatch(at: now, into: &out)
        return out
    }

    /// After a restart nobody is connected: start every grace period as if all had just dropped.
    public mutating func assumeEveryoneDisconnected(at now: Date) -> Decision {
        var out = Decision()
        for clerk in clerks.values.sorted(by: { $0.id < $1.id }) where clerk.state != .offline {
            out += clerkConnection(clerk.id, connected: false, at: now, actor: "system")
        }
        for session in sessions.values.sorted(by: { $0.id < $1.id }) {
            if session.kioskPresent { presence(session, .kiosk, present: false, at: now, actor: "system", into: &out) }
            if let current = sessions[session.id], current.clerkPresent {
                presence(current, .clerk, present: false, at: now, actor: "system", into: &out)
            }
        }
        for ticket in tickets.values.sorted(by: { $0.id < $1.id }) where ticket.session == nil && ticket.kioskGraceUntil == nil {
            emit(.kioskDisconnected(ticket: ticket.id, graceUntil: now.addingTimeInterval(policy.kioskGrace)), at: now, actor: "system", into: &out)
        }
        return out
    }
}
