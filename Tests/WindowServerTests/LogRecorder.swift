import Logging
import Synchronization

/// A log handler that keeps every line, for tests that say what a server logs (and what it does not).
final class LogRecorder: LogHandler, @unchecked Sendable {
    let events = Mutex<[(level: Logger.Level, message: String)]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { events.withLock { $0.append((event.level, event.message.description)) } }

    var logger: Logger { Logger(label: "recorded") { _ in self } }
    var errors: [String] { events.withLock { $0.filter { $0.level >= .error }.map(\.message) } }
}
