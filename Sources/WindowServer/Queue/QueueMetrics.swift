import Foundation
import Prometheus
import WindowCore

/// The queue's figures for Prometheus, in a registry owned by the application (no globals).
final class QueueMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let issued: Counter
    private let cancelled: Counter
    private let abandoned: Counter
    private let offersMade: Counter
    private let offersAccepted: Counter
    private let offersDeclined: Counter
    private let offersMissed: Counter
    private let sessionsEnded: Counter
    private let waitTime: DurationHistogram
    private let handlingTime: DurationHistogram
    private let liveConnections: Gauge
    private let timers: Gauge
    private let walBytes: Gauge
    private let walTruncations: Counter
    private let commitTime: DurationHistogram
    private let snapshotTime: Gauge
    private let invariantViolations: Gauge
    private let commitRecords: ValueHistogram
    private let commitDecisions: ValueHistogram

    static let waitBuckets: [Duration] = [10, 30, 60, 120, 300, 600, 900, 1800, 3600].map { .seconds($0) }
    static let handlingBuckets: [Duration] = [60, 120, 180, 300, 420, 600, 900, 1800].map { .seconds($0) }

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        issued = registry.makeCounter(descriptor: .init("rw_tickets_issued_total", help: "Tickets taken at kiosks"))
        cancelled = registry.makeCounter(descriptor: .init("rw_tickets_cancelled_total", help: "Tickets the person left"))
        abandoned = registry.makeCounter(descriptor: .init("rw_tickets_abandoned_total", help: "Tickets whose kiosk did not come back within the grace period"))
        offersMade = registry.makeCounter(descriptor: .init("rw_offers_total", help: "Offers to clerks"), labels: [("result", "made")])
        offersAccepted = registry.makeCounter(descriptor: .init("rw_offers_total", help: "Offers to clerks"), labels: [("result", "accepted")])
        offersDeclined = registry.makeCounter(descriptor: .init("rw_offers_total", help: "Offers to clerks"), labels: [("result", "declined")])
        offersMissed = registry.makeCounter(descriptor: .init("rw_offers_total", help: "Offers to clerks"), labels: [("result", "missed")])
        sessionsEnded = registry.makeCounter(descriptor: .init("rw_sessions_ended_total", help: "Sessions ended"))
        waitTime = registry.makeDurationHistogram(descriptor: .init("rw_ticket_wait_seconds", help: "From ticket taken to session start"), buckets: Self.waitBuckets)
        handlingTime = registry.makeDurationHistogram(descriptor: .init("rw_session_handling_seconds", help: "Session length"), buckets: Self.handlingBuckets)
        liveConnections = registry.makeGauge(descriptor: .init("rw_live_connections", help: "Open WSS connections"))
        timers = registry.makeGauge(
            descriptor: .init("rw_queue_timers", help: "Timers of the live queue waiting to fire (offer timeouts, graces, wrap-ups, exclusions); it follows the live tickets and clerks, not the day's load"))
        walBytes = registry.makeGauge(descriptor: .init("rw_wal_bytes", help: "Size of the SQLite write-ahead log after the last checkpoint"))
        walTruncations = registry.makeCounter(
            descriptor: .init("rw_wal_truncations_total", help: "WAL truncations, which hold commits back while they run (only when restarting the WAL did not keep it small)"))
        snapshotTime = registry.makeGauge(
            descriptor: .init("rw_queue_snapshot_timestamp_seconds", help: "When the last snapshot of the queue was written (unix time; 0: none); its age is time() minus this"))
        invariantViolations = registry.makeGauge(
            descriptor: .init("rw_queue_invariant_violations", help: "Invariants of the live queue that do not hold at the last check (every 10 s); anything but 0 is a bug"))
        commitRecords = registry.makeValueHistogram(
            descriptor: .init("rw_queue_commit_records", help: "Events written by one commit"),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024].map(Double.init))
        commitDecisions = registry.makeValueHistogram(
            descriptor: .init("rw_queue_commit_decisions", help: "Commands' decisions written together by one commit (group commit)"),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024].map(Double.init))
        commitTime = registry.makeDurationHistogram(
            descriptor: .init("rw_queue_commit_seconds", help: "Time to write one transaction of queue decisions"),
            buckets: [500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 500_000].map { .microseconds($0) })
    }

    func recordCommit(_ duration: Duration, records: Int, decisions: Int) {
        commitTime.record(duration)
        commitRecords.record(Double(records))
        commitDecisions.record(Double(decisions))
    }
    func recordInvariantViolations(_ count: Int) { invariantViolations.set(Double(count)) }
    func recordWAL(bytes: Int, truncations: Int = 0) {
        walBytes.set(Double(bytes))
        if truncations > 0 { walTruncations.increment(by: Int64(truncations)) }
    }
    func snapshotTakenAt(_ date: Date?) { snapshotTime.set(date?.timeIntervalSince1970 ?? 0) }

    /// Counts what a decision did, from the values it carries.
    func observe(_ decision: Decision) {
        for record in decision.records {
            switch record.event {
            case .ticketIssued: issued.increment()
            case .ticketCancelled: cancelled.increment()
            case .ticketAbandoned: abandoned.increment()
            case .offerMade: offersMade.increment()
            case .offerAccepted(let ticketID, _, _):
                offersAccepted.increment()
                if let ticket = decision.tickets[ticketID] {
                    waitTime.record(.milliseconds(Int64(record.at.timeIntervalSince(ticket.createdAt) * 1000)))
                }
            case .offerDeclined: offersDeclined.increment()
            case .offerExpired: offersMissed.increment()
            case .sessionEnded(let id, _, _, _, _, _):
                sessionsEnded.increment()
                if let session = decision.sessions[id] {
                    handlingTime.record(.milliseconds(Int64(record.at.timeIntervalSince(session.startedAt) * 1000)))
                }
            default: break
            }
        }
    }

    /// Gauges that describe the whole queue, refreshed about once a second.
    func refresh(state: QueueState, connections: Int) {
        for category in Set(state.waitingCategories).union(state.clerks.values.flatMap(\.profile.skills)) {
            registry.makeGauge(descriptor: .init("rw_queue_waiting", help: "Tickets waiting"), labels: [("category", category)]).set(Double(state.waitingCount(category: category)))
        }
        var byState: [ClerkState: Int] = Dictionary(uniqueKeysWithValues: ClerkState.allCases.map { ($0, 0) })
        for clerk in state.clerks.values { byState[clerk.state, default: 0] += 1 }
        for (clerkState, count) in byState {
            registry.makeGauge(descriptor: .init("rw_clerks", help: "Clerks by state"), labels: [("state", clerkState.rawValue)]).set(Double(count))
        }
        liveConnections.set(Double(connections))
        timers.set(Double(state.timerCount))
    }
}

extension MetricNameDescriptor {
    /// A metric named in full (`rw_…_total`), as Prometheus shows it.
    fileprivate init(_ name: String, help: String) {
        self.init(metricName: name, unitName: "", helpText: help)
    }
}
