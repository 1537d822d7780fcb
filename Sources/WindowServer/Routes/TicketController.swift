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
    let now: @Sendable () -> Date

    struct TakeTicket: Decodable {
        var item: String
        var priorityReason: PriorityReason?
        /// Read from the ID card at the kiosk. Kept only masked and as a keyed hash; never logged.
        var idNumber: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/tickets")
        group.post { request, context -> EditedResponse<TicketView> in
            let kiosk = try context.requireKiosk()
            let body = try await request.decode(as: TakeTicket.self, context: context)
            guard let stored = try database.catalogItem(code: body.item) else {
                throw APIError.notFound("catalog item \(body.item)", zh: "事项 \(body.item) ")
            }
            guard stored.item.status == .active else {
                throw APIError.conflict(code: "item_unavailable", "该事项暂停受理 / this item is not being accepted now")
            }
            guard let category = try database.categories().first(where: { $0.code == stored.item.category }),
                let site = try database.site(id: kiosk.site)
            else { throw APIError(.internalServerError, code: "internal", message: "站点或类别缺失 / site or category missing") }

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
                } catch let problem as ResidentID.Problem {
                    throw APIError.badRequest(code: "invalid_id_number", problem.message)
                }
            }
            if body.priorityReason == .elderly {
                guard let age, age >= policy.elderlyAge else {
                    throw APIError.badRequest(
                        code: "priority_not_allowed",
                        "老年人优先通道需年满\(policy.elderlyAge)周岁并读取身份证 / the elderly lane needs an ID card showing age \(policy.elderlyAge) or over")
                }
            }
            let ticketRequest = TicketRequest(
                itemCode: stored.item.code, category: category.code, letter: category.letter, expectedMinutes: stored.item.expectedMinutes,
                site: site.id!, kiosk: kiosk.id, priorityReason: body.priorityReason, idNumberMasked: masked, hours: site.hours)
            let view = try await queue.issueTicket(ticketRequest, idNumberHash: hash, actor: "kiosk:\(kiosk.id)")
            context.logger.info("ticket issued", metadata: ["ticket.id": "\(view.id)", "ticket.number": "\(view.number)", "item.code": "\(view.itemCode)"])
            return EditedResponse(status: .created, response: view)
        }
        group.get("/current") { _, context -> TicketView in
            let kiosk = try context.requireKiosk()
            try await queue.kioskPresence(kiosk.id, connected: true)
            guard let id = await queue.liveTicketID(kiosk: kiosk.id), let view = try await queue.ticketView(id) else {
                throw APIError.notFound("live ticket for this kiosk", zh: "本终端当前号票 ")
            }
            return view
        }
        group.get("/{id}") { _, context -> TicketView in
            let id = try context.parameters.require("id", as: Int64.self)
            try await authorize(id, context)
            guard let view = try await queue.ticketView(id) else { throw APIError.notFound("ticket \(id)", zh: "号票 \(id) ") }
            return view
        }
        group.delete("/{id}") { _, context -> TicketView in
            let id = try context.parameters.require("id", as: Int64.self)
            try await authorize(id, context)
            try await queue.cancelTicket(id, kiosk: nil, actor: try context.requireIdentity().actor)
            guard let view = try await queue.ticketView(id) else { throw APIError.notFound("ticket \(id)", zh: "号票 \(id) ") }
            return view
        }
    }

    /// The kiosk that holds the ticket, or a manager. Kiosk activity also counts as presence.
    func authorize(_ id: TicketID, _ context: AppRequestContext) async throws {
        switch try context.requireIdentity() {
        case .kiosk(let kiosk, _):
            guard try await queue.ticketKiosk(id) == kiosk else { throw APIError.notFound("ticket \(id)", zh: "号票 \(id) ") }
            try await queue.kioskPresence(kiosk, connected: true)
        case .account:
            _ = try context.requireManager()
        }
    }
}
