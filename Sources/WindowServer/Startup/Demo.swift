import Foundation
import Logging
import WindowCore
import WindowStore

/// `windowd --demo`: on a fresh data folder only, a site open every day, a kiosk and two clerks,
/// so one machine can try the whole remote window. Nothing of it exists without the flag.
public struct DemoReport: Sendable {
    public var siteCode: String
    public var kioskCredential: String
    public var clerks: [(username: String, password: String, window: String)]
    /// A one-time pairing code for screen B (valid 5 minutes; `kiosk screen-b` makes another).
    public var pairingCode: String?
}

enum Demo {
    static let siteCode = "demo"

    /// Creates the demo's records before the queue starts (it reads the clerks on start).
    static func create(database: AppDatabase, passwords: Passwords, now: Date, logger: Logger) async throws -> DemoReport {
        let site = try database.createSite(
            SiteRecord(code: siteCode, nameZh: "演示站点（每日开放）", nameEn: "Demo site (open every day)", hours: .always, createdAt: now))
        let credential = Tokens.make(prefix: Tokens.kioskPrefix)
        _ = try database.createKiosk(KioskRecord(siteID: site.id!, name: "演示一体机 / Demo kiosk", tokenHash: Tokens.hash(credential), createdAt: now))
        let skills = try database.categories().map(\.code).sorted()
        var clerks: [(String, String, String)] = []
        for (index, (username, name)) in [("demo-clerk1", "演示工作人员一"), ("demo-clerk2", "演示工作人员二")].enumerated() {
            let password = InitialAdmin.randomPassword()
            let window = String(format: "%02d", index + 1)
            _ = try database.createAccount(
                Account(username: username, displayName: name, role: .clerk, passwordHash: try await passwords.hash(password), createdAt: now),
                clerkProfile: ClerkProfileRecord(accountID: 0, window: window, skills: skills, items: []))
            clerks.append((username, password, window))
        }
        logger.notice("demo created", metadata: ["site.code": "\(siteCode)", "clerks": "\(clerks.count)"])
        return DemoReport(siteCode: siteCode, kioskCredential: credential, clerks: clerks)
    }
}
