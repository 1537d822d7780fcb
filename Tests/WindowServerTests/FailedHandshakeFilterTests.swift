import Logging
import NIOCore
import Synchronization
import Testing

@testable import WindowServer

@Suite("a failed TLS handshake is not logged as an error")
struct FailedHandshakeFilterTests {
    final class Recorder: LogHandler, @unchecked Sendable {
        let events = Mutex<[(Logger.Level, String)]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        var metadataProvider: Logger.MetadataProvider?
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { events.withLock { $0.append((event.level, event.message.description)) } }
    }

    func log(_ logger: Logger) {
        logger.error("Error handling upgrade result", metadata: ["error.type": "\(ChannelError.inappropriateOperationForState)"])
        logger.error("Error handling upgrade result", metadata: ["error.type": "\(ChannelError.ioOnClosedChannel)"])
        logger.error("something else")
    }

    @Test("hummingbird-websocket's line for a closed handshake becomes debug; every other error stays")
    func demotes() {
        for level in [Logger.Level.info, .debug] {
            let recorder = Recorder()
            recorder.logLevel = level
            var logger = Logger(label: "test") { _ in recorder }
            logger.handler = FailedHandshakeFilter(base: logger.handler)
            log(logger)
            let seen = recorder.events.withLock { $0 }
            let expected: [(Logger.Level, String)] =
                (level == .debug ? [(.debug, "Error handling upgrade result")] : [])
                + [(.error, "Error handling upgrade result"), (.error, "something else")]
            #expect(seen.map(\.0) == expected.map(\.0))
            #expect(seen.map(\.1) == expected.map(\.1))
        }
    }
}
