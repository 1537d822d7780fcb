import Foundation
import Logging
import ServiceLifecycle
import WindowStore

/// Keeps the SQLite WAL short by checkpointing it every second beside the writer.
struct CheckpointService: Service {
    let checkpointer: Checkpointer
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(1))
                } catch {
                    return
                }
                do {
                    try checkpointer.checkpoint()
                } catch {
                    logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
        // A last checkpoint on the way out leaves a compact database file.
        _ = try? checkpointer.checkpoint()
    }
}
