import Foundation
import Logging
import WindowAPITypes
import WindowCore
import WindowStore

/// The one owner of the live queue. Every change comes here: the pure core decides, the
/// decision and its records are written in one transaction, then applied to memory (the core
/// already did) and handed to the hub. Because one actor decides and persists in order, no
/// two clerks get the same ticket and no clerk two offers.
actor QueueService {
    private var state: QueueState
    nonisolated let policy: RoutingPolicy
    private let database: AppDatabase
    private let hub: LiveHub
    private let metrics: QueueMetrics
    private let clock: @Sendable () -> Date
    private let logger: Logger

    /// Categories whose waiting line changed since the last position push.
    private var dirtyCategories = Set<String>()
    private var lastFlush = Date.distantPast
    private var siteCodes: [SiteID: String] = [:]

    init(database: AppDatabase, policy: RoutingPolicy, hub: LiveHub, metrics: QueueMetrics, clock: @escaping @Sendable () -> Date, logger: Logger) throws {
        self.database = database
        self.hub = hub
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.policy = policy
        state = try Self.rebuild(database: database, policy: policy)
    }

    /// Replays the log: the live queue exactly as it was last committed.
    static func rebuild(database: AppDatabase, policy: RoutingPolicy) throws -> QueueState {
        var state = QueueState(policy: policy)
        for record in try database.queueRecords() { state.apply(record) }
        _ = state.drainFinished()
        return state
    }

    /// On start: bring clerk profiles in line with the accounts, start every grace period
    /// (nobody is connected yet), settle what expired while the server was down, and route.
    func start() throws {
        let now = clock()
        var decision = Decision()
        for profile in try database.clerkProfiles() {
            guard let account = try database.account(id: profile.accountID) else { continue }
            decision += state.registerClerk(profile.accountID, profile: Self.profile(account, profile), at: now, actor: "system")
        }
        decision += state.assumeEveryoneDisconnected(at: now)
        decision += state.tick(now: now)
        decision += state.route(at: now)
        try commit(decision)
        siteCodes = Dictionary(uniqueKeysWithValues: try database.sites().map { ($0.id!, $0.code) })
        logger.notice("queue rebuilt", metadata: [
            "queue.tickets": "\(state.tickets.count)", "queue.clerks": "\(state.clerks.count)", "queue.sessions": "\(state.sessions.count)",
        ])
    }

    static func profile(_ account: Account, _ record: ClerkProfileRecord) -> ClerkProfile {
        ClerkProfile(displayName: account.displayName, window: record.window, skills: Set(record.skills), items: Set(record.items))
    }

    // MARK: - Committing

    /// Persists a decision, then pushes it. If the write fails, memory is rebuilt from the
    /// database (which rolled back) so the two never disagree, and the caller gets the error.
    private func commit(_ decision: Decision, idNumberHashes: [TicketID: String] = [:], closing: SessionClosing? = nil) throws {
        let finished = state.drainFinished()
        guard !decision.isEmpty || closing != nil else { return }
        for record in decision {
            // Records carry only masked ID numbers, so they are safe to trace.
            logger.trace("queue record", metadata: ["event.kind": "\(record.event.kind)", "event.actor": "\(record.actor)", "event": "\(record.event)"])
        }
        var touchedTickets = Set<TicketID>()
        var touchedSessions = Set<SessionID>()
        var touchedClerks = Set<ClerkID>()
        for record in decision {
            touchedTickets.formUnion(record.event.tickets)
            touchedClerks.formUnion(record.event.clerks)
            switch record.event {
            case .offerAccepted(_, _, let session), .participantJoined(let session, _), .participantLeft(let session, _, _):
                touchedSessions.insert(session)
            case .sessionEnded(let session, _, _):
                touchedSessions.insert(session)
            default: break
            }
        }
        var finishedTickets: [TicketID: Ticket] = [:]
        for ticket in finished.tickets { finishedTickets[ticket.id] = ticket }
        var finishedSessions: [SessionID: Session] = [:]
        for session in finished.sessions { finishedSessions[session.id] = session }
        for session in finished.sessions {
            touchedTickets.insert(session.ticket)
            touchedClerks.insert(session.clerk)
        }
        let tickets = touchedTickets.compactMap { state.tickets[$0] ?? finishedTickets[$0] }
        let sessions = touchedSessions.compactMap { state.sessions[$0] ?? finishedSessions[$0] }
        do {
            let started = ContinuousClock.now
            try database.commitQueue(records: decision, tickets: tickets, sessions: sessions, idNumberHashes: idNumberHashes, closing: closing)
            metrics.recordCommit(ContinuousClock.now - started)
        } catch {
            logger.error("queue commit failed; rebuilding from the database", metadata: ["error": "\(error)"])
            state = (try? Self.rebuild(database: database, policy: state.policy)) ?? QueueState(policy: state.policy)
            throw error
        }
        metrics.observe(decision, tickets: { self.state.tickets[$0] ?? finishedTickets[$0] }, sessions: { self.state.sessions[$0] ?? finishedSessions[$0] })
        for ticket in tickets { dirtyCategories.insert(ticket.category) }
        for record in decision where record.event.kind.hasPrefix("offer.") || record.event.kind == "ticket.issued" {
            if case .offerMade(_, let clerk, _, let reason) = record.event {
                logger.debug("offer made", metadata: ["clerk.id": "\(clerk)", "offer.rule": "\(reason.rule)", "offer.candidates": "\(reason.eligibleCount)"])
            }
        }
        push(tickets: tickets, finishedSessions: finishedSessions, clerks: touchedClerks)
    }

    /// Sends the changed views to whoever watches them.
    private func push(tickets: [Ticket], finishedSessions: [SessionID: Session], clerks: Set<ClerkID>) {
        for clerk in clerks {
            if hub.isConnected(.clerk(clerk)), let view = clerkView(clerk) {
                hub.send(LiveMessage(type: "clerk", data: view).json(), to: .clerk(clerk))
            }
        }
        for ticket in tickets where hub.isConnected(.kiosk(ticket.kiosk)) {
            if let view = try? ticketView(ticket.id) {
                hub.send(LiveMessage(type: "ticket", data: view).json(), to: .kiosk(ticket.kiosk))
            }
        }
    }

    // MARK: - Commands

    func issueTicket(_ request: TicketRequest, idNumberHash: String?, actor: String) throws -> TicketView {
        let now = clock()
        let (ticket, decision) = try state.issueTicket(request, at: now, actor: actor)
        try commit(decision, idNumberHashes: idNumberHash.map { [ticket.id: $0] } ?? [:])
        return try ticketView(ticket.id)!
    }

    func cancelTicket(_ id: TicketID, kiosk: KioskID?, actor: String) throws {
        if let kiosk, state.tickets[id]?.kiosk != kiosk { throw QueueError.ticketNotFoundForCaller(id) }
        try commit(try state.cancelTicket(id, at: clock(), actor: actor))
    }

    func setClerkState(_ clerk: ClerkID, to target: ClerkState, actor: String) throws -> ClerkView {
        try commit(try state.setClerkState(clerk, to: target, at: clock(), actor: actor))
        return clerkView(clerk)!
    }

    func acceptOffer(clerk: ClerkID, ticket: TicketID, actor: String) throws -> ClerkView {
        let now = clock()
        var (_, decision) = try state.acceptOffer(clerk: clerk, ticket: ticket, at: now, actor: actor)
        // Whoever is already connected has joined the session from its first moment.
        if let kiosk = state.tickets[ticket]?.kiosk, hub.isConnected(.kiosk(kiosk)) {
            decision += state.kioskConnection(ticket: ticket, connected: true, at: now, actor: "kiosk:\(kiosk)")
        }
        if hub.isConnected(.clerk(clerk)) {
            decision += state.clerkConnection(clerk, connected: true, at: now, actor: actor)
        }
        try commit(decision)
        return clerkView(clerk)!
    }

    func declineOffer(clerk: ClerkID, ticket: TicketID, actor: String) throws -> ClerkView {
        try commit(try state.declineOffer(clerk: clerk, ticket: ticket, at: clock(), actor: actor))
        return clerkView(clerk)!
    }

    func endSession(_ session: SessionID, outcome: SessionOutcome, notes: String?, clerk: ClerkID, actor: String) throws -> ClerkView {
        let now = clock()
        let decision = try state.endSession(session, outcome: outcome, by: clerk, at: now, actor: actor)
        let caseNumber = outcome == .completed || outcome == .needsMaterials || outcome == .referredOffline
            ? Self.caseNumber(session: session, at: now) : nil
        try commit(decision, closing: SessionClosing(session: session, notes: notes, caseNumber: caseNumber))
        return clerkView(clerk)!
    }

    func transfer(_ session: SessionID, clerk: ClerkID, toCategory: String?, toClerk: ClerkID?, notes: String?, actor: String) throws -> ClerkView {
        let decision = try state.transfer(session, by: clerk, toCategory: toCategory, toClerk: toClerk, at: clock(), actor: actor)
        try commit(decision, closing: SessionClosing(session: session, notes: notes, caseNumber: nil))
        return clerkView(clerk)!
    }

    func finishWrapUp(clerk: ClerkID, actor: String) throws -> ClerkView {
        try commit(try state.finishWrapUp(clerk: clerk, at: clock(), actor: actor))
        return clerkView(clerk)!
    }

    func registerClerk(_ id: ClerkID, profile: ClerkProfile, actor: String) throws {
        try commit(state.registerClerk(id, profile: profile, at: clock(), actor: actor))
    }

    /// A kiosk's first live connection opened, or its last closed; or it simply made a request.
    func kioskPresence(_ kiosk: KioskID, connected: Bool) throws {
        guard let ticket = state.ticketByKiosk[kiosk] else { return }
        try commit(state.kioskConnection(ticket: ticket, connected: connected, at: clock(), actor: "kiosk:\(kiosk)"))
    }

    func clerkPresence(_ clerk: ClerkID, connected: Bool) throws {
        guard state.clerks[clerk] != nil else { return }
        try commit(state.clerkConnection(clerk, connected: connected, at: clock(), actor: "clerk:\(clerk)"))
    }

    /// Timers: acts on what is due, then pushes coalesced position and board updates.
    func tick() throws {
        let now = clock()
        try commit(state.tick(now: now))
        if now.timeIntervalSince(lastFlush) >= 1 {
            lastFlush = now
            flush(now: now)
        }
    }

    /// Positions and ETAs move for everyone in a line when anything in it changes: pushed at
    /// most once a second, to connected kiosks only.
    private func flush(now: Date) {
        metrics.refresh(state: state, connections: hub.connectionCount)
        guard !dirtyCategories.isEmpty else { return }
        let dirty = dirtyCategories
        dirtyCategories.removeAll()
        for kiosk in hub.connectedKiosks {
            guard let id = state.ticketByKiosk[kiosk], let ticket = state.tickets[id], ticket.state == .waiting, dirty.contains(ticket.category),
                let view = try? ticketView(id)
            else { continue }
            hub.send(LiveMessage(type: "ticket", data: view).json(), to: .kiosk(kiosk))
        }
        // One pass for everyone; each clerk gets the lines of their skills.
        let lines = queueLines(now: now)
        for id in hub.connectedClerks {
            guard let clerk = state.clerks[id] else { continue }
            hub.send(LiveMessage(type: "queues", data: lines.filter { clerk.profile.skills.contains($0.category) }).json(), to: .clerk(id))
        }
        if hub.hasManagers, let board = try? board() {
            hub.sendToManagers(LiveMessage(type: "board", data: board).json())
        }
    }

    // MARK: - Views

    func liveTicketID(kiosk: KioskID) -> TicketID? { state.ticketByKiosk[kiosk] }

    func ticketKiosk(_ id: TicketID) throws -> KioskID? {
        if let ticket = state.tickets[id] { return ticket.kiosk }
        return try database.storedTicket(id: id)?.ticket.kiosk
    }

    func ticketView(_ id: TicketID) throws -> TicketView? {
        let now = clock()
        if let ticket = state.tickets[id] {
            let estimate = state.estimate(for: id, now: now)
            var view = Self.view(ticket, estimate: estimate)
            if let sessionID = ticket.session, let session = state.sessions[sessionID] {
                let clerk = state.clerks[session.clerk]?.profile
                view.session = .init(id: session.id, state: session.state, room: session.room, clerkName: clerk?.displayName ?? "", window: clerk?.window ?? "")
            }
            return view
        }
        guard let stored = try database.storedTicket(id: id) else { return nil }
        var view = Self.view(stored.ticket, estimate: nil)
        view.endedAt = stored.endedAt
        if let sessionID = stored.ticket.session, let session = try database.storedSession(id: sessionID) {
            let clerk = state.clerks[session.session.clerk]?.profile
            view.session = .init(
                id: sessionID, state: session.session.state, room: session.session.room, clerkName: clerk?.displayName ?? "",
                window: clerk?.window ?? "", outcome: session.outcome, caseNumber: session.caseNumber)
        }
        return view
    }

    static func view(_ ticket: Ticket, estimate: Estimate?) -> TicketView {
        TicketView(
            id: ticket.id, number: ticket.number, itemCode: ticket.itemCode, category: ticket.category, state: ticket.state,
            priorityClass: ticket.priorityClass, priorityReason: ticket.priorityReason, position: estimate?.position,
            ahead: estimate?.ahead, waitSeconds: estimate?.waitSeconds, clerksOnDuty: estimate?.clerksOnDuty,
            createdAt: ticket.createdAt, endedAt: nil, kioskGraceUntil: ticket.kioskGraceUntil,
            idNumberMasked: ticket.idNumberMasked, session: nil)
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
                idNumberMasked: ticket.idNumberMasked)
        }
        return ClerkView(
            id: clerk.id, displayName: clerk.profile.displayName, window: clerk.profile.window,
            skills: clerk.profile.skills.sorted(), items: clerk.profile.items.sorted(), state: clerk.state,
            stateSince: clerk.stateSince, missedOffers: clerk.missedOffers, wrapUpUntil: clerk.wrapUpUntil,
            connected: hub.isConnected(.clerk(clerk.id)), offer: offer, session: session)
    }

    func clerkViews() -> [ClerkView] {
        state.clerks.keys.sorted().compactMap { clerkView($0) }
    }

    func session(_ id: SessionID) -> Session? { state.sessions[id] }

    /// The live queue by site and category, in one pass over the waiting tickets.
    func queueLines(now: Date? = nil) -> [QueueLine] {
        let now = now ?? clock()
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
        let startOfDay = ServiceHoursDay.start(of: now)
        return QueueBoard(generatedAt: now, lines: queueLines(now: now), clerks: clerkViews(), today: try database.ticketCounts(since: startOfDay))
    }

    func hubSend(_ message: String, connection: UInt64) { hub.send(message, toConnection: connection) }
    func hubSendTo(_ message: String, _ subscriber: Subscriber) { hub.send(message, to: subscriber) }

    func refreshSites() throws {
        siteCodes = Dictionary(uniqueKeysWithValues: try database.sites().map { ($0.id!, $0.code) })
    }

    /// Case numbers people can quote: RW + Shanghai date + session, e.g. `RW20261121-000042`.
    static func caseNumber(session: SessionID, at date: Date) -> String {
        "RW" + QueueState.localDay(date).replacingOccurrences(of: "-", with: "") + String(format: "-%06lld", session)
    }
}

enum ServiceHoursDay {
    /// Midnight in Shanghai at the start of `date`'s local day.
    static func start(of date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar.startOfDay(for: date)
    }
}

extension QueueError {
    static func ticketNotFoundForCaller(_ id: TicketID) -> QueueError {
        QueueError(.notFound, code: "ticket_not_found", message: "号票 \(id) 不存在 / ticket \(id) not found")
    }
}
