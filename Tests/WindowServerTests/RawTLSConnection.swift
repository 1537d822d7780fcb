import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// One TLS connection to the test server that sends exactly the bytes a test gives it, the way an
/// attacker would (slow headers, malformed requests), and reports what came back and whether the
/// server closed. Every wait is bounded.
final class RawTLSConnection: Sendable {
    private final class Probe: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = Mutex<[UInt8]>([])
        let handshake: EventLoopPromise<Void>
        let closed: EventLoopPromise<Void>
        private let handshakeDone = Mutex(false)

        init(eventLoop: any EventLoop) {
            handshake = eventLoop.makePromise()
            closed = eventLoop.makePromise()
        }

        private func settle(_ error: (any Error)?) {
            let first = handshakeDone.withLock { done in
                defer { done = true }
                return !done
            }
            guard first else { return }
            if let error { handshake.fail(error) } else { handshake.succeed() }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event { settle(nil) }
            context.fireUserInboundEventTriggered(event)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            settle(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            settle(ChannelError.inputClosed)
            closed.succeed()
            context.fireChannelInactive()
        }
    }

    struct TimedOut: Error {}

    let channel: any Channel
    private let probe: Probe

    private init(channel: any Channel, probe: Probe) {
        self.channel = channel
        self.probe = probe
    }

    /// Connects over TCP and starts the TLS handshake; does not wait for it (see ``handshake(within:)``).
    static func connect(port: Int, tls: TLSConfiguration) async throws -> RawTLSConnection {
        let context = try NIOSSLContext(configuration: tls)
        let probeBox = Mutex<Probe?>(nil)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let probe = Probe(eventLoop: channel.eventLoop)
                    probeBox.withLock { $0 = probe }
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    try channel.pipeline.syncOperations.addHandler(probe)
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawTLSConnection(channel: channel, probe: probeBox.withLock { $0! })
    }

    /// Waits for the handshake: true when it completed, false when it failed; throws ``TimedOut``.
    func handshake(within limit: Duration) async throws -> Bool {
        let outcome = probe.handshake.futureResult.map { true }.recover { _ in false }
        return try await Self.within(limit, outcome)
    }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    var isClosed: Bool { !channel.isActive }

    var received: String { String(decoding: probe.received.withLock { $0 }, as: UTF8.self) }

    var receivedBytes: [UInt8] { probe.received.withLock { $0 } }

    /// Waits until the server closes the connection: true when it did within `limit`.
    func closedByServer(within limit: Duration) async -> Bool {
        (try? await Self.within(limit, probe.closed.futureResult)) != nil
    }

    func close() async {
        try? await channel.close()
    }

    /// The future's value, or ``TimedOut`` after `limit` (a promise ignores a second completion).
    static func within<T: Sendable>(_ limit: Duration, _ future: EventLoopFuture<T>) async throws -> T {
        let promise = future.eventLoop.makePromise(of: T.self)
        future.cascade(to: promise)
        let timeout = future.eventLoop.scheduleTask(in: .nanoseconds(limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000)) {
            promise.fail(TimedOut())
        }
        defer { timeout.cancel() }
        return try await promise.futureResult.get()
    }
}
