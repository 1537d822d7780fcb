import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import WindowCore

/// A typed client of the RemoteWindow API over HTTPS. Every method throws only
/// ``WindowClientError``. Call ``shutdown()`` when done (the HTTP client holds connections).
public final class WindowAPI: Sendable {
    public let endpoint: ServerEndpoint
    /// `rwk_…` (kiosk) or `rwa_…` (account) credential sent as a bearer token; nil for public routes.
    public let credential: String?
    private let http: HTTPClient
    private let requestTimeout: TimeAmount

    public init(endpoint: ServerEndpoint, credential: String?, connectTimeout: TimeAmount = .seconds(5), requestTimeout: TimeAmount = .seconds(20)) {
        self.endpoint = endpoint
        self.credential = credential
        self.requestTimeout = requestTimeout
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: endpoint.tlsConfiguration(),
            redirectConfiguration: .disallow,
            timeout: .init(connect: connectTimeout, read: requestTimeout),
            decompression: .disabled
        )
        configuration.httpVersion = .http1Only
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a client for `endpoint`, and shuts the client down afterwards whatever
    /// happens. Callers print their own errors.
    public static func using<T, E: Error>(
        endpoint: ServerEndpoint, credential: String?, _ body: (WindowAPI) async throws(E) -> T
    ) async throws(E) -> T {
        let api = WindowAPI(endpoint: endpoint, credential: credential)
        do {
            let result = try await body(api)
            await api.shutdown()
            return result
        } catch {
            await api.shutdown()
            throw error
        }
    }

    // MARK: Catalog (public)

    public func categories() async throws(WindowClientError) -> [WindowCore.Category] {
        struct List: Decodable { var categories: [WindowCore.Category] }
        return try await get(List.self, "/api/v1/catalog/categories").categories
    }

    public func items(category: String? = nil, query: String? = nil) async throws(WindowClientError) -> [CatalogItemView] {
        struct List: Decodable { var items: [CatalogItemView] }
        var parameters: [(String, String)] = []
        if let category { parameters.append(("category", category)) }
        if let query { parameters.append(("q", query)) }
        return try await get(List.self, "/api/v1/catalog/items", query: parameters).items
    }

    /// An item as published now, or at one of its versions (a ticket's).
    public func item(code: String, version: Int? = nil) async throws(WindowClientError) -> CatalogItemView {
        try await get(CatalogItemView.self, "/api/v1/catalog/items/" + Self.pathSegment(code), query: version.map { [("version", "\($0)")] } ?? [])
    }

    // MARK: Kiosk

    public func kioskSite() async throws(WindowClientError) -> SiteView {
        try await get(SiteView.self, "/api/v1/kiosk/site")
    }

    /// A one-time link that pairs this kiosk's screen B (its video page), valid a few minutes and once.
    public func screenBPairing() async throws(WindowClientError) -> ScreenBPairingView {
        try await send(ScreenBPairingView.self, .POST, "/api/v1/kiosk/screen-b", body: nil, contentType: nil)
    }

    /// Takes a ticket. The ID number goes to the server once, in the body, and nowhere else.
    public func takeTicket(_ request: TakeTicketRequest) async throws(WindowClientError) -> TicketView {
        try await send(TicketView.self, .POST, "/api/v1/tickets", json: request)
    }

    /// The kiosk's live ticket, or nil when it holds none.
    public func currentTicket() async throws(WindowClientError) -> TicketView? {
        do {
            return try await get(TicketView.self, "/api/v1/tickets/current")
        } catch where error.isNotFound {
            return nil
        }
    }

    public func ticket(id: Int64) async throws(WindowClientError) -> TicketView {
        try await get(TicketView.self, "/api/v1/tickets/\(id)")
    }

    /// Leaves the queue: the ticket is cancelled.
    public func leaveTicket(id: Int64) async throws(WindowClientError) -> TicketView {
        try await send(TicketView.self, .DELETE, "/api/v1/tickets/\(id)")
    }

    // MARK: Sessions

    public func session(id: Int64) async throws(WindowClientError) -> SessionView {
        try await get(SessionView.self, "/api/v1/sessions/\(id)")
    }

    /// Uploads a material checked with ``MaterialFile`` (JPEG, PNG or PDF, at most 5 MiB).
    public func uploadMaterial(session: Int64, name: String, file: MaterialFile) async throws(WindowClientError) -> MaterialView {
        try await send(
            MaterialView.self, .POST, "/api/v1/sessions/\(session)/materials", query: [("name", name)],
            body: file.data, contentType: file.kind.mime)
    }

    public func rate(session: Int64, level: Int, comment: String?) async throws(WindowClientError) -> RatingView {
        try await send(RatingView.self, .POST, "/api/v1/sessions/\(session)/rating", json: RateSessionRequest(level: level, comment: comment))
    }

    /// A rating as a whole request: with a level of 1–2 it may carry the call-back number and the
    /// worker's consent (400 `invalid_phone`, `consent_required`).
    public func rate(session: Int64, _ request: RateSessionRequest) async throws(WindowClientError) -> RatingView {
        try await send(RatingView.self, .POST, "/api/v1/sessions/\(session)/rating", json: request)
    }

    // MARK: 补正 (kiosk)

    /// The 补正 a worker brings back, by its reference (the earlier session's case number): its
    /// item and version, what was missing, until when. 404 `correction_not_found`, 409 `correction_closed`.
    public func correction(reference: String) async throws(WindowClientError) -> KioskCorrectionView {
        try await get(KioskCorrectionView.self, "/api/v1/kiosk/corrections/" + Self.pathSegment(reference))
    }

    // MARK: Accounts (for staff tools)

    public func login(username: String, password: String, totp: String? = nil) async throws(WindowClientError) -> LoginResponse {
        try await send(LoginResponse.self, .POST, "/api/v1/auth/login", json: LoginRequest(username: username, password: password, totp: totp))
    }

    public func logout() async throws(WindowClientError) {
        _ = try await send(Empty.self, .POST, "/api/v1/auth/logout")
    }

    public func setUpTOTP() async throws(WindowClientError) -> TOTPSetupView {
        try await send(TOTPSetupView.self, .POST, "/api/v1/auth/totp/setup")
    }

    public func enableTOTP(code: String) async throws(WindowClientError) -> AccountView {
        try await send(AccountView.self, .POST, "/api/v1/auth/totp/enable", json: TOTPCodeRequest(code: code))
    }

    // MARK: Managers and admins

    public func clerks() async throws(WindowClientError) -> [ClerkView] {
        try await get(ClerkList.self, "/api/v1/clerks").clerks
    }

    public func createClerk(_ request: CreateClerkRequest) async throws(WindowClientError) -> ClerkView {
        try await send(ClerkView.self, .POST, "/api/v1/clerks", json: request)
    }

    public func updateClerk(id: Int64, _ request: UpdateClerkRequest) async throws(WindowClientError) -> ClerkView {
        try await send(ClerkView.self, .PATCH, "/api/v1/clerks/\(id)", json: request)
    }

    /// Sets a clerk's new password: lifts a lock and signs the clerk out everywhere.
    public func resetPassword(clerk id: Int64, password: String) async throws(WindowClientError) {
        _ = try await send(Empty.self, .POST, "/api/v1/clerks/\(id)/password", json: PasswordResetRequest(password: password))
    }

    public func createAccount(_ request: CreateAccountRequest) async throws(WindowClientError) -> AccountView {
        try await send(AccountView.self, .POST, "/api/v1/accounts", json: request)
    }

    public func sites() async throws(WindowClientError) -> [SiteView] {
        try await get([SiteView].self, "/api/v1/sites")
    }

    public func createSite(_ request: CreateSiteRequest) async throws(WindowClientError) -> SiteView {
        try await send(SiteView.self, .POST, "/api/v1/sites", json: request)
    }

    /// Issues a kiosk credential; the answer carries it once.
    public func issueKiosk(site: String, name: String) async throws(WindowClientError) -> KioskView {
        try await send(KioskView.self, .POST, "/api/v1/sites/\(Self.pathSegment(site))/kiosks", json: CreateKioskRequest(name: name))
    }

    public func revokeKiosk(id: Int64) async throws(WindowClientError) {
        _ = try await send(Empty.self, .DELETE, "/api/v1/kiosks/\(id)")
    }

    public func board() async throws(WindowClientError) -> QueueBoard {
        try await get(QueueBoard.self, "/api/v1/queue")
    }

    // MARK: Managing the catalog (managers and admins; reading the history: any account)

    /// The published items with the catalog version they belong to; `status` is active, suspended or retired.
    public func catalogItems(category: String? = nil, status: CatalogItem.Status? = nil, query: String? = nil) async throws(WindowClientError) -> CatalogItemList {
        var parameters: [(String, String)] = []
        if let category { parameters.append(("category", category)) }
        if let status { parameters.append(("status", status.rawValue)) }
        if let query { parameters.append(("q", query)) }
        return try await get(CatalogItemList.self, "/api/v1/catalog/items", query: parameters)
    }

    /// Every published catalog version, newest first, and the current one.
    public func catalogVersions() async throws(WindowClientError) -> VersionList {
        try await get(VersionList.self, "/api/v1/catalog/versions")
    }

    /// The whole catalog as version `version` published it.
    public func catalogDocument(version: Int) async throws(WindowClientError) -> CatalogDocument {
        try await get(CatalogDocument.self, "/api/v1/catalog/versions/\(version)")
    }

    /// Field by field from one version to another (the server's defaults: the current version and the one before).
    public func catalogDiff(from: Int? = nil, to: Int? = nil) async throws(WindowClientError) -> CatalogDiffView {
        var parameters: [(String, String)] = []
        if let from { parameters.append(("from", "\(from)")) }
        if let to { parameters.append(("to", "\(to)")) }
        return try await get(CatalogDiffView.self, "/api/v1/catalog/diff", query: parameters)
    }

    /// The catalog file (`catalog/items.json` format) of a version, or of the current one: the
    /// server's bytes unchanged, so the same version always exports to the same file.
    public func exportCatalog(version: Int? = nil) async throws(WindowClientError) -> Data {
        try await bytes(.GET, "/api/v1/catalog/export", query: version.map { [("version", "\($0)")] } ?? [])
    }

    /// Opens a draft with a catalog file; no draft when the file equals the published catalog.
    /// A bad file changes nothing: 422 `catalog_invalid` with every problem in ``WindowClientError/problems``.
    public func importCatalog(_ data: Data, note: String? = nil) async throws(WindowClientError) -> ImportResult {
        try await send(
            ImportResult.self, .POST, "/api/v1/catalog/import", query: note.map { [("note", $0)] } ?? [],
            body: data, contentType: "application/json")
    }

    /// Opens a draft restoring version `version`; it is reviewed like any other.
    public func rollback(version: Int, note: String) async throws(WindowClientError) -> DraftView {
        try await send(DraftView.self, .POST, "/api/v1/catalog/versions/\(version)/rollback", json: RollbackRequest(note: note))
    }

    /// The open drafts, or every draft (published and discarded too) with `all`.
    public func drafts(all: Bool = false) async throws(WindowClientError) -> [DraftSummary] {
        try await get(DraftList.self, "/api/v1/catalog/drafts", query: all ? [("state", "all")] : []).drafts
    }

    public func createDraft(note: String? = nil) async throws(WindowClientError) -> DraftView {
        try await send(DraftView.self, .POST, "/api/v1/catalog/drafts", json: CreateDraftRequest(note: note))
    }

    public func draft(id: Int64) async throws(WindowClientError) -> DraftView {
        try await get(DraftView.self, "/api/v1/catalog/drafts/\(id)")
    }

    /// Saves one item in a draft. `revision` is the draft's revision of the item when the editor
    /// loaded it (0 if never saved in the draft): 409 `edit_conflict` when someone saved since,
    /// with what changed in ``WindowClientError/changes``; 422 `catalog_invalid` with its problems.
    public func saveDraftItem(draft: Int64, item: CatalogItem, revision: Int) async throws(WindowClientError) -> DraftView {
        try await send(
            DraftView.self, .PUT, "/api/v1/catalog/drafts/\(draft)/items/" + Self.pathSegment(item.code),
            json: SaveDraftItemRequest(item: item, revision: revision))
    }

    /// Every problem the item would have in the draft's catalog; saves nothing.
    public func checkItem(draft: Int64, item: CatalogItem) async throws(WindowClientError) -> [CatalogProblem] {
        try await send(ProblemList.self, .POST, "/api/v1/catalog/drafts/\(draft)/check", json: CheckItemRequest(item: item)).problems
    }

    public func submitDraft(id: Int64, note: String? = nil) async throws(WindowClientError) -> DraftView {
        try await send(DraftView.self, .POST, "/api/v1/catalog/drafts/\(id)/submit", json: SubmitDraftRequest(note: note))
    }

    /// A second manager approves (403 `same_reviewer` for someone who edited or submitted it).
    public func approveDraft(id: Int64) async throws(WindowClientError) -> DraftView {
        try await send(DraftView.self, .POST, "/api/v1/catalog/drafts/\(id)/approve", json: NoFields())
    }

    /// Returns a submitted, approved or scheduled draft to editing, saying why.
    public func sendBack(draft id: Int64, comment: String) async throws(WindowClientError) -> DraftView {
        try await send(DraftView.self, .POST, "/api/v1/catalog/drafts/\(id)/send-back", json: SendBackRequest(comment: comment))
    }

    public func discardDraft(id: Int64) async throws(WindowClientError) -> DraftView {
        try await send(DraftView.self, .POST, "/api/v1/catalog/drafts/\(id)/discard", json: NoFields())
    }

    /// Replays the draft's changes on the version published since it began. Without a resolution,
    /// fields changed on both sides refuse it: 409 `rebase_conflict` with ``WindowClientError/conflicts``.
    public func rebaseDraft(id: Int64, resolution: RebaseResolution? = nil) async throws(WindowClientError) -> DraftView {
        try await send(DraftView.self, .POST, "/api/v1/catalog/drafts/\(id)/rebase", json: RebaseRequest(resolution: resolution))
    }

    /// What publishing the draft would do to the work in progress.
    public func draftImpact(id: Int64) async throws(WindowClientError) -> PublishImpact {
        try await get(PublishImpact.self, "/api/v1/catalog/drafts/\(id)/impact")
    }

    /// Publishes an approved draft now, or schedules it for `at`.
    public func publishDraft(id: Int64, at: Date? = nil, confirmStranding: Bool = false) async throws(WindowClientError) -> DraftView {
        try await send(
            DraftView.self, .POST, "/api/v1/catalog/drafts/\(id)/publish",
            json: PublishRequest(at: at, confirmStranding: confirmStranding ? true : nil))
    }

    /// The catalog's audit log, or one draft's.
    public func catalogEvents(draft: Int64? = nil) async throws(WindowClientError) -> [CatalogAuditEvent] {
        try await get(CatalogEventList.self, draft.map { "/api/v1/catalog/drafts/\($0)/events" } ?? "/api/v1/catalog/events").events
    }

    public func catalogPolicy() async throws(WindowClientError) -> CatalogPolicy {
        try await get(CatalogPolicy.self, "/api/v1/catalog/policy")
    }

    /// Admins only: whether one manager may edit and approve the same draft.
    public func setCatalogPolicy(_ policy: CatalogPolicy) async throws(WindowClientError) -> CatalogPolicy {
        try await send(CatalogPolicy.self, .PUT, "/api/v1/catalog/policy", json: policy)
    }

    // MARK: Reports (managers and admins)

    /// Every table of the report from the event log for `query` (the server's defaults: today, by day, T = 5 minutes).
    public func report(query: ReportParameters = ReportParameters()) async throws(WindowClientError) -> Report {
        try await get(Report.self, "/api/v1/reports", query: query.queryItems)
    }

    /// One table of the report as the server's CSV (UTF-8 with a BOM, a bilingual header, CRLF lines), byte for byte.
    public func reportCSV(table: String, query: ReportParameters = ReportParameters()) async throws(WindowClientError) -> Data {
        try await bytes(.GET, "/api/v1/reports/" + Self.pathSegment(table + ".csv"), query: query.queryItems)
    }

    // MARK: Requests

    /// The answer of a route that answers 204 No Content.
    public struct Empty: Decodable, Sendable {
        public init() {}
    }

    /// `{}`: the body of a POST that carries nothing.
    struct NoFields: Encodable {}

    public func get<T: Decodable>(_ type: T.Type, _ path: String, query: [(String, String)] = []) async throws(WindowClientError) -> T {
        try await send(type, .GET, path, query: query)
    }

    /// One JSON request; the answer decoded as `T`, or the server's error.
    public func send<T: Decodable>(
        _ type: T.Type, _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json: (any Encodable)? = nil
    ) async throws(WindowClientError) -> T {
        var body: Data?
        if let json {
            do {
                body = try ClientJSON.encoder.encode(json)
            } catch {
                throw .invalidInput(code: "invalid_body", "请求无法编码 / cannot encode the request: \(error)")
            }
        }
        return try await send(type, method, path, query: query, body: body, contentType: body == nil ? nil : "application/json")
    }

    public func send<T: Decodable>(
        _ type: T.Type, _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data?, contentType: String?
    ) async throws(WindowClientError) -> T {
        let (status, data) = try await raw(method, path, query: query, body: body, contentType: contentType)
        guard (200..<300).contains(status) else { throw Self.serverError(status: status, body: data) }
        if T.self == Empty.self, let empty = Empty() as? T { return empty }
        do {
            return try ClientJSON.decoder.decode(type, from: data)
        } catch {
            throw .badResponse("HTTP \(status), \(Self.describe(error))")
        }
    }

    /// One request whose answer is kept as the server's bytes (a file), or the server's error.
    public func bytes(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil, contentType: String? = nil
    ) async throws(WindowClientError) -> Data {
        let (status, data) = try await raw(method, path, query: query, body: body, contentType: contentType)
        guard (200..<300).contains(status) else { throw Self.serverError(status: status, body: data) }
        return data
    }

    /// The status and body of one request, whatever the status.
    public func raw(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil, contentType: String? = nil
    ) async throws(WindowClientError) -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: endpoint.baseURL + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let credential { request.headers.add(name: "Authorization", value: "Bearer \(credential)") }
        if let body {
            request.body = .bytes(ByteBuffer(data: body))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
        }
        do {
            let response = try await http.execute(request, timeout: requestTimeout)
            let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
            return (Int(response.status.code), Data(buffer: buffer))
        } catch {
            throw Self.transportError(error)
        }
    }

    // MARK: Helpers

    static func serverError(status: Int, body: Data) -> WindowClientError {
        if let decoded = try? ClientJSON.decoder.decode(ErrorBody.self, from: body) {
            return .server(
                status: status, code: decoded.error.code.rawValue, message: decoded.error.message, nextOpening: decoded.error.nextOpening,
                detail: decoded.error)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return .server(status: status, code: "http_\(status)", message: "服务器返回错误 / the server answered HTTP \(status)\(text.isEmpty ? "" : ": \(text)")")
    }

    /// Names what went wrong on the way: certificate, connection, or time.
    public static func transportError(_ error: any Error) -> WindowClientError {
        if let error = error as? WindowClientError { return error }
        if let ssl = error as? NIOSSLError { return .untrusted(String(describing: ssl)) }
        if let ssl = error as? NIOSSLExtraError { return .untrusted(String(describing: ssl)) }
        if let ssl = error as? BoringSSLError { return .untrusted(String(describing: ssl)) }
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("handshakeFailed") || text.contains("failedToValidateHostname") {
            return .untrusted(text)
        }
        if let http = error as? HTTPClientError {
            switch http {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .remoteConnectionClosed, .cancelled:
                return .unreachable(String(describing: http))
            default:
                return .unreachable(String(describing: http))
            }
        }
        if error is NIOTooManyBytesError { return .badResponse("response too large") }
        return .unreachable(Self.shortDescription(error))
    }

    static func shortDescription(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text.count > 160 ? String(text.prefix(160)) + "..." : text
    }

    static func describe(_ error: any Error) -> String {
        (error as? DecodingError)?.summary ?? "\(error)"
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func queryString(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        return "?" + parameters.map { pathSegment($0.0) + "=" + pathSegment($0.1) }.joined(separator: "&")
    }
}

/// `GET /api/v1/catalog/items`: the published items and the catalog version they belong to (never a mix).
public struct CatalogItemList: Codable, Sendable, Equatable {
    public var items: [CatalogItemView]
    public var count: Int
    public var catalogVersion: Int

    public init(items: [CatalogItemView], count: Int, catalogVersion: Int) {
        self.items = items
        self.count = count
        self.catalogVersion = catalogVersion
    }
}

/// What a report covers, as `GET /api/v1/reports` takes it: Shanghai dates (`YYYY-MM-DD`, both
/// included), a site's code, a clerk's id, T in minutes. Nil leaves the server's default.
public struct ReportParameters: Sendable, Equatable {
    public var from: String?
    public var to: String?
    public var bucket: ReportQuery.Bucket?
    public var site: String?
    public var category: String?
    public var item: String?
    /// With `item`: only tickets issued under this item version.
    public var itemVersion: Int?
    public var clerk: Int64?
    /// The service level's threshold T, in minutes (1–120).
    public var threshold: Int?

    public init(
        from: String? = nil, to: String? = nil, bucket: ReportQuery.Bucket? = nil, site: String? = nil, category: String? = nil,
        item: String? = nil, itemVersion: Int? = nil, clerk: Int64? = nil, threshold: Int? = nil
    ) {
        self.from = from
        self.to = to
        self.bucket = bucket
        self.site = site
        self.category = category
        self.item = item
        self.itemVersion = itemVersion
        self.clerk = clerk
        self.threshold = threshold
    }

    /// The query string's parameters, in the API's names.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let from { items.append(("from", from)) }
        if let to { items.append(("to", to)) }
        if let bucket { items.append(("bucket", bucket.rawValue)) }
        if let site { items.append(("site", site)) }
        if let category { items.append(("category", category)) }
        if let item { items.append(("item", item)) }
        if let itemVersion { items.append(("itemVersion", "\(itemVersion)")) }
        if let clerk { items.append(("clerk", "\(clerk)")) }
        if let threshold { items.append(("threshold", "\(threshold)")) }
        return items
    }
}
