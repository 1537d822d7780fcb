import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL
import Synchronization

extension LiveMessage {
    /// Decodes one text frame; never throws: what it cannot read becomes `.unknown`.
    public static func decode(_ text: String) -> LiveMessage {
        let data = Data(text.utf8)
        do {
            return try ClientJSON.decoder.decode(LiveMessage.self, from: data)
        } catch {
            struct Envelope: Decodable { var type: String }
            guard let envelope = try? ClientJSON.decoder.decode(Envelope.self, from: data) else { return .unknown(type: "(invalid)") }
            return .unknown(type: envelope.type + "(invalid)")
        }
    }
}

/// Reconnect delays: doubling from `initial` up to `maximum`, reset after a good connection.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before attempt `n` (0-based) after a drop.
    public func delay(attempt: Int) -> Duration {
        var delay = initial
        for _ in 0..<max(0, min(attempt, 30)) {
            delay = delay * 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}

/// The live connection of one credential (`wss://…/api/v1/live`). It connects, delivers every
/// decoded message on ``events``, and when the connection drops it says so and reconnects by
/// itself with backoff, until ``stop()``. The server sends the current state first on every
/// (re)connection, so a consumer re-syncs from the first message after `.connected`.
public final class LiveConnection: Sendable {
    public enum Event: Sendable, Equatable {
        case connected
        case message(LiveMessage)
        /// The connection dropped or could not be made; a new attempt follows after `retryIn`.
        case disconnected(WindowClientError, retryIn: Duration)
    }

    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let outbox: Mutex<AsyncStream<String>.Continuation?>
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let endpoint: ServerEndpoint
    private let credential: String
    private let backoff: Backoff
    private let logger: Logger

    public init(endpoint: ServerEndpoint, credential: String, backoff: Backoff = Backoff(), logger: Logger = Logger(label: "live", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.endpoint = endpoint
        self.credential = credential
        self.backoff = backoff
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(1024))
        outbox = Mutex(nil)
    }

    /// Starts connecting; reconnects until ``stop()``.
    public func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in await run() }
        }
    }

    /// Sends a text frame if connected (e.g. `{"type":"ping"}`); dropped otherwise.
    public func send(_ text: String) {
        _ = outbox.withLock { $0?.yield(text) }
    }

    public func stop() async {
        let running = task.withLock { task -> Task<Void, Never>? in
            let running = task
            task?.cancel()
            return running
        }
        await running?.value
        continuation.finish()
    }

    private func run() async {
        var attempt = 0
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders[.authorization] = "Bearer \(credential)"
        configuration.maxFrameSize = 1 << 20
        // A half-open connection (a cable pulled) is found within two periods.
        configuration.autoPing = .enabled(timePeriod: .seconds(10))
        configuration.closeTimeout = .seconds(2)
        let url = endpoint.liveURL
        let tls = endpoint.tlsConfiguration()
        while !Task.isCancelled {
            let connected = Mutex(false)
            var failure: WindowClientError
            do {
                let closing = try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: tls, logger: logger) { inbound, outbound, _ in
                    connected.withLock { $0 = true }
                    let (sendStream, sendContinuation) = AsyncStream.makeStream(of: String.self)
                    self.outbox.withLock { $0 = sendContinuation }
                    self.continuation.yield(.connected)
                    defer {
                        self.outbox.withLock { $0 = nil }
                        sendContinuation.finish()
                    }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await text in sendStream { try await outbound.write(.text(text)) }
                        }
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                guard case .text(let text) = message else { continue }
                                self.continuation.yield(.message(LiveMessage.decode(text)))
                            }
                        }
                        // Whichever ends first (the server closed, or we were cancelled) ends both.
                        _ = try await group.next()
                        group.cancelAll()
                    }
                }
                if let closing, case .unknown(Self.credentialEndedCode) = closing.closeCode {
                    failure = .server(
                        status: 401, code: APIErrorCode.unauthorized.rawValue,
                        message: "凭证无效、已吊销或已过期，请重新设置或登录 / the credential is invalid, revoked or expired: set up or sign in again")
                } else {
                    failure = .unreachable("connection closed")
                }
            } catch is CancellationError {
                break
            } catch {
                failure = Self.classify(error)
            }
            if Task.isCancelled { break }
            if connected.withLock({ $0 }) { attempt = 0 }
            let delay = backoff.delay(attempt: attempt)
            attempt += 1
            continuation.yield(.disconnected(failure, retryIn: delay))
            do {
                try await Task.sleep(for: delay)
            } catch {
                break
            }
        }
    }

    /// The server closes with this code when the credential is missing, wrong, revoked, signed out or expired.
    public static let credentialEndedCode: UInt16 = 4401

    static func classify(_ error: any Error) -> WindowClientError {
        if let error = error as? WebSocketClientError, error == .webSocketUpgradeFailed {
            return .server(
                status: 401, code: "upgrade_refused",
                message: "服务器拒绝了实时连接（终端凭证无效或已吊销？） / the server refused the live connection (kiosk credential invalid or revoked?)")
        }
        return WindowAPI.transportError(error)
    }
}
