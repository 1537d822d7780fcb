import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import NIOPosix
import WindowAPITypes
import WindowStore

/// Sign-in for clerks, managers and admins: a bearer token for tools, and for the console a
/// secure httpOnly cookie with a CSRF token. Wrong passwords slow down, then lock the account.
struct AuthController {
    let database: AppDatabase
    let identities: CallerCache
    let now: @Sendable () -> Date

    static let tokenLifetime: TimeInterval = 12 * 3600
    /// From this many wrong passwords in a row, each answer is delayed.
    static let slowDownAfter = 3
    static let lockAfter = 5
    static let lockFor: TimeInterval = 15 * 60

    func addRoutes(to router: Router<AppRequestContext>) {
        // Public by design: this is how one gets a credential.
        router.post("/api/v1/auth/login", use: login)
        router.group("/api/v1/auth", context: CallerContext.self).get("/me", use: me)
        let accounts = router.group("/api/v1/auth", context: AccountContext.self)
        accounts.post("/logout", use: logout)
        accounts.post("/password", use: changePassword)
        accounts.post("/totp/setup", use: setUpTOTP)
        accounts.post("/totp/enable", use: enableTOTP)
    }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: LoginRequest.self, context: context)
        let (token, expires, account) = try await signIn(body, context: context)
        let payload = LoginResponse(token: token, expiresAt: expires, csrfToken: Tokens.csrf(for: token), account: AccountView(account))
        var response = try payload.response(from: request, context: context)
        response.setCookie(Self.cookie(token, maxAge: Int(Self.tokenLifetime)))
        return response
    }

    func logout(_ request: Request, context: AccountContext) async throws -> Response {
        if let token = AuthenticatorMiddleware.bearer(request) ?? context.signInCookieToken {
            try database.deleteAuthToken(hash: Tokens.hash(token))
            identities.forget(hash: Tokens.hash(token))
        }
        var response = Response(status: .noContent)
        response.setCookie(Self.cookie("", maxAge: 0))
        return response
    }

    func me(_ request: Request, context: CallerContext) async throws -> MeView {
        switch context.caller {
        case .kiosk(let id, let site):
            return MeView(kind: .kiosk, kiosk: id, site: site)
        case .account(let id, _, _):
            guard let account = try database.account(id: id) else { throw APIError.unauthenticated }
            return MeView(kind: .account, account: AccountView(account), csrfToken: context.signInCookieToken.map(Tokens.csrf(for:)))
        }
    }

    func changePassword(_ request: Request, context: AccountContext) async throws -> HTTPResponse.Status {
        let body = try await request.decode(as: PasswordChangeRequest.self, context: context)
        guard let account = try database.account(id: context.account), try await Passwords.verify(body.current, hash: account.passwordHash) else {
            throw APIError(.unauthorized, code: .invalidCredentials, message: "当前密码错误 / the current password is wrong")
        }
        try AccountRules.validatePassword(body.new)
        try database.setPassword(accountID: context.account, hash: try await Passwords.hash(body.new))
        identities.forget(account: context.account)
        return .noContent
    }

    func setUpTOTP(_ request: Request, context: AccountContext) async throws -> TOTPSetupView {
        guard let account = try database.account(id: context.account), !account.totpEnabled else {
            throw APIError.conflict(code: .totpEnabled, "已启用动态口令 / TOTP is already enabled")
        }
        let secret = InitialAdmin.randomPassword(length: 20)
        try database.setTOTP(accountID: context.account, secret: secret, enabled: false)
        return TOTPSetupView(secret: secret, otpauthURL: TOTP(secret: secret).createAuthenticatorURL(label: account.username, issuer: "RemoteWindow"))
    }

    func enableTOTP(_ request: Request, context: AccountContext) async throws -> AccountView {
        let code = try await request.decode(as: TOTPCodeRequest.self, context: context).code
        guard let account = try database.account(id: context.account), let secret = account.totpSecret else {
            throw APIError.conflict(code: .totpNotSetUp, "请先设置动态口令 / set up TOTP first")
        }
        guard Self.totpMatches(code, secret: secret, now: now()) else {
            throw APIError.badRequest(code: .invalidTOTP, "动态口令错误 / wrong TOTP code")
        }
        try database.setTOTP(accountID: context.account, secret: secret, enabled: true)
        return AccountView(try database.account(id: context.account)!)
    }

    /// Checks the lock, the password and the second factor, counting failures.
    func signIn(_ body: LoginRequest, context: AppRequestContext) async throws -> (String, Date, Account) {
        let wrong = APIError(.unauthorized, code: .invalidCredentials, message: "用户名或密码错误 / wrong username or password")
        guard body.username.count <= 64, body.password.count <= 256 else { throw wrong }
        guard var account = try database.account(username: body.username) else {
            // Hash anyway, so a missing account takes as long as a wrong password.
            _ = try await Passwords.verify(body.password, hash: Passwords.dummyHash)
            throw wrong
        }
        let current = now()
        if let until = account.lockedUntil, until > current {
            throw Self.locked(until)
        }
        guard try await Passwords.verify(body.password, hash: account.passwordHash) else {
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
                throw APIError(.unauthorized, code: .totpRequired, message: "请输入动态口令 / enter your 6-digit TOTP code")
            }
            guard Self.totpMatches(code, secret: secret, now: current) else {
                _ = try database.recordFailedLogin(accountID: account.id!, lockAfter: Self.lockAfter, lockFor: Self.lockFor, now: current)
                throw APIError(.unauthorized, code: .totpRequired, message: "动态口令错误 / wrong TOTP code")
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
            .init(code: 423, reasonPhrase: "Locked"), code: .accountLocked,
            message: "密码错误次数过多，账户已锁定至 \(APIError.shanghaiTime(until)) / too many wrong passwords: locked until \(APIError.shanghaiTime(until))",
            lockedUntil: until)
    }

    /// Accepts the code of this 30-second step or its neighbours (clock drift).
    static func totpMatches(_ code: String, secret: String, now: Date) -> Bool {
        guard let value = Int(code.trimmingCharacters(in: .whitespaces)) else { return false }
        let totp = TOTP(secret: secret)
        return [-30.0, 0, 30].contains { totp.compute(date: now.addingTimeInterval($0)) == value }
    }

    /// The console's sign-in: httpOnly, Secure, SameSite=Strict.
    static func cookie(_ token: String, maxAge: Int) -> Cookie {
        Cookie(name: AuthenticatorMiddleware.cookieName, value: token, maxAge: maxAge, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }
}
