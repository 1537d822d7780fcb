import Foundation
import Logging
import ServiceLifecycle

/// Runs the queue's timers (offer timeouts, grace periods, wrap-ups) with the server's
/// lifecycle: it stops on graceful shutdown, never as a stray task.
struct QueueTimer: Service {
    let queue: QueueService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return  // cancelled: the server is shutting down
                }
                do {
                    try await queue.tick()
                } catch {
                    logger.error("queue timer failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
