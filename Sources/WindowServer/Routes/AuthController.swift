import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdOTP
import NIOPosix
import WindowAPITypes
import WindowStore

/// Sign-in for clerks, managers and admins: a bearer token for tools, and for the console a
/// secure httpOnly cookie with a CSRF token. Wrong passwords slow down, then lock the account.
struct AuthController {
    let database: AppDatabase
    let identities: IdentityCache
    let now: @Sendable () -> Date

    static let tokenLifetime: TimeInterval = 12 * 3600
    /// From this many wrong passwords in a row, each answer is delayed.
    static let slowDownAfter = 3
    static let lockAfter = 5
    static let lockFor: TimeInterval = 15 * 60

    struct LoginRequest: Decodable {
        var username: String
        var password: String
        var totp: String?
    }

    struct MeResponse: ResponseCodable {
        var kind: String
        var account: AccountView?
        var kiosk: Int64?
        var site: Int64?
        var csrfToken: String?
    }

    struct PasswordChange: Decodable {
        var current: String
        var new: String
    }

    struct TOTPSetup: ResponseCodable {
        var secret: String
        var otpauthURL: String
    }

    struct TOTPCode: Decodable {
        var code: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/auth")
        // Public by design: this is how one gets a credential.
        group.post("/login") { request, context -> Response in
            let body = try await request.decode(as: LoginRequest.self, context: context)
            let (token, expires, account) = try await signIn(body, context: context)
            let payload = LoginResponse(token: token, expiresAt: expires, csrfToken: Tokens.csrf(for: token), account: Self.view(account))
            var response = try payload.response(from: request, context: context)
            response.headers[.setCookie] = Self.cookie(token, maxAge: Int(Self.tokenLifetime))
            return response
        }
        group.post("/logout") { request, context -> Response in
            _ = try context.requireAccount()
            if let token = AuthenticatorMiddleware.bearer(request) ?? context.sessionCookieToken {
                try database.deleteAuthToken(hash: Tokens.hash(token))
                identities.forget(hash: Tokens.hash(token))
            }
            var response = Response(status: .noContent)
            response.headers[.setCookie] = Self.cookie("", maxAge: 0)
            return response
        }
        group.get("/me") { _, context -> MeResponse in
            switch try context.requireIdentity() {
            case .kiosk(let id, let site):
                return MeResponse(kind: "kiosk", kiosk: id, site: site)
            case .account(let id, _, _):
                guard let account = try database.account(id: id) else { throw APIError.unauthenticated }
                return MeResponse(kind: "account", account: Self.view(account), csrfToken: context.sessionCookieToken.map(Tokens.csrf(for:)))
            }
        }
        group.post("/password") { request, context -> HTTPResponse.Status in
            let caller = try context.requireAccount()
            let body = try await request.decode(as: PasswordChange.self, context: context)
            guard let account = try database.account(id: caller.id), try await Self.verify(body.current, hash: account.passwordHash) else {
                throw APIError(.unauthorized, code: "invalid_credentials", message: "当前密码错误 / the current password is wrong")
            }
            try Self.validatePassword(body.new)
            try database.setPassword(accountID: caller.id, hash: try await Self.hash(body.new))
            identities.forget(account: caller.id)
            return .noContent
        }
        group.post("/totp/setup") { _, context -> TOTPSetup in
            let caller = try context.requireAccount()
            guard let account = try database.account(id: caller.id), !account.totpEnabled else {
                throw APIError.conflict(code: "totp_enabled", "已启用动态口令 / TOTP is already enabled")
            }
            let secret = InitialAdmin.randomPassword(length: 20)
            try database.setTOTP(accountID: caller.id, secret: secret, enabled: false)
            return TOTPSetup(secret: secret, otpauthURL: TOTP(secret: secret).createAuthenticatorURL(label: account.username, issuer: "RemoteWindow"))
        }
        group.post("/totp/enable") { request, context -> AccountView in
            let caller = try context.requireAccount()
            let code = try await request.decode(as: TOTPCode.self, context: context).code
            guard let account = try database.account(id: caller.id), let secret = account.totpSecret else {
                throw APIError.conflict(code: "totp_not_set_up", "请先设置动态口令 / set up TOTP first")
            }
            guard Self.totpMatches(code, secret: secret, now: now()) else {
                throw APIError.badRequest(code: "invalid_totp", "动态口令错误 / wrong TOTP code")
            }
            try database.setTOTP(accountID: caller.id, secret: secret, enabled: true)
            return Self.view(try database.account(id: caller.id)!)
        }
    }

    /// Checks the lock, the password and the second factor, counting failures.
    func signIn(_ body: LoginRequest, context: AppRequestContext) async throws -> (String, Date, Account) {
        let wrong = APIError(.unauthorized, code: "invalid_credentials", message: "用户名或密码错误 / wrong username or password")
        guard body.username.count <= 64, body.password.count <= 256 else { throw wrong }
        guard var account = try database.account(username: body.username) else {
            // Hash anyway, so a missing account takes as long as a wrong password.
            _ = try await Self.verify(body.password, hash: Self.dummyHash)
            throw wrong
        }
        let current = now()
        if let until = account.lockedUntil, until > current {
            throw Self.locked(until)
        }
        guard try await Self.verify(body.password, hash: account.passwordHash) else {
            account = try database.recordFailedLogin(accountID: account.id!, lockAfter: Self.lockAfter, lockFor: Self.lockFor, now: current) ?? account
            context.logger.notice("sign-in failed", metadata: ["account.id": "\(account.id!)", "account.failures": "\(account.failedLogins)"])
            if let until = account.lockedUntil, until > current { throw Self.locked(until) }
            if account.failedLogins >= Self.slowDownAfter {
                // Slow guessing down: one more second per failure past the threshold.
                try await Task.sleep(for: .seconds(account.failedLogins - Self.slowDownAfter + 1))
            }
            throw wrong
        }
        if account.totpEnabled, let secret = account.totpSecret {
            guard let code = body.totp, !code.isEmpty else {
                throw APIError(.unauthorized, code: "totp_required", message: "请输入动态口令 / enter your 6-digit TOTP code")
            }
            guard Self.totpMatches(code, secret: secret, now: current) else {
                _ = try database.recordFailedLogin(accountID: account.id!, lockAfter: Self.lockAfter, lockFor: Self.lockFor, now: current)
                throw APIError(.unauthorized, code: "totp_required", message: "动态口令错误 / wrong TOTP code")
            }
        }
        try database.recordSuccessfulLogin(accountID: account.id!)
        let token = Tokens.make(prefix: Tokens.accountPrefix)
        let expires = current.addingTimeInterval(Self.tokenLifetime)
        try database.insertAuthToken(hash: Tokens.hash(token), accountID: account.id!, createdAt: current, expiresAt: expires)
        context.logger.info("signed in", metadata: ["account.id": "\(account.id!)", "account.role": "\(account.role.rawValue)"])
        return (token, expires, account)
    }

    static func locked(_ until: Date) -> APIError {
        APIError(
            .init(code: 423, reasonPhrase: "Locked"), code: "account_locked",
            message: "密码错误次数过多，账户已锁定至 \(APIError.shanghaiTime(until)) / too many wrong passwords: locked until \(APIError.shanghaiTime(until))",
            lockedUntil: until)
    }

    /// Accepts the code of this 30-second step or its neighbours (clock drift).
    static func totpMatches(_ code: String, secret: String, now: Date) -> Bool {
        guard let value = Int(code.trimmingCharacters(in: .whitespaces)) else { return false }
        let totp = TOTP(secret: secret)
        return [-30.0, 0, 30].contains { totp.compute(date: now.addingTimeInterval($0)) == value }
    }

    static func cookie(_ token: String, maxAge: Int) -> String {
        "\(AuthenticatorMiddleware.cookieName)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; Secure; SameSite=Strict"
    }

    static func view(_ account: Account) -> AccountView {
        AccountView(id: account.id!, username: account.username, displayName: account.displayName, role: account.role.rawValue, totpEnabled: account.totpEnabled)
    }

    static func validatePassword(_ password: String) throws(APIError) {
        guard (10...128).contains(password.count) else {
            throw APIError.badRequest(code: "weak_password", "密码至少10位 / password must have at least 10 characters")
        }
    }

    static let dummyHash = Bcrypt.hash("not-a-real-password", cost: InitialAdmin.bcryptCost)

    /// bcrypt is slow on purpose; keep it off the request threads.
    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: InitialAdmin.bcryptCost) }
    }
}
