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
    let passwords: Passwords
    let revocations: Revocations
    let loginGuard: LoginGuard
    let totpBox: SecretBox
    let now: @Sendable () -> Date
    /// How long a sign-in lasts (its token, cookie and live connections).
    let tokenLifetime: TimeInterval


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
        response.setCookie(Self.cookie(token, maxAge: Int(tokenLifetime)))
        return response
    }

    func logout(_ request: Request, context: AccountContext) async throws -> Response {
        if let token = AuthenticatorMiddleware.bearer(request) ?? context.signInCookieToken {
            try database.deleteAuthToken(hash: Tokens.hash(token))
            try await revocations.signedOut(tokenHash: Tokens.hash(token), clerk: context.role == .clerk ? context.account : nil)
        }
        var response = Response(status: .noContent)
        response.setCookie(Self.cookie("", maxAge: 0))
        return response
    }

    func me(_ request: Request, context: CallerContext) async throws -> MeView {
        switch context.caller {
        case .kiosk(let id, let site):
            return MeView(kind: .kiosk, kiosk: id, site: site)
        case .screenB(let id, let site):
            return MeView(kind: .screenB, kiosk: id, site: site)
        case .scraper:
            throw APIError.forbidden("抓取凭证只能读取 /metrics / a scrape credential reads /metrics only")
        case .account(let id, _, _):
            guard let account = try await database.account(id: id) else { throw APIError.unauthenticated }
            return MeView(kind: .account, account: AccountView(account), csrfToken: context.signInCookieToken.map(Tokens.csrf(for:)))
        }
    }

    func changePassword(_ request: Request, context: AccountContext) async throws -> HTTPResponse.Status {
        let body = try await request.decode(as: PasswordChangeRequest.self, context: context)
        guard let account = try await database.account(id: context.account), try await passwords.verify(body.current, hash: account.passwordHash) else {
            throw APIError(.unauthorized, code: .invalidCredentials, message: "当前密码错误 / the current password is wrong")
        }
        try AccountRules.validatePassword(body.new)
        try database.setPassword(accountID: context.account, hash: try await passwords.hash(body.new))
        try await revocations.accountSignedOutEverywhere(context.account, role: context.role)
        return .noContent
    }

    func setUpTOTP(_ request: Request, context: AccountContext) async throws -> TOTPSetupView {
        guard let account = try await database.account(id: context.account), !account.totpEnabled else {
            throw APIError.conflict(code: .totpEnabled, "已启用动态口令 / TOTP is already enabled")
        }
        let secret = InitialAdmin.randomPassword(length: 20)
        try database.setTOTP(accountID: context.account, secret: try totpBox.seal(secret), enabled: false)
        return TOTPSetupView(secret: secret, otpauthURL: TOTP(secret: secret).createAuthenticatorURL(label: account.username, issuer: "RemoteWindow"))
    }

    func enableTOTP(_ request: Request, context: AccountContext) async throws -> AccountView {
        let code = try await request.decode(as: TOTPCodeRequest.self, context: context).code
        guard let account = try await database.account(id: context.account), let secret = account.totpSecret.flatMap(totpBox.open) else {
            throw APIError.conflict(code: .totpNotSetUp, "请先设置动态口令 / set up TOTP first")
        }
        guard Self.totpStep(code, secret: secret, now: now()) != nil else {
            throw APIError.badRequest(code: .invalidTOTP, "动态口令错误 / wrong TOTP code")
        }
        try database.setTOTP(accountID: context.account, secret: try totpBox.seal(secret), enabled: true)
        return AccountView(try await database.account(id: context.account)!)
    }

    enum Check: Sendable {
        case passed(Account)
        case wrongPassword
        case wrongTOTP
    }

    /// Checks the password and the second factor through the guard: one attempt at a time per
    /// name and address, failures counted and locked alike whether the name exists or not.
    func signIn(_ body: LoginRequest, context: AppRequestContext) async throws -> (String, Date, Account) {
        let wrong = APIError(.unauthorized, code: .invalidCredentials, message: "用户名或密码错误 / wrong username or password")
        guard body.username.count <= 64, body.password.count <= 256 else { throw wrong }
        let found = try await database.account(username: body.username)
        let current = now()
        let result: (outcome: Check, failures: Int)
        do {
            result = try await loginGuard.attempt(username: body.username, address: context.clientAddress, check: {
                // A missing name is checked against a dummy hash: it takes as long as a wrong password.
                guard try await passwords.verify(body.password, hash: found?.passwordHash ?? passwords.dummyHash), let account = found else {
                    return Check.wrongPassword
                }
                guard account.totpEnabled else { return .passed(account) }
                // A secret that no longer opens (its key lost) cannot be checked: refuse rather than skip it.
                guard let secret = account.totpSecret.flatMap(totpBox.open) else { return .wrongTOTP }
                guard let code = body.totp, !code.isEmpty else {
                    throw APIError(.unauthorized, code: .totpRequired, message: "请输入动态口令 / enter your 6-digit TOTP code")
                }
                guard let step = Self.totpStep(code, secret: secret, now: current),
                    await loginGuard.spendTOTPStep(account: account.id!, step: step)
                else { return .wrongTOTP }
                return .passed(account)
            }, failed: { if case .passed = $0 { false } else { true } })
        } catch let refusal as LoginGuard.Refusal {
            switch refusal {
            case .locked(let until): throw Self.locked(until)
            case .tooManyAttempts(let seconds): throw APIError.tooManyAttempts(retryAfter: seconds)
            }
        }
        guard case .passed(let account) = result.outcome else {
            context.logger.notice("sign-in failed", metadata: ["sign-in.failures": "\(result.failures)"])
            if result.failures >= loginGuard.settings.slowDownAfter {
                // Slow guessing down: one more second per failure past the threshold.
                try await Task.sleep(for: .seconds(result.failures - loginGuard.settings.slowDownAfter + 1))
            }
            if case .wrongTOTP = result.outcome {
                throw APIError(.unauthorized, code: .totpRequired, message: "动态口令错误 / wrong TOTP code")
            }
            throw wrong
        }
        let token = Tokens.make(prefix: Tokens.accountPrefix)
        let expires = current.addingTimeInterval(tokenLifetime)
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

    /// The 30-second step whose code this is: this step or a neighbour (clock drift), six digits exactly.
    static func totpStep(_ code: String, secret: String, now: Date) -> Int64? {
        guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(code) else { return nil }
        let totp = TOTP(secret: secret)
        for offset in [-30.0, 0, 30] where totp.compute(date: now.addingTimeInterval(offset)) == value {
            return Int64((now.timeIntervalSince1970 + offset) / 30)
        }
        return nil
    }

    /// The console's sign-in: httpOnly, Secure, SameSite=Strict.
    static func cookie(_ token: String, maxAge: Int) -> Cookie {
        Cookie(name: AuthenticatorMiddleware.cookieName, value: token, maxAge: maxAge, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }
}
