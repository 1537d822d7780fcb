import Foundation

/// The live queue: tickets, clerks, offers and sessions, with the indexes routing needs.
///
/// It changes only by ``apply(_:)`` of a ``QueueRecord``; the commands in
/// `QueueState+Commands.swift` and the timers in `QueueState+Timers.swift` decide which records to
/// emit, and `QueueState+Routing.swift` which offers follow. Replaying a log of records onto an
/// empty state therefore rebuilds the same state.
public struct QueueState: Sendable {
    public internal(set) var tickets: [TicketID: Ticket] = [:]
    public internal(set) var clerks: [ClerkID: Clerk] = [:]
    public internal(set) var sessions: [SessionID: Session] = [:]
    public internal(set) var nextTicketID: TicketID = 1
    public internal(set) var nextSessionID: SessionID = 1
    /// Tickets issued per local day and letter, for the numbers shown to people.
    public internal(set) var dailyCounters: [String: Int] = [:]
    /// Recent handling time per item, in seconds.
    public internal(set) var handlingSeconds: [String: Double] = [:]
    /// The materials of live sessions (an ended session's are in the store).
    public internal(set) var materials: [MaterialID: Material] = [:]
    public internal(set) var nextMaterialID: MaterialID = 1

    /// Tickets and sessions that ended since the owner last drained them (not part of the state).
    public private(set) var finishedTickets: [Ticket] = []
    public private(set) var finishedSessions: [Session] = []

    public var policy: RoutingPolicy

    // Indexes.
    struct QueueName: Hashable, Sendable {
        var category: String
        var item: String
    }
    var waiting: [QueueName: [SortedArray<QueueKey>]] = [:]  // one array per PriorityClass rank
    var queuesByCategory: [String: Set<QueueName>] = [:]
    var queuesByItem: [String: Set<QueueName>] = [:]
    var direct: [ClerkID: SortedArray<QueueKey>] = [:]
    var availableByCategory: [String: SortedArray<IdleKey>] = [:]
    var availableByItem: [String: SortedArray<IdleKey>] = [:]
    var onDutyByCategory: [String: Int] = [:]
    var onDutyByItem: [String: Int] = [:]
    var deadlines = SortedArray<Deadline>()
    /// The live ticket each kiosk holds (one at a time).
    public internal(set) var ticketByKiosk: [KioskID: TicketID] = [:]
    /// Tickets that became waiting and clerks that became available: routing looks at them next.
    var pendingTickets: [TicketID] = []
    var pendingClerks: [ClerkID] = []

    public init(policy: RoutingPolicy = RoutingPolicy()) {
        self.policy = policy
    }

    /// Hands the ended tickets and sessions to the caller (to persist their final state) and forgets them.
    public mutating func drainFinished() -> (tickets: [Ticket], sessions: [Session]) {
        defer {
            finishedTickets.removeAll(keepingCapacity: true)
            finishedSessions.removeAll(keepingCapacity: true)
        }
        return (finishedTickets, finishedSessions)
    }

    // MARK: - Applying records

    public mutating func apply(_ record: QueueRecord) {
        let at = record.at
        switch record.event {
        case .clerkRegistered(let id, let profile):
            if var clerk = clerks[id] {
                unindex(clerk: clerk)
                clerk.profile = profile
                clerks[id] = clerk
                index(clerk: clerk)
                if clerk.state == .available { pendingClerks.append(id) }
            } else {
                clerks[id] = Clerk(id: id, profile: profile, at: at)
            }

        case .clerkStateChanged(let id, let state):
            guard var clerk = clerks[id] else { return }
            unindex(clerk: clerk)
            unschedule(.wrapUp(id), at: clerk.wrapUpUntil)
            clerk.state = state
            clerk.stateSince = at
            clerk.offer = nil
            clerk.wrapUpUntil = nil
            if state == .available {
                clerk.idleSince = at
                clerk.missedOffers = 0
                pendingClerks.append(id)
            }
            clerks[id] = clerk
            index(clerk: clerk)

        case .clerkDisconnected(let id, let graceUntil):
            guard var clerk = clerks[id] else { return }
            unschedule(.clerkGrace(id), at: clerk.disconnectedUntil)
            clerk.disconnectedUntil = graceUntil
            clerks[id] = clerk
            schedule(.clerkGrace(id), at: graceUntil)

        case .clerkReconnected(let id):
            unschedule(.clerkGrace(id), at: clerks[id]?.disconnectedUntil)
            clerks[id]?.disconnectedUntil = nil

        case .ticketIssued(let ticket):
            tickets[ticket.id] = ticket
            ticketByKiosk[ticket.kiosk] = ticket.id
            nextTicketID = max(nextTicketID, ticket.id + 1)
            let counterKey = Self.counterKey(number: ticket.number, at: ticket.createdAt)
            dailyCounters[counterKey] = max(dailyCounters[counterKey] ?? 0, Self.sequence(of: ticket.number))
            if handlingSeconds[ticket.itemCode] == nil {
                // Until sessions are measured, the catalog's expected time stands in.
                handlingSeconds[ticket.itemCode] = Double(ticket.expectedMinutes * 60)
            }
            enqueue(ticket)

        case .ticketCancelled(let id), .ticketAbandoned(let id):
            guard var ticket = tickets[id] else { return }
            if case .ticketCancelled = record.event { ticket.state = .cancelled } else { ticket.state = .abandoned }
            ticket.endedAt = at
            if let offer = ticket.offer {
                unschedule(.offer(id), at: offer.expiresAt)
                releaseOffer(offer, at: at)
            }
            dequeue(ticket)
            ticket.offer = nil
            finish(ticket)

        case .kioskDisconnected(let id, let graceUntil):
            guard var ticket = tickets[id] else { return }
            unschedule(.kioskGrace(id), at: ticket.kioskGraceUntil)
            ticket.kioskGraceUntil = graceUntil
            tickets[id] = ticket
            schedule(.kioskGrace(id), at: graceUntil)

        case .kioskReconnected(let id):
            unschedule(.kioskGrace(id), at: tickets[id]?.kioskGraceUntil)
            tickets[id]?.kioskGraceUntil = nil

        case .offerMade(let ticketID, let clerkID, let expiresAt, _):
            guard var ticket = tickets[ticketID], var clerk = clerks[clerkID] else { return }
            dequeue(ticket)
            unindex(clerk: clerk)
            let offer = Offer(clerk: clerkID, ticket: ticketID, madeAt: at, expiresAt: expiresAt)
            ticket.state = .offered
            ticket.offer = offer
            clerk.state = .offered
            clerk.stateSince = at
            clerk.offer = offer
            tickets[ticketID] = ticket
            clerks[clerkID] = clerk
            index(clerk: clerk)
            schedule(.offer(ticketID), at: expiresAt)

        case .offerAccepted(let ticketID, let clerkID, let sessionID):
            guard var ticket = tickets[ticketID], var clerk = clerks[clerkID] else { return }
            unindex(clerk: clerk)
            unschedule(.offer(ticketID), at: ticket.offer?.expiresAt)
            ticket.state = .inSession
            ticket.offer = nil
            ticket.session = sessionID
            // A kiosk grace that is running stays: it ends when the kiosk joins the session, and a
            // session the kiosk never joined does not give it a new one.
            clerk.state = .inSession
            clerk.stateSince = at
            clerk.offer = nil
            clerk.session = sessionID
            clerk.missedOffers = 0
            tickets[ticketID] = ticket
            clerks[clerkID] = clerk
            index(clerk: clerk)
            sessions[sessionID] = Session(
                id: sessionID, ticket: ticketID, clerk: clerkID, kiosk: ticket.kiosk, itemCode: ticket.itemCode,
                room: "session-\(sessionID)", state: .connecting, startedAt: at,
                kioskPresent: false, clerkPresent: false, rejoinUntil: nil
            )
            nextSessionID = max(nextSessionID, sessionID + 1)

        case .offerDeclined(let ticketID, let clerkID, let excludedUntil):
            returnOffer(ticketID, clerkID, excludedUntil: excludedUntil, at: at, missed: false, away: false)

        case .offerExpired(let ticketID, let clerkID, let excludedUntil, let away):
            returnOffer(ticketID, clerkID, excludedUntil: excludedUntil, at: at, missed: true, away: away)

        case .exclusionLapsed(let ticketID, let clerkID):
            guard var ticket = tickets[ticketID] else { return }
            unschedule(.exclusion(ticketID, clerkID), at: ticket.excluded[clerkID])
            ticket.excluded[clerkID] = nil
            tickets[ticketID] = ticket
            if ticket.state == .waiting { pendingTickets.append(ticketID) }

        case .participantJoined(let id, let participant):
            guard var session = sessions[id] else { return }
            switch participant {
            case .kiosk:
                session.kioskPresent = true
                unschedule(.kioskGrace(session.ticket), at: tickets[session.ticket]?.kioskGraceUntil)
                tickets[session.ticket]?.kioskGraceUntil = nil
            case .clerk: session.clerkPresent = true
            }
            if session.kioskPresent && session.clerkPresent {
                unschedule(.rejoin(id), at: session.rejoinUntil)
                session.rejoinUntil = nil
            }
            session.state = session.mediaState
            sessions[id] = session

        case .participantLeft(let id, let participant, let rejoinUntil):
            guard var session = sessions[id] else { return }
            // A side that left has no media until its page reports again.
            switch participant {
            case .kiosk: (session.kioskPresent, session.kioskMedia) = (false, nil)
            case .clerk: (session.clerkPresent, session.clerkMedia) = (false, nil)
            }
            session.state = .reconnecting
            unschedule(.rejoin(id), at: session.rejoinUntil)
            session.rejoinUntil = rejoinUntil
            sessions[id] = session
            schedule(.rejoin(id), at: rejoinUntil)

        case .participantAwaited(let id, _, let joinUntil):
            guard var session = sessions[id] else { return }
            let until = min(session.rejoinUntil ?? joinUntil, joinUntil)
            unschedule(.rejoin(id), at: session.rejoinUntil)
            session.rejoinUntil = until
            sessions[id] = session
            schedule(.rejoin(id), at: until)

        case .mediaChanged(let id, let participant, let media):
            guard var session = sessions[id] else { return }
            switch participant {
            case .kiosk: session.kioskMedia = media
            case .clerk: session.clerkMedia = media
            }
            if session.mediaConnectedAt == nil, session.kioskMedia == .connected, session.clerkMedia == .connected {
                session.mediaConnectedAt = at
            }
            // A session waiting for a participant to rejoin stays reconnecting until they do.
            if session.kioskPresent && session.clerkPresent { session.state = session.mediaState }
            sessions[id] = session

        case .consentAnswered(let id, let accepted):
            sessions[id]?.consent = accepted

        case .sessionEnded(let id, let outcome, let wrapUpUntil, let notes, let caseNumber, let requeued):
            guard var session = sessions.removeValue(forKey: id) else { return }
            session.state = .ended
            unschedule(.rejoin(id), at: session.rejoinUntil)
            session.rejoinUntil = nil
            session.endedAt = at
            session.outcome = outcome
            session.notes = notes
            session.caseNumber = caseNumber
            materials = materials.filter { $0.value.session != id }
            finishedSessions.append(session)
            if outcome != .dropped {
                let seconds = max(1, at.timeIntervalSince(session.startedAt))
                let weight = policy.handlingTimeWeight
                handlingSeconds[session.itemCode] = handlingSeconds[session.itemCode].map { weight * seconds + (1 - weight) * $0 } ?? seconds
            }
            if var clerk = clerks[session.clerk] {
                unindex(clerk: clerk)
                clerk.state = .wrapUp
                clerk.stateSince = at
                clerk.session = nil
                clerk.wrapUpUntil = wrapUpUntil
                clerks[clerk.id] = clerk
                index(clerk: clerk)
                schedule(.wrapUp(clerk.id), at: wrapUpUntil)
            }
            if requeued == true, var ticket = tickets[session.ticket] {
                // The clerk was lost: the ticket goes back to its line at its old place (its head, as a rule).
                ticket.state = .waiting
                ticket.session = nil
                unschedule(.exclusion(ticket.id, session.clerk), at: ticket.excluded[session.clerk])
                ticket.excluded[session.clerk] = nil
                tickets[ticket.id] = ticket
                enqueue(ticket)
            } else if outcome != .transferred, var ticket = tickets[session.ticket] {
                ticket.state = .done
                ticket.endedAt = at
                finish(ticket)
            }

        case .ticketTransferred(let id, let category, let clerk):
            guard var ticket = tickets[id] else { return }
            ticket.state = .waiting
            ticket.session = nil
            ticket.category = category
            ticket.targetClerk = clerk
            for (excluded, until) in ticket.excluded { unschedule(.exclusion(id, excluded), at: until) }
            ticket.excluded = [:]
            ticket.transfers += 1
            tickets[id] = ticket
            enqueue(ticket)
            // A kiosk that never joined the session is still on its grace, which runs again now.
            if let grace = ticket.kioskGraceUntil { schedule(.kioskGrace(id), at: grace) }

        case .ticketRerouted(let id, let category):
            guard var ticket = tickets[id], ticket.state == .waiting else { return }
            dequeue(ticket)
            ticket.category = category
            tickets[id] = ticket
            enqueue(ticket)

        case .wrapUpFinished(let id):
            guard var clerk = clerks[id] else { return }
            unindex(clerk: clerk)
            unschedule(.wrapUp(id), at: clerk.wrapUpUntil)
            clerk.state = .available
            clerk.stateSince = at
            clerk.idleSince = at
            clerk.wrapUpUntil = nil
            clerks[id] = clerk
            index(clerk: clerk)
            pendingClerks.append(id)

        case .materialUploaded(let material):
            materials[material.id] = material
            nextMaterialID = max(nextMaterialID, material.id + 1)

        case .materialReviewed(let id, _, let status, let reason, let clerk):
            materials[id]?.status = status
            materials[id]?.reason = reason
            materials[id]?.reviewedAt = at
            materials[id]?.reviewedBy = clerk

        case .sessionRated:
            break  // a rated session has ended: the rating is the store's, not the live queue's
        }
    }

    // MARK: - Deadlines

    /// A deadline is kept only while it can still fire: one whose subject was settled first (an
    /// offer accepted, a wrap-up ended by the clerk, a kiosk back within its grace) is taken out
    /// then, so the timer does not wake for it and the list holds only what is pending — not every
    /// served ticket's offer and wrap-up for a minute. `tick` still checks each one it meets.
    private mutating func schedule(_ kind: Deadline.Kind, at: Date) {
        let deadline = Deadline(at: at, kind: kind)
        if !deadlines.contains(deadline) { deadlines.insert(deadline) }
    }

    private mutating func unschedule(_ kind: Deadline.Kind, at: Date?) {
        if let at { deadlines.remove(Deadline(at: at, kind: kind)) }
    }

    // MARK: - Index upkeep

    private mutating func finish(_ ticket: Ticket) {
        // An ended ticket's timers can no longer fire.
        unschedule(.kioskGrace(ticket.id), at: ticket.kioskGraceUntil)
        for (clerk, until) in ticket.excluded { unschedule(.exclusion(ticket.id, clerk), at: until) }
        tickets[ticket.id] = nil
        if ticketByKiosk[ticket.kiosk] == ticket.id { ticketByKiosk[ticket.kiosk] = nil }
        finishedTickets.append(ticket)
    }

    /// The offered clerk is free again (the ticket went away under the offer).
    private mutating func releaseOffer(_ offer: Offer, at: Date) {
        guard var clerk = clerks[offer.clerk], clerk.offer?.ticket == offer.ticket else { return }
        unindex(clerk: clerk)
        clerk.state = .available
        clerk.stateSince = at
        clerk.offer = nil
        clerks[clerk.id] = clerk
        index(clerk: clerk)
        pendingClerks.append(clerk.id)
    }

    private mutating func returnOffer(_ ticketID: TicketID, _ clerkID: ClerkID, excludedUntil: Date, at: Date, missed: Bool, away: Bool) {
        if var ticket = tickets[ticketID] {
            ticket.state = .waiting
            unschedule(.offer(ticketID), at: ticket.offer?.expiresAt)
            ticket.offer = nil
            unschedule(.exclusion(ticketID, clerkID), at: ticket.excluded[clerkID])
            ticket.excluded[clerkID] = excludedUntil
            tickets[ticketID] = ticket
            enqueue(ticket)
            schedule(.exclusion(ticketID, clerkID), at: excludedUntil)
        }
        if var clerk = clerks[clerkID] {
            unindex(clerk: clerk)
            clerk.offer = nil
            clerk.stateSince = at
            if missed { clerk.missedOffers += 1 }
            clerk.state = away ? .away : .available
            clerks[clerkID] = clerk
            index(clerk: clerk)
            if !away { pendingClerks.append(clerkID) }
        }
    }

    mutating func enqueue(_ ticket: Ticket) {
        guard ticket.state == .waiting else { return }
        if let target = ticket.targetClerk {
            direct[target, default: SortedArray()].insert(ticket.queueKey)
        } else {
            let name = QueueName(category: ticket.category, item: ticket.itemCode)
            if waiting[name] == nil {
                waiting[name] = Array(repeating: SortedArray(), count: PriorityClass.allCases.count)
                queuesByCategory[name.category, default: []].insert(name)
                queuesByItem[name.item, default: []].insert(name)
            }
            waiting[name]![ticket.priorityClass.rank].insert(ticket.queueKey)
        }
        pendingTickets.append(ticket.id)
    }

    private mutating func dequeue(_ ticket: Ticket) {
        if let target = ticket.targetClerk {
            direct[target]?.remove(ticket.queueKey)
            if direct[target]?.isEmpty == true { direct[target] = nil }
        } else {
            let name = QueueName(category: ticket.category, item: ticket.itemCode)
            waiting[name]?[ticket.priorityClass.rank].remove(ticket.queueKey)
        }
    }

    mutating func index(clerk: Clerk) {
        let key = IdleKey(idleSince: clerk.idleSince, clerk: clerk.id)
        if clerk.state == .available {
            for skill in clerk.profile.skills { availableByCategory[skill, default: SortedArray()].insert(key) }
            for item in clerk.profile.items { availableByItem[item, default: SortedArray()].insert(key) }
        }
        if clerk.state.isOnDuty {
            for skill in clerk.profile.skills { onDutyByCategory[skill, default: 0] += 1 }
            for item in clerk.profile.items { onDutyByItem[item, default: 0] += 1 }
        }
    }

    private mutating func unindex(clerk: Clerk) {
        let key = IdleKey(idleSince: clerk.idleSince, clerk: clerk.id)
        if clerk.state == .available {
            for skill in clerk.profile.skills { availableByCategory[skill]?.remove(key) }
            for item in clerk.profile.items { availableByItem[item]?.remove(key) }
        }
        if clerk.state.isOnDuty {
            for skill in clerk.profile.skills { onDutyByCategory[skill, default: 0] -= 1 }
            for item in clerk.profile.items { onDutyByItem[item, default: 0] -= 1 }
        }
    }

    // MARK: - Numbers

    /// Local (Shanghai) day of `date`, e.g. `2026-11-21`.
    public static func localDay(_ date: Date) -> String {
        let components = ServiceHours.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", components.year!, components.month!, components.day!)
    }

    static func counterKey(number: String, at: Date) -> String {
        "\(localDay(at))/\(number.prefix(1))"
    }

    static func sequence(of number: String) -> Int {
        Int(number.dropFirst()) ?? 0
    }

    func nextNumber(letter: String, at: Date) -> String {
        let next = (dailyCounters["\(Self.localDay(at))/\(letter)"] ?? 0) + 1
        return letter + (next < 1000 ? String(format: "%03d", next) : String(next))
    }
}

extension Session {
    /// The state the media makes it while both participants are present: active when both sides
    /// report connected, reconnecting when the media was up once and is not now, else connecting.
    var mediaState: SessionState {
        // A side awaited since the start (``QueueEvent/participantAwaited``) leaves it connecting.
        guard kioskPresent && clerkPresent else { return mediaConnectedAt == nil && state != .reconnecting ? .connecting : .reconnecting }
        if kioskMedia == .connected && clerkMedia == .connected { return .active }
        return mediaConnectedAt == nil ? .connecting : .reconnecting
    }
}

extension QueueState: Equatable {
    /// Two states are equal when their tickets, clerks, sessions, counters and handling times
    /// are; indexes follow from those, and the finished buffers are not state.
    public static func == (lhs: QueueState, rhs: QueueState) -> Bool {
        lhs.tickets == rhs.tickets && lhs.clerks == rhs.clerks && lhs.sessions == rhs.sessions
            && lhs.nextTicketID == rhs.nextTicketID && lhs.nextSessionID == rhs.nextSessionID
            && lhs.dailyCounters == rhs.dailyCounters && lhs.handlingSeconds == rhs.handlingSeconds
            && lhs.materials == rhs.materials && lhs.nextMaterialID == rhs.nextMaterialID
    }
}
