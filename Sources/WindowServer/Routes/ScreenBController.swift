import Foundation
import Hummingbird
import HTTPTypes
import WindowAPITypes
import WindowCore
import WindowStore

/// Screen B, the kiosk's video page: pairing by a one-time code, what it knows of itself, the
/// worker's answer to the camera notice, and the document camera's stills.
struct ScreenBController {
    let database: AppDatabase
    let queue: QueueService
    let pairings: ScreenBPairings
    let revocations: Revocations
    let sites: SitePresenter
    let files: MaterialFiles

    static let cookieName = "rw_screen"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/v1/kiosk", context: KioskContext.self).post("/screen-b", use: issuePairing)
        router.post("/api/v1/screen-b/pair", use: pair)
        let screens = router.group("/api/v1/screen-b", context: ScreenBContext.self)
        screens.get("/me", use: me)
        screens.post("/sessions/{id}/consent", use: consent)
        screens.post("/sessions/{id}/materials", use: upload)
    }

    /// The kiosk asks for a pairing link; the code rides in the URL's fragment, which no server logs.
    func issuePairing(_ request: Request, context: KioskContext) async throws -> EditedResponse<ScreenBPairingView> {
        let (code, expiresAt) = pairings.issue(kiosk: context.kiosk, now: sites.now())
        let host = request.head.authority ?? "localhost"
        context.logger.notice("screen B pairing issued", metadata: ["kiosk.id": "\(context.kiosk)"])
        return EditedResponse(status: .created, response: ScreenBPairingView(code: code, url: "https://\(host)/screen-b/#pair=\(code)", expiresAt: expiresAt))
    }

    /// The page exchanges the code for an httpOnly cookie bound to the kiosk; the kiosk's previous screen B ends.
    func pair(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: PairScreenBRequest.self, context: context)
        let invalid = APIError(.notFound, code: .pairingInvalid, message: "配对链接无效、已用过或已过期，请在终端上重新获取 / the pairing link is invalid, used or expired: get a new one at the kiosk")
        guard body.code.count <= 64, let kiosk = pairings.redeem(body.code, now: sites.now()) else { throw invalid }
        let token = Tokens.make(prefix: Tokens.screenBPrefix)
        guard let (record, replaced) = try database.pairScreenB(kiosk: kiosk, tokenHash: Tokens.hash(token), at: sites.now()),
            let site = try database.site(id: record.siteID)
        else { throw invalid }
        if let replaced { try await revocations.credentialEnded(tokenHash: replaced) }
        context.logger.notice("screen B paired", metadata: ["kiosk.id": "\(kiosk)"])
        let view = ScreenBView(kiosk: .init(id: kiosk, name: record.name), site: sites.view(site), csrf: Tokens.csrf(for: token))
        var response = try context.responseEncoder.encode(view, from: request, context: context)
        // No Max-Age: the kiosk's browser keeps it while it runs; the server ends it by revocation.
        response.setCookie(Cookie(name: Self.cookieName, value: token, path: "/", secure: true, httpOnly: true, sameSite: .strict))
        return response
    }

    func me(_ request: Request, context: ScreenBContext) async throws -> ScreenBView {
        guard let record = try await database.kiosk(id: context.kiosk), let site = try database.site(id: record.siteID) else {
            throw APIError.unauthenticated
        }
        return ScreenBView(kiosk: .init(id: context.kiosk, name: record.name), site: sites.view(site), csrf: context.token.map(Tokens.csrf(for:)))
    }

    func consent(_ request: Request, context: ScreenBContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: ConsentRequest.self, context: context)
        try await queue.answerConsent(session: id, kiosk: context.kiosk, accepted: body.accepted, actor: context.actor)
        context.logger.info("camera notice answered", metadata: ["session.id": "\(id)", "consent.accepted": "\(body.accepted)"])
        return .noContent
    }

    /// A still from the document camera (高拍仪), as a material of the session: file first, then the event.
    func upload(_ request: Request, context: ScreenBContext) async throws -> EditedResponse<MaterialView> {
        let id = try context.parameters.require("id", as: Int64.self)
        let material = try await SessionController.receiveMaterial(
            request, session: id, kiosk: context.kiosk, actor: context.actor, queue: queue, files: files)
        return EditedResponse(status: .created, response: material)
    }
}
