import Foundation
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// One live connection's way out: text frames written straight to its channel, from any thread.
/// Unwritten frames are counted, so a peer that stops reading is found and cut off.
final class ChannelLiveSink: LiveSink {
    let channel: any Channel
    /// How long a closing connection waits for the peer's close frame before it just closes.
    static let closeTimeout: TimeAmount = .seconds(3)

    private let unwritten = Atomic<Int>(0)
    private let closing = Atomic<Bool>(false)

    init(channel: any Channel) {
        self.channel = channel
    }

    var isClosing: Bool { closing.load(ordering: .acquiring) }

    /// Marks the connection closing. - Returns: whether this call did (false: it already was).
    func beginClosing() -> Bool {
        !closing.exchange(true, ordering: .acquiringAndReleasing)
    }

    func send(_ text: String) -> LiveDelivery {
        guard !isClosing else { return .closing }
        guard unwritten.add(1, ordering: .relaxed).newValue <= LiveHub.bufferLimit else {
            unwritten.subtract(1, ordering: .relaxed)
            return .fellBehind
        }
        let frame = WebSocketFrame(fin: true, opcode: .text, data: channel.allocator.buffer(string: text))
        channel.writeAndFlush(frame).whenComplete { _ in self.unwritten.subtract(1, ordering: .relaxed) }
        return .queued
    }

    func close(_ reason: LiveHub.CloseReason) {
        switch reason {
        case .credentialEnded: close(code: .unknown(Revocations.closeCode), reason: "credential ended: sign in again")
        case .fellBehind: close(code: .policyViolation, reason: "fell behind; reconnect to re-sync")
        case .shuttingDown: close(code: .goingAway, reason: "server restarting; reconnect in a moment")
        }
    }

    /// Sends the close frame once; the connection ends when the peer answers, or after ``closeTimeout``
    /// (a peer that fell behind may never read it).
    func close(code: WebSocketErrorCode, reason: String) {
        guard beginClosing() else { return }
        var data = channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: data), promise: nil)
        let channel = channel
        channel.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
    }
}

/// A live connection the hub knows: who it is, and its messages' inbox.
///
/// Its work runs in order, one job at a time: the opening (presence, the snapshot), each message,
/// the closing. A task exists only while jobs wait, so an idle connection costs no task.
final class LiveConnection: Sendable {
    enum Job: Sendable {
        case open(first: Bool)
        case message(String)
        case close(last: Bool)
    }

    let id: UInt64
    let caller: Caller
    let subscriber: Subscriber
    let sink: ChannelLiveSink
    let signals = TokenBucket(capacity: LiveController.signalBurst, perSecond: LiveController.signalsPerSecond)
    private let controller: LiveController

    /// Messages waiting beyond this stop the reading (TCP pushes back on the peer) until they are handled.
    static let inboxLimit = 16

    private struct Inbox {
        var jobs: [Job] = []
        var running = false
        var closed = false
        /// The reader stopped reading: too many messages wait.
        var paused = false
    }
    private let inbox = Mutex(Inbox())

    init(id: UInt64, caller: Caller, subscriber: Subscriber, sink: ChannelLiveSink, controller: LiveController) {
        self.id = id
        self.caller = caller
        self.subscriber = subscriber
        self.sink = sink
        self.controller = controller
    }

    private let hasEnded = Atomic<Bool>(false)

    /// The connection is over (the close handshake finished, or the channel closed), whichever
    /// comes first: the hub forgets it now, and the closing job runs after whatever is running.
    func ended() {
        guard !hasEnded.exchange(true, ordering: .acquiringAndReleasing) else { return }
        enqueue(.close(last: controller.hub.disconnect(id)))
    }

    /// Adds a job. - Returns: whether the reader should stop reading until the messages waiting are
    /// handled (TCP then pushes back on the peer).
    @discardableResult
    func enqueue(_ job: Job) -> Bool {
        let (start, pause) = inbox.withLock { inbox -> (Bool, Bool) in
            if case .close = job {
                // What the peer sent last is not handled once it is gone.
                inbox.jobs.removeAll { if case .message = $0 { true } else { false } }
                inbox.closed = true
            } else if inbox.closed {
                return (false, false)
            }
            inbox.jobs.append(job)
            let pause = !inbox.paused && inbox.jobs.count > Self.inboxLimit
            if pause { inbox.paused = true }
            defer { inbox.running = true }
            return (!inbox.running, pause)
        }
        if start { Task { await drain() } }
        return pause
    }

    private func drain() async {
        while let job = next() {
            switch job {
            case .open(let first): await controller.opened(self, first: first)
            case .message(let text): await controller.handle(text, from: self)
            case .close(let last): await controller.closed(self, last: last)
            }
        }
    }

    /// The next job, or nil when there is none (the drain ends; the next job starts another).
    private func next() -> Job? {
        let (job, resume) = inbox.withLock { inbox -> (Job?, Bool) in
            guard !inbox.jobs.isEmpty else {
                inbox.running = false
                defer { inbox.paused = false }
                return (nil, inbox.paused)
            }
            return (inbox.jobs.removeFirst(), false)
        }
        if resume { sink.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in } }
        return job
    }
}

/// The NIO end of a live connection, behind the WebSocket frame decoder and encoder: joins
/// fragments, answers pings and closes, pings an idle peer, and hands each text message to the
/// connection's inbox. Everything here runs on the channel's event loop.
final class LiveConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// The largest message, fragments joined (signaling carries SDP, larger than 16 KiB).
    static let maxMessageBytes = 64 * 1024
    /// Nil for a refused connection, which only says why and closes.
    private let connection: LiveConnection?
    private let sink: ChannelLiveSink
    /// An idle peer is pinged this often; one that has not answered by the next ping is gone.
    /// (Nil for a refused connection.)
    private let pingInterval: TimeAmount?
    private let refusal: String?
    private let expiry: (at: Date, then: @Sendable () -> Void)?
    private let logger: Logger

    /// A message still arriving in fragments, and whether it is text.
    private var fragments: (buffer: ByteBuffer, isText: Bool)?
    private var awaitingPong = false
    private var pinger: RepeatedTask?
    private var expiryTask: Scheduled<Void>?

    /// - Parameter expiry: when the connection's credential ends, and what to do then.
    init(connection: LiveConnection, ping: TimeAmount, expiry: (at: Date, then: @Sendable () -> Void)?, logger: Logger) {
        self.connection = connection
        sink = connection.sink
        pingInterval = ping
        refusal = nil
        self.expiry = expiry
        self.logger = logger
    }

    /// A connection with no valid credential: its close (4401) says why, in JSON.
    init(refusing reason: String, sink: ChannelLiveSink, logger: Logger) {
        connection = nil
        self.sink = sink
        pingInterval = nil
        refusal = reason
        expiry = nil
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if let refusal {
            sink.close(code: .unknown(Revocations.closeCode), reason: refusal)
            return
        }
        if let pingInterval {
            let channel = context.channel
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            pinger = context.eventLoop.scheduleRepeatedTask(initialDelay: pingInterval, delay: pingInterval) { _ in
                loopBound.value.ping(channel)
            }
        }
        if let expiry {
            // An account token ends at its expiry, and its connections with it.
            let delay = TimeAmount.milliseconds(Int64(max(0, expiry.at.timeIntervalSinceNow) * 1000))
            expiryTask = context.eventLoop.scheduleTask(in: delay, expiry.then)
        }
    }

    private func ping(_ channel: any Channel) {
        guard !sink.isClosing else { return }
        if awaitingPong {
            end(code: .goingAway, reason: "no answer to ping")
            return
        }
        awaitingPong = true
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .ping, data: channel.allocator.buffer(capacity: 0)), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pinger?.cancel()
        expiryTask?.cancel()
        pinger = nil
        expiryTask = nil
        connection?.ended()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        awaitingPong = false  // anything from the peer shows it is there
        switch frame.opcode {
        case .connectionClose:
            // The handshake is over: the peer is gone now, not when TLS has finished closing (a
            // client that never answers TLS's close_notify holds the socket for its timeout).
            connection?.ended()
            answerClose(frame, context: context)
        case .ping:
            // A peer that pings without reading gets no pongs piling up here.
            guard !sink.isClosing, context.channel.isWritable else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        case .text, .binary:
            guard fragments == nil else { return fail(.protocolError, "a new message before the last one ended") }
            if frame.fin {
                if frame.opcode == .text { received(frame.unmaskedData, context: context) }
            } else {
                fragments = (frame.unmaskedData, frame.opcode == .text)
            }
        case .continuation:
            guard case let (started, isText)? = fragments else { return fail(.protocolError, "a continuation with no message") }
            var joined = started
            var part = frame.unmaskedData
            guard joined.readableBytes + part.readableBytes <= Self.maxMessageBytes else {
                fragments = nil
                return fail(.messageTooLarge, "message over \(Self.maxMessageBytes / 1024) KiB")
            }
            joined.writeBuffer(&part)
            if frame.fin {
                fragments = nil
                if isText { received(joined, context: context) }  // a binary message is not part of the protocol
            } else {
                fragments = (joined, isText)
            }
        default:
            fail(.protocolError, "unknown opcode")
        }
    }

    /// The answer to our close ends the connection; the peer's own close is answered with its code.
    private func answerClose(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        // Closing from here on: pushes racing the peer's close are dropped, not written after ours.
        guard sink.beginClosing() else {
            context.close(promise: nil)
            return
        }
        var payload = frame.unmaskedData
        let code = payload.readableBytes >= 2 ? payload.readSlice(length: 2)! : context.channel.allocator.buffer(bytes: [0x03, 0xE8])  // 1000
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }

    private func received(_ payload: ByteBuffer, context: ChannelHandlerContext) {
        guard let connection, !sink.isClosing else { return }
        guard let text = String(validating: payload.readableBytesView, as: UTF8.self) else {
            return fail(.dataInconsistentWithMessage, "text is not UTF-8")
        }
        if connection.enqueue(.message(text)) {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    /// The peer broke the protocol: the close says how (1002, 1007, 1009).
    private func fail(_ code: WebSocketErrorCode, _ reason: String) {
        logger.debug("live connection broke the protocol", metadata: ["reason": "\(reason)"])
        end(code: code, reason: reason)
    }

    /// The server gives up on the peer: it is gone for the hub now (its presence ends, its grace
    /// starts), not when a peer that may never answer has let the socket close.
    private func end(code: WebSocketErrorCode, reason: String) {
        sink.close(code: code, reason: reason)
        connection?.ended()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The frame decoder's errors (a frame over the limit, a bad opcode) are answered by NIO's
        // protocol error handler before this one; anything else (TLS, the socket) ends the connection.
        logger.debug("live connection error", metadata: ["error": "\(error)"])
        if !(error is NIOWebSocketError) { context.close(promise: nil) }
    }
}
