import Crypto
import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// A video-linked session: its outcome, the materials the worker hands over, the rating.
struct SessionController {
    let database: AppDatabase
    let queue: QueueService
    let hub: LiveHub
    let materialsDirectory: URL
    let now: @Sendable () -> Date

    static let maxMaterialBytes = 5 * 1024 * 1024
    static let maxMaterialsPerSession = 20

    struct EndBody: Decodable {
        var outcome: SessionOutcome
        var notes: String?
    }

    struct TransferBody: Decodable {
        var category: String?
        var clerk: Int64?
        var notes: String?
    }

    struct ReviewBody: Decodable {
        var status: WindowStore.MaterialStatus
        var reason: String?
    }

    struct RatingBody: Decodable {
        var level: Int
        var comment: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/sessions")
        group.get("/{id}") { _, context -> SessionView in
            let (session, _) = try await participant(context)
            return try view(session)
        }
        group.post("/{id}/end") { request, context -> ClerkView in
            let clerk = try context.requireClerk()
            let id = try context.parameters.require("id", as: Int64.self)
            let body = try await request.decode(as: EndBody.self, context: context)
            let view = try await queue.endSession(id, outcome: body.outcome, notes: try notes(body.notes), clerk: clerk, actor: "clerk:\(clerk)")
            context.logger.info("session ended", metadata: ["session.id": "\(id)", "session.outcome": "\(body.outcome.rawValue)"])
            return view
        }
        group.post("/{id}/transfer") { request, context -> ClerkView in
            let clerk = try context.requireClerk()
            let id = try context.parameters.require("id", as: Int64.self)
            let body = try await request.decode(as: TransferBody.self, context: context)
            if let category = body.category, try !database.categories().contains(where: { $0.code == category }) {
                throw APIError.badRequest(code: "unknown_category", "未知技能类别 / unknown skill category: \(category)")
            }
            return try await queue.transfer(id, clerk: clerk, toCategory: body.category, toClerk: body.clerk, notes: try notes(body.notes), actor: "clerk:\(clerk)")
        }
        group.post("/{id}/materials") { request, context -> EditedResponse<MaterialView> in
            let kiosk = try context.requireKiosk()
            let (session, live) = try await participant(context)
            guard session.kiosk == kiosk.id, live else {
                throw APIError.conflict(code: "session_ended", "会话已结束，不能再提交材料 / the session has ended")
            }
            let name = (request.uri.queryParameters["name"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 64 else {
                throw APIError.badRequest(code: "invalid_material", "请填写材料名称（最多64字） / material name required (max 64): ?name=…")
            }
            guard try database.materials(sessionID: session.id).count < Self.maxMaterialsPerSession else {
                throw APIError.conflict(code: "too_many_materials", "本次会话材料已达上限 / this session has the most materials allowed")
            }
            let body = try await request.body.collect(upTo: Self.maxMaterialBytes)
            let bytes = Data(buffer: body)
            guard let type = Self.sniff(bytes) else {
                throw APIError(.unsupportedMediaType, code: "unsupported_material", message: "仅支持 JPEG、PNG 或 PDF 文件 / only JPEG, PNG or PDF scans are accepted")
            }
            let folder = materialsDirectory.appendingPathComponent(String(session.id))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let path = folder.appendingPathComponent(UUID().uuidString + "." + type.ext).path
            try PrivateFile.write(bytes, to: path, mode: 0o600)
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let material = try database.insertMaterial(MaterialRecord(
                sessionID: session.id, name: name, contentType: type.mime, size: bytes.count, sha256: digest, path: path, uploadedAt: now()))
            push(session)
            return EditedResponse(status: .created, response: Self.view(material))
        }
        group.get("/{id}/materials/{material}") { _, context -> Response in
            let (session, _) = try await participant(context)
            let material = try requireMaterial(context, session: session)
            guard let data = FileManager.default.contents(atPath: material.path) else {
                throw APIError(.gone, code: "material_gone", message: "材料文件已不存在 / the file is no longer stored")
            }
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: data)))
            response.headers[.contentType] = material.contentType
            response.headers[.contentDisposition] = "inline"
            response.headers[.cacheControl] = "no-store"
            return response
        }
        group.post("/{id}/materials/{material}/review") { request, context -> MaterialView in
            let clerk = try context.requireClerk()
            let (session, live) = try await participant(context)
            guard session.clerk == clerk else { throw APIError.forbidden("不是您的会话 / not your session") }
            guard live else { throw APIError.conflict(code: "session_ended", "会话已结束 / the session has ended") }
            let material = try requireMaterial(context, session: session)
            let body = try await request.decode(as: ReviewBody.self, context: context)
            let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            switch body.status {
            case .pending:
                throw APIError.badRequest(code: "invalid_review", "审核结果应为 accepted 或 rejected / review must be accepted or rejected")
            case .rejected where reason?.isEmpty ?? true:
                throw APIError.badRequest(code: "reason_required", "退回材料须说明原因 / a rejected material needs a reason")
            default:
                break
            }
            guard (reason?.count ?? 0) <= 500 else { throw APIError.badRequest(code: "invalid_review", "原因过长（最多500字） / reason too long (max 500)") }
            try database.reviewMaterial(id: material.id!, status: body.status, reason: reason, by: clerk, at: now())
            push(session)
            return Self.view(try database.material(id: material.id!)!)
        }
        group.post("/{id}/rating") { request, context -> EditedResponse<RatingView> in
            let kiosk = try context.requireKiosk()
            let (session, live) = try await participant(context)
            guard session.kiosk == kiosk.id else { throw APIError.notFound("session", zh: "会话 ") }
            guard !live else { throw APIError.conflict(code: "session_not_ended", "请在办理结束后评价 / rate after the session has ended") }
            let body = try await request.decode(as: RatingBody.self, context: context)
            guard let label = RatingLevel.label(body.level) else {
                throw APIError.badRequest(code: "invalid_rating", "评价等级为1–5 / rating level is 1 (very dissatisfied) to 5 (very satisfied)")
            }
            let comment = body.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            guard (comment?.count ?? 0) <= 500 else { throw APIError.badRequest(code: "invalid_rating", "评语过长（最多500字） / comment too long (max 500)") }
            guard try database.insertRating(RatingRecord(sessionID: session.id, level: body.level, comment: comment, ratedAt: now())) else {
                throw APIError.conflict(code: "already_rated", "本次服务已评价 / this session has already been rated")
            }
            return EditedResponse(status: .created, response: RatingView(level: body.level, label: label, comment: comment))
        }
    }

    /// The session, if the caller takes part in it (its kiosk or clerk) or manages; and whether it is live.
    func participant(_ context: AppRequestContext) async throws -> (Session, Bool) {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id", as: Int64.self)
        let live = await queue.session(id)
        guard let session = try live ?? database.storedSession(id: id)?.session else {
            throw APIError.notFound("session \(id)", zh: "会话 \(id) ")
        }
        switch identity {
        case .kiosk(let kiosk, _):
            guard session.kiosk == kiosk else { throw APIError.notFound("session \(id)", zh: "会话 \(id) ") }
        case .account(let account, _, let role):
            guard role != .clerk || session.clerk == account else { throw APIError.forbidden("不是您的会话 / not your session") }
        }
        return (session, live != nil)
    }

    func requireMaterial(_ context: AppRequestContext, session: Session) throws -> MaterialRecord {
        let id = try context.parameters.require("material", as: Int64.self)
        guard let material = try database.material(id: id), material.sessionID == session.id else {
            throw APIError.notFound("material \(id)", zh: "材料 \(id) ")
        }
        return material
    }

    func view(_ session: Session) throws -> SessionView {
        let stored = try database.storedSession(id: session.id)
        let rating = try database.rating(sessionID: session.id).map { RatingView(level: $0.level, label: RatingLevel.label($0.level) ?? LocalizedText(zh: "\($0.level)", en: "\($0.level)"), comment: $0.comment) }
        var view = SessionView(
            id: session.id, ticket: session.ticket, itemCode: session.itemCode, state: stored?.endedAt != nil ? .ended : session.state,
            outcome: stored?.outcome, caseNumber: stored?.caseNumber, notes: stored?.notes,
            materials: try database.materials(sessionID: session.id).map(Self.view), rating: rating)
        view.clerk = session.clerk
        view.kiosk = session.kiosk
        view.room = session.room
        view.startedAt = session.startedAt
        view.endedAt = stored?.endedAt
        return view
    }

    func notes(_ text: String?) throws(APIError) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= 2000 else { throw APIError.badRequest(code: "invalid_notes", "备注过长（最多2000字） / notes too long (max 2000)") }
        return text
    }

    /// Both sides see the materials list change at once.
    func push(_ session: Session) {
        guard let materials = try? database.materials(sessionID: session.id).map(Self.view) else { return }
        struct Payload: Encodable, Sendable {
            var session: Int64
            var materials: [MaterialView]
        }
        let message = LiveMessage(type: "materials", data: Payload(session: session.id, materials: materials)).json()
        hub.send(message, to: .clerk(session.clerk))
        hub.send(message, to: .kiosk(session.kiosk))
    }

    static func view(_ material: MaterialRecord) -> MaterialView {
        MaterialView(
            id: material.id!, name: material.name, contentType: material.contentType, size: material.size,
            status: WindowAPITypes.MaterialStatus(rawValue: material.status.rawValue) ?? .pending,
            reason: material.reason, uploadedAt: material.uploadedAt, reviewedAt: material.reviewedAt)
    }

    /// The type by the file's first bytes, not by what the sender claims.
    static func sniff(_ data: Data) -> (mime: String, ext: String)? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return ("image/jpeg", "jpg") }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return ("image/png", "png") }
        if head.starts(with: Array("%PDF-".utf8)) { return ("application/pdf", "pdf") }
        return nil
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
