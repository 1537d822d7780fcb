import Foundation
import Histogram
import WindowCore

/// The routing core alone, at the scale of a big service centre: how long one decision takes.
struct RoutingBench {
    var waitingTickets = 100_000
    var clerks = 10_000
    var items = 70
    var categories = 8
    var operations = 200_000
    var seed: UInt64 = 42

    func run() -> String {
        var random = SplitMix(seed: seed)
        let categoryCodes = (0..<categories).map { "cat\($0)" }
        let itemList = (0..<items).map { (code: String(format: "IT-%03d", $0), category: categoryCodes[$0 % categories]) }
        var state = QueueState()
        var now = Date(timeIntervalSince1970: 1_800_000_000)

        for id in 1...clerks {
            let skills = Set((0..<(1 + Int(random.next() % 3))).map { _ in categoryCodes[Int(random.next() % UInt64(categories))] })
            _ = state.registerClerk(ClerkID(id), profile: ClerkProfile(displayName: "c\(id)", window: "\(id)", skills: skills), at: now, actor: "bench")
        }
        var kiosk: KioskID = 0
        func request() -> TicketRequest {
            kiosk += 1
            let item = itemList[Int(random.next() % UInt64(items))]
            let reason: PriorityReason? = random.next() % 10 == 0 ? .elderly : nil
            return TicketRequest(itemCode: item.code, category: item.category, letter: "A", expectedMinutes: 5, site: 1, kiosk: kiosk,
                                 priorityReason: reason, hours: .always)
        }
        // Fill the line while nobody is available.
        for _ in 0..<waitingTickets {
            now += 0.01
            _ = try! state.takeTicket(request(), at: now, actor: "bench")
        }

        // Steady state: tickets keep arriving; clerks come free, get offered the best ticket,
        // accept, finish, and come free again. Every call is one decision, timed.
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        let clock = ContinuousClock()
        var decisions = 0
        var offers = 0
        let started = clock.now
        func timed<T>(_ body: () throws -> T) rethrows -> T {
            let start = clock.now
            let result = try body()
            let elapsed = clock.now - start
            histogram.record(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
            decisions += 1
            return result
        }
        for step in 0..<operations {
            now += 0.005
            let clerk = ClerkID(1 + Int(random.next() % UInt64(clerks)))
            switch step % 4 {
            case 0:
                _ = timed { try? state.takeTicket(request(), at: now, actor: "bench") }
            case 1:
                let decision = timed { try? state.setClerkState(clerk, to: .available, at: now, actor: "bench") }
                offers += decision?.records.filter { if case .offerMade = $0.event { true } else { false } }.count ?? 0
            case 2:
                if let offer = state.clerks[clerk]?.offer {
                    _ = timed { try? state.acceptOffer(clerk: clerk, ticket: offer.ticket, at: now, actor: "bench") }
                } else if let session = state.clerks[clerk]?.session {
                    _ = timed { try? state.endSession(session, outcome: .completed, by: clerk, at: now, actor: "bench") }
                } else {
                    _ = timed { try? state.setClerkState(clerk, to: .away, at: now, actor: "bench") }
                }
            default:
                _ = timed { state.tick(now: now) }
            }
            _ = state.drainFinished()
        }
        let total = clock.now - started
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        func micros(_ q: Double) -> String { String(format: "%.1f", Double(histogram.valueAtPercentile(q)) / 1000) }
        return "mode=routing waiting=\(state.waitingCategories.reduce(0) { $0 + state.waitingCount(category: $1) }) clerks=\(clerks) items=\(items) "
            + "decisions=\(decisions) offers=\(offers) p50_us=\(micros(50)) p99_us=\(micros(99)) max_us=\(micros(100)) "
            + String(format: "decisions_per_s=%.0f", Double(decisions) / seconds)
    }
}

/// A small fast deterministic generator, so runs are comparable.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
