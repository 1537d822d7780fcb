import Foundation
import Synchronization

/// Remembers which caller a credential belongs to for a few seconds, so a busy kiosk or
/// console does not cost a database read per request. Every way a credential stops being valid
/// (sign-out, password reset, kiosk revoked) evicts it here at once; expiry is never extended.
final class CallerCache: Sendable {
    private struct Entry {
        var caller: Caller
        var expiresAt: Date?
        var validUntil: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 10) {
        self.lifetime = lifetime
    }

    func caller(forHash hash: String, now: Date) -> (caller: Caller, expiresAt: Date?)? {
        entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            if entry.validUntil <= now {
                entries[hash] = nil
                return nil
            }
            return (entry.caller, entry.expiresAt)
        }
    }

    /// Caches `caller` until `lifetime` from now, or the credential's own expiry if sooner.
    func remember(_ caller: Caller, forHash hash: String, now: Date, expiresAt: Date?) {
        let until = min(now.addingTimeInterval(lifetime), expiresAt ?? .distantFuture)
        entries.withLock { entries in
            if entries.count > 50_000 { entries.removeAll() }  // bound the memory; it refills on demand
            entries[hash] = Entry(caller: caller, expiresAt: expiresAt, validUntil: until)
        }
    }

    func forget(hash: String) {
        _ = entries.withLock { $0.removeValue(forKey: hash) }
    }

    func forget(account id: Int64) {
        entries.withLock { entries in
            entries = entries.filter { if case .account(id, _, _) = $0.value.caller { false } else { true } }
        }
    }

    func forget(kiosk id: Int64) {
        entries.withLock { entries in
            entries = entries.filter {
                switch $0.value.caller {
                case .kiosk(id, _), .screenB(id, _): false
                default: true
                }
            }
        }
    }
}
