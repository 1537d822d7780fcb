import Foundation
import Logging
import ServiceLifecycle

/// Runs the queue's timers (offer timeouts, grace periods, wrap-ups) with the server's
/// lifecycle: it sleeps until the core's next deadline, or until a command moves that deadline
/// closer, or at most `interval` (positions and the board are pushed about once a second).
struct QueueTimer: Service {
    let queue: QueueService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await queue.sleepUntilDue(atMost: interval)
                if Task.isCancelled { return }  // the server is shutting down
                do {
                    try await queue.tick()
                } catch {
                    logger.error("queue timer failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
