import Foundation
import Logging
import ServiceLifecycle
import WindowStore

/// Keeps the SQLite WAL short by checkpointing it every second beside the writer.
/// Past the WAL bound (`--wal-limit-mb`, default 64) it truncates the WAL.
struct CheckpointService: Service {
    let checkpointer: Checkpointer
    let metrics: QueueMetrics
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
                    metrics.recordWAL(bytes: try checkpointer.checkpoint())
                } catch {
                    logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
        // A last checkpoint on the way out leaves a compact database file.
        _ = try? checkpointer.checkpoint()
    }
}
