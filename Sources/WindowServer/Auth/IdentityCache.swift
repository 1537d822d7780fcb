import Foundation
import Synchronization

/// Remembers which identity a credential belongs to for a few seconds, so a busy kiosk or
/// console does not cost a database read per request. Every way a credential stops being valid
/// (sign-out, password reset, kiosk revoked) evicts it here at once; expiry is never extended.
final class IdentityCache: Sendable {
    private struct Entry {
        var identity: Identity
        var validUntil: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 10) {
        self.lifetime = lifetime
    }

    func identity(forHash hash: String, now: Date) -> Identity? {
        entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            if entry.validUntil <= now {
                entries[hash] = nil
                return nil
            }
            return entry.identity
        }
    }

    /// Caches `identity` until `lifetime` from now, or the credential's own expiry if sooner.
    func remember(_ identity: Identity, forHash hash: String, now: Date, expiresAt: Date?) {
        let until = min(now.addingTimeInterval(lifetime), expiresAt ?? .distantFuture)
        entries.withLock { entries in
            if entries.count > 50_000 { entries.removeAll() }  // bound the memory; it refills on demand
            entries[hash] = Entry(identity: identity, validUntil: until)
        }
    }

    func forget(hash: String) {
        _ = entries.withLock { $0.removeValue(forKey: hash) }
    }

    func forget(account id: Int64) {
        entries.withLock { entries in
            entries = entries.filter { if case .account(id, _, _) = $0.value.identity { false } else { true } }
        }
    }

    func forget(kiosk id: Int64) {
        entries.withLock { entries in
            entries = entries.filter { if case .kiosk(id, _) = $0.value.identity { false } else { true } }
        }
    }
}
