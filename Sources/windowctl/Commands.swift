import ArgumentParser
import Foundation
import WindowClient
import WindowCore

struct ClerkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clerk", abstract: "Clerk accounts and their skills.",
        subcommands: [List.self, Create.self, Update.self, ResetPassword.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every clerk with skills and live state.")
        @OptionGroup var options: SignInOptions

        func run() async throws {
            let clerks = try await options.withAPI { try await $0.clerks() }
            if options.json { return try printJSON(ClerkList(clerks: clerks)) }
            for clerk in clerks {
                print("\(clerk.id)\t\(clerk.window)\t\(clerk.displayName)\t\(clerk.state.rawValue)\t\((clerk.skills + clerk.items).joined(separator: ","))")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a clerk (the password is read from the terminal or standard input).")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Account name (3–32 letters, digits, . - _).") var username: String
        @Option(name: .long, help: "Name shown to kiosks, e.g. 王敏.") var name: String
        @Option(name: .long, help: "Window number shown to kiosks, e.g. 07.") var window: String
        @Option(name: .long, parsing: .upToNextOption, help: "Skill categories, e.g. residence social-insurance.") var skills: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: "Single items outside the skills, e.g. SB-002.") var items: [String] = []

        func run() async throws {
            let password = try readPassword(prompt: "新工作人员密码 / new clerk's password: ")
            let request = CreateClerkRequest(username: username, displayName: name, password: password, window: window, skills: skills, items: items)
            let clerk = try await options.withAPI { try await $0.createClerk(request) }
            if options.json { return try printJSON(clerk) }
            print("已创建工作人员 / clerk created: \(clerk.id) \(clerk.displayName), window \(clerk.window), skills \(clerk.skills.joined(separator: ","))")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a clerk's name, window, skills or items.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Clerk id (see `windowctl clerk list`).") var id: Int64
        @Option(name: .long, help: "New display name.") var name: String?
        @Option(name: .long, help: "New window number.") var window: String?
        @Option(name: .long, parsing: .upToNextOption, help: "Replace the skills.") var skills: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: "Replace the single items.") var items: [String] = []
        @Flag(name: .long, help: "Remove all single items.") var clearItems = false

        func run() async throws {
            let request = UpdateClerkRequest(
                displayName: name, window: window, skills: skills.isEmpty ? nil : skills, items: clearItems ? [] : (items.isEmpty ? nil : items))
            let clerk = try await options.withAPI { try await $0.updateClerk(id: id, request) }
            if options.json { return try printJSON(clerk) }
            print("已更新 / updated: \(clerk.id) \(clerk.displayName), window \(clerk.window), skills \(clerk.skills.joined(separator: ",")) items \(clerk.items.joined(separator: ","))")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "Set a clerk's password; lifts a lock and signs the clerk out everywhere.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Clerk id.") var id: Int64

        func run() async throws {
            let password = try readPassword(prompt: "新密码 / new password: ")
            try await options.withAPI { try await $0.resetPassword(clerk: id, password: password) }
            print("密码已重置 / password reset for clerk \(id)")
        }
    }
}

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Manager and admin accounts (admins only).", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a manager or admin (the password is read from the terminal or standard input).")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Account name.") var username: String
        @Option(name: .long, help: "Display name.") var name: String
        @Option(name: .long, help: "manager or admin (clerks are made with `windowctl clerk create`).") var role: String = Role.manager.rawValue

        /// The role asked for; only managers and admins are made here.
        var accountRole: Role? { Role(rawValue: role).flatMap { $0 == .clerk ? nil : $0 } }

        func validate() throws {
            guard accountRole != nil else {
                throw ValidationError("--role is manager or admin, not \(role) (clerks are made with `windowctl clerk create`)")
            }
        }

        func run() async throws {
            guard let role = accountRole else { throw ExitCode.validationFailure }
            let password = try readPassword(prompt: "新账户密码 / new account's password: ")
            let request = CreateAccountRequest(username: username, displayName: name, password: password, role: role)
            let account = try await options.withAPI { try await $0.createAccount(request) }
            if options.json { return try printJSON(account) }
            print("已创建 / created \(account.role) \(account.username) (\(account.id))")
        }
    }
}

struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Sites (extension points) and their service hours.", subcommands: [List.self, Create.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every site, open now or not.")
        @OptionGroup var options: SignInOptions

        func run() async throws {
            let sites = try await options.withAPI { try await $0.sites() }
            if options.json { return try printJSON(sites) }
            for site in sites {
                print("\(site.code)\t\(site.name.zh) / \(site.name.en)\t\(site.openNow ? "开放 open" : "关闭 closed")")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a site; hours default to Monday–Friday 09:00–17:00.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Site code, lowercase letters and dashes, e.g. huayang-feiyueli.") var code: String
        @Option(name: .long, help: "Chinese name.") var zh: String
        @Option(name: .long, help: "English name.") var en: String
        @Option(name: .long, help: "Weekday hours as DAYS=HH:MM-HH:MM, e.g. 1-5=09:00-17:00 (repeatable).") var hours: [String] = []

        func run() async throws {
            var weekly: [String: [HoursView.Interval]] = [:]
            for spec in hours {
                let parts = spec.split(separator: "=")
                let times = parts.count == 2 ? parts[1].split(separator: "-") : []
                let days = parts.first?.split(separator: "-").compactMap { Int($0) } ?? []
                guard times.count == 2, let first = days.first, let last = days.last, (1...7).contains(first), (first...7).contains(last) else {
                    Failure.report(Failure("服务时间格式应为 1-5=09:00-17:00 / hours look like 1-5=09:00-17:00, got \(spec)"))
                    throw ExitCode(1)
                }
                for day in first...last { weekly[String(day), default: []].append(.init(open: String(times[0]), close: String(times[1]))) }
            }
            let request = CreateSiteRequest(code: code, name: LocalizedText(zh: zh, en: en), hours: weekly.isEmpty ? nil : HoursView(weekly: weekly))
            let site = try await options.withAPI { try await $0.createSite(request) }
            if options.json { return try printJSON(site) }
            print("已创建站点 / site created: \(site.code) \(site.name.zh)")
        }
    }
}

struct KioskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kiosk", abstract: "Kiosk devices and their credentials.", subcommands: [Issue.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a kiosk at a site and print its credential (shown this once).")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Kiosk name, e.g. 一体机 1.") var name: String

        func run() async throws {
            let kiosk = try await options.withAPI { try await $0.issueKiosk(site: site, name: name) }
            if options.json { return try printJSON(kiosk) }
            print("终端 / kiosk \(kiosk.id) \(kiosk.name) at \(kiosk.site)")
            print("凭证（仅显示一次）/ credential (shown once): \(kiosk.credential ?? "")")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a kiosk's credential.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "Kiosk id.") var id: Int64

        func run() async throws {
            try await options.withAPI { try await $0.revokeKiosk(id: id) }
            print("已吊销 / revoked kiosk \(id)")
        }
    }
}

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "The live queue by site and category, and every clerk's state.")
    @OptionGroup var options: SignInOptions

    func run() async throws {
        let board = try await options.withAPI { try await $0.board() }
        if options.json { return try printJSON(board) }
        print("排队 / waiting:")
        if board.lines.isEmpty { print("  (无 / none)") }
        for line in board.lines {
            print("  \(line.siteCode ?? "-")\t\(line.category)\t\(line.waiting)\t最长 longest \(line.longestWaitSeconds)s\tETA \(line.etaSeconds.map { "\($0)s" } ?? "-")")
        }
        print("工作人员 / clerks:")
        for clerk in board.clerks { print("  \(clerk.window)\t\(clerk.displayName)\t\(clerk.state.rawValue)") }
        print("今日 / today: " + board.today.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
}

struct TOTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "totp", abstract: "Turn on a TOTP second factor for the signed-in account.", subcommands: [Setup.self, Enable.self])

    struct Setup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a new secret; add the printed otpauth:// address to an authenticator app.")
        @OptionGroup var options: SignInOptions

        func run() async throws {
            let answer = try await options.withAPI { try await $0.setUpTOTP() }
            if options.json { return try printJSON(answer) }
            print("在验证器应用中添加 / add to your authenticator app:\n\(answer.otpauthURL)")
            print("然后运行 / then run: windowctl totp enable CODE")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm a code from the app; from now on sign-in asks for it.")
        @OptionGroup var options: SignInOptions
        @Argument(help: "The 6-digit code the app shows now.") var code: String

        func run() async throws {
            let account = try await options.withAPI { try await $0.enableTOTP(code: code) }
            if options.json { return try printJSON(account) }
            print(account.totpEnabled == true ? "已启用动态口令 / TOTP enabled for \(account.username)" : "未启用 / not enabled")
        }
    }
}
