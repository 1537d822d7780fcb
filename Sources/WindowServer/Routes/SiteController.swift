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
        managers.put("/{code}", use: rename)
        managers.put("/{code}/suspension", use: setSuspension)
    }

    func list(_ request: Request, context: ManagerContext) async throws -> [SiteView] {
        try database.sites().map(sites.view)
    }

    func create(_ request: Request, context: ManagerContext) async throws -> EditedResponse<SiteView> {
        let body = try await request.decode(as: CreateSiteRequest.self, context: context)
        try Self.validateName(body.name)
        guard CatalogRules.isValidCategoryCode(body.code), body.code.count <= 32 else {
            throw APIError.badRequest(code: .invalidSite, "站点编码应为小写字母和连字符 / site code: lowercase letters and dashes")
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

    /// `PUT /api/v1/sites/{code}`: a new name, by the same rules as a new site's.
    func rename(_ request: Request, context: ManagerContext) async throws -> SiteView {
        let code = try context.parameters.require("code")
        let body = try await request.decode(as: RenameSiteRequest.self, context: context)
        try Self.validateName(body.name)
        guard let site = try database.renameSite(code: code, nameZh: body.name.zh, nameEn: body.name.en) else {
            throw APIError.notFound("site \(code)", zh: "站点 \(code) ")
        }
        context.logger.notice("site renamed", metadata: ["site.code": "\(code)"])
        return sites.view(site)
    }

    /// `PUT /api/v1/sites/{code}/suspension`: a suspended site's kiosks take no new tickets; the
    /// tickets already waiting are still served.
    func setSuspension(_ request: Request, context: ManagerContext) async throws -> SiteView {
        let code = try context.parameters.require("code")
        let body = try await request.decode(as: SiteSuspensionRequest.self, context: context)
        try TextRules.validate(body.reason, field: "reason")
        let reason = body.reason?.trimmingCharacters(in: .whitespaces)
        guard (reason ?? "").count <= 200 else {
            throw APIError.badRequest(code: .invalidSite, "暂停原因过长（最多200字） / suspension reason too long (200 at most)")
        }
        guard let site = try database.setSiteSuspension(
            code: code, suspended: body.suspended, reason: reason?.isEmpty == false ? reason : nil, at: sites.now())
        else { throw APIError.notFound("site \(code)", zh: "站点 \(code) ") }
        context.logger.notice("site \(body.suspended ? "suspended" : "resumed")", metadata: ["site.code": "\(code)", "by": "\(context.actor)"])
        return sites.view(site)
    }

    /// A site's name: no refused character, a Chinese name, not too long.
    static func validateName(_ name: LocalizedText) throws(APIError) {
        try TextRules.validate(name.zh, field: "name.zh")
        try TextRules.validate(name.en, field: "name.en")
        guard !name.zh.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest(code: .invalidSite, "站点需要中文名称 / a site needs a Chinese name")
        }
        guard name.zh.count <= 64, name.en.count <= 128 else {
            throw APIError.badRequest(code: .invalidSite, "站点名称过长（中文最多64字，英文最多128字） / site name too long (Chinese 64, English 128 at most)")
        }
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
            kioskGraceSeconds: Int(policy.kioskGrace), elderlyAge: policy.elderlyAge,
            suspended: site.suspendedAt != nil, suspendedAt: site.suspendedAt, suspendedReason: site.suspendedReason)
    }
}
