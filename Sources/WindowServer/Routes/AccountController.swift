import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// Admins create managers and other admins; clerks are made with their skills by ``ClerkAccountController``.
struct AccountController {
    let database: AppDatabase
    let passwords: Passwords
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/v1/accounts", context: AdminContext.self).post(use: create)
    }

    func create(_ request: Request, context: AdminContext) async throws -> EditedResponse<AccountView> {
        let body = try await request.decode(as: CreateAccountRequest.self, context: context)
        guard body.role != .clerk else {
            throw APIError.badRequest(code: .useClerks, "工作人员账户请用 /api/v1/clerks 创建 / create clerks with /api/v1/clerks")
        }
        try AccountRules.validateUsername(body.username)
        try AccountRules.validatePassword(body.password)
        try TextRules.validate(body.displayName, field: "displayName")
        let name = try AccountRules.validateDisplayName(body.displayName, code: .invalidAccount)
        let account = try database.createAccount(Account(
            username: body.username, displayName: name, role: body.role, passwordHash: try await passwords.hash(body.password), createdAt: now()))
        context.logger.notice("account created", metadata: ["account.id": "\(account.id!)", "account.role": "\(account.role.rawValue)", "by": "\(context.actor)"])
        return EditedResponse(status: .created, response: AccountView(account))
    }
}

extension AccountView {
    init(_ account: Account) {
        self.init(id: account.id!, username: account.username, displayName: account.displayName, role: account.role, totpEnabled: account.totpEnabled)
    }
}
