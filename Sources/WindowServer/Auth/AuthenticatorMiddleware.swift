import Foundation
import HTTPTypes
import Hummingbird
import WindowStore

/// Fills the context's caller from a bearer credential (kiosk or account) or, for the
/// console, the session cookie. A credential that is present but wrong is refused outright.
struct AuthenticatorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    let cache: CallerCache
    let now: @Sendable () -> Date

    static let cookieName = "rw_session"
    /// The cookies that carry a credential, in the order they are tried, with their tokens' prefix.
    static let cookies = [(cookieName, Tokens.accountPrefix), (ScreenBController.cookieName, Tokens.screenBPrefix)]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let found = try await authenticate(request)
        context.caller = found.caller
        context.credential = found.credential
        context.signInCookieToken = found.cookieToken
        return try await next(request, context)
    }

    /// Who presented what: no caller when no credential was presented (or, for the live upgrade, a wrong one).
    struct Authentication: Sendable {
        var caller: Caller?
        var credential: Credential?
        /// Set when the caller came from a cookie (so CSRF rules apply).
        var cookieToken: String?
    }

    /// The caller of `request`, from its bearer credential or its cookie. The HTTP routes and the
    /// live upgrade (``LiveChannel``) both ask here, so both know a caller the same way.
    func authenticate(_ request: Request) async throws -> Authentication {
        if let token = Self.bearer(request) {
            let found = try await caller(for: token)
            // A WebSocket client cannot read an HTTP refusal: its upgrade goes on and the live
            // connection closes at once with 4401 instead (LiveController).
            guard found != nil || LiveController.isUpgrade(request) else {
                throw APIError(.unauthorized, code: .invalidCredentials, message: "凭证无效或已过期 / credential invalid or expired")
            }
            return Authentication(caller: found?.caller, credential: found.map { Credential(hash: Tokens.hash(token), expiresAt: $0.expiresAt) })
        }
        // The console's sign-in cookie, else screen B's pairing cookie. A stale one is simply no
        // credential (the page shows its sign-in or pairing screen); CSRF rules apply to both.
        for (name, prefix) in Self.cookies {
            guard let token = request.cookies[name]?.value, token.hasPrefix(prefix), let found = try await caller(for: token) else { continue }
            try Self.checkCSRF(request, token: token)
            return Authentication(caller: found.caller, credential: Credential(hash: Tokens.hash(token), expiresAt: found.expiresAt), cookieToken: token)
        }
        return Authentication()
    }

    func caller(for token: String) async throws -> (caller: Caller, expiresAt: Date?)? {
        let hash = Tokens.hash(token)
        let now = now()
        if let known = cache.caller(forHash: hash, now: now) { return known }
        let found: (Caller, Date?)?
        if token.hasPrefix(Tokens.kioskPrefix) {
            found = try await database.kiosk(tokenHash: hash).map { (.kiosk(id: $0.id!, site: $0.siteID), nil) }
        } else if token.hasPrefix(Tokens.scrapePrefix) {
            found = try await database.scrapeCredential(tokenHash: hash).map { (.scraper(id: $0.id!), nil) }
        } else if token.hasPrefix(Tokens.screenBPrefix) {
            found = try await database.kiosk(screenBTokenHash: hash).map { (.screenB(kiosk: $0.id!, site: $0.siteID), nil) }
        } else if token.hasPrefix(Tokens.accountPrefix) {
            found = try await database.accountAndExpiry(tokenHash: hash, now: now).map {
                (.account(id: $0.account.id!, username: $0.account.username, role: $0.account.role), $0.expiresAt)
            }
        } else {
            found = nil
        }
        guard let (caller, expiresAt) = found else { return nil }
        cache.remember(caller, forHash: hash, now: now, expiresAt: expiresAt)
        return (caller, expiresAt)
    }

    /// Requests that change something, made with the cookie, must prove they come from our own
    /// pages: the header carries a value only a page that read `/auth/me` or the sign-in answer has.
    static func checkCSRF(_ request: Request, token: String) throws {
        switch request.method {
        case .get, .head, .options:
            if request.uri.path == "/api/v1/live", let origin = request.headers[.origin], let host = request.head.authority,
                origin != "https://\(host)"
            {
                throw APIError(.forbidden, code: .csrfFailed, message: "来源不符 / cross-site connection refused")
            }
        case .post where request.uri.path == "/api/v1/auth/login" || request.uri.path == "/api/v1/screen-b/pair":
            break  // signing in (or pairing) again proves who one is by itself
        default:
            guard request.headers[csrfHeader] == Tokens.csrf(for: token) else {
                throw APIError(.forbidden, code: .csrfFailed, message: "缺少或错误的 CSRF 令牌 / missing or wrong X-CSRF-Token header")
            }
        }
    }

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
