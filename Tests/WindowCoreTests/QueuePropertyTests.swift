import Foundation
import PropertyBased
import Testing
import WindowCore

@Suite("queue invariants under random runs")
struct QueuePropertyTests {
    static let runs = Gen.int(in: 0...1_000_000).array(of: 1...80)

    /// The routing rules at each offer: the ticket is the best one the clerk may take
    /// (lane, aged tickets as priority, then enqueue time) and the clerk the longest idle
    /// of those who may take it. Exclusions only steer: a clerk takes the tickets they have not
    /// passed over before those they have, and a ticket goes to clerks who have not passed it over
    /// before those who have; but a ticket a clerk passed over still goes to that clerk when no
    /// other may take it, and the offer then names the rule "excluded-but-only-clerk".
    static func offerViolations(before: QueueState, records: [QueueRecord]) -> [String] {
        var state = before
        var problems: [String] = []
        for record in records {
            if case .offerMade(let ticketID, let clerkID, _, let reason) = record.event,
                let ticket = state.tickets[ticketID], let clerk = state.clerks[clerkID]
            {
                let agedBefore = record.at.addingTimeInterval(-state.policy.agingBound)
                func lane(_ t: Ticket) -> Int {
                    if t.targetClerk != nil { return 0 }
                    return t.enqueuedAt < agedBefore ? 0 : PriorityClass.allCases.firstIndex(of: t.priorityClass)!
                }
                func serves(_ c: Clerk, _ t: Ticket) -> Bool {
                    if let target = t.targetClerk { return target == c.id }
                    return c.serves(category: t.category, item: t.itemCode)
                }
                func passedOver(_ c: Clerk, _ t: Ticket) -> Int { t.excluded[c.id] == nil ? 0 : 1 }
                if !serves(clerk, ticket) { problems.append("offer of \(ticketID) to ineligible clerk \(clerkID)") }
                if clerk.state != .available { problems.append("offer of \(ticketID) to clerk \(clerkID) who is \(clerk.state)") }
                let onlyClerk = reason.rule == "excluded-but-only-clerk"
                if onlyClerk != (passedOver(clerk, ticket) == 1) {
                    problems.append("offer of \(ticketID) to clerk \(clerkID) names rule \(reason.rule) but the clerk \(passedOver(clerk, ticket) == 1 ? "passed it over" : "did not pass it over")")
                }
                for other in state.tickets.values where other.id != ticketID && other.state == .waiting && serves(clerk, other) {
                    if (passedOver(clerk, other), lane(other), other.enqueuedAt, other.id) < (passedOver(clerk, ticket), lane(ticket), ticket.enqueuedAt, ticket.id) {
                        problems.append("offer of \(ticketID) to clerk \(clerkID) skipped better ticket \(other.id)")
                    }
                }
                if ticket.targetClerk == nil {
                    for other in state.clerks.values where other.id != clerkID && other.state == .available && serves(other, ticket) {
                        if (passedOver(other, ticket), other.idleSince, other.id) < (passedOver(clerk, ticket), clerk.idleSince, clerk.id) {
                            problems.append("offer of \(ticketID) to clerk \(clerkID) skipped \(passedOver(other, ticket) == 0 ? "a clerk who had not passed it over" : "longer-idle clerk") \(other.id)")
                        }
                    }
                }
            }
            state.apply(record)
        }
        return problems
    }

    @Test("invariants hold after every step; routing follows the rules; the log replays to the state; every ticket ends")
    func randomRuns() async {
        await propertyCheck(count: 300, input: Self.runs) { numbers in
            var driver = Driver()
            var steps: [String] = []
            for n in numbers {
                let action = Action(n)
                steps.append(action.description)
                let before = driver.state
                let logCount = driver.log.count
                driver.perform(action)
                let violations = driver.state.invariantViolations()
                    + Self.offerViolations(before: before, records: Array(driver.log[logCount...]))
                if !violations.isEmpty {
                    Issue.record("after \(steps.joined(separator: " → ")): \(violations)")
                    return
                }
            }

            var replayed = QueueState(policy: driver.state.policy)
            for record in driver.log { replayed.apply(record) }
            #expect(replayed == driver.state, "replaying the log does not rebuild the state after \(steps)")

            let drained = driver.drain()
            #expect(drained, "tickets left after draining: \(driver.state.tickets.values.map(\.id)) after \(steps)")
            #expect(driver.state.invariantViolations().isEmpty)
            #expect(driver.issued.isSubset(of: driver.ended), "tickets that never ended: \(driver.issued.subtracting(driver.ended))")
        }
    }
}

@Suite("queue snapshots")
struct QueueSnapshotTests {
    /// Encodes and decodes as the store does (JSON, ISO dates with fractions kept).
    static func roundTrip(_ snapshot: QueueSnapshot) throws -> QueueSnapshot {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.timeIntervalSince1970)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in Date(timeIntervalSince1970: try decoder.singleValueContainer().decode(Double.self)) }
        return try decoder.decode(QueueSnapshot.self, from: encoder.encode(snapshot))
    }

    @Test("a snapshot written before settled timers were taken out restores without them")
    func olderSnapshotDropsSettledTimers() throws {
        var driver = Driver()
        driver.perform(.setState(clerk: 1, .available))
        driver.perform(.issue(kiosk: 1, item: 0, reason: nil))
        let offered = try JSONSerialization.jsonObject(with: JSONEncoder().encode(driver.state.snapshot)) as! [String: Any]
        #expect(driver.state.timerCount == 1)  // the offer's timeout
        driver.perform(.accept(clerk: 1))
        #expect(driver.state.timerCount == 0)
        // The accepted state, with the offer's spent timer still in its list, as older servers wrote it.
        var older = try JSONSerialization.jsonObject(with: JSONEncoder().encode(driver.state.snapshot)) as! [String: Any]
        older["deadlines"] = offered["deadlines"]
        let snapshot = try JSONDecoder().decode(QueueSnapshot.self, from: JSONSerialization.data(withJSONObject: older))
        let restored = QueueState(snapshot: snapshot, policy: driver.state.policy)
        #expect(restored.timerCount == 0)
        #expect(restored.invariantViolations().isEmpty, "\(restored.invariantViolations())")
        #expect(restored == driver.state)
    }

    @Test("a snapshot taken anywhere, plus the log after it, is the full replay; and it behaves the same from then on")
    func snapshotPlusTail() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000).array(of: 2...80)) { numbers in
            var driver = Driver()
            let cut = numbers[0] % numbers.count
            var snapshot: QueueSnapshot?
            var logAtCut = 0
            for (index, n) in numbers.enumerated() {
                if index == cut {
                    snapshot = try? Self.roundTrip(driver.state.snapshot)
                    logAtCut = driver.log.count
                }
                driver.perform(Action(n))
            }
            guard let snapshot else { Issue.record("no snapshot"); return }
            var restored = QueueState(snapshot: snapshot, policy: driver.state.policy)
            for record in driver.log[logAtCut...] { restored.apply(record) }
            _ = restored.drainFinished()
            #expect(restored == driver.state, "snapshot at step \(cut) + tail differs from the state")
            #expect(restored.snapshot.clerks == driver.state.snapshot.clerks)

            // A start routes what it restored: nothing, since the live state had settled routing.
            #expect(restored.route(at: driver.now).records.isEmpty, "a restored state routed again")
            #expect(restored.invariantViolations().isEmpty, "\(restored.invariantViolations())")
            // Every live timer is there: an hour on, the restored state has settled everything the live one has
            // (no offer, grace or wrap-up is left hanging).
            var full = driver.state
            let later = driver.now.addingTimeInterval(3600)
            _ = restored.tick(now: later)
            _ = full.tick(now: later)
            #expect(restored.tickets.values.filter { $0.offer != nil }.isEmpty == full.tickets.values.filter { $0.offer != nil }.isEmpty)
            #expect(restored.sessions.keys.sorted() == full.sessions.keys.sorted())
            #expect(restored.invariantViolations().isEmpty, "\(restored.invariantViolations())")
        }
    }
}
