import Foundation
import HummingbirdWSClient
import Logging
import NIOSSL
import NIOWebSocket
import Synchronization

/// A WSS client of `/api/v1/live` for tests: collects every message, lets a test wait for one.
final class LiveClient: Sendable {
    struct Message: @unchecked Sendable {
        var type: String
        var data: [String: Any]
        var raw: String
    }

    private let messages = Mutex<[Message]>([])
    private let closeRequest: AsyncStream<Void>.Continuation
    private let closeSignal: AsyncStream<Void>
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let outbox: AsyncStream<String>.Continuation
    private let outboxStream: AsyncStream<String>
    let closed = Mutex<Bool>(false)
    /// The code the server closed with, once it has.
    let closeCode = Mutex<UInt16?>(nil)

    init(server: TestServer, token: String) {
        (closeSignal, closeRequest) = AsyncStream.makeStream(of: Void.self)
        (outboxStream, outbox) = AsyncStream.makeStream(of: String.self)
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders[.authorization] = "Bearer \(token)"
        configuration.maxFrameSize = 1 << 20
        let url = "wss://localhost:\(server.port)/api/v1/live"
        let tls = server.clientTLS
        let closeSignal = closeSignal
        let outboxStream = outboxStream
        let started = Task {
            do {
                let frame = try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: tls, logger: Logger(label: "live-client")) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await text in outboxStream { try await outbound.write(.text(text)) }
                        }
                        group.addTask {
                            for await _ in closeSignal { break }
                            try await outbound.close(.normalClosure, reason: nil)
                        }
                        // Read until the server's side of the close handshake ends the stream.
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message else { continue }
                            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
                            let entry = Message(type: object["type"] as? String ?? "", data: object["data"] as? [String: Any] ?? [:], raw: text)
                            self.messages.withLock { $0.append(entry) }
                        }
                        group.cancelAll()
                    }
                }
                if let code = frame?.closeCode {
                    self.closeCode.withLock { $0 = UInt16(webSocketErrorCode: code) }
                }
            } catch {}
            self.closed.withLock { $0 = true }
        }
        task.withLock { $0 = started }
    }

    func send(_ text: String) { outbox.yield(text) }

    var all: [Message] { messages.withLock { $0 } }

    /// Waits for the first message of `type` (after `skipping` earlier ones) that satisfies `match`.
    func next(_ type: String, timeout: Duration = .seconds(10), where match: @escaping ([String: Any]) -> Bool = { _ in true }) async throws -> Message {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = messages.withLock({ $0.first { $0.type == type && match($0.data) } }) { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LiveClientTimeout(type: type, seen: all.map(\.raw))
    }

    /// Waits until the server has closed the connection; returns its close code.
    /// A close can take seconds on the client side of a loaded run: the default wait is generous.
    func waitUntilClosed(timeout: Duration = .seconds(30)) async throws -> UInt16? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if closed.withLock({ $0 }) { return closeCode.withLock { $0 } }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LiveClientTimeout(type: "(close)", seen: all.map(\.raw))
    }

    /// Forgets what arrived so far, so `next` waits for new messages.
    func clear() { messages.withLock { $0.removeAll() } }

    /// Closes from the client side and waits for the connection to end — at most 15 s: the client
    /// library can sit on a connection the server already closed, and a test must not hang on it.
    func close() async {
        closeRequest.yield()
        closeRequest.finish()
        outbox.finish()
        guard let running = task.withLock({ $0 }) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await running.value }
            group.addTask { try? await Task.sleep(for: .seconds(15)) }
            await group.next()
            group.cancelAll()
        }
        running.cancel()
    }
}

struct LiveClientTimeout: Error, CustomStringConvertible {
    var type: String
    var seen: [String]
    var description: String { "no \(type) message; saw \(seen.suffix(8))" }
}
