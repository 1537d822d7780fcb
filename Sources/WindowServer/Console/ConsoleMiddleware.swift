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

    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// Pages that need a role; everything else under /console/ is the sign-in page and assets.
    static let pageRoles: [String: Set<Role>] = [
        "/console/clerk.html": [.clerk],
        "/console/board.html": [.manager, .admin],
        "/console/clerks.html": [.manager, .admin],
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
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
