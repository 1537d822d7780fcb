import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// Managers and admins: sites and their hours, kiosks and their credentials, clerk accounts.
struct AdminController {
    let database: AppDatabase
    let queue: QueueService
    let identities: IdentityCache
    let now: @Sendable () -> Date

    struct SiteBody: Decodable {
        var code: String
        var name: LocalizedText
        var hours: HoursView?
    }

    struct KioskBody: Decodable {
        var name: String
    }

    struct KioskView: ResponseCodable {
        var id: Int64
        var site: String
        var name: String
        var createdAt: Date
        var revoked: Bool
        /// Shown once, when the kiosk is created; never again.
        var credential: String?
    }

    struct ClerkBody: Decodable {
        var username: String
        var displayName: String
        var password: String
        var window: String
        var skills: [String]
        var items: [String]?
    }

    struct ClerkPatch: Decodable {
        var displayName: String?
        var window: String?
        var skills: [String]?
        var items: [String]?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let api = router.group("/api/v1")

        api.get("/sites") { _, context -> [SiteView] in
            _ = try context.requireManager()
            return try database.sites().map(view)
        }
        api.post("/sites") { request, context -> EditedResponse<SiteView> in
            _ = try context.requireManager()
            let body = try await request.decode(as: SiteBody.self, context: context)
            guard CatalogRules.isValidCategoryCode(body.code), body.code.count <= 32 else {
                throw APIError.badRequest(code: "invalid_site", "站点编码应为小写字母和连字符 / site code: lowercase letters and dashes")
            }
            guard !body.name.zh.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError.badRequest(code: "invalid_site", "站点需要中文名称 / a site needs a Chinese name")
            }
            let hours = try body.hours.map(Self.serviceHours) ?? .standard
            let site = try database.createSite(SiteRecord(code: body.code, nameZh: body.name.zh, nameEn: body.name.en, hours: hours, createdAt: now()))
            try await queue.refreshSites()
            return EditedResponse(status: .created, response: view(site))
        }
        // A kiosk reads its own site: name, hours, and whether the window is open now.
        api.get("/kiosk/site") { _, context -> SiteView in
            let kiosk = try context.requireKiosk()
            guard let site = try database.site(id: kiosk.site) else { throw APIError.notFound("site", zh: "站点 ") }
            return view(site)
        }
        api.put("/sites/{code}/hours") { request, context -> SiteView in
            _ = try context.requireManager()
            var site = try requireSite(context)
            site.hours = try Self.serviceHours(try await request.decode(as: HoursView.self, context: context))
            try database.updateSite(site)
            return view(site)
        }
        api.get("/sites/{code}/kiosks") { _, context -> [KioskView] in
            _ = try context.requireManager()
            let site = try requireSite(context)
            return try database.kiosks(siteID: site.id!).map { KioskView(id: $0.id!, site: site.code, name: $0.name, createdAt: $0.createdAt, revoked: $0.revokedAt != nil) }
        }
        api.post("/sites/{code}/kiosks") { request, context -> EditedResponse<KioskView> in
            _ = try context.requireManager()
            let site = try requireSite(context)
            let body = try await request.decode(as: KioskBody.self, context: context)
            let name = body.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 64 else { throw APIError.badRequest(code: "invalid_kiosk", "终端名称必填（最多64字） / kiosk name required (max 64)") }
            let credential = Tokens.make(prefix: Tokens.kioskPrefix)
            let kiosk = try database.createKiosk(KioskRecord(siteID: site.id!, name: name, tokenHash: Tokens.hash(credential), createdAt: now()))
            context.logger.notice("kiosk credential issued", metadata: ["kiosk.id": "\(kiosk.id!)", "site.code": "\(site.code)"])
            return EditedResponse(status: .created, response: KioskView(id: kiosk.id!, site: site.code, name: kiosk.name, createdAt: kiosk.createdAt, revoked: false, credential: credential))
        }
        api.delete("/kiosks/{id}") { _, context -> HTTPResponse.Status in
            _ = try context.requireManager()
            let id = try context.parameters.require("id", as: Int64.self)
            guard try database.revokeKiosk(id: id, at: now()) else { throw APIError.notFound("kiosk \(id)", zh: "终端 \(id) ") }
            identities.forget(kiosk: id)
            return .noContent
        }

        // Admins create managers and other admins; clerks are made with their skills below.
        api.post("/accounts") { request, context -> EditedResponse<AccountView> in
            let admin = try context.requireAccount(.admin)
            let body = try await request.decode(as: AccountBody.self, context: context)
            guard body.role != .clerk else {
                throw APIError.badRequest(code: "use_clerks", "坐席账户请用 /api/v1/clerks 创建 / create clerks with /api/v1/clerks")
            }
            try validateUsername(body.username)
            try validatePassword(body.password)
            let name = body.displayName.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 64 else { throw APIError.badRequest(code: "invalid_account", "显示名称必填 / display name required") }
            let account = try database.createAccount(Account(
                username: body.username, displayName: name, role: body.role, passwordHash: try await AuthController.hash(body.password), createdAt: now()))
            context.logger.notice("account created", metadata: ["account.id": "\(account.id!)", "account.role": "\(account.role.rawValue)", "by": "\(admin.id)"])
            return EditedResponse(status: .created, response: AuthController.view(account))
        }
        api.get("/clerks") { _, context -> ClerkList in
            _ = try context.requireManager()
            return ClerkList(clerks: await queue.clerkViews())
        }
        api.post("/clerks") { request, context -> EditedResponse<ClerkView> in
            let manager = try context.requireManager()
            let body = try await request.decode(as: ClerkBody.self, context: context)
            try validateUsername(body.username)
            try validatePassword(body.password)
            let profile = try validatedProfile(displayName: body.displayName, window: body.window, skills: body.skills, items: body.items ?? [])
            let hash = try await AuthController.hash(body.password)
            let account = try database.createAccount(
                Account(username: body.username, displayName: profile.displayName, role: .clerk, passwordHash: hash, createdAt: now()),
                clerkProfile: ClerkProfileRecord(accountID: 0, window: profile.window, skills: profile.skills.sorted(), items: profile.items.sorted()))
            try await queue.registerClerk(account.id!, profile: profile, actor: "\(manager.role.rawValue):\(manager.id)")
            return EditedResponse(status: .created, response: await queue.clerkView(account.id!)!)
        }
        // A manager sets a new password: the lock is lifted and the clerk is signed out everywhere.
        api.post("/clerks/{id}/password") { request, context -> HTTPResponse.Status in
            _ = try context.requireManager()
            let id = try context.parameters.require("id", as: Int64.self)
            guard let account = try database.account(id: id), account.role == .clerk else { throw APIError.notFound("clerk \(id)", zh: "坐席 \(id) ") }
            let body = try await request.decode(as: PasswordReset.self, context: context)
            try validatePassword(body.password)
            try database.setPassword(accountID: id, hash: try await AuthController.hash(body.password))
            identities.forget(account: id)
            context.logger.notice("password reset", metadata: ["account.id": "\(id)"])
            return .noContent
        }
        api.patch("/clerks/{id}") { request, context -> ClerkView in
            let manager = try context.requireManager()
            let id = try context.parameters.require("id", as: Int64.self)
            guard var account = try database.account(id: id), account.role == .clerk, let record = try database.clerkProfile(accountID: id) else {
                throw APIError.notFound("clerk \(id)", zh: "坐席 \(id) ")
            }
            let patch = try await request.decode(as: ClerkPatch.self, context: context)
            let profile = try validatedProfile(
                displayName: patch.displayName ?? account.displayName, window: patch.window ?? record.window,
                skills: patch.skills ?? record.skills, items: patch.items ?? record.items)
            account.displayName = profile.displayName
            try database.updateAccount(account)
            try database.saveClerkProfile(ClerkProfileRecord(accountID: id, window: profile.window, skills: profile.skills.sorted(), items: profile.items.sorted()))
            try await queue.registerClerk(id, profile: profile, actor: "\(manager.role.rawValue):\(manager.id)")
            return await queue.clerkView(id)!
        }
    }

    struct AccountBody: Decodable {
        var username: String
        var displayName: String
        var password: String
        var role: Role
    }

    struct PasswordReset: Decodable {
        var password: String
    }

    static func serviceHours(_ hours: HoursView) throws -> ServiceHours {
        do {
            return try hours.serviceHours()
        } catch {
            throw APIError.badRequest(code: "invalid_hours", error.message)
        }
    }

    func requireSite(_ context: AppRequestContext) throws -> SiteRecord {
        let code = try context.parameters.require("code")
        guard let site = try database.site(code: code) else { throw APIError.notFound("site \(code)", zh: "站点 \(code) ") }
        return site
    }

    func view(_ site: SiteRecord) -> SiteView {
        let now = now()
        return SiteView(
            id: site.id!, code: site.code, name: LocalizedText(zh: site.nameZh, en: site.nameEn), hours: HoursView(site.hours),
            openNow: site.hours.isOpen(at: now), nextOpening: site.hours.nextOpening(after: now),
            kioskGraceSeconds: Int(queue.policy.kioskGrace), elderlyAge: queue.policy.elderlyAge)
    }

    func validateUsername(_ username: String) throws(APIError) {
        guard (3...32).contains(username.count), username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }) else {
            throw APIError.badRequest(code: "invalid_username", "用户名为3–32位字母、数字或 . - _ / username: 3–32 letters, digits, . - _")
        }
    }

    func validatePassword(_ password: String) throws(APIError) {
        guard (10...128).contains(password.count) else {
            throw APIError.badRequest(code: "weak_password", "密码至少10位 / password must have at least 10 characters")
        }
    }

    func validatedProfile(displayName: String, window: String, skills: [String], items: [String]) throws -> ClerkProfile {
        let name = displayName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64 else { throw APIError.badRequest(code: "invalid_clerk", "显示名称必填 / display name required") }
        guard !window.isEmpty, window.count <= 16 else { throw APIError.badRequest(code: "invalid_clerk", "窗口号必填 / window number required") }
        let known = Set(try database.categories().map(\.code))
        for skill in skills where !known.contains(skill) {
            throw APIError.badRequest(code: "unknown_category", "未知技能类别 / unknown skill category: \(skill)")
        }
        for item in items where try database.catalogItem(code: item) == nil {
            throw APIError.badRequest(code: "unknown_item", "未知事项 / unknown item: \(item)")
        }
        guard !skills.isEmpty || !items.isEmpty else {
            throw APIError.badRequest(code: "invalid_clerk", "至少需要一项技能或事项 / at least one skill or item")
        }
        return ClerkProfile(displayName: name, window: window, skills: Set(skills), items: Set(items))
    }
}
