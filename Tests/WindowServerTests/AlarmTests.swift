import Foundation
import Testing

@testable import WindowServer

/// The queue timer's wake-up: a cancelled wait must not leave later waits returning at once
/// (that made the timer spin at full CPU).
@Suite("alarm")
struct AlarmTests {
    func firstOf(_ alarm: Alarm, within milliseconds: Int) async -> String {
        await withTaskGroup(of: String.self) { group in
            group.addTask { await alarm.wait(); return "rung" }
            group.addTask { try? await Task.sleep(for: .milliseconds(milliseconds)); return "slept" }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
    }

    @Test("a wait blocks until rung, after any number of cancelled waits; a ring with nobody waiting is kept")
    func waits() async {
        let alarm = Alarm()
        for _ in 0..<3 { #expect(await firstOf(alarm, within: 100) == "slept") }
        alarm.ring()
        #expect(await firstOf(alarm, within: 1000) == "rung")
        #expect(await firstOf(alarm, within: 100) == "slept")
        let waiter = Task { await alarm.wait() }
        try? await Task.sleep(for: .milliseconds(50))
        alarm.ring()
        await waiter.value
    }
}
