import Foundation
import WindowAPITypes
import WindowCore
import WindowStore

/// What people see of the queue: built from the live state, or from the store once ended.
extension QueueService {
    func liveTicketID(kiosk: KioskID) -> TicketID? { state.ticketByKiosk[kiosk] }

    func ticketKiosk(_ id: TicketID) throws -> KioskID? {
        if let ticket = state.tickets[id] ?? unwritten.tickets[id] { return ticket.kiosk }
        return try database.ticket(id: id)?.kiosk
    }

    /// A session, live or ended.
    func anySession(_ id: SessionID) throws -> Session? {
        if let session = state.sessions[id] ?? unwritten.sessions[id] { return session }
        return try database.session(id: id)
    }

    func isRated(_ session: SessionID) throws -> Bool {
        try unwritten.ratings.contains(session) || database.rating(session: session) != nil
    }

    func ticketView(_ id: TicketID) throws -> TicketView? {
        var view: TicketView
        if let ticket = state.tickets[id] {
            view = Self.view(ticket, estimate: state.estimate(for: id, now: clock()))
            if let sessionID = ticket.session, let session = state.sessions[sessionID] {
                view.session = sessionInfo(session)
            }
        } else {
            guard let ticket = try unwritten.tickets[id] ?? database.ticket(id: id) else { return nil }
            view = Self.view(ticket, estimate: nil)
            if let sessionID = ticket.session, let session = try anySession(sessionID) {
                view.session = sessionInfo(session)
            }
        }
        view.sequence = sequence
        return view
    }

    private func sessionInfo(_ session: Session) -> TicketView.SessionInfo {
        let clerk = state.clerks[session.clerk]?.profile
        return TicketView.SessionInfo(
            id: session.id, state: session.state, room: session.room, clerkName: clerk?.displayName ?? "", window: clerk?.window ?? "",
            outcome: session.outcome, caseNumber: session.caseNumber, consent: session.consent)
    }

    /// Each side's media as last reported, with its latest stats.
    func mediaView(_ session: Session) -> SessionMediaView? {
        guard session.state != .ended else { return nil }
        let stats = mediaStats[session.id] ?? [:]
        return SessionMediaView(
            kiosk: session.kioskMedia.map { .init(state: $0, stats: stats[.kiosk]) },
            clerk: session.clerkMedia.map { .init(state: $0, stats: stats[.clerk]) })
    }

    static func view(_ ticket: Ticket, estimate: Estimate?) -> TicketView {
        var view = TicketView(
            id: ticket.id, number: ticket.number, itemCode: ticket.itemCode, category: ticket.category, state: ticket.state,
            priorityClass: ticket.priorityClass, priorityReason: ticket.priorityReason, position: estimate?.position,
            ahead: estimate?.ahead, waitSeconds: estimate?.waitSeconds, clerksOnDuty: estimate?.clerksOnDuty,
            createdAt: ticket.createdAt, endedAt: ticket.endedAt, kioskGraceUntil: ticket.kioskGraceUntil,
            idNumberMasked: ticket.idNumberMasked, session: nil, itemVersion: ticket.itemVersion)
        view.returnOf = ticket.returnOf
        return view
    }

    /// A session with its materials, outcome, notes and rating.
    func sessionView(_ id: SessionID) throws -> SessionView {
        guard let session = try anySession(id) else { throw QueueError.sessionNotFoundForCaller(id) }
        let live = state.sessions[id] != nil
        let materials = live ? state.materials(of: id) : try database.materials(session: id)
        var view = SessionView(
            id: session.id, ticket: session.ticket, itemCode: session.itemCode, state: session.state, outcome: session.outcome,
            caseNumber: session.caseNumber, notes: session.notes, materials: materials.map(MaterialView.init),
            rating: try database.rating(session: id).map(RatingView.init))
        view.clerk = session.clerk
        view.kiosk = session.kiosk
        view.room = session.room
        view.startedAt = session.startedAt
        view.endedAt = session.endedAt
        view.consent = session.consent
        view.media = mediaView(session)
        return view
    }

    func clerkView(_ id: ClerkID) -> ClerkView? {
        guard let clerk = state.clerks[id] else { return nil }
        let now = clock()
        var offer: ClerkView.OfferInfo?
        if let o = clerk.offer, let ticket = state.tickets[o.ticket] {
            offer = .init(
                ticket: ticket.id, number: ticket.number, itemCode: ticket.itemCode, category: ticket.category,
                priorityClass: ticket.priorityClass, priorityReason: ticket.priorityReason, madeAt: o.madeAt, expiresAt: o.expiresAt,
                waitedSeconds: Int(now.timeIntervalSince(ticket.createdAt)))
        }
        var session: ClerkView.SessionInfo?
        if let sessionID = clerk.session, let s = state.sessions[sessionID], let ticket = state.tickets[s.ticket] {
            session = .init(
                id: s.id, ticket: ticket.id, number: ticket.number, itemCode: ticket.itemCode, state: s.state, room: s.room,
                startedAt: s.startedAt, kioskPresent: s.kioskPresent, priorityReason: ticket.priorityReason,
                idNumberMasked: ticket.idNumberMasked, consent: s.consent, media: mediaView(s), itemVersion: ticket.itemVersion,
                returnOf: ticket.returnOf)
        }
        return ClerkView(
            id: clerk.id, displayName: clerk.profile.displayName, window: clerk.profile.window,
            skills: clerk.profile.skills.sorted(), items: clerk.profile.items.sorted(), state: clerk.state,
            stateSince: clerk.stateSince, missedOffers: clerk.missedOffers, wrapUpUntil: clerk.wrapUpUntil,
            connected: hub.isConnected(.clerk(clerk.id)), offer: offer, session: session, sequence: sequence)
    }

    func clerkViews() -> [ClerkView] {
        state.clerks.keys.sorted().compactMap { clerkView($0) }
    }

    /// The live queue by site and category, in one pass over the waiting tickets.
    func queueLines(now: Date? = nil) -> [QueueLine] {
        let now = now ?? clock()
        let siteCodes = (try? database.siteCodes()) ?? [:]
        var lines: [String: QueueLine] = [:]
        var last: [String: Ticket] = [:]
        for ticket in state.tickets.values where ticket.state == .waiting {
            let key = "\(ticket.site)/\(ticket.category)"
            var line = lines[key] ?? QueueLine(site: ticket.site, siteCode: siteCodes[ticket.site], category: ticket.category, waiting: 0, longestWaitSeconds: 0)
            line.waiting += 1
            line.longestWaitSeconds = max(line.longestWaitSeconds, Int(now.timeIntervalSince(ticket.createdAt)))
            lines[key] = line
            if let current = last[key], (current.priorityClass, current.enqueuedAt) >= (ticket.priorityClass, ticket.enqueuedAt) { continue }
            last[key] = ticket
        }
        // The ETA of a newcomer to the line: about that of the last ticket in it.
        for (key, ticket) in last {
            lines[key]?.etaSeconds = state.estimate(for: ticket.id, now: now)?.waitSeconds
        }
        return lines.values.sorted { ($0.site, $0.category) < ($1.site, $1.category) }
    }

    func queueLines(forClerk id: ClerkID, now: Date?) -> [QueueLine] {
        guard let clerk = state.clerks[id] else { return [] }
        return queueLines(now: now).filter { clerk.profile.skills.contains($0.category) }
    }

    func board() throws -> QueueBoard {
        let now = clock()
        return QueueBoard(generatedAt: now, lines: queueLines(now: now), clerks: clerkViews(), today: try database.ticketCounts(since: ServiceHours.startOfDay(now)))
    }
}

extension QueueService {
    /// Waiting tickets per item code (for a publish's impact).
    func waitingByItem() -> [String: Int] {
        var counts: [String: Int] = [:]
        for ticket in state.tickets.values where ticket.state == .waiting { counts[ticket.itemCode, default: 0] += 1 }
        return counts
    }

    /// A published catalog moved `item` to `category`: its waiting tickets follow.
    func reroute(item: String, toCategory category: String, actor: String) async throws {
        try await commit(state.reroute(item: item, toCategory: category, at: clock(), actor: actor))
    }
}

extension QueueService {
    /// A session's ticket, live, just ended or stored.
    func ticketOf(session: Session) throws -> Ticket? {
        try state.tickets[session.ticket] ?? unwritten.tickets[session.ticket] ?? database.ticket(id: session.ticket)
    }

    /// Whether `clerk`'s session in hand is the return of the 补正 asked in `session`.
    func servesReturn(of session: SessionID, clerk: ClerkID) -> Bool {
        guard let current = state.clerks[clerk]?.session, let live = state.sessions[current], let ticket = state.tickets[live.ticket] else { return false }
        return ticket.returnOf == session
    }
}
