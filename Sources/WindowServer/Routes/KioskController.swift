import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// Kiosks: managers issue, rename and revoke their credentials and see their state; a kiosk reads its own site.
struct KioskController {
    let database: AppDatabase
    let revocations: Revocations
    let sites: SitePresenter
    let hub: LiveHub
    let queue: QueueService

    func addRoutes(to router: Router<AppRequestContext>) {
        let managers = router.group("/api/v1", context: ManagerContext.self)
        managers.get("/sites/{code}/kiosks", use: list)
        managers.post("/sites/{code}/kiosks", use: issue)
        managers.put("/kiosks/{id}", use: rename)
        managers.delete("/kiosks/{id}", use: revoke)
        router.group("/api/v1/kiosk", context: KioskContext.self).get("/site", use: ownSite)
    }

    /// Every kiosk of the site, revoked ones included, with its state now: when it was last seen,
    /// which of its screens are connected, whether a screen B is paired, and its live ticket.
    func list(_ request: Request, context: ManagerContext) async throws -> [KioskView] {
        let site = try SiteController.requireSite(database, context.parameters)
        let paired = try await database.pairedScreenBKiosks(siteID: site.id!)
        var views: [KioskView] = []
        for kiosk in try await database.kiosks(siteID: site.id!) {
            views.append(try await view(kiosk, site: site, paired: paired.contains(kiosk.id!)))
        }
        return views
    }

    func view(_ kiosk: KioskRecord, site: SiteRecord, paired: Bool) async throws -> KioskView {
        let id = kiosk.id!
        var ticket: KioskView.TicketInfo?
        if let ticketID = await queue.liveTicketID(kiosk: id), let live = try await queue.ticketView(ticketID) {
            ticket = KioskView.TicketInfo(id: live.id, number: live.number, itemCode: live.itemCode, state: live.state)
        }
        return KioskView(
            id: id, site: site.code, name: kiosk.name, createdAt: kiosk.createdAt, revoked: kiosk.revokedAt != nil,
            lastSeenAt: kiosk.lastSeenAt, screenA: hub.isConnected(.kiosk(id)), screenB: hub.isConnected(.screenB(id)),
            screenBPaired: paired, ticket: ticket)
    }

    /// The credential is in this answer once, and stored only as its hash.
    func issue(_ request: Request, context: ManagerContext) async throws -> EditedResponse<KioskView> {
        let site = try SiteController.requireSite(database, context.parameters)
        let body = try await request.decode(as: CreateKioskRequest.self, context: context)
        let name = try TextRules.name(body.name, code: .invalidKiosk, message: "终端名称必填（最多64字） / kiosk name required (max 64)")
        let credential = Tokens.make(prefix: Tokens.kioskPrefix)
        let kiosk = try database.createKiosk(KioskRecord(siteID: site.id!, name: name, tokenHash: Tokens.hash(credential), createdAt: sites.now()))
        context.logger.notice("kiosk credential issued", metadata: ["kiosk.id": "\(kiosk.id!)", "site.code": "\(site.code)"])
        return EditedResponse(
            status: .created,
            response: KioskView(id: kiosk.id!, site: site.code, name: kiosk.name, createdAt: kiosk.createdAt, revoked: false, credential: credential))
    }

    /// `PUT /api/v1/kiosks/{id}`: a new name, by the same rules as a new kiosk's.
    func rename(_ request: Request, context: ManagerContext) async throws -> KioskView {
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: RenameKioskRequest.self, context: context)
        let name = try TextRules.name(body.name, code: .invalidKiosk, message: "终端名称必填（最多64字） / kiosk name required (max 64)")
        guard let kiosk = try database.renameKiosk(id: id, name: name) else { throw APIError.notFound("kiosk \(id)", zh: "终端 \(id) ") }
        guard let site = try database.site(id: kiosk.siteID) else { throw APIError.notFound("site", zh: "站点 ") }
        let paired = try await database.pairedScreenBKiosks(siteID: site.id!).contains(id)
        return try await view(kiosk, site: site, paired: paired)
    }

    func revoke(_ request: Request, context: ManagerContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id", as: Int64.self)
        guard try database.revokeKiosk(id: id, at: sites.now()) else { throw APIError.notFound("kiosk \(id)", zh: "终端 \(id) ") }
        try database.unpairScreenB(kiosk: id)
        try await revocations.kioskRevoked(id)
        return .noContent
    }

    /// A kiosk reads its own site: name, hours, whether the window is open now, and whether the site is suspended.
    func ownSite(_ request: Request, context: KioskContext) async throws -> SiteView {
        guard let site = try database.site(id: context.site) else { throw APIError.notFound("site", zh: "站点 ") }
        return sites.view(site)
    }
}
