import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore

/// `GET /api/v1/sessions/{id}/ice`: the ICE servers for one side of a live session, with a TURN
/// credential of its own (asked again before every ICE restart, so it is always fresh).
struct IceController {
    let queue: QueueService
    let settings: IceSettings
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/v1/sessions", context: CallerContext.self).get("/{id}/ice", use: ice)
    }

    func ice(_ request: Request, context: CallerContext) async throws -> IceConfigView {
        let id = try context.parameters.require("id", as: Int64.self)
        // Only the session's two video pages; anyone else is answered as for a missing session.
        guard let (session, side) = await queue.participant(id, context.caller) else {
            throw APIError.notFound("session \(id)", zh: "会话 \(id) ")
        }
        return settings.config(session: session.id, side: side, now: now())
    }
}

extension IceConfigView: ResponseEncodable {}
extension ScreenBView: ResponseEncodable {}
extension ScreenBPairingView: ResponseEncodable {}
