import Foundation
import Hummingbird
import WindowAPITypes
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

// The shared wire types answer requests as they are.
extension QueueBoard: ResponseEncodable {}
extension ClerkView: ResponseEncodable {}
extension ClerkList: ResponseEncodable {}
extension TicketView: ResponseEncodable {}
extension QueueLine: ResponseEncodable {}
extension SiteView: ResponseEncodable {}
extension CatalogItemView: ResponseEncodable {}
extension MaterialView: ResponseEncodable {}
extension RatingView: ResponseEncodable {}
extension SessionView: ResponseEncodable {}
extension AccountView: ResponseEncodable {}
extension LoginResponse: ResponseEncodable {}
