import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import WindowAPITypes
import WindowCore
import WindowStore

/// `GET /api/v1/live` (WebSocket over TLS): a kiosk is pushed its ticket, a clerk their state,
/// offers and queues, a manager the board. The current state comes first, then the changes.
/// Session participants also relay WebRTC signaling to each other here.
struct LiveController {
    let queue: QueueService
    let hub: LiveHub

    struct Inbound: Decodable {
        var type: String
        var session: Int64?
        var data: JSONValue?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.ws("/api/v1/live") { _, context in
            _ = try context.requireIdentity()
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, wsContext in
            guard let identity = wsContext.requestContext.identity else { return }
            let subscriber: Subscriber
            switch identity {
            case .kiosk(let id, _): subscriber = .kiosk(id)
            case .account(let id, _, .clerk): subscriber = .clerk(id)
            case .account(let id, _, _): subscriber = .manager(id)
            }
            let (connection, stream, first) = hub.connect(subscriber)
            let logger = wsContext.logger
            do {
                if first { try await presence(subscriber, connected: true) }
                await queue.sendSnapshot(to: subscriber, connection: connection)
                // On shutdown, end the connection instead of holding the server open for it.
                try await cancelWhenGracefulShutdown {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await message in stream {
                                try await outbound.write(.text(message))
                            }
                            // The stream ends when the hub cut a connection that fell behind
                            // (or when the reader ended and this task was cancelled).
                            if !Task.isCancelled {
                                try await outbound.close(.policyViolation, reason: "fell behind; reconnect to re-sync")
                            }
                        }
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 64 * 1024) {
                                guard case .text(let text) = message else { continue }
                                await handle(text, from: identity, connection: connection)
                            }
                        }
                        _ = try await group.next()
                        group.cancelAll()
                    }
                }
            } catch {
                logger.debug("live connection ended", metadata: ["error": "\(error)"])
            }
            if hub.disconnect(connection) {
                try? await presence(subscriber, connected: false)
            }
        }
    }

    func presence(_ subscriber: Subscriber, connected: Bool) async throws {
        switch subscriber {
        case .kiosk(let id): try await queue.kioskPresence(id, connected: connected)
        case .clerk(let id): try await queue.clerkPresence(id, connected: connected)
        case .manager: break
        }
    }

    func handle(_ text: String, from identity: Identity, connection: UInt64) async {
        guard let message = try? AppJSON.decoder.decode(Inbound.self, from: Data(text.utf8)) else {
            hub.send(Self.error("bad_message", "无法解析的消息 / message is not valid JSON of the live protocol"), toConnection: connection)
            return
        }
        switch message.type {
        case "ping":
            hub.send(#"{"type":"pong"}"#, toConnection: connection)
        case "signal":
            guard let session = message.session, let data = message.data else {
                hub.send(Self.error("bad_message", "信令需要 session 和 data / a signal needs session and data"), toConnection: connection)
                return
            }
            guard await queue.relaySignal(session: session, from: identity, data: data) else {
                hub.send(Self.error("not_in_session", "您不在该会话中 / you are not in that session"), toConnection: connection)
                return
            }
        default:
            hub.send(Self.error("unknown_type", "未知消息类型 / unknown message type: \(message.type)"), toConnection: connection)
        }
    }

    static func error(_ code: String, _ message: String) -> String {
        struct Payload: Encodable, Sendable { var code: String; var message: String }
        return LiveMessage(type: "error", data: Payload(code: code, message: message)).json()
    }
}

/// Any JSON, passed through untouched (SDP offers and answers, ICE candidates).
enum JSONValue: Codable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), object([String: JSONValue]), array([JSONValue]), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}

extension QueueService {
    /// The current state, first thing on a new connection.
    func sendSnapshot(to subscriber: Subscriber, connection: UInt64) {
        switch subscriber {
        case .kiosk(let kiosk):
            if let id = liveTicketID(kiosk: kiosk), let view = try? ticketView(id) {
                hubSend(LiveMessage(type: "ticket", data: view).json(), connection: connection)
            } else {
                hubSend(#"{"type":"idle","data":{}}"#, connection: connection)
            }
        case .clerk(let clerk):
            if let view = clerkView(clerk) { hubSend(LiveMessage(type: "clerk", data: view).json(), connection: connection) }
            hubSend(LiveMessage(type: "queues", data: queueLines(forClerk: clerk, now: nil)).json(), connection: connection)
        case .manager:
            if let board = try? board() { hubSend(LiveMessage(type: "board", data: board).json(), connection: connection) }
        }
    }

    /// Relays signaling between the two participants of a live session only.
    func relaySignal(session id: SessionID, from identity: Identity, data: JSONValue) -> Bool {
        guard let session = session(id) else { return false }
        struct Payload: Encodable, Sendable { var session: Int64; var from: String; var payload: JSONValue }
        switch identity {
        case .kiosk(let kiosk, _) where kiosk == session.kiosk:
            hubSendTo(LiveMessage(type: "signal", data: Payload(session: id, from: "kiosk", payload: data)).json(), .clerk(session.clerk))
        case .account(let clerk, _, .clerk) where clerk == session.clerk:
            hubSendTo(LiveMessage(type: "signal", data: Payload(session: id, from: "clerk", payload: data)).json(), .kiosk(session.kiosk))
        default:
            return false
        }
        return true
    }
}
