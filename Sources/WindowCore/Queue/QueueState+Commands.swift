import Foundation

/// A kiosk's request for a ticket, as the queue sees it (the server has checked the item and site).
public struct TicketRequest: Sendable {
    public var itemCode: String
    public var itemVersion: Int?
    /// Back for a 补正: the session that asked, its clerk (served by them when on duty) and when the
    /// case opened (the ticket takes its place in line from then: the head, in practice).
    public var returning: (session: SessionID, clerk: ClerkID, since: Date)?
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
        priorityReason: PriorityReason? = nil, idNumberMasked: String? = nil, hours: ServiceHours, itemVersion: Int? = nil
    ) {
        self.itemCode = itemCode
        self.itemVersion = itemVersion
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
            throw QueueError(.invalid, code: .invalidState, message: "只能设为空闲、小休或离线 / state must be available, away or offline")
        }
        var out = Decision()
        switch clerk.state {
        case .inSession:
            throw QueueError(.conflict, code: .inSession, message: "请先结束当前会话 / end the current session first")
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

    public mutating func takeTicket(_ request: TicketRequest, at: Date, actor: String) throws(QueueError) -> (Ticket, Decision) {
        guard request.hours.isOpen(at: at) else {
            let next = request.hours.nextOpening(after: at)
            throw QueueError(.closed, code: .closed, message: "当前不在服务时间内 / the window is closed now", nextOpening: next)
        }
        if let heldID = ticketByKiosk[request.kiosk], let held = tickets[heldID] {
            throw QueueError(.conflict, code: .kioskHasTicket, message: "本终端已有号票 \(held.number)，请先办完或离开队列 / this kiosk already holds ticket \(held.number); finish or leave first")
        }
        var ticket = Ticket(
            id: nextTicketID, number: nextNumber(letter: request.letter, at: at), itemCode: request.itemCode,
            category: request.category, site: request.site, kiosk: request.kiosk,
            priorityClass: request.priorityReason?.priorityClass ?? .normal, priorityReason: request.priorityReason,
            createdAt: at, expectedMinutes: request.expectedMinutes, idNumberMasked: request.idNumberMasked,
            itemVersion: request.itemVersion
        )
        if let returning = request.returning {
            ticket.returnOf = returning.session
            ticket.priorityReason = .returning
            ticket.priorityClass = .priority
            ticket.enqueuedAt = min(at, returning.since)
            if clerks[returning.clerk]?.state.isOnDuty == true { ticket.targetClerk = returning.clerk }
        }
        var out = Decision()
        emit(.ticketIssued(ticket: ticket), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return (tickets[ticket.id] ?? ticket, out)
    }

    /// The person leaves the queue.
    public mutating func leaveTicket(_ id: TicketID, at: Date, actor: String) throws(QueueError) -> Decision {
        guard let ticket = tickets[id] else { throw .ticketNotFound(id) }
        guard ticket.state == .waiting || ticket.state == .offered else {
            throw QueueError(.conflict, code: .inSession, message: "会话进行中，不能取消 / the session has started and cannot be cancelled")
        }
        var out = Decision()
        emit(.ticketCancelled(ticket: id), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    public mutating func acceptOffer(clerk id: ClerkID, ticket ticketID: TicketID, at: Date, actor: String) throws(QueueError) -> (SessionID, Decision) {
        guard let clerk = clerks[id] else { throw .clerkNotFound(id) }
        guard let offer = clerk.offer, offer.ticket == ticketID else {
            throw QueueError(.conflict, code: .noSuchOffer, message: "该号票没有向您派单，或派单已失效 / there is no open offer of this ticket to you")
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
            throw QueueError(.conflict, code: .noSuchOffer, message: "该号票没有向您派单，或派单已失效 / there is no open offer of this ticket to you")
        }
        var out = Decision()
        emit(.offerDeclined(ticket: ticketID, clerk: id, excludedUntil: at.addingTimeInterval(policy.exclusionPeriod)), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    public mutating func endSession(
        _ id: SessionID, outcome: SessionOutcome, notes: String? = nil, caseNumber: String? = nil, by clerk: ClerkID, at: Date, actor: String
    ) throws(QueueError) -> Decision {
        // Another clerk's session is answered as a missing one: a clerk cannot tell which sessions exist.
        guard let session = sessions[id], session.clerk == clerk else { throw .sessionNotFound(id) }
        guard outcome != .transferred && outcome != .dropped else {
            throw QueueError(.invalid, code: .invalidOutcome, message: "转办请用转办操作 / use transfer to transfer; dropped is set by the system")
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
        // Another clerk's session is answered as a missing one: a clerk cannot tell which sessions exist.
        guard let session = sessions[id], session.clerk == clerk else { throw .sessionNotFound(id) }
        guard let ticket = tickets[session.ticket] else { throw .ticketNotFound(session.ticket) }
        if let target {
            guard target != clerk else {
                throw QueueError(.invalid, code: .invalidTransfer, message: "不能转给自己 / cannot transfer to yourself")
            }
            guard let targetClerk = clerks[target] else { throw .clerkNotFound(target) }
            guard targetClerk.serves(category: category ?? ticket.category, item: ticket.itemCode) else {
                throw QueueError(.invalid, code: .invalidTransfer, message: "该工作人员不具备办理此事项的技能 / that clerk lacks the skill for this item")
            }
        }
        guard category != nil || target != nil else {
            throw QueueError(.invalid, code: .invalidTransfer, message: "请指定技能或工作人员 / name a skill or a clerk")
        }
        var out = Decision()
        emit(.sessionEnded(session: id, outcome: .transferred, wrapUpUntil: at.addingTimeInterval(policy.wrapUp), notes: notes), at: at, actor: actor, into: &out)
        emit(.ticketTransferred(ticket: ticket.id, category: category ?? ticket.category, clerk: target), at: at, actor: actor, into: &out)
        dispatch(at: at, into: &out)
        return out
    }

    /// A published catalog moved `item` to another category: its waiting tickets move to that
    /// category's line at their old places. Offered and served tickets finish where they are.
    public mutating func reroute(item: String, toCategory category: String, at: Date, actor: String) -> Decision {
        var out = Decision()
        let moving = tickets.values.filter { $0.itemCode == item && $0.state == .waiting && $0.category != category && $0.targetClerk == nil }
        for ticket in moving.sorted(by: { $0.id < $1.id }) {
            emit(.ticketRerouted(ticket: ticket.id, category: category), at: at, actor: actor, into: &out)
        }
        if !out.records.isEmpty { dispatch(at: at, into: &out) }
        return out
    }

    public mutating func ready(clerk id: ClerkID, at: Date, actor: String) throws(QueueError) -> Decision {
        guard let clerk = clerks[id] else { throw .clerkNotFound(id) }
        guard clerk.state == .wrapUp else {
            throw QueueError(.conflict, code: .notInWrapUp, message: "当前不在整理状态 / not in wrap-up")
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

    /// A session just started: each side not connected has the rejoin grace to join, or the
    /// session ends dropped (``tick(now:)``).
    public mutating func awaitAbsent(session id: SessionID, kioskConnected: Bool, clerkConnected: Bool, at: Date, actor: String) -> Decision {
        var out = Decision()
        guard let session = sessions[id] else { return out }
        for (participant, connected) in [(Participant.kiosk, kioskConnected), (.clerk, clerkConnected)] where !connected {
            let present = participant == .kiosk ? session.kioskPresent : session.clerkPresent
            if !present {
                emit(.participantAwaited(session: id, participant: participant, joinUntil: at.addingTimeInterval(policy.rejoinGrace)), at: at, actor: actor, into: &out)
            }
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
}
