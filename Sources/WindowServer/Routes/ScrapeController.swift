import Foundation
import Hummingbird
import WindowAPITypes
import WindowStore

/// Admins issue and revoke the read-only credentials Prometheus scrapes `/metrics` with, so no
/// manager's sign-in has to sit in a scrape configuration.
struct ScrapeController {
    let database: AppDatabase
    let cache: CallerCache
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        let admins = router.group("/api/v1/scrape-credentials", context: AdminContext.self)
        admins.get(use: list)
        admins.post(use: issue)
        admins.delete("/{id}", use: revoke)
    }

    func list(_ request: Request, context: AdminContext) async throws -> [ScrapeCredentialView] {
        try await database.scrapeCredentials().map(Self.view)
    }

    /// The credential is in this answer once, and stored only as its hash.
    func issue(_ request: Request, context: AdminContext) async throws -> EditedResponse<ScrapeCredentialView> {
        let body = try await request.decode(as: CreateScrapeCredentialRequest.self, context: context)
        let name = try TextRules.name(body.name, code: .invalidBody, message: "名称必填（最多64字） / name required (max 64)")
        let credential = Tokens.make(prefix: Tokens.scrapePrefix)
        let record = try database.createScrapeCredential(
            ScrapeCredentialRecord(name: name, tokenHash: Tokens.hash(credential), createdAt: now(), createdBy: context.account))
        context.logger.notice("scrape credential issued", metadata: ["scrape.id": "\(record.id!)", "actor": "\(context.actor)"])
        var view = Self.view(record)
        view.credential = credential
        return EditedResponse(status: .created, response: view)
    }

    func revoke(_ request: Request, context: AdminContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let hash = try database.revokeScrapeCredential(id: id, at: now()) else {
            throw APIError.notFound("scrape credential \(id)", zh: "抓取凭证 \(id) ")
        }
        cache.forget(hash: hash)
        context.logger.notice("scrape credential revoked", metadata: ["scrape.id": "\(id)", "actor": "\(context.actor)"])
        return .noContent
    }

    static func view(_ record: ScrapeCredentialRecord) -> ScrapeCredentialView {
        ScrapeCredentialView(id: record.id!, name: record.name, createdAt: record.createdAt, revoked: record.revokedAt != nil)
    }
}
