import Foundation
import Logging
import WindowAPITypes
import WindowCore
import WindowStore

/// The one owner of the live queue. Every change comes here: the pure core decides at once, in
/// memory; the decisions of all commands that arrive while a write is in flight are written
/// together in the next transaction (group commit), and each caller gets its answer, and each
/// watcher its push, only once its decision is durable. Because one actor decides and the
/// writes go in order, no two clerks get the same ticket and no clerk two offers.
/// (Views are built in `QueueService+Views.swift`, pushes in `QueueService+Push.swift`.)
actor QueueService {
    var state: QueueState
    nonisolated let policy: RoutingPolicy
    let database: AppDatabase
    let hub: LiveHub
    let metrics: QueueMetrics
    let clock: @Sendable () -> Date
    let logger: Logger

    /// Each live session's latest stats summary per side (not events: they come every 5 s).
    var mediaStats: [SessionID: [Participant: MediaStats]] = [:]
    /// Categories whose waiting line changed since the last position push.
    var dirtyCategories = Set<String>()
    var lastFlush = Date.distantPast
    /// The lines each connected clerk was last sent (``flush(now:)`` sends only what changed).
    var linesSent: [ClerkID: [QueueLine]] = [:]
    /// Wakes the timer when a command brings the next deadline closer than it is sleeping for.
    private let alarm = Alarm()
    private var timerTarget: Date?

    /// A snapshot is written after this many events, or this long after the last one if any came since.
    let snapshotPolicy: SnapshotPolicy
    var eventsSinceSnapshot = 0
    var lastInvariantCheck = Date.distantPast
    var lastSnapshotAt: Date
    /// A snapshot is wanted with the next write (the time-based one, asked for by the timer).
    var snapshotWanted = false

    /// Decided, not yet handed to the database, in order; and whether a write is in flight.
    private var pending: [PendingCommit] = []
    private var writing = false
    /// What decided-but-unwritten decisions did to tickets, sessions and ratings that memory no
    /// longer holds (ended ones): reads look here before the database, which does not have it yet.
    var unwritten = Unwritten()
    /// Counts the decisions (each writes at least one event), from the log's last seq at start, so
    /// it only grows, across restarts too: the order of the clerk and ticket views
    /// (``ClerkView/sequence``, ``TicketView/sequence``).
    private(set) var sequence: Int64

    init(
        database: AppDatabase, policy: RoutingPolicy, hub: LiveHub, metrics: QueueMetrics, clock: @escaping @Sendable () -> Date, logger: Logger,
        snapshots: SnapshotPolicy = SnapshotPolicy()
    ) throws {
        self.database = database
        self.hub = hub
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.policy = policy
        self.snapshotPolicy = snapshots
        let started = ContinuousClock.now
        let (state, replayed) = try loadQueueState(database: database, policy: policy)
        self.state = state
        sequence = try database.lastQueueSeq()
        eventsSinceSnapshot = replayed.tail
        lastSnapshotAt = replayed.takenAt ?? clock()
        metrics.snapshotTakenAt(replayed.takenAt)
        logger.notice("queue loaded", metadata: [
            "queue.snapshot": "\(replayed.takenAt.map { "\($0)" } ?? "none")", "queue.replayed": "\(replayed.tail)",
            "queue.load_ms": "\((ContinuousClock.now - started).milliseconds)",
        ])
    }

    /// The invariant monitor on the live server: a violation is a bug, logged and counted for alerts.
    @discardableResult
    func checkInvariants() -> [String] {
        let violations = state.invariantViolations()
        metrics.recordInvariantViolations(violations.count)
        if !violations.isEmpty {
            logger.error("queue invariants violated", metadata: ["violations": "\(violations.prefix(10))", "count": "\(violations.count)"])
        }
        return violations
    }

    /// Whether enough events or time have passed for a snapshot.
    func snapshotDue(now: Date) -> Bool {
        eventsSinceSnapshot > 0
            && (eventsSinceSnapshot >= snapshotPolicy.everyEvents || now.timeIntervalSince(lastSnapshotAt) >= snapshotPolicy.interval)
    }

    /// On start: bring clerk profiles in line with the accounts, start every grace period
    /// (nobody is connected yet), settle what expired while the server was down, and route.
    func start() async throws {
        let now = clock()
        var decision = Decision()
        for profile in try await database.clerkProfiles() {
            guard let account = try await database.account(id: profile.accountID) else { continue }
            decision += state.registerClerk(profile.accountID, profile: Self.profile(account, profile), at: now, actor: "system")
        }
        decision += state.assumeEveryoneDisconnected(at: now)
        decision += state.tick(now: now)
        decision += state.route(at: now)
        try await commit(decision)
        logger.notice("queue rebuilt", metadata: [
            "queue.tickets": "\(state.tickets.count)", "queue.clerks": "\(state.clerks.count)", "queue.sessions": "\(state.sessions.count)",
        ])
    }

    static func profile(_ account: Account, _ record: ClerkProfileRecord) -> ClerkProfile {
        ClerkProfile(displayName: account.displayName, window: record.window, skills: Set(record.skills), items: Set(record.items))
    }

    // MARK: - Committing

    /// Makes a decision durable, then pushes it; returns when it is durable. The decision is
    /// already applied to memory: commands that arrive meanwhile decide on top of it, and their
    /// decisions go in the next transaction. If a write fails, memory is rebuilt from the
    /// database (which rolled back) so the two never disagree, and every caller whose decision
    /// was not written gets the error.
    func commit(_ decision: Decision, idNumberHashes: [TicketID: String] = [:]) async throws {
        _ = state.drainFinished()  // the decision already holds what ended
        guard !decision.isEmpty else { return }
        for record in decision.records {
            // Records carry only masked ID numbers, so they are safe to trace.
            logger.trace("queue record", metadata: ["event.kind": "\(record.event.kind)", "event.actor": "\(record.actor)", "event": "\(record.event)"])
        }
        unwritten.add(decision)
        sequence += 1
        // Pushes are built now, from the state this decision left, and sent once it is durable.
        let messages = messages(for: decision)
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            pending.append(PendingCommit(decision: decision, idNumberHashes: idNumberHashes, messages: messages, waiter: waiter))
            startWriting()
        }
    }

    /// Starts the writer unless one is running; it writes until nothing is pending.
    private func startWriting() {
        guard !writing else { return }
        writing = true
        Task { await self.writeBatches() }
    }

    private func writeBatches() async {
        while !pending.isEmpty || snapshotWanted {
            let batch = pending
            pending.removeAll()
            var merged = Decision()
            var hashes: [TicketID: String] = [:]
            for commit in batch {
                merged += commit.decision
                hashes.merge(commit.idNumberHashes) { _, new in new }
            }
            // Memory now is exactly the database after this batch: the moment for a snapshot.
            let now = clock()
            eventsSinceSnapshot += merged.records.count
            var snapshot: (QueueSnapshot, Date)?
            if snapshotWanted || eventsSinceSnapshot >= snapshotPolicy.everyEvents {
                snapshot = (state.snapshot, now)
                snapshotWanted = false
            }
            do {
                let started = ContinuousClock.now
                try await database.commitQueue(merged, idNumberHashes: hashes, snapshot: snapshot)
                if !merged.isEmpty { metrics.recordCommit(ContinuousClock.now - started, records: merged.records.count, decisions: batch.count) }
            } catch {
                let failed = batch + pending
                pending.removeAll()
                logger.error("queue commit failed; rebuilding from the database", metadata: ["error": "\(error)", "decisions": "\(failed.count)"])
                rebuild()
                for commit in failed { commit.waiter.resume(throwing: error) }
                continue
            }
            if let (_, at) = snapshot {
                eventsSinceSnapshot = 0
                lastSnapshotAt = at
                metrics.snapshotTakenAt(at)
            }
            unwritten.remove(merged)
            for commit in batch {
                metrics.observe(commit.decision)
                for ticket in commit.decision.tickets.values { dirtyCategories.insert(ticket.category) }
                deliver(commit.messages)
                commit.waiter.resume()
            }
            if let next = state.nextDeadline, let target = timerTarget, next < target { alarm.ring() }
        }
        writing = false
    }

    /// The sequence `commit` is about to give this decision, which its pushes carry: for an answer
    /// made before the commit.
    func sequence(after decision: Decision) -> Int64 {
        decision.isEmpty ? sequence : sequence + 1
    }

    /// Memory as the database has it, after a failed write.
    private func rebuild() {
        unwritten = Unwritten()
        eventsSinceSnapshot = 0
        do {
            (state, _) = try loadQueueState(database: database, policy: state.policy)
        } catch {
            logger.critical("queue rebuild failed; starting empty until restart", metadata: ["error": "\(error)"])
            state = QueueState(policy: state.policy)
        }
    }

    /// Commits a clerk's command and answers with the clerk as it stood after the decision.
    private func commitReturningView(_ decision: Decision, clerk: ClerkID) async throws -> ClerkView {
        var view = clerkView(clerk)!
        view.sequence = sequence(after: decision)
        try await commit(decision)
        return view
    }

    // MARK: - Commands

    func takeTicket(_ request: TicketRequest, idNumberHash: String?, actor: String) async throws -> TicketView {
        let (ticket, decision) = try state.takeTicket(request, at: clock(), actor: actor)
        var view = try ticketView(ticket.id)!
        view.sequence = sequence(after: decision)
        try await commit(decision, idNumberHashes: idNumberHash.map { [ticket.id: $0] } ?? [:])
        return view
    }

    func leaveTicket(_ id: TicketID, kiosk: KioskID?, actor: String) async throws {
        if let kiosk, state.tickets[id]?.kiosk != kiosk { throw QueueError.ticketNotFoundForCaller(id) }
        try await commit(try state.leaveTicket(id, at: clock(), actor: actor))
    }

    func setClerkState(_ clerk: ClerkID, to target: ClerkState, actor: String) async throws -> ClerkView {
        try await commitReturningView(try state.setClerkState(clerk, to: target, at: clock(), actor: actor), clerk: clerk)
    }

    func acceptOffer(clerk: ClerkID, ticket: TicketID, actor: String) async throws -> ClerkView {
        let now = clock()
        var (session, decision) = try state.acceptOffer(clerk: clerk, ticket: ticket, at: now, actor: actor)
        // Whoever is already connected has joined the session from its first moment; whoever is
        // not has the rejoin grace to come.
        let kiosk = state.tickets[ticket]?.kiosk
        let kioskConnected = kiosk.map(hub.isKioskConnected) ?? false
        if let kiosk, kioskConnected {
            decision += state.kioskConnection(ticket: ticket, connected: true, at: now, actor: Caller.kiosk(id: kiosk, site: 0).actor)
        }
        let clerkConnected = hub.isConnected(.clerk(clerk))
        if clerkConnected {
            decision += state.clerkConnection(clerk, connected: true, at: now, actor: actor)
        }
        decision += state.awaitAbsent(session: session, kioskConnected: kioskConnected, clerkConnected: clerkConnected, at: now, actor: "system")
        return try await commitReturningView(decision, clerk: clerk)
    }

    func declineOffer(clerk: ClerkID, ticket: TicketID, actor: String) async throws -> ClerkView {
        try await commitReturningView(try state.declineOffer(clerk: clerk, ticket: ticket, at: clock(), actor: actor), clerk: clerk)
    }

    func endSession(_ session: SessionID, outcome: SessionOutcome, notes: String?, clerk: ClerkID, actor: String) async throws -> ClerkView {
        let now = clock()
        let caseNumber = outcome == .completed || outcome == .needsMaterials || outcome == .referredOffline
            ? Self.caseNumber(session: session, at: now) : nil
        return try await commitReturningView(
            try state.endSession(session, outcome: outcome, notes: notes, caseNumber: caseNumber, by: clerk, at: now, actor: actor), clerk: clerk)
    }

    func transfer(_ session: SessionID, clerk: ClerkID, toCategory: String?, toClerk: ClerkID?, notes: String?, actor: String) async throws -> ClerkView {
        try await commitReturningView(
            try state.transfer(session, by: clerk, toCategory: toCategory, toClerk: toClerk, notes: notes, at: clock(), actor: actor), clerk: clerk)
    }

    func ready(clerk: ClerkID, actor: String) async throws -> ClerkView {
        try await commitReturningView(try state.ready(clerk: clerk, at: clock(), actor: actor), clerk: clerk)
    }

    func registerClerk(_ id: ClerkID, profile: ClerkProfile, actor: String) async throws {
        try await commit(state.registerClerk(id, profile: profile, at: clock(), actor: actor))
    }

    /// Refuses an upload the queue would refuse, before its bytes are read.
    func checkUpload(session id: SessionID, kiosk: KioskID) throws {
        guard let session = try anySession(id), session.kiosk == kiosk else { throw QueueError.sessionNotFoundForCaller(id) }
        guard state.sessions[id] != nil else {
            throw QueueError(.conflict, code: .sessionEnded, message: "会话已结束，不能再提交材料 / the session has ended")
        }
        guard state.materials(of: id).count < Session.maxMaterials else {
            throw QueueError(.conflict, code: .tooManyMaterials, message: "本次会话材料已达上限 / this session has the most materials allowed")
        }
    }

    func uploadMaterial(_ upload: MaterialUpload, session: SessionID, kiosk: KioskID, actor: String) async throws -> Material {
        try checkUpload(session: session, kiosk: kiosk)
        let (material, decision) = try state.uploadMaterial(upload, session: session, kiosk: kiosk, at: clock(), actor: actor)
        try await commit(decision)
        return material
    }

    func reviewMaterial(
        _ id: MaterialID, session: SessionID, status: MaterialStatus, reason: String?, clerk: ClerkID, actor: String
    ) async throws -> Material {
        // Another clerk's session is answered as a missing one.
        guard let stored = try anySession(session), stored.clerk == clerk else { throw QueueError.sessionNotFoundForCaller(session) }
        let (material, decision) = try state.reviewMaterial(id, session: session, status: status, reason: reason, by: clerk, at: clock(), actor: actor)
        try await commit(decision)
        return material
    }

    func rate(session id: SessionID, kiosk: KioskID, level: Int, comment: String?, actor: String) async throws -> Rating {
        // Another kiosk's session is answered as a missing one.
        guard let session = try anySession(id), session.kiosk == kiosk else { throw QueueError.sessionNotFoundForCaller(id) }
        let (rating, decision) = try state.rate(
            session, alreadyRated: try isRated(id), kiosk: kiosk, level: level, comment: comment, at: clock(), actor: actor)
        try await commit(decision)
        return rating
    }

    /// A clerk's credential ended: with no live connection left, the clerk is offline at once
    /// (an open offer is declined); in a session, the rejoin grace of the lost connection applies.
    func signedOut(clerk: ClerkID) async throws {
        guard let current = state.clerks[clerk], !hub.isConnected(.clerk(clerk)) else { return }
        switch current.state {
        case .available, .offered, .away:
            try await commit(try state.setClerkState(clerk, to: .offline, at: clock(), actor: "clerk:\(clerk)"))
        case .offline, .inSession, .wrapUp:
            break
        }
    }

    /// A kiosk's first live connection opened, or its last closed.
    func kioskPresence(_ kiosk: KioskID, connected: Bool) async throws {
        guard let ticket = state.ticketByKiosk[kiosk] else { return }
        try await commit(state.kioskConnection(ticket: ticket, connected: connected, at: clock(), actor: "kiosk:\(kiosk)"))
    }

    // MARK: - The call's media

    /// A video page's report: its state (an event when it changed) and its stats (kept for the views).
    func reportMedia(_ report: MediaReport, from caller: Caller) async throws -> Bool {
        guard let (session, side) = participant(report.session, caller) else { return false }
        if let stats = report.stats { mediaStats[session.id, default: [:]][side] = stats }
        try await commit(try state.reportMedia(session: session.id, participant: side, state: report.state, at: clock(), actor: caller.actor))
        return true
    }

    /// Screen B's last live connection closed: the kiosk's side of a call it carried is down.
    func screenBGone(_ kiosk: KioskID, kioskConnected: Bool) async throws {
        if let ticket = state.ticketByKiosk[kiosk].flatMap({ state.tickets[$0] }), let id = ticket.session,
            let session = state.sessions[id], let media = session.kioskMedia, media != .disconnected, media != .closed
        {
            mediaStats[id]?[.kiosk] = nil
            try await commit(try state.reportMedia(session: id, participant: .kiosk, state: .disconnected, at: clock(), actor: "system"))
        }
        try await kioskPresence(kiosk, connected: kioskConnected)
    }

    func answerConsent(session: SessionID, kiosk: KioskID, accepted: Bool, actor: String) async throws {
        try await commit(try state.answerConsent(session: session, kiosk: kiosk, accepted: accepted, at: clock(), actor: actor))
    }

    func clerkPresence(_ clerk: ClerkID, connected: Bool) async throws {
        guard state.clerks[clerk] != nil else { return }
        try await commit(state.clerkConnection(clerk, connected: connected, at: clock(), actor: "clerk:\(clerk)"))
    }

    // MARK: - Timers

    /// Acts on what is due, then pushes coalesced position and board updates.
    func tick() async throws {
        let now = clock()
        let due = state.tick(now: now)
        if snapshotDue(now: now) {
            snapshotWanted = true
            startWriting()
        }
        try await commit(due)
        if now.timeIntervalSince(lastInvariantCheck) >= 10 {
            lastInvariantCheck = now
            checkInvariants()
        }
        if now.timeIntervalSince(lastFlush) >= 1 {
            lastFlush = now
            flush(now: now)
        }
    }

    /// Until the next deadline, a command that brings one closer, or `interval`, whichever is first.
    func sleepUntilDue(atMost interval: Duration) async {
        let now = clock()
        let target = min(now.addingTimeInterval(Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18),
                         state.nextDeadline ?? .distantFuture)
        timerTarget = target
        let delay = max(0, target.timeIntervalSince(now))
        let alarm = alarm
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .milliseconds(Int64(delay * 1000))) }
            group.addTask { await alarm.wait() }
            await group.next()
            group.cancelAll()
        }
        timerTarget = nil
    }

    /// Case numbers people can quote: RW + Shanghai date + session, e.g. `RW20261121-000042`.
    static func caseNumber(session: SessionID, at date: Date) -> String {
        "RW" + QueueState.localDay(date).replacingOccurrences(of: "-", with: "") + String(format: "-%06lld", session)
    }
}

extension QueueError {
    static func ticketNotFoundForCaller(_ id: TicketID) -> QueueError {
        QueueError(.notFound, code: .ticketNotFound, message: "号票 \(id) 不存在 / ticket \(id) not found")
    }

    static func sessionNotFoundForCaller(_ id: SessionID) -> QueueError {
        QueueError(.notFound, code: .notFound, message: "会话 \(id) 不存在 / session \(id) not found")
    }
}

/// The live queue exactly as it was last committed: the latest snapshot and the log after it
/// (or the whole log, when there is no snapshot). Public for the restart benchmark.
/// - Returns: the state, when its snapshot was taken and how many events were replayed.
public func loadQueueState(database: AppDatabase, policy: RoutingPolicy) throws -> (QueueState, (takenAt: Date?, tail: Int)) {
    var state: QueueState
    let records: [QueueRecord]
    let takenAt: Date?
    if let latest = try database.latestQueueSnapshot() {
        state = QueueState(snapshot: latest.snapshot, policy: policy)
        records = try database.queueRecords(after: latest.lastSeq)
        takenAt = latest.takenAt
    } else {
        state = QueueState(policy: policy)
        records = try database.queueRecords()
        takenAt = nil
    }
    for record in records { state.apply(record) }
    _ = state.drainFinished()
    // Materials stored before they were logged keep their numbers.
    state.reserveMaterialIDs(through: try database.lastMaterialID())
    return (state, (takenAt, records.count))
}

/// How often the queue's owner writes a snapshot: after this many events, or after this long if
/// any event came since. Start-up replays at most about `everyEvents` events.
public struct SnapshotPolicy: Sendable {
    public var everyEvents: Int
    public var interval: TimeInterval

    public init(everyEvents: Int = 20_000, interval: TimeInterval = 600) {
        self.everyEvents = everyEvents
        self.interval = interval
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
