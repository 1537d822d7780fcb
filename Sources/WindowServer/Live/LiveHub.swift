import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Who a live connection belongs to.
enum Subscriber: Hashable, Sendable {
    case kiosk(Int64)
    /// The kiosk's video page: told what the kiosk is told, and the kiosk's side of the call.
    case screenB(Int64)
    case clerk(Int64)
    case manager(Int64)
}

/// Where the hub's messages for one live connection go: its channel (``ChannelLiveSink``).
protocol LiveSink: Sendable {
    /// Queues a text frame without waiting.
    func send(_ text: String) -> LiveDelivery
    /// Says why in a close frame, then ends the connection (at once if the peer does not answer).
    func close(_ reason: LiveHub.CloseReason)
}

enum LiveDelivery: Sendable, Equatable {
    case queued
    /// More than ``LiveHub/bufferLimit`` messages are still unwritten: the peer does not read.
    case fellBehind
    /// The connection is closing: the message is dropped.
    case closing
}

/// The WSS connections. The queue owner hands it messages without waiting; each connection
/// queues them on its own channel, and one that falls behind is cut off (it re-syncs on
/// reconnect: current state first, then changes).
final class LiveHub: Sendable {
    /// Messages a connection may have unwritten before it counts as fallen behind.
    static let bufferLimit = 512

    struct Connection: Sendable {
        let id: UInt64
        let subscriber: Subscriber
        /// The hash of the credential the connection was opened with.
        let credential: String?
        let sink: any LiveSink
    }

    /// Why the hub ended a connection (its close frame says so).
    enum CloseReason: Sendable, Equatable {
        case fellBehind
        /// Its credential was revoked, signed out, reset or expired.
        case credentialEnded
        /// The server is stopping: come back in a moment.
        case shuttingDown
    }

    private struct Registry {
        var nextID: UInt64 = 1
        var connections: [UInt64: Connection] = [:]
        var bySubscriber: [Subscriber: Set<UInt64>] = [:]
    }

    private let registry = Mutex(Registry())
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Registers a connection. - Returns: its id, and whether it is the subscriber's first live
    /// connection (presence begins).
    func connect(_ subscriber: Subscriber, credential: String? = nil, sink: any LiveSink) -> (id: UInt64, first: Bool) {
        registry.withLock { registry in
            let id = registry.nextID
            registry.nextID += 1
            registry.connections[id] = Connection(id: id, subscriber: subscriber, credential: credential, sink: sink)
            let first = registry.bySubscriber[subscriber, default: []].isEmpty
            registry.bySubscriber[subscriber, default: []].insert(id)
            return (id, first)
        }
    }

    /// Removes a connection. - Returns: whether it was the subscriber's last (presence ends).
    @discardableResult
    func disconnect(_ id: UInt64) -> Bool {
        registry.withLock { registry in
            guard let connection = registry.connections.removeValue(forKey: id) else { return false }
            registry.bySubscriber[connection.subscriber]?.remove(id)
            if registry.bySubscriber[connection.subscriber]?.isEmpty == true {
                registry.bySubscriber[connection.subscriber] = nil
                return true
            }
            return false
        }
    }

    func isConnected(_ subscriber: Subscriber) -> Bool {
        registry.withLock { $0.bySubscriber[subscriber] != nil }
    }

    /// Whether either of the kiosk's screens is connected: the kiosk is there.
    func isKioskConnected(_ kiosk: Int64) -> Bool {
        registry.withLock { $0.bySubscriber[.kiosk(kiosk)] != nil || $0.bySubscriber[.screenB(kiosk)] != nil }
    }


    var connectedClerks: Set<Int64> {
        registry.withLock { registry in
            Set(registry.bySubscriber.keys.compactMap { if case .clerk(let id) = $0 { id } else { nil } })
        }
    }

    var hasManagers: Bool {
        registry.withLock { registry in registry.bySubscriber.keys.contains { if case .manager = $0 { true } else { false } } }
    }

    var connectionCount: Int { registry.withLock { $0.connections.count } }

    /// Queues `message` for every connection of `subscriber`, cutting off any that fell behind.
    func send(_ message: String, to subscriber: Subscriber) {
        let targets = registry.withLock { registry in
            (registry.bySubscriber[subscriber] ?? []).compactMap { registry.connections[$0] }
        }
        for connection in targets { deliver(message, to: connection) }
    }

    /// What the kiosk is told goes to both its screens.
    func send(_ message: String, toKiosk kiosk: Int64) {
        send(message, to: .kiosk(kiosk))
        send(message, to: .screenB(kiosk))
    }

    func sendToManagers(_ message: String) {
        let targets = registry.withLock { registry in
            registry.connections.values.filter { if case .manager = $0.subscriber { true } else { false } }
        }
        for connection in targets { deliver(message, to: connection) }
    }

    /// Every connection: kiosks, video pages, clerks and managers (a new catalog version).
    func sendToAll(_ message: String) {
        let targets = registry.withLock { Array($0.connections.values) }
        for connection in targets { deliver(message, to: connection) }
    }

    /// Sends to one connection only (its first snapshot).
    func send(_ message: String, toConnection id: UInt64) {
        if let connection = registry.withLock({ $0.connections[id] }) { deliver(message, to: connection) }
    }

    private func deliver(_ message: String, to connection: Connection) {
        if connection.sink.send(message) == .fellBehind {
            logger.warning("live connection fell behind; closing it", metadata: ["connection.id": "\(connection.id)"])
            connection.sink.close(.fellBehind)
        }
    }

    /// Ends every connection opened with the credential `hash`, or belonging to `subscriber`, at
    /// once: they leave the registry now, and each is closed with the reason.
    /// - Returns: the subscribers left with no live connection (their presence ends).
    @discardableResult
    func endConnections(credential hash: String? = nil, subscriber: Subscriber? = nil) -> Set<Subscriber> {
        let (ended, gone) = registry.withLock { registry in
            let matching = registry.connections.values.filter { connection in
                (hash != nil && connection.credential == hash) || (subscriber != nil && connection.subscriber == subscriber)
            }
            var gone = Set<Subscriber>()
            for connection in matching {
                registry.connections[connection.id] = nil
                registry.bySubscriber[connection.subscriber]?.remove(connection.id)
                if registry.bySubscriber[connection.subscriber]?.isEmpty == true {
                    registry.bySubscriber[connection.subscriber] = nil
                    gone.insert(connection.subscriber)
                }
            }
            return (matching, gone)
        }
        for connection in ended { connection.sink.close(.credentialEnded) }
        return gone
    }

    /// The server is stopping: every connection is told so (its client reconnects to the next start).
    func closeAll() {
        for connection in registry.withLock({ Array($0.connections.values) }) { connection.sink.close(.shuttingDown) }
    }
}

/// At a graceful shutdown every live connection is told that the server is restarting (1001), so
/// kiosks and consoles reconnect to the next start rather than wait on a dead socket.
struct LiveShutdown: Service {
    let hub: LiveHub

    func run() async throws {
        try? await gracefulShutdown()
        hub.closeAll()
    }
}
