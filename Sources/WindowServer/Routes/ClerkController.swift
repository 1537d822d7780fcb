import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// A clerk's own workplace: state, offers, wrap-up.
struct ClerkController {
    let queue: QueueService

    struct StateBody: Decodable {
        /// `available`, `break` (or `away`), `offline`.
        var state: String
    }

    struct Colleague: ResponseCodable {
        var id: Int64
        var displayName: String
        var window: String
        var skills: [String]
        var state: ClerkState
    }

    struct OfferBody: Decodable {
        var ticket: Int64
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/clerk")
        group.get { _, context -> ClerkView in
            let clerk = try context.requireClerk()
            try await queue.clerkPresence(clerk, connected: true)
            guard let view = await queue.clerkView(clerk) else { throw APIError.notFound("clerk profile", zh: "坐席资料 ") }
            return view
        }
        group.put("/state") { request, context -> ClerkView in
            let clerk = try context.requireClerk()
            let body = try await request.decode(as: StateBody.self, context: context)
            let target: ClerkState
            switch body.state {
            case "available": target = .available
            case "break", "away": target = .away
            case "offline": target = .offline
            default:
                throw APIError.badRequest(code: "invalid_state", "状态应为 available、break 或 offline / state must be available, break or offline")
            }
            return try await queue.setClerkState(clerk, to: target, actor: "clerk:\(clerk)")
        }
        group.post("/offer/accept") { request, context -> ClerkView in
            let clerk = try context.requireClerk()
            let body = try await request.decode(as: OfferBody.self, context: context)
            return try await queue.acceptOffer(clerk: clerk, ticket: body.ticket, actor: "clerk:\(clerk)")
        }
        group.post("/offer/decline") { request, context -> ClerkView in
            let clerk = try context.requireClerk()
            let body = try await request.decode(as: OfferBody.self, context: context)
            return try await queue.declineOffer(clerk: clerk, ticket: body.ticket, actor: "clerk:\(clerk)")
        }
        group.post("/ready") { _, context -> ClerkView in
            let clerk = try context.requireClerk()
            return try await queue.finishWrapUp(clerk: clerk, actor: "clerk:\(clerk)")
        }
        // Colleagues a case can be transferred to.
        group.get("/colleagues") { _, context -> [Colleague] in
            let clerk = try context.requireClerk()
            return await queue.clerkViews().filter { $0.id != clerk }.map {
                Colleague(id: $0.id, displayName: $0.displayName, window: $0.window, skills: $0.skills, state: $0.state)
            }
        }
        group.get("/queues") { _, context -> [QueueLine] in
            let clerk = try context.requireClerk()
            return await queue.queueLines(forClerk: clerk, now: nil)
        }
    }
}
