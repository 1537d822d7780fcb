import Foundation
import Logging
import ServiceLifecycle
import WindowStore

/// Keeps the SQLite WAL short by checkpointing it four times a second beside the writer (at a
/// thousand tickets a second the writer adds about 20 MB a second); past a quarter of the WAL
/// bound (`--wal-limit-mb`, default 64) the writer starts it again from its beginning.
struct CheckpointService: Service {
    let checkpointer: Checkpointer
    let metrics: QueueMetrics
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .milliseconds(250))
                } catch {
                    return
                }
                do {
                    let truncated = checkpointer.truncations
                    let bytes = try await checkpointer.checkpoint()
                    metrics.recordWAL(bytes: bytes, truncations: checkpointer.truncations - truncated)
                } catch is CancellationError {
                    break  // shutting down
                } catch {
                    logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
        // A last checkpoint on the way out leaves a compact database file.
        // (In a task of its own: this one is cancelled, and a cancelled task's database access fails.)
        let last = checkpointer
        _ = await Task { try? await last.checkpoint() }.value
    }
}
