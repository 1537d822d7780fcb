import Foundation
import WindowCore
import WindowStore

/// Every way a credential stops being valid goes through here: the cached caller is forgotten
/// and every live connection opened with it ends at once (close code 4401, which a client shows
/// as "signed out"). A clerk left with no live connection is no longer offered work.
struct Revocations: Sendable {
    let cache: CallerCache
    let hub: LiveHub
    let queue: QueueService

    /// The WebSocket close code for a connection whose credential ended.
    static let closeCode: UInt16 = 4401

    /// The kiosk and its screen B: their credentials and live connections end together.
    func kioskRevoked(_ id: KioskID) async throws {
        cache.forget(kiosk: id)
        try await ended(hub.endConnections(subscriber: .kiosk(id)).union(hub.endConnections(subscriber: .screenB(id))))
    }

    /// One credential ended (signed out, or a screen B replaced by a new pairing): only its own connections end.
    func credentialEnded(tokenHash: String) async throws {
        cache.forget(hash: tokenHash)
        try await ended(hub.endConnections(credential: tokenHash))
    }

    /// One token signed out: only its own connections end. A clerk left with no connection is offline.
    func signedOut(tokenHash: String, clerk: ClerkID?) async throws {
        try await credentialEnded(tokenHash: tokenHash)
        if let clerk { try await queue.signedOut(clerk: clerk) }
    }

    /// Every credential of the account ended (password changed or reset).
    func accountSignedOutEverywhere(_ id: Int64, role: Role) async throws {
        cache.forget(account: id)
        try await ended(hub.endConnections(subscriber: role == .clerk ? .clerk(id) : .manager(id)))
        if role == .clerk { try await queue.signedOut(clerk: id) }
    }

    /// An account token reached its expiry while its connections were open.
    func expired(tokenHash: String) async throws {
        try await ended(hub.endConnections(credential: tokenHash))
    }

    /// Presence ends for whoever lost their last connection; a clerk with none is offline at once.
    private func ended(_ subscribers: Set<Subscriber>) async throws {
        for subscriber in subscribers {
            switch subscriber {
            case .kiosk(let id): try await queue.kioskPresence(id, connected: hub.isKioskConnected(id))
            case .screenB(let id): try await queue.screenBGone(id, kioskConnected: hub.isKioskConnected(id))
            case .clerk(let id):
                try await queue.signedOut(clerk: id)
                try await queue.clerkPresence(id, connected: false)
            case .manager: break
            }
        }
    }
}
