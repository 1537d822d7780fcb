import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// Managers: clerk accounts, their skills and window, and password resets.
struct ClerkAccountController {
    let database: AppDatabase
    let passwords: Passwords
    let queue: QueueService
    let revocations: Revocations
    let loginGuard: LoginGuard
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<AppRequestContext>) {
        let managers = router.group("/api/v1/clerks", context: ManagerContext.self)
        managers.get(use: list)
        managers.post(use: create)
        managers.patch("/{id}", use: update)
        managers.post("/{id}/password", use: resetPassword)
    }

    func list(_ request: Request, context: ManagerContext) async throws -> ClerkList {
        ClerkList(clerks: await queue.clerkViews())
    }

    func create(_ request: Request, context: ManagerContext) async throws -> EditedResponse<ClerkView> {
        let body = try await request.decode(as: CreateClerkRequest.self, context: context)
        try AccountRules.validateUsername(body.username)
        try AccountRules.validatePassword(body.password)
        let profile = try validatedProfile(displayName: body.displayName, window: body.window, skills: body.skills, items: body.items ?? [])
        let hash = try await passwords.hash(body.password)
        let account = try database.createAccount(
            Account(username: body.username, displayName: profile.displayName, role: .clerk, passwordHash: hash, createdAt: now()),
            clerkProfile: ClerkProfileRecord(accountID: 0, window: profile.window, skills: profile.skills.sorted(), items: profile.items.sorted()))
        try await queue.registerClerk(account.id!, profile: profile, actor: context.actor)
        return EditedResponse(status: .created, response: await queue.clerkView(account.id!)!)
    }

    func update(_ request: Request, context: ManagerContext) async throws -> ClerkView {
        let id = try context.parameters.require("id", as: Int64.self)
        guard var account = try await database.account(id: id), account.role == .clerk, let record = try await database.clerkProfile(accountID: id) else {
            throw APIError.notFound("clerk \(id)", zh: "工作人员 \(id) ")
        }
        let patch = try await request.decode(as: UpdateClerkRequest.self, context: context)
        let profile = try validatedProfile(
            displayName: patch.displayName ?? account.displayName, window: patch.window ?? record.window,
            skills: patch.skills ?? record.skills, items: patch.items ?? record.items)
        account.displayName = profile.displayName
        try database.updateAccount(account)
        try database.saveClerkProfile(ClerkProfileRecord(accountID: id, window: profile.window, skills: profile.skills.sorted(), items: profile.items.sorted()))
        try await queue.registerClerk(id, profile: profile, actor: context.actor)
        return await queue.clerkView(id)!
    }

    /// A manager sets a new password: the lock is lifted and the clerk is signed out everywhere.
    func resetPassword(_ request: Request, context: ManagerContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let account = try await database.account(id: id), account.role == .clerk else { throw APIError.notFound("clerk \(id)", zh: "工作人员 \(id) ") }
        let body = try await request.decode(as: PasswordResetRequest.self, context: context)
        try AccountRules.validatePassword(body.password)
        try database.setPassword(accountID: id, hash: try await passwords.hash(body.password))
        try await revocations.accountSignedOutEverywhere(id, role: .clerk)
        await loginGuard.clear(username: account.username)
        context.logger.notice("password reset", metadata: ["account.id": "\(id)", "by": "\(context.actor)"])
        return .noContent
    }

    func validatedProfile(displayName: String, window: String, skills: [String], items: [String]) throws -> ClerkProfile {
        try TextRules.validate(displayName, field: "displayName")
        try TextRules.validate(window, field: "window")
        let name = try AccountRules.validateDisplayName(displayName, code: .invalidClerk)
        guard !window.isEmpty, window.count <= 16 else { throw APIError.badRequest(code: .invalidClerk, "窗口号必填 / window number required") }
        let known = Set(try database.categories().map(\.code))
        for skill in skills where !known.contains(skill) {
            throw APIError.badRequest(code: .unknownCategory, "未知技能类别 / unknown skill category: \(skill)")
        }
        for item in items where try database.catalogItem(code: item) == nil {
            throw APIError.badRequest(code: .unknownItem, "未知事项 / unknown item: \(item)")
        }
        guard !skills.isEmpty || !items.isEmpty else {
            throw APIError.badRequest(code: .invalidClerk, "至少需要一项技能或事项 / at least one skill or item")
        }
        return ClerkProfile(displayName: name, window: window, skills: Set(skills), items: Set(items))
    }
}
