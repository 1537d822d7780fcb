import Foundation
import Hummingbird
import HummingbirdCore
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1
import WindowAPITypes
import WindowCore
import WindowStore

/// `GET /api/v1/live` (WebSocket over TLS): a kiosk is pushed its ticket, a clerk their state,
/// offers and queues, a manager the board. The current state comes first, then the changes.
/// Session participants also relay WebRTC signaling to each other here.
///
/// The upgrade is taken by ``LiveChannel`` before the router (an idle connection is then only NIO
/// handlers, no task); this says who may open one and does each connection's work.
struct LiveController: Sendable {
    let database: AppDatabase
    let queue: QueueService
    let hub: LiveHub
    let revocations: Revocations
    let authenticator: AuthenticatorMiddleware
    let now: @Sendable () -> Date
    let logger: Logger
    let ping: TimeAmount

    static let path = "/api/v1/live"

    init(_ services: AppServices, ping: Duration = ServerLimits().livePing) {
        self.ping = TimeAmount(ping)
        database = services.database
        queue = services.queue
        hub = services.hub
        revocations = services.revocations
        authenticator = services.authenticator
        now = services.now
        logger = services.hub.logger
    }

    /// A plain request (no upgrade) is told, in JSON, that this is only a WebSocket: 401 first, then 426.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Self.path)) { _, context -> Response in
            _ = try CallerContext(context: context)
            throw APIError(
                .upgradeRequired, code: .upgradeRequired,
                message: "实时连接需要 WebSocket 升级 / the live connection needs a WebSocket upgrade (Upgrade: websocket)")
        }
    }

    enum Admission: Sendable {
        case open(Caller, Subscriber, Credential?)
        /// Upgraded, then closed at once with 4401 and this JSON (a browser's WebSocket cannot read an HTTP refusal).
        case refuse(String)
    }

    /// Whether the upgrade `head` asks for may go on. - Returns: nil when it is not this endpoint's,
    /// or its cookie came from another site: it then goes on as plain HTTP and the router answers it.
    func admit(_ head: HTTPRequestHead) async -> Admission? {
        guard URI(head.uri).path == Self.path,
            let fields = try? HTTPRequest(head, secure: false, splitCookie: false)  // as the router sees requests
        else { return nil }
        let found: AuthenticatorMiddleware.Authentication
        do {
            found = try await authenticator.authenticate(Request(head: fields, body: .init(buffer: ByteBuffer())))
        } catch {
            return nil
        }
        guard let caller = found.caller else { return .refuse(#"{"error":{"code":"unauthorized"}}"#) }
        guard let subscriber = Self.subscriber(caller) else { return .refuse(#"{"error":{"code":"forbidden"}}"#) }
        return .open(caller, subscriber, found.credential)
    }

    /// Who a caller's connection is to the hub (a scraper has none).
    static func subscriber(_ caller: Caller) -> Subscriber? {
        switch caller {
        case .kiosk(let id, _): .kiosk(id)
        case .screenB(let id, _): .screenB(id)
        case .scraper: nil
        case .account(let id, _, .clerk): .clerk(id)
        case .account(let id, _, _): .manager(id)
        }
    }

    /// Installs the connection's handler, behind NIO's WebSocket frame decoder and encoder.
    func install(_ admission: Admission, on channel: any Channel) throws {
        let sink = ChannelLiveSink(channel: channel)
        guard case .open(let caller, let subscriber, let credential) = admission else {
            if case .refuse(let reason) = admission {
                try channel.pipeline.syncOperations.addHandler(LiveConnectionHandler(refusing: reason, sink: sink, logger: logger))
            }
            return
        }
        let (id, first) = hub.connect(subscriber, credential: credential?.hash, sink: sink)
        let connection = LiveConnection(id: id, caller: caller, subscriber: subscriber, sink: sink, controller: self)
        var expiry: (at: Date, then: @Sendable () -> Void)?
        if let expiresAt = credential?.expiresAt, let hash = credential?.hash {
            let revocations = revocations
            expiry = (expiresAt, { Task { try? await revocations.expired(tokenHash: hash) } })
        }
        do {
            try channel.pipeline.syncOperations.addHandler(LiveConnectionHandler(connection: connection, ping: ping, expiry: expiry, logger: logger))
        } catch {
            hub.disconnect(id)
            throw error
        }
        connection.enqueue(.open(first: first))
    }

    /// The connection's first job: presence begins with a subscriber's first connection, then its snapshot.
    func opened(_ connection: LiveConnection, first: Bool) async {
        do {
            if first { try await presence(connection.subscriber, connected: true) }
        } catch {
            logger.warning("could not record presence; closing the live connection", metadata: ["error": "\(error)"])
            connection.sink.close(code: .unexpectedServerError, reason: "could not record presence; reconnect")
            return
        }
        await queue.sendSnapshot(to: connection.subscriber, connection: connection.id, first: first)
        await seen(connection.subscriber)
    }

    /// The connection's last job: presence ends with a subscriber's last connection.
    func closed(_ connection: LiveConnection, last: Bool) async {
        if last {
            do {
                try await presence(connection.subscriber, connected: false)
            } catch {
                logger.warning("could not record the end of presence", metadata: ["error": "\(error)"])
            }
        }
        await seen(connection.subscriber)
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
    func seen(_ subscriber: Subscriber) async {
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

    func handle(_ text: String, from live: LiveConnection) async {
        let (caller, connection, signals) = (live.caller, live.id, live.signals)
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
        request.uri.path == path && request.headers[.upgrade]?.lowercased() == "websocket"
    }
}
