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

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/v1/live").add(middleware: UpgradeRequiredMiddleware()).ws { _, context in
            _ = try CallerContext(context: context)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, wsContext in
            guard let caller = wsContext.requestContext.caller else { return }
            let subscriber: Subscriber
            switch caller {
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
                                await handle(text, from: caller, connection: connection)
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

    func handle(_ text: String, from caller: Caller, connection: UInt64) async {
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
            guard await queue.relaySignal(signal, from: caller) else {
                hub.send(.error(LiveError(code: .notInSession, message: "您不在该会话中 / you are not in that session")), toConnection: connection)
                return
            }
        default:
            hub.send(.error(LiveError(code: .unknownType, message: "未知消息类型 / unknown message type: \(message.type)")), toConnection: connection)
        }
    }
}

/// `GET /api/v1/live` is only a WebSocket: a plain request is told so, in JSON, with 426.
struct UpgradeRequiredMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = try CallerContext(context: context)  // who asks comes first: 401 before 426
        guard request.headers[.upgrade]?.lowercased() == "websocket" else {
            throw APIError(
                .upgradeRequired, code: .upgradeRequired,
                message: "实时连接需要 WebSocket 升级 / the live connection needs a WebSocket upgrade (Upgrade: websocket)")
        }
        return try await next(request, context)
    }
}
