import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// HTTP/1 behind TLS, where a first request upgrading to `GET /api/v1/live` becomes a live
/// connection held by NIO handlers alone, and every other request goes to the router.
///
/// Hummingbird's WebSocket channel keeps each connection in a task, with a task group, a ping
/// timer and async streams: about 40 KB per idle connection, and a city's kiosks sit on these
/// all day. Here an idle one costs its channel, TLS and three small handlers.
struct LiveChannel: ServerChildChannel, HTTPChannelHandler {
    enum Upgrade: Sendable {
        /// The connection is the live handler's from here on.
        case live
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade refused: the request is answered by the router, which says why.
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPRequestHead)
    }

    struct Value: ServerChildChannelValue {
        let upgrade: EventLoopFuture<Upgrade>
        let channel: any Channel
    }

    var responder: Responder
    private let router: Responder
    private let http1: HTTP1Channel.Configuration
    private let live: LiveController

    init(router: @escaping Responder, http1: HTTP1Channel.Configuration, live: LiveController) {
        self.router = router
        self.responder = Self.redirectingLateUpgrades(router)
        self.http1 = http1
        self.live = live
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let admission = NIOLoopBoundBox<LiveController.Admission?>(nil, eventLoop: channel.eventLoop)
            // The upgrade request, kept: NIO does not pass on the head of an upgrade it did not make.
            let attempted = NIOLoopBoundBox<HTTPRequestHead?>(nil, eventLoop: channel.eventLoop)
            let live = live
            let upgrader = NIOTypedWebSocketServerUpgrader<Upgrade>(
                maxFrameSize: LiveConnectionHandler.maxMessageBytes,
                shouldUpgrade: { channel, head in
                    attempted.value = head
                    let promise = channel.eventLoop.makePromise(of: LiveController.Admission?.self)
                    promise.completeWithTask { await live.admit(head) }
                    return promise.futureResult.map { admitted in
                        admission.value = admitted
                        return admitted == nil ? nil : HTTPHeaders()
                    }
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard let admitted = admission.value else { throw ChannelError.inappropriateOperationForState }
                        try live.install(admitted, on: channel)
                        return .live
                    }
                })
            let http1 = http1
            let notUpgrading = NIOTypedHTTPServerUpgradeConfiguration(upgraders: [upgrader]) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                    try operations.addHandlers(http1.additionalChannelHandlers())
                    try operations.addHandler(HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { .init($0) }, logger: logger))
                    let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                    return attempted.value.map { .refused(http, $0) } ?? .http(http)
                }
            }
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Upgrade>(upgradeConfiguration: notUpgrading)
            configuration.enablePipelining = false  // as Hummingbird's: NIOAsyncChannel reads one request at a time
            configuration.enableErrorHandling = false  // RequestDeadlineHandler answers what the decoder refuses
            configuration.enableResponseHeaderValidation = false  // HTTPTypes validated them
            configuration.decoderConfiguration.maxHeaderFieldSize = http1.httpDecoder.maxHeaderFieldSize
            configuration.decoderConfiguration.maxHeaderListSize = http1.httpDecoder.maxHeaderListSize
            configuration.decoderConfiguration.maxHeaderFieldCount = http1.httpDecoder.maxHeaderFieldCount
            let upgrade = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(upgrade: upgrade, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgrade.get() {
            case .live:
                return  // no task waits on a live connection: its handler has it
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .refused(let http, let head):
                // The router answers the refused upgrade (a cookie from another site: 403 csrf_failed), then the
                // connection closes: asking again on it would be redirected, in a loop.
                try await http.executeThenClose { _, outbound in
                    let request = Request(head: try HTTPRequest(head, secure: false, splitCookie: false), body: .init(buffer: ByteBuffer()))
                    try await router(request, ResponseWriter(outbound: outbound), value.channel)
                }
            }
        } catch let error as ChannelError where error == .inputClosed || error == .inappropriateOperationForState {
            // The peer went before its first request, or its TLS handshake failed (RequestDeadlineHandler said why).
            logger.debug("connection ended before a request", metadata: ["error": "\(error)"])
        } catch {
            logger.debug("connection ended before a request", metadata: ["error": "\(error)"])
            value.channel.close(promise: nil)
        }
    }

    /// NIO takes an upgrade only as a connection's first request. A later one on a kept-alive
    /// connection is sent to open a new connection (as Hummingbird's WebSocket channel does).
    static func redirectingLateUpgrades(_ responder: @escaping Responder) -> Responder {
        struct RedirectedUpgrade: Error {}
        return { request, writer, channel in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                return try await responder(request, writer, channel)
            }
            var path = request.uri.path
            if let query = request.uri.query { path += "?\(query)" }
            try await writer.writeResponse(HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: path]))
            throw RedirectedUpgrade()  // ends the connection
        }
    }
}
