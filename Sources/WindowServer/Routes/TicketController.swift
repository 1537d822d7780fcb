import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// Kiosks take, watch and leave tickets. Managers may read any ticket.
struct TicketController {
    let database: AppDatabase
    let queue: QueueService
    let idHasher: IDNumberHasher
    let policy: RoutingPolicy
    let ticketRate: TicketRateLimiter
    let followUps: FollowUpService
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        let kiosks = router.group("/api/v1/tickets", context: KioskContext.self)
        kiosks.post(use: take)
        kiosks.get("/current", use: current)
        // A ticket is read or left by the kiosk that holds it, or by a manager.
        let callers = router.group("/api/v1/tickets", context: CallerContext.self)
        callers.get("/{id}", use: show)
        callers.delete("/{id}", use: leave)
    }

    func take(_ request: Request, context: KioskContext) async throws -> EditedResponse<TicketView> {
        let body = try await request.decode(as: TakeTicketRequest.self, context: context)
        guard let stored = try database.catalogItem(code: body.item) else {
            throw APIError.notFound("catalog item \(body.item)", zh: "事项 \(body.item) ")
        }
        switch stored.item.status {
        case .active: break
        case .suspended:
            throw APIError.conflict(code: .itemUnavailable, "该事项暂停受理，请稍后再来或咨询 12345 / this item is suspended for now; please come back later or call 12345")
        case .retired:
            throw APIError.conflict(code: .itemUnavailable, "该事项已停止办理 / this item is no longer offered")
        }
        guard let category = try database.categories().first(where: { $0.code == stored.item.category }),
            let site = try database.site(id: context.site)
        else { throw APIError(.internalServerError, code: .internal, message: "站点或类别缺失 / site or category missing") }
        if site.suspendedAt != nil { throw Self.suspended(site) }

        let today = now()
        var masked: String?
        var hash: String?
        var age: Int?
        if let text = body.idNumber {
            do {
                let id = try ResidentID(text, today: today)
                masked = id.masked
                hash = idHasher.hash(id.number)
                age = id.age(on: today)
            } catch {
                throw APIError.badRequest(code: .invalidIDNumber, error.message)
            }
        }
        // The returning lane is the server's to give, with a 补正's reference.
        if body.priorityReason == .returning && body.reference == nil {
            throw APIError.badRequest(code: .priorityNotAllowed, "补正回来须提供补正编号 / the returning lane needs a correction reference")
        }
        if body.priorityReason == .elderly {
            guard let age, age >= policy.elderlyAge else {
                throw APIError.badRequest(
                    code: .priorityNotAllowed,
                    "老年人优先通道需年满\(policy.elderlyAge)周岁并读取身份证 / the elderly lane needs an ID card showing age \(policy.elderlyAge) or over")
            }
        }
        // Back with a 补正's materials: to the head of the queue, and to the same clerk when on duty.
        var returning: FollowUpCase?
        if let reference = body.reference?.trimmingCharacters(in: .whitespacesAndNewlines), !reference.isEmpty {
            try TextRules.validate(reference, field: "reference")
            guard reference.count <= 40 else { throw APIError.notFound("correction", zh: "补正编号 ").with(code: .correctionNotFound) }
            returning = try await followUps.correctionToReturn(reference: reference, item: stored.item.code)
        }
        var ticketRequest = TicketRequest(
            itemCode: stored.item.code, category: category.code, letter: category.letter, expectedMinutes: stored.item.expectedMinutes,
            site: site.id!, kiosk: context.kiosk, priorityReason: body.priorityReason, idNumberMasked: masked, hours: site.hours,
            itemVersion: stored.version)
        if let returning { ticketRequest.returning = (returning.session, returning.clerk, returning.openedAt) }
        try limitRate(context.kiosk)
        let view = try await queue.takeTicket(ticketRequest, idNumberHash: hash, actor: context.actor)
        if let returning { try await followUps.returned(returning, ticket: view.id) }
        context.logger.info("ticket issued", metadata: ["ticket.id": "\(view.id)", "ticket.number": "\(view.number)", "item.code": "\(view.itemCode)"])
        return EditedResponse(status: .created, response: view)
    }

    /// A suspended site takes no new tickets (those waiting are still served): 409 `site_suspended`, with why.
    static func suspended(_ site: SiteRecord) -> APIError {
        guard let reason = site.suspendedReason, !reason.isEmpty else {
            return APIError.conflict(code: .siteSuspended, "本延伸点暂停服务 / this site is suspended")
        }
        return APIError.conflict(code: .siteSuspended, "本延伸点暂停服务：\(reason) / this site is suspended: \(reason)")
    }

    /// Every well-formed take that reaches the queue counts, whatever the queue answers; beyond the
    /// kiosk's rate (``TicketRateLimiter``), 429 with `Retry-After`.
    func limitRate(_ kiosk: KioskID) throws(APIError) {
        guard let wait = ticketRate.take(kiosk, at: now()) else { return }
        let seconds = max(1, Int(wait.rounded(.up)))
        throw APIError.rateLimited(
            retryAfter: wait, "本终端取号过于频繁，请\(seconds)秒后再试 / this kiosk is taking tickets too often; try again in \(seconds) s")
    }

    /// The kiosk's live ticket. (Asking is not presence: only a live connection is, because only its
    /// end says the kiosk has gone.)
    func current(_ request: Request, context: KioskContext) async throws -> TicketView {
        guard let id = await queue.liveTicketID(kiosk: context.kiosk), let view = try await queue.ticketView(id) else {
            throw APIError.notFound("live ticket for this kiosk", zh: "本终端当前号票 ")
        }
        return view
    }

    func show(_ request: Request, context: CallerContext) async throws -> TicketView {
        let id = try context.parameters.require("id", as: Int64.self)
        try await authorize(id, context)
        guard let view = try await queue.ticketView(id) else { throw APIError.notFound("ticket \(id)", zh: "号票 \(id) ") }
        return view
    }

    /// Leaving the queue: the ticket is cancelled.
    func leave(_ request: Request, context: CallerContext) async throws -> TicketView {
        let id = try context.parameters.require("id", as: Int64.self)
        try await authorize(id, context)
        try await queue.leaveTicket(id, kiosk: nil, actor: context.caller.actor)
        guard let view = try await queue.ticketView(id) else { throw APIError.notFound("ticket \(id)", zh: "号票 \(id) ") }
        return view
    }

    /// The kiosk that holds the ticket, or a manager.
    func authorize(_ id: TicketID, _ context: CallerContext) async throws {
        switch context.caller {
        case .kiosk(let kiosk, _):
            guard try await queue.ticketKiosk(id) == kiosk else { throw APIError.notFound("ticket \(id)", zh: "号票 \(id) ") }
        case .account(_, _, .manager), .account(_, _, .admin):
            break
        case .screenB, .scraper:
            throw APIError.forbidden("视频屏不能操作号票 / screen B cannot act on tickets")
        case .account:
            throw APIError.forbidden("需要角色 / requires role: admin, manager")
        }
    }
}
