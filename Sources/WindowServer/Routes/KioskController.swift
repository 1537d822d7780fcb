import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// Kiosks: managers issue and revoke their credentials; a kiosk reads its own site.
struct KioskController {
    let database: AppDatabase
    let revocations: Revocations
    let sites: SitePresenter

    func addRoutes(to router: Router<AppRequestContext>) {
        let managers = router.group("/api/v1", context: ManagerContext.self)
        managers.get("/sites/{code}/kiosks", use: list)
        managers.post("/sites/{code}/kiosks", use: issue)
        managers.delete("/kiosks/{id}", use: revoke)
        router.group("/api/v1/kiosk", context: KioskContext.self).get("/site", use: ownSite)
    }

    func list(_ request: Request, context: ManagerContext) async throws -> [KioskView] {
        let site = try SiteController.requireSite(database, context.parameters)
        return try await database.kiosks(siteID: site.id!).map {
            KioskView(id: $0.id!, site: site.code, name: $0.name, createdAt: $0.createdAt, revoked: $0.revokedAt != nil)
        }
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

    func revoke(_ request: Request, context: ManagerContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id", as: Int64.self)
        guard try database.revokeKiosk(id: id, at: sites.now()) else { throw APIError.notFound("kiosk \(id)", zh: "终端 \(id) ") }
        try database.unpairScreenB(kiosk: id)
        try await revocations.kioskRevoked(id)
        return .noContent
    }

    /// A kiosk reads its own site: name, hours, and whether the window is open now.
    func ownSite(_ request: Request, context: KioskContext) async throws -> SiteView {
        guard let site = try database.site(id: context.site) else { throw APIError.notFound("site", zh: "站点 ") }
        return sites.view(site)
    }
}
