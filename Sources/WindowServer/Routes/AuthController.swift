import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import WindowStore

/// Sign-in for clerks, managers and admins: a bearer token (and, for the console, a cookie).
struct AuthController {
    let database: AppDatabase
    let now: @Sendable () -> Date
    static let tokenLifetime: TimeInterval = 12 * 3600

    struct LoginRequest: Decodable {
        var username: String
        var password: String
    }

    struct LoginResponse: ResponseCodable {
        var token: String
        var expiresAt: Date
        var account: AccountView
    }

    struct AccountView: ResponseCodable {
        var id: Int64
        var username: String
        var displayName: String
        var role: Role
    }

    struct MeResponse: ResponseCodable {
        var kind: String
        var account: AccountView?
        var kiosk: Int64?
        var site: Int64?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/auth")
        // Public by design: this is how one gets a credential.
        group.post("/login") { request, context -> LoginResponse in
            let body = try await request.decode(as: LoginRequest.self, context: context)
            let failure = APIError(.unauthorized, code: "invalid_credentials", message: "用户名或密码错误 / wrong username or password")
            guard body.username.count <= 64, body.password.count <= 256 else { throw failure }
            guard let account = try database.account(username: body.username) else {
                // Hash anyway, so a missing account takes as long as a wrong password.
                _ = try await Self.verify(body.password, hash: Self.dummyHash)
                throw failure
            }
            guard try await Self.verify(body.password, hash: account.passwordHash) else { throw failure }
            let token = Tokens.make(prefix: Tokens.accountPrefix)
            let issued = now()
            let expires = issued.addingTimeInterval(Self.tokenLifetime)
            try database.insertAuthToken(hash: Tokens.hash(token), accountID: account.id!, createdAt: issued, expiresAt: expires)
            context.logger.info("signed in", metadata: ["account.id": "\(account.id!)", "account.role": "\(account.role.rawValue)"])
            return LoginResponse(token: token, expiresAt: expires, account: Self.view(account))
        }
        group.post("/logout") { request, context -> HTTPResponse.Status in
            _ = try context.requireAccount()
            if let token = AuthenticatorMiddleware.bearer(request) ?? AuthenticatorMiddleware.cookie(request, name: AuthenticatorMiddleware.cookieName) {
                try database.deleteAuthToken(hash: Tokens.hash(token))
            }
            return .noContent
        }
        group.get("/me") { _, context -> MeResponse in
            switch try context.requireIdentity() {
            case .kiosk(let id, let site):
                return MeResponse(kind: "kiosk", kiosk: id, site: site)
            case .account(let id, _, _):
                guard let account = try database.account(id: id) else { throw APIError.unauthenticated }
                return MeResponse(kind: "account", account: Self.view(account))
            }
        }
    }

    static func view(_ account: Account) -> AccountView {
        AccountView(id: account.id!, username: account.username, displayName: account.displayName, role: account.role)
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
