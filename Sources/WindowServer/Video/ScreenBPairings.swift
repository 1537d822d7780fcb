import Foundation
import Synchronization
import WindowCore

/// One-time pairing codes for screen B: valid a few minutes and once. Kept in memory only: a
/// code lost in a restart is simply asked for again (`kiosk screen-b`).
final class ScreenBPairings: Sendable {
    static let lifetime: TimeInterval = 5 * 60
    /// Codes outstanding at most (a kiosk has one; a flood of requests cannot grow this).
    static let limit = 10_000

    private struct Pending: Sendable {
        let kiosk: KioskID
        let expiresAt: Date
    }
    /// By the code's hash: a memory dump does not hand out live codes either.
    private let pending = Mutex<[String: Pending]>([:])

    /// A new code for the kiosk; its earlier unused code stops working.
    func issue(kiosk: KioskID, now: Date) -> (code: String, expiresAt: Date) {
        let code = Tokens.make(prefix: "")
        let expiresAt = now.addingTimeInterval(Self.lifetime)
        pending.withLock { pending in
            pending = pending.filter { $0.value.kiosk != kiosk && $0.value.expiresAt > now }
            if pending.count >= Self.limit { pending.removeAll() }
            pending[Tokens.hash(code)] = Pending(kiosk: kiosk, expiresAt: expiresAt)
        }
        return (code, expiresAt)
    }

    /// The kiosk the code pairs with, once: an unknown, used or expired code gives nil.
    func redeem(_ code: String, now: Date) -> KioskID? {
        pending.withLock { pending in
            guard let found = pending.removeValue(forKey: Tokens.hash(code)), found.expiresAt > now else { return nil }
            return found.kiosk
        }
    }
}
