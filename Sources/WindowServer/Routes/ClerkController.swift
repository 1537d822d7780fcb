import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// A clerk's own workplace: state, offers, wrap-up, colleagues, the lines of their skills.
struct ClerkController {
    let queue: QueueService

    func addRoutes(to router: Router<AppRequestContext>) {
        let clerks = router.group("/api/v1/clerk", context: ClerkContext.self)
        clerks.get(use: me)
        clerks.put("/state", use: setState)
        clerks.post("/offer/accept", use: acceptOffer)
        clerks.post("/offer/decline", use: declineOffer)
        clerks.post("/ready", use: ready)
        clerks.get("/colleagues", use: colleagues)
        clerks.get("/queues", use: queues)
    }

    func me(_ request: Request, context: ClerkContext) async throws -> ClerkView {
        guard let view = await queue.clerkView(context.clerk) else { throw APIError.notFound("clerk profile", zh: "工作人员资料 ") }
        return view
    }

    /// `available`, `away` (`break` still accepted) or `offline`.
    func setState(_ request: Request, context: ClerkContext) async throws -> ClerkView {
        let body = try await request.decode(as: ClerkStateRequest.self, context: context)
        return try await queue.setClerkState(context.clerk, to: body.state, actor: context.actor)
    }

    func acceptOffer(_ request: Request, context: ClerkContext) async throws -> ClerkView {
        let body = try await request.decode(as: OfferRequest.self, context: context)
        return try await queue.acceptOffer(clerk: context.clerk, ticket: body.ticket, actor: context.actor)
    }

    func declineOffer(_ request: Request, context: ClerkContext) async throws -> ClerkView {
        let body = try await request.decode(as: OfferRequest.self, context: context)
        return try await queue.declineOffer(clerk: context.clerk, ticket: body.ticket, actor: context.actor)
    }

    /// Wrap-up done: ready for the next case.
    func ready(_ request: Request, context: ClerkContext) async throws -> ClerkView {
        try await queue.ready(clerk: context.clerk, actor: context.actor)
    }

    /// Colleagues a case can be transferred to.
    func colleagues(_ request: Request, context: ClerkContext) async throws -> [ColleagueView] {
        await queue.clerkViews().filter { $0.id != context.clerk }.map {
            ColleagueView(id: $0.id, displayName: $0.displayName, window: $0.window, skills: $0.skills, state: $0.state)
        }
    }

    func queues(_ request: Request, context: ClerkContext) async throws -> [QueueLine] {
        await queue.queueLines(forClerk: context.clerk, now: nil)
    }
}
