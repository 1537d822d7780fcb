import HTTPTypes
import Hummingbird

/// Headers every response carries: HTTPS only, no sniffing, no framing, no referrer leaks, no caching.
enum SecurityHeaders {
    /// Always set, whatever the handler said.
    static let always: [(String, String)] = [
        ("Strict-Transport-Security", "max-age=31536000"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
    ]
    /// Set unless the handler chose its own (the console's pages have their own policy; files may be cached).
    static let defaults: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("Cache-Control", "no-store"),
    ]
    /// All of them, for answers written below the router (a malformed request's 400).
    static var fields: [(String, String)] { always + defaults }
}

/// Adds ``SecurityHeaders`` to every response the router gives, errors included: it is the
/// outermost middleware, outside ``ErrorMiddleware``.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in SecurityHeaders.always {
            response.headers[HTTPField.Name(name)!] = value
        }
        for (name, value) in SecurityHeaders.defaults where response.headers[HTTPField.Name(name)!] == nil {
            response.headers[HTTPField.Name(name)!] = value
        }
        return response
    }
}
