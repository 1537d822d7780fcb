import Foundation
import WindowCore
import WindowStore

extension AppDatabase {
    /// A signed-in manager as the catalog's and the follow-up cases' histories name them.
    func accountName(_ account: Int64) async throws -> AccountName {
        guard let found = try await self.account(id: account) else {
            throw APIError(.unauthorized, code: .unauthorized, message: "账户不存在 / no such account")
        }
        return AccountName(account: account, username: found.username)
    }

    /// Clerks' display names by id, for case lists and report rows.
    func clerkNames() async throws -> [ClerkID: String] {
        var names: [ClerkID: String] = [:]
        for account in try await accounts() where account.role == .clerk { names[account.id!] = account.displayName }
        return names
    }
}
