import Foundation
import Synchronization

/// A rate limit: `capacity` at once, refilled at `perSecond`. Says which refusal is the first of
/// a flood (the flood ends when the bucket is full again), so the sender is told once.
final class TokenBucket: Sendable {
    enum Answer: Equatable { case granted, refusedFirst, refused }

    private struct State {
        var tokens: Double
        var last: ContinuousClock.Instant
        var refusing = false
    }

    private let capacity: Double
    private let perSecond: Double
    private let state: Mutex<State>

    init(capacity: Int, perSecond: Double) {
        self.capacity = Double(capacity)
        self.perSecond = perSecond
        state = Mutex(State(tokens: Double(capacity), last: .now))
    }

    func take() -> Answer {
        state.withLock { state in
            let now = ContinuousClock.now
            let elapsed = now - state.last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(capacity, state.tokens + seconds * perSecond)
            state.last = now
            guard state.tokens >= 1 else {
                defer { state.refusing = true }
                return state.refusing ? .refused : .refusedFirst
            }
            state.tokens -= 1
            if state.tokens >= capacity - 1 { state.refusing = false }
            return .granted
        }
    }
}
