import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WindowAPITypes
import WindowCore
import WindowStore

/// Managing the catalog: drafts, four-eyes review, publishing, history, diff, rollback, import
/// and export. Managers and admins edit; any signed-in account reads the history.
struct CatalogEditController {
    let database: AppDatabase
    let catalog: CatalogService

    /// A catalog file is about 300 KB for 70 items; a city's thousand would stay well under this.
    static let maxImportBytes = 8 << 20

    func addRoutes(to router: Router<AppRequestContext>) {
        let readers = router.group("/api/v1/catalog", context: AccountContext.self)
        readers.get("/versions", use: versions)
        readers.get("/versions/{number}", use: version)
        readers.get("/diff", use: diff)
        readers.get("/export", use: export)

        let managers = router.group("/api/v1/catalog", context: ManagerContext.self)
        managers.post("/versions/{number}/rollback", use: rollback)
        managers.post("/import", use: importFile)
        managers.get("/events", use: events)
        managers.get("/policy", use: policy)
        managers.get("/drafts", use: drafts)
        managers.post("/drafts", use: create)
        managers.get("/drafts/{id}", use: show)
        managers.put("/drafts/{id}/items/{code}", use: saveItem)
        managers.post("/drafts/{id}/check", use: check)
        managers.post("/drafts/{id}/submit", use: submit)
        managers.post("/drafts/{id}/approve", use: approve)
        managers.post("/drafts/{id}/send-back", use: sendBack)
        managers.post("/drafts/{id}/discard", use: discard)
        managers.post("/drafts/{id}/rebase", use: rebase)
        managers.get("/drafts/{id}/impact", use: impact)
        managers.post("/drafts/{id}/publish", use: publish)
        managers.get("/drafts/{id}/events", use: draftEvents)

        router.group("/api/v1/catalog", context: AdminContext.self).put("/policy", use: setPolicy)
    }

    // MARK: History

    func versions(_ request: Request, context: AccountContext) async throws -> VersionList {
        VersionList(current: try database.publishedCatalog().version, versions: try await database.catalogVersions())
    }

    func version(_ request: Request, context: AccountContext) async throws -> CatalogDocument {
        let number = try Self.int(context.parameters, "number")
        guard let document = try await database.catalogDocument(version: number) else { throw APIError.notFound("version \(number)", zh: "第 \(number) 版") }
        return document
    }

    func diff(_ request: Request, context: AccountContext) async throws -> CatalogDiffView {
        let current = try database.publishedCatalog().version
        let query = request.uri.queryParameters
        let to = try query["to"].map { try Self.int(String($0), "to") } ?? current
        let from = try query["from"].map { try Self.int(String($0), "from") } ?? max(1, to - 1)
        guard let old = try await database.catalogDocument(version: from) else { throw APIError.notFound("version \(from)", zh: "第 \(from) 版") }
        guard let new = try await database.catalogDocument(version: to) else { throw APIError.notFound("version \(to)", zh: "第 \(to) 版") }
        return CatalogDiffView(from: from, to: to, changes: CatalogDiff.changes(from: old, to: new))
    }

    /// The catalog in the `catalog/` file format; byte for byte what an import of it would read.
    func export(_ request: Request, context: AccountContext) async throws -> Response {
        let published = try database.publishedCatalog()
        let number = try request.uri.queryParameters["version"].map { try Self.int(String($0), "version") } ?? published.version
        guard let document = number == published.version ? published.document : try await database.catalogDocument(version: number) else {
            throw APIError.notFound("version \(number)", zh: "第 \(number) 版")
        }
        let data = try document.canonicalJSON()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentDisposition: "attachment; filename=\"catalog-v\(number).json\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    func rollback(_ request: Request, context: ManagerContext) async throws -> EditedResponse<DraftView> {
        let body = try await request.decode(as: RollbackRequest.self, context: context)
        try TextRules.validate(body.note, field: "note")
        let view = try await catalog.rollback(to: try Self.int(context.parameters, "number"), note: body.note, by: context.account)
        return EditedResponse(status: .created, response: view)
    }

    func importFile(_ request: Request, context: ManagerContext) async throws -> ImportResult {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maxImportBytes)
        } catch {
            throw APIError(.contentTooLarge, code: .payloadTooLarge, message: "目录文件过大 / catalog file too large")
        }
        let note = request.uri.queryParameters["note"].map(String.init)
        if let note { try TextRules.validate(note, field: "note") }
        return try await catalog.importCatalog(Data(buffer: buffer), note: note, by: context.account)
    }

    func events(_ request: Request, context: ManagerContext) async throws -> CatalogEventList {
        CatalogEventList(events: try await database.catalogEvents())
    }

    func policy(_ request: Request, context: ManagerContext) async throws -> CatalogPolicy {
        CatalogPolicy(onePersonPublish: try await database.onePersonPublishAllowed())
    }

    func setPolicy(_ request: Request, context: AdminContext) async throws -> CatalogPolicy {
        let body = try await request.decode(as: CatalogPolicy.self, context: context)
        return try await catalog.setPolicy(body, by: context.account)
    }

    // MARK: Drafts

    func drafts(_ request: Request, context: ManagerContext) async throws -> DraftList {
        let all = request.uri.queryParameters["state"] == "all"
        return DraftList(drafts: try await catalog.summaries(states: all ? CatalogDraft.State.allCases : nil))
    }

    func create(_ request: Request, context: ManagerContext) async throws -> EditedResponse<DraftView> {
        let body = try await request.decode(as: CreateDraftRequest.self, context: context)
        if let note = body.note { try TextRules.validate(note, field: "note") }
        return EditedResponse(status: .created, response: try await catalog.createDraft(note: body.note, by: context.account))
    }

    func show(_ request: Request, context: ManagerContext) async throws -> DraftView {
        try await catalog.view(try await catalog.draft(try Self.id(context.parameters)))
    }

    func saveItem(_ request: Request, context: ManagerContext) async throws -> DraftView {
        let body = try await request.decode(as: SaveDraftItemRequest.self, context: context)
        try Self.validateText(of: body.item)
        return try await catalog.saveItem(
            body.item, code: try context.parameters.require("code"), revision: body.revision, draft: try Self.id(context.parameters), by: context.account)
    }

    func check(_ request: Request, context: ManagerContext) async throws -> ProblemList {
        let body = try await request.decode(as: CheckItemRequest.self, context: context)
        let draft = try await catalog.draft(try Self.id(context.parameters))
        return ProblemList(problems: catalog.problems(of: body.item, in: draft))
    }

    func submit(_ request: Request, context: ManagerContext) async throws -> DraftView {
        let body = try await request.decode(as: SubmitDraftRequest.self, context: context)
        if let note = body.note { try TextRules.validate(note, field: "note") }
        return try await catalog.submit(try Self.id(context.parameters), note: body.note, by: context.account)
    }

    func approve(_ request: Request, context: ManagerContext) async throws -> DraftView {
        try await catalog.approve(try Self.id(context.parameters), by: context.account)
    }

    func sendBack(_ request: Request, context: ManagerContext) async throws -> DraftView {
        let body = try await request.decode(as: SendBackRequest.self, context: context)
        try TextRules.validate(body.comment, field: "comment")
        return try await catalog.sendBack(try Self.id(context.parameters), comment: body.comment, by: context.account)
    }

    func discard(_ request: Request, context: ManagerContext) async throws -> DraftView {
        try await catalog.discard(try Self.id(context.parameters), by: context.account)
    }

    func rebase(_ request: Request, context: ManagerContext) async throws -> DraftView {
        let body = try await request.decode(as: RebaseRequest.self, context: context)
        return try await catalog.rebase(try Self.id(context.parameters), resolution: body.resolution, by: context.account)
    }

    func impact(_ request: Request, context: ManagerContext) async throws -> PublishImpact {
        try await catalog.impact(try Self.id(context.parameters))
    }

    func publish(_ request: Request, context: ManagerContext) async throws -> DraftView {
        let body = try await request.decode(as: PublishRequest.self, context: context)
        return try await catalog.publish(
            try Self.id(context.parameters), at: body.at, confirmStranding: body.confirmStranding ?? false, by: context.account)
    }

    func draftEvents(_ request: Request, context: ManagerContext) async throws -> CatalogEventList {
        CatalogEventList(events: try await database.catalogEvents(draft: try Self.id(context.parameters)))
    }

    // MARK: Helpers

    static func id(_ parameters: Parameters) throws -> Int64 {
        let text = try parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("draft \(text)", zh: "草稿 \(text) ") }
        return id
    }

    static func int(_ parameters: Parameters, _ name: String) throws -> Int {
        try int(try parameters.require(name), name)
    }

    static func int(_ text: String, _ name: String) throws -> Int {
        guard let value = Int(text), value > 0 else {
            throw APIError.badRequest(code: .invalidQuery, "\(name) 应为正整数 / \(name) must be a positive whole number")
        }
        return value
    }

    /// Free text in an item follows the same rules as all free text (no control or bidi characters).
    static func validateText(of item: CatalogItem) throws {
        var texts: [(String, LocalizedText)] = [
            ("name", item.name), ("conditions", item.conditions), ("legalBasis", item.legalBasis), ("guide", item.guide),
            ("fee.note", item.fee.note), ("result.name", item.result.name),
        ]
        if let basis = item.fee.basis { texts.append(("fee.basis", basis)) }
        for (index, material) in item.materials.enumerated() { texts.append(("materials[\(index)].name", material.name)) }
        for (index, entry) in item.faq.enumerated() {
            texts.append(("faq[\(index)].question", entry.question))
            texts.append(("faq[\(index)].answer", entry.answer))
        }
        for (field, text) in texts {
            try TextRules.validate(text.zh, field: "\(field).zh", multiline: true)
            try TextRules.validate(text.en, field: "\(field).en", multiline: true)
        }
    }
}

extension DraftView: ResponseEncodable {}
extension DraftList: ResponseEncodable {}
extension ProblemList: ResponseEncodable {}
extension PublishImpact: ResponseEncodable {}
extension VersionList: ResponseEncodable {}
extension CatalogDiffView: ResponseEncodable {}
extension CatalogPolicy: ResponseEncodable {}
extension CatalogEventList: ResponseEncodable {}
extension ImportResult: ResponseEncodable {}
extension CatalogDocument: ResponseEncodable {}
