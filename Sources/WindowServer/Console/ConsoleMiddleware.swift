import Foundation
import HTTPTypes
import Hummingbird
import WindowConsole
import WindowCore
import WindowStore

/// Guards the console's pages by role and gives them a strict Content Security Policy.
/// The pages hold no data; everything they show comes from role-checked API routes.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Where the pages are (the built resources, or a development folder).
    let folder: String

    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// Pages that need a role; everything else under /console/ is the sign-in page and assets.
    static let pageRoles: [String: Set<Role>] = [
        "/console/clerk.html": [.clerk],
        "/console/board.html": [.manager, .admin],
        "/console/clerks.html": [.manager, .admin],
        "/console/catalog.html": [.manager, .admin],
        "/console/sites.html": [.manager, .admin],
        "/console/reports.html": [.manager, .admin],
        "/console/follow-ups.html": [.manager, .admin],
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/screen-b" { return Response(status: .movedPermanently, headers: [.location: "/screen-b/"]) }
        if path == "/screen-b/" { return try screenB(request) }
        guard path == "/console" || path.hasPrefix("/console/") else { return try await next(request, context) }
        if path == "/console" {
            return Response(status: .movedPermanently, headers: [.location: "/console/"])
        }
        if let roles = Self.pageRoles[path] {
            guard case .account(_, _, let role) = context.caller else {
                let next = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return Response(status: .found, headers: [.location: "/console/?next=\(next)"])
            }
            guard roles.contains(role) else { return Self.forbiddenPage() }
        }
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        return response
    }

    /// Screen B's page: anyone may load it (it holds nothing); what it shows needs its pairing cookie.
    /// The camera and microphone are allowed for this origin only.
    func screenB(_ request: Request) throws -> Response {
        guard request.method == .get || request.method == .head else {
            throw APIError.methodNotAllowed(allow: [.get, .head])
        }
        guard let page = FileManager.default.contents(atPath: folder + "/screen-b.html") else {
            throw APIError.notFound("screen B page", zh: "视频屏页面 ")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = Self.policy
        headers[HTTPField.Name("Permissions-Policy")!] = "camera=(self), microphone=(self), display-capture=()"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: page)))
    }

    static func forbiddenPage() -> Response {
        let html = """
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>无权访问 / Forbidden</title></head>
            <body><h1>无权访问 / Forbidden</h1><p>您的账户无权打开此页面。/ Your account may not open this page.</p>
            <p><a href="/console/">返回 / Back</a></p></body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        return Response(status: .forbidden, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Where the console's files are in the built package (the WindowConsole target's resources).
    static var folder: String { WindowConsole.folder }
}
