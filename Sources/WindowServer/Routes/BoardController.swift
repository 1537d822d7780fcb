import Foundation
import Hummingbird
import WindowAPITypes
import WindowStore

/// The live queue for managers, and the metrics for their scraper.
struct BoardController {
    let queue: QueueService
    let metrics: QueueMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        let managers = router.group(context: ManagerContext.self)
        managers.get("/api/v1/queue", use: board)
        managers.get("/api/v1/queue/invariants", use: invariants)
        router.group(context: MetricsContext.self).get("/metrics", use: prometheus)
    }

    func board(_ request: Request, context: ManagerContext) async throws -> QueueBoard {
        try await queue.board()
    }

    /// The invariant monitor, run now (it also runs every 10 s into `rw_queue_invariant_violations`).
    func invariants(_ request: Request, context: ManagerContext) async throws -> InvariantReport {
        InvariantReport(checkedAt: Date(), violations: await queue.checkInvariants())
    }

    func prometheus(_ request: Request, context: MetricsContext) async throws -> Response {
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return response
    }
}

// The shared wire types answer requests as they are.
extension QueueBoard: ResponseEncodable {}
extension ScrapeCredentialView: ResponseEncodable {}
extension InvariantReport: ResponseEncodable {}
extension ClerkView: ResponseEncodable {}
extension ClerkList: ResponseEncodable {}
extension ColleagueView: ResponseEncodable {}
extension TicketView: ResponseEncodable {}
extension QueueLine: ResponseEncodable {}
extension SiteView: ResponseEncodable {}
extension KioskView: ResponseEncodable {}
extension CatalogItemView: ResponseEncodable {}
extension MaterialView: ResponseEncodable {}
extension RatingView: ResponseEncodable {}
extension SessionView: ResponseEncodable {}
extension AccountView: ResponseEncodable {}
extension LoginResponse: ResponseEncodable {}
extension MeView: ResponseEncodable {}
extension TOTPSetupView: ResponseEncodable {}
