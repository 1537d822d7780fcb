import Foundation
import Hummingbird
import WindowStore

/// The live queue for managers, and the metrics for their scraper.
struct BoardController {
    let queue: QueueService
    let metrics: QueueMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/queue") { _, context -> QueueBoard in
            _ = try context.requireManager()
            return try await queue.board()
        }
        router.get("/metrics") { _, context -> Response in
            _ = try context.requireManager()
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
            response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return response
        }
    }
}

extension QueueBoard: ResponseEncodable {}
extension ClerkView: ResponseEncodable {}
extension TicketView: ResponseEncodable {}
extension QueueLine: ResponseEncodable {}
