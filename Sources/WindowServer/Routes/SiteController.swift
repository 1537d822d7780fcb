import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// Managers: sites (extension points) and their service hours.
struct SiteController {
    let database: AppDatabase
    let sites: SitePresenter

    func addRoutes(to router: Router<AppRequestContext>) {
        let managers = router.group("/api/v1/sites", context: ManagerContext.self)
        managers.get(use: list)
        managers.post(use: create)
        managers.put("/{code}/hours", use: setHours)
    }

    func list(_ request: Request, context: ManagerContext) async throws -> [SiteView] {
        try database.sites().map(sites.view)
    }

    func create(_ request: Request, context: ManagerContext) async throws -> EditedResponse<SiteView> {
        let body = try await request.decode(as: CreateSiteRequest.self, context: context)
        try TextRules.validate(body.name.zh, field: "name.zh")
        try TextRules.validate(body.name.en, field: "name.en")
        guard CatalogRules.isValidCategoryCode(body.code), body.code.count <= 32 else {
            throw APIError.badRequest(code: .invalidSite, "站点编码应为小写字母和连字符 / site code: lowercase letters and dashes")
        }
        guard !body.name.zh.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest(code: .invalidSite, "站点需要中文名称 / a site needs a Chinese name")
        }
        guard body.name.zh.count <= 64, body.name.en.count <= 128 else {
            throw APIError.badRequest(code: .invalidSite, "站点名称过长（中文最多64字，英文最多128字） / site name too long (Chinese 64, English 128 at most)")
        }
        let hours = try body.hours.map(Self.serviceHours) ?? .standard
        let site = try database.createSite(SiteRecord(code: body.code, nameZh: body.name.zh, nameEn: body.name.en, hours: hours, createdAt: sites.now()))
        return EditedResponse(status: .created, response: sites.view(site))
    }

    func setHours(_ request: Request, context: ManagerContext) async throws -> SiteView {
        var site = try Self.requireSite(database, context.parameters)
        site.hours = try Self.serviceHours(try await request.decode(as: HoursView.self, context: context))
        try database.updateSite(site)
        return sites.view(site)
    }

    static func serviceHours(_ hours: HoursView) throws -> ServiceHours {
        do {
            return try hours.serviceHours()
        } catch {
            throw APIError.badRequest(code: .invalidHours, error.message)
        }
    }

    static func requireSite(_ database: AppDatabase, _ parameters: Parameters) throws -> SiteRecord {
        let code = try parameters.require("code")
        guard let site = try database.site(code: code) else { throw APIError.notFound("site \(code)", zh: "站点 \(code) ") }
        return site
    }
}

/// How a site is shown: its hours, whether it is open now, and the queue settings a kiosk needs.
struct SitePresenter: Sendable {
    let policy: RoutingPolicy
    let now: @Sendable () -> Date

    func view(_ site: SiteRecord) -> SiteView {
        let now = now()
        return SiteView(
            id: site.id!, code: site.code, name: LocalizedText(zh: site.nameZh, en: site.nameEn), hours: HoursView(site.hours),
            openNow: site.hours.isOpen(at: now), nextOpening: site.hours.nextOpening(after: now),
            kioskGraceSeconds: Int(policy.kioskGrace), elderlyAge: policy.elderlyAge)
    }
}
