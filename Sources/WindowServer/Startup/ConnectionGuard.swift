import Foundation
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// Wraps the server's child channel (TLS, HTTP/1 with the live upgrade) with a
/// ``RequestDeadlineHandler`` right behind the HTTP decoder, so that from its first byte a
/// connection has a deadline, and a request the decoder cannot parse is answered 400 and closed.
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let limits: ServerLimits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(RequestDeadlineHandler(limits: limits, logger: logger), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Closes a connection that is too slow to send a request: the TLS handshake and the first
/// request's headers must arrive within `headerTimeout`, a body within `bodyTimeout` of its
/// headers, and a kept-alive connection's next request within `idleTimeout`. While the server
/// is answering, no deadline runs. A request the HTTP decoder refuses (a NUL in the request line,
/// headers over the limit, `Content-Length` with `chunked`, …) is answered 400 and closed.
/// A failed TLS handshake, which every handler behind TLS hears of, is logged here with its reason.
/// Leaves the pipeline when the connection asks for the WebSocket upgrade.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: ServerLimits
    private let logger: Logger
    /// Between a request's head and its end.
    private var readingRequest = false
    /// Requests whose head came in and whose response has not ended.
    private var unanswered = 0
    /// Between a response's head and its end.
    private var responding = false
    private var deadline: Scheduled<Void>?

    init(limits: ServerLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        arm(context, limits.headerTimeout, "header")
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head) where Self.asksForWebSocket(head):
            // Once upgraded, what follows is WebSocket frames, not HTTP (the live connection has its
            // own pings): leave before the HTTP decoder goes. A refused upgrade is answered and closed.
            context.fireChannelRead(data)
            disarm()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        case .head:
            readingRequest = true
            unanswered += 1
            arm(context, limits.bodyTimeout, "body")
        case .body:
            break
        case .end:
            readingRequest = false
            disarm()  // answering is the server's part
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            responding = true
        case .body:
            break
        case .end:
            responding = false
            unanswered = max(0, unanswered - 1)
            if unanswered == 0, !readingRequest { arm(context, limits.idleTimeout, "idle") }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case NIOSSLError.handshakeFailed = error {
            logger.info("TLS handshake failed", metadata: ["error": "\(error)", "peer": "\(context.remoteAddress.map { "\($0)" } ?? "?")"])
        }
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        logger.debug("malformed request, answering 400", metadata: ["error": "\(error)"])
        disarm()
        guard !responding else {
            context.close(promise: nil)
            return
        }
        let body = ByteBuffer(string: #"{"error":{"code":"bad_request","message":"请求格式错误 / malformed request"}}"#)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        for (name, value) in SecurityHeaders.fields { headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    static func asksForWebSocket(_ head: HTTPRequestHead) -> Bool {
        head.headers["upgrade"].contains { $0.lowercased() == "websocket" }
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: Duration, _ kind: String) {
        disarm()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [logger] in
            logger.debug("closing a connection that missed its \(kind) deadline")
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
