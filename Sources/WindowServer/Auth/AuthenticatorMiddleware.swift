import Foundation
import HTTPTypes
import Hummingbird
import WindowStore

/// Fills the context's identity from a bearer credential (kiosk or account) or, for the
/// console, the session cookie. A credential that is present but wrong is refused outright.
struct AuthenticatorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    let cache: IdentityCache
    let now: @Sendable () -> Date

    static let cookieName = "rw_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = Self.bearer(request) {
            context.identity = try identity(for: token)
            guard context.identity != nil else {
                throw APIError(.unauthorized, code: "invalid_credentials", message: "凭证无效或已过期 / credential invalid or expired")
            }
        } else if let token = Self.cookie(request, name: Self.cookieName), token.hasPrefix(Tokens.accountPrefix) {
            // A stale cookie is simply no session: the console shows its sign-in page.
            if let identity = try identity(for: token) {
                context.identity = identity
                context.sessionCookieToken = token
                try Self.checkCSRF(request, token: token)
            }
        }
        return try await next(request, context)
    }

    func identity(for token: String) throws -> Identity? {
        let hash = Tokens.hash(token)
        let now = now()
        if let known = cache.identity(forHash: hash, now: now) { return known }
        let found: (Identity, Date?)?
        if token.hasPrefix(Tokens.kioskPrefix) {
            found = try database.kiosk(tokenHash: hash).map { (.kiosk(id: $0.id!, site: $0.siteID), nil) }
        } else if token.hasPrefix(Tokens.accountPrefix) {
            found = try database.accountAndExpiry(tokenHash: hash, now: now).map {
                (.account(id: $0.account.id!, username: $0.account.username, role: $0.account.role), $0.expiresAt)
            }
        } else {
            found = nil
        }
        guard let (identity, expiresAt) = found else { return nil }
        cache.remember(identity, forHash: hash, now: now, expiresAt: expiresAt)
        return identity
    }

    /// Requests that change something, made with the cookie, must prove they come from our own
    /// pages: the header carries a value only a page that read `/auth/me` or the sign-in answer has.
    static func checkCSRF(_ request: Request, token: String) throws {
        switch request.method {
        case .get, .head, .options:
            if request.uri.path == "/api/v1/live", let origin = request.headers[.origin], let host = request.head.authority,
                origin != "https://\(host)"
            {
                throw APIError(.forbidden, code: "csrf_failed", message: "来源不符 / cross-site connection refused")
            }
        case .post where request.uri.path == "/api/v1/auth/login":
            break  // signing in again proves who one is by itself
        default:
            guard request.headers[csrfHeader] == Tokens.csrf(for: token) else {
                throw APIError(.forbidden, code: "csrf_failed", message: "缺少或错误的 CSRF 令牌 / missing or wrong X-CSRF-Token header")
            }
        }
    }

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    static func cookie(_ request: Request, name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }
}
