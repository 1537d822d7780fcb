import Foundation
import Synchronization
import WindowCore

/// How often a kiosk may take a ticket: a token bucket per kiosk holding `burst` tokens, one
/// more every `interval`. A person takes one ticket and is served; a kiosk taking and leaving in a
/// loop would flood the queue's log and the clerks' offers.
final class TicketRateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let burst: Double
    let interval: TimeInterval
    private let buckets = Mutex<[KioskID: Bucket]>([:])

    init(burst: Int, interval: Duration) {
        self.burst = Double(max(1, burst))
        self.interval = max(0.001, interval.timeInterval)
    }

    /// Takes a token for `kiosk`: nil when it may go ahead, else the seconds until it may.
    func take(_ kiosk: KioskID, at now: Date) -> TimeInterval? {
        buckets.withLock { buckets in
            var bucket = buckets[kiosk] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) / interval)
            bucket.updated = now
            defer { buckets[kiosk] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) * interval }
            bucket.tokens -= 1
            return nil
        }
    }
}
