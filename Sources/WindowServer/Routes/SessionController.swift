import Crypto
import Foundation
import WindowFiles
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// A video-linked session: its outcome, the materials the worker hands over, the rating.
/// Every change goes through the queue's owner and into its log.
struct SessionController {
    let database: AppDatabase
    let queue: QueueService
    let files: MaterialFiles
    let followUps: FollowUpService

    func addRoutes(to router: Router<AppRequestContext>) {
        let participants = router.group("/api/v1/sessions", context: CallerContext.self)
        participants.get("/{id}", use: show)
        participants.get("/{id}/materials/{material}", use: materialFile)
        let clerks = router.group("/api/v1/sessions", context: ClerkContext.self)
        clerks.post("/{id}/end", use: end)
        clerks.post("/{id}/transfer", use: transfer)
        clerks.post("/{id}/materials/{material}/review", use: review)
        let kiosks = router.group("/api/v1/sessions", context: KioskContext.self)
        kiosks.post("/{id}/materials", use: upload)
        kiosks.post("/{id}/rating", use: rate)
    }

    func show(_ request: Request, context: CallerContext) async throws -> SessionView {
        let session = try await participant(context)
        var view = try await queue.sessionView(session.id)
        if session.outcome == .needsMaterials, let correction = try await database.correction(session: session.id) {
            view.correction = CorrectionView(
                reference: correction.caseNumber, missing: correction.missing, note: correction.note, returnBy: correction.returnBy, state: correction.state)
        }
        view.returnOf = try await queue.ticketOf(session: session)?.returnOf
        // Ratings go to the managers' follow-up, never back to the clerk rated.
        if case .account(_, _, .clerk) = context.caller { view.rating = nil }
        return view
    }

    func end(_ request: Request, context: ClerkContext) async throws -> ClerkView {
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: EndSessionRequest.self, context: context)
        var missing: [String] = []
        var item: CatalogItem?
        if let names = body.missingMaterials, !names.isEmpty {
            guard body.outcome == .needsMaterials else {
                throw APIError.badRequest(code: .invalidMaterials, "缺少的材料只用于补正 / missing materials go with needs-materials only")
            }
            guard let session = try await queue.anySession(id), session.clerk == context.clerk, let ticket = try await queue.ticketOf(session: session) else {
                throw APIError.notFound("session \(id)", zh: "会话 \(id) ")
            }
            item = try await Self.item(of: ticket, database)
            let known = Set(item?.materials.map(\.name.zh) ?? [])
            for name in names {
                try TextRules.validate(name, field: "missingMaterials")
                guard known.contains(name) else {
                    throw APIError.badRequest(code: .invalidMaterials, "“\(name)”不在该事项的材料清单中 / \(name) is not among the item's materials")
                }
            }
            missing = Array(NSOrderedSet(array: names)) as? [String] ?? names
        }
        let view = try await queue.endSession(id, outcome: body.outcome, notes: try Self.notes(body.notes), clerk: context.clerk, actor: context.actor)
        if body.outcome == .needsMaterials, let session = try await queue.anySession(id), let ticket = try await queue.ticketOf(session: session) {
            if item == nil { item = try await Self.item(of: ticket, database) }
            try await followUps.correctionNeeded(session: session, ticket: ticket, missing: missing, item: item)
        }
        context.logger.info("session ended", metadata: ["session.id": "\(id)", "session.outcome": "\(body.outcome.rawValue)"])
        return view
    }

    func transfer(_ request: Request, context: ClerkContext) async throws -> ClerkView {
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: TransferRequest.self, context: context)
        if let category = body.category, try !database.categories().contains(where: { $0.code == category }) {
            throw APIError.badRequest(code: .unknownCategory, "未知技能类别 / unknown skill category: \(category)")
        }
        return try await queue.transfer(
            id, clerk: context.clerk, toCategory: body.category, toClerk: body.clerk, notes: try Self.notes(body.notes), actor: context.actor)
    }

    func upload(_ request: Request, context: KioskContext) async throws -> EditedResponse<MaterialView> {
        let id = try context.parameters.require("id", as: Int64.self)
        let material = try await Self.receiveMaterial(request, session: id, kiosk: context.kiosk, actor: context.actor, queue: queue, files: files)
        return EditedResponse(status: .created, response: material)
    }

    /// The file is written first, then the event: a crash in between leaves a file no row refers to, never a row without its file.
    static func receiveMaterial(
        _ request: Request, session id: SessionID, kiosk: KioskID, actor: String, queue: QueueService, files: MaterialFiles
    ) async throws -> MaterialView {
        // The name is free text: checked before any bytes are read.
        let name = try TextRules.name(
            request.uri.queryParameters["name"].map(String.init), code: .invalidMaterial,
            message: "请填写材料名称（最多64字） / material name required (max 64): ?name=…")
        // Refuse early what the queue would refuse anyway, before reading megabytes.
        try await queue.checkUpload(session: id, kiosk: kiosk)
        let upload = try await files.receive(request.body, session: id, name: name)
        let path = upload.path
        do {
            let material = try await queue.uploadMaterial(upload, session: id, kiosk: kiosk, actor: actor)
            return MaterialView(material)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    func materialFile(_ request: Request, context: CallerContext) async throws -> Response {
        let session = try await participant(context)
        let id = try context.parameters.require("material", as: Int64.self)
        guard let material = try await database.material(id: id), material.session == session.id else {
            throw APIError.notFound("material \(id)", zh: "材料 \(id) ")
        }
        guard let data = FileManager.default.contents(atPath: material.path) else {
            throw APIError(.gone, code: .materialGone, message: "材料文件已不存在 / the file is no longer stored")
        }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        response.headers[.contentType] = material.contentType
        response.headers[.contentDisposition] = "inline"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func review(_ request: Request, context: ClerkContext) async throws -> MaterialView {
        let id = try context.parameters.require("id", as: Int64.self)
        let material = try context.parameters.require("material", as: Int64.self)
        let body = try await request.decode(as: ReviewMaterialRequest.self, context: context)
        try TextRules.validate(body.reason, field: "reason", multiline: true)
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        switch body.status {
        case .pending:
            throw APIError.badRequest(code: .invalidReview, "审核结果应为 accepted 或 rejected / review must be accepted or rejected")
        case .rejected where reason == nil:
            throw APIError.badRequest(code: .reasonRequired, "退回材料须说明原因 / a rejected material needs a reason")
        default:
            break
        }
        guard (reason?.count ?? 0) <= 500 else { throw APIError.badRequest(code: .invalidReview, "原因过长（最多500字） / reason too long (max 500)") }
        let reviewed = try await queue.reviewMaterial(
            material, session: id, status: body.status, reason: reason, clerk: context.clerk, actor: context.actor)
        return MaterialView(reviewed)
    }

    func rate(_ request: Request, context: KioskContext) async throws -> EditedResponse<RatingView> {
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: RateSessionRequest.self, context: context)
        try TextRules.validate(body.comment, field: "comment", multiline: true)
        guard RatingLevel.label(body.level) != nil else {
            throw APIError.badRequest(code: .invalidRating, "评价等级为1–5 / rating level is 1 (very dissatisfied) to 5 (very satisfied)")
        }
        let comment = body.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard (comment?.count ?? 0) <= 500 else { throw APIError.badRequest(code: .invalidRating, "评语过长（最多500字） / comment too long (max 500)") }
        var phone: String?
        if let text = body.callbackPhone?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            guard body.level <= 2 else {
                throw APIError.badRequest(code: .invalidPhone, "回访电话只用于不满意的评价 / a call-back number goes with a rating of 1 or 2 only")
            }
            guard body.phoneConsent == true else {
                throw APIError.badRequest(code: .consentRequired, "留下电话须同意仅用于本次回访 / leaving a number needs consent that it is used for this call-back only")
            }
            guard let normalized = PhoneRules.normalized(text) else {
                throw APIError.badRequest(code: .invalidPhone, "电话号码格式不正确（手机11位或带区号的固定电话） / not a phone number (11-digit mobile or landline with area code)")
            }
            phone = normalized
        }
        let rating = try await queue.rate(session: id, kiosk: context.kiosk, level: body.level, comment: comment, actor: context.actor)
        if rating.level <= 2, let session = try await queue.anySession(id), let ticket = try await queue.ticketOf(session: session) {
            try await followUps.ratingGiven(rating, session: session, ticket: ticket, phone: phone)
        }
        return EditedResponse(status: .created, response: RatingView(rating))
    }

    /// The session, if the caller takes part in it (its kiosk or clerk) or manages. Anyone else's
    /// session is answered exactly as a missing one, so no caller can tell which sessions exist.
    func participant(_ context: CallerContext) async throws -> Session {
        let id = try context.parameters.require("id", as: Int64.self)
        let missing = APIError.notFound("session \(id)", zh: "会话 \(id) ")
        guard let session = try await queue.anySession(id) else { throw missing }
        switch context.caller {
        case .kiosk(let kiosk, _), .screenB(let kiosk, _):
            guard session.kiosk == kiosk else { throw missing }
        case .account(let account, _, let role):
            // A clerk reads their own sessions, and the earlier session of a worker back for a 补正 they
            // serve (its notes and materials; this is used by reads only).
            if role == .clerk, session.clerk != account {
                guard await queue.servesReturn(of: session.id, clerk: account) else { throw missing }
            }
        case .scraper:
            throw missing
        }
        return session
    }

    /// The item as the ticket was issued under it.
    static func item(of ticket: Ticket, _ database: AppDatabase) async throws -> CatalogItem? {
        if let version = ticket.itemVersion { return try await database.catalogItem(code: ticket.itemCode, version: version)?.item }
        return try database.catalogItem(code: ticket.itemCode)?.item
    }

    static func notes(_ text: String?) throws(APIError) -> String? {
        try TextRules.validate(text, field: "notes", multiline: true)
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= 2000 else { throw APIError.badRequest(code: .invalidNotes, "备注过长（最多2000字） / notes too long (max 2000)") }
        return text
    }
}

extension MaterialView {
    init(_ material: Material) {
        self.init(
            id: material.id, name: material.name, contentType: material.contentType, size: material.size, status: material.status,
            reason: material.reason, uploadedAt: material.uploadedAt, reviewedAt: material.reviewedAt)
    }
}

extension RatingView {
    init(_ rating: Rating) {
        self.init(
            level: rating.level, label: RatingLevel.label(rating.level) ?? LocalizedText(zh: "\(rating.level)", en: "\(rating.level)"),
            comment: rating.comment)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
