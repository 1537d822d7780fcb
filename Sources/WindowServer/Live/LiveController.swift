import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization
import WindowAPITypes
import WindowCore
import WindowStore

/// `GET /api/v1/live` (WebSocket over TLS): a kiosk is pushed its ticket, a clerk their state,
/// offers and queues, a manager the board. The current state comes first, then the changes.
/// Session participants also relay WebRTC signaling to each other here.
struct LiveController {
    let database: AppDatabase
    let queue: QueueService
    let hub: LiveHub
    let revocations: Revocations
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/v1/live").add(middleware: UpgradeRequiredMiddleware()).ws { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, wsContext in
            guard let caller = wsContext.requestContext.caller else {
                // No valid credential: the client learns why from the close, as a browser's WebSocket can.
                try await outbound.close(.unknown(Revocations.closeCode), reason: #"{"error":{"code":"unauthorized"}}"#)
                return
            }
            let subscriber: Subscriber
            switch caller {
            case .kiosk(let id, _): subscriber = .kiosk(id)
            case .screenB(let id, _): subscriber = .screenB(id)
            case .scraper:
                try await outbound.close(.unknown(Revocations.closeCode), reason: #"{"error":{"code":"forbidden"}}"#)
                return
            case .account(let id, _, .clerk): subscriber = .clerk(id)
            case .account(let id, _, _): subscriber = .manager(id)
            }
            let credential = wsContext.requestContext.credential
            let (connection, stream, first) = hub.connect(subscriber, credential: credential?.hash)
            let logger = wsContext.logger
            let signals = TokenBucket(capacity: Self.signalBurst, perSecond: Self.signalsPerSecond)
            let protocolError = ErrorSlot()
            do {
                if first { try await presence(subscriber, connected: true) }
                await queue.sendSnapshot(to: subscriber, connection: connection)
                await seen(subscriber, logger: logger)
                // Thousands of kiosks sit idle on these connections, so each costs as few tasks as it
                // can: this one writes, one child reads (and, for a sign-in, one waits for its expiry).
                // Shutdown needs nothing here: the WebSocket library closes every connection with 1000,
                // the peer answers, the reader ends, and with it the stream this task writes from.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        defer { hub.stopWriting(connection) }
                        do {
                            for try await message in inbound.messages(maxSize: 64 * 1024) {
                                guard case .text(let text) = message else { continue }
                                await handle(text, from: caller, connection: connection, signals: signals)
                            }
                        } catch {
                            // What the client sent broke the protocol (invalid UTF-8, too large).
                            if !(error is CancellationError) { protocolError.set(error) }
                            throw error
                        }
                    }
                    if let expiresAt = credential?.expiresAt, let hash = credential?.hash {
                        // An account token ends at its expiry, and its connections with it.
                        group.addTask {
                            try await Task.sleep(for: .seconds(max(0, expiresAt.timeIntervalSinceNow)))
                            try await revocations.expired(tokenHash: hash)
                        }
                    }
                    for await message in stream {
                        try await outbound.write(.text(message))
                    }
                    // The stream ends when the reader ended, or when the hub cut the connection (it fell
                    // behind, or its credential ended): then the close says why.
                    switch hub.closeReason(connection) {
                    case .credentialEnded:
                        try await outbound.close(.unknown(Revocations.closeCode), reason: "credential ended: sign in again")
                    case .fellBehind:
                        try await outbound.close(.policyViolation, reason: "fell behind; reconnect to re-sync")
                    case nil:
                        break
                    }
                    group.cancelAll()
                }
            } catch {
                logger.debug("live connection ended", metadata: ["error": "\(error)"])
            }
            if hub.disconnect(connection) {
                try? await presence(subscriber, connected: false)
            }
            await seen(subscriber, logger: logger)
            // A protocol error (invalid UTF-8: 1007, a message too large: 1009) closes with its own code;
            // anything else (the peer went away while we wrote) ends the connection normally.
            if let error = protocolError.value { throw error }
        }
    }

    /// Presence follows the last connection: a kiosk is there while either of its screens is.
    func presence(_ subscriber: Subscriber, connected: Bool) async throws {
        switch subscriber {
        case .kiosk(let id): try await queue.kioskPresence(id, connected: hub.isKioskConnected(id))
        case .screenB(let id):
            if connected {
                try await queue.kioskPresence(id, connected: true)
            } else {
                try await queue.screenBGone(id, kioskConnected: hub.isKioskConnected(id))
            }
        case .clerk(let id): try await queue.clerkPresence(id, connected: connected)
        case .manager: break
        }
    }

    /// A kiosk's screen A was seen: its connection opened or closed (once each, never per message).
    /// Managers read it as the kiosk's last-seen time; failing to write it does not end the connection.
    func seen(_ subscriber: Subscriber, logger: Logger) async {
        guard case .kiosk(let id) = subscriber else { return }
        do {
            try await database.recordKioskSeen(id: id, at: now())
        } catch {
            logger.warning("could not record the kiosk's last-seen time", metadata: ["kiosk.id": "\(id)", "error": "\(error)"])
        }
    }

    /// A WebRTC call needs tens of signaling messages, not thousands: a burst, then a steady rate.
    static let signalBurst = 60
    static let signalsPerSecond = 20.0

    /// Signaling, media reports and captures share one bucket per connection.
    func take(_ signals: TokenBucket, connection: UInt64) -> Bool {
        switch signals.take() {
        case .granted: return true
        case .refusedFirst:
            // Said once per flood; the flood itself is dropped, never passed on to the other side.
            hub.send(.error(LiveError(code: .rateLimited, message: "信令过于频繁，已丢弃 / too many signaling messages: dropped")), toConnection: connection)
            return false
        case .refused:
            return false
        }
    }

    func notInSession(_ connection: UInt64) {
        hub.send(.error(LiveError(code: .notInSession, message: "您不在该会话中 / you are not in that session")), toConnection: connection)
    }

    func handle(_ text: String, from caller: Caller, connection: UInt64, signals: TokenBucket) async {
        let message: LiveMessage
        do {
            message = try AppJSON.decoder.decode(LiveMessage.self, from: Data(text.utf8))
        } catch {
            hub.send(.error(LiveError(code: .badMessage, message: "无法解析的消息 / message is not valid JSON of the live protocol")), toConnection: connection)
            return
        }
        switch message {
        case .ping:
            hub.send(.pong, toConnection: connection)
        case .signal(let signal):
            guard take(signals, connection: connection) else { return }
            if let problem = signal.problem {
                hub.send(.error(LiveError(code: .badMessage, message: "信令格式错误 / bad signal: \(problem)")), toConnection: connection)
                return
            }
            guard await queue.relaySignal(signal, from: caller) else { return notInSession(connection) }
        case .capture(let capture):
            guard take(signals, connection: connection) else { return }
            guard await queue.relayCapture(capture, from: caller) else { return notInSession(connection) }
        case .media(let report):
            guard take(signals, connection: connection) else { return }
            do {
                guard try await queue.reportMedia(report, from: caller) else { return notInSession(connection) }
            } catch {
                hub.send(.error(LiveError(code: .internal, message: "无法记录媒体状态 / could not record the media state")), toConnection: connection)
            }
        default:
            hub.send(.error(LiveError(code: .unknownType, message: "未知消息类型 / unknown message type: \(message.type)")), toConnection: connection)
        }
    }
}

extension LiveController {
    static func isUpgrade(_ request: Request) -> Bool {
        request.uri.path == "/api/v1/live" && request.headers[.upgrade]?.lowercased() == "websocket"
    }
}

/// `GET /api/v1/live` is only a WebSocket: a plain request is told so, in JSON, with 426.
struct UpgradeRequiredMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard LiveController.isUpgrade(request) else {
            _ = try CallerContext(context: context)  // who asks comes first: 401 before 426
            throw APIError(
                .upgradeRequired, code: .upgradeRequired,
                message: "实时连接需要 WebSocket 升级 / the live connection needs a WebSocket upgrade (Upgrade: websocket)")
        }
        return try await next(request, context)
    }
}

/// One error, set from one task and read after it ended.
final class ErrorSlot: Sendable {
    private let slot = Mutex<(any Error)?>(nil)
    func set(_ error: any Error) { slot.withLock { $0 = error } }
    var value: (any Error)? { slot.withLock { $0 } }
}
