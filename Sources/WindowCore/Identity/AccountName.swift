/// An account as a record of who did something names it (the catalog's history, a follow-up's
/// owner): its id, and its username as it was then.
public struct AccountName: Codable, Hashable, Sendable {
    public var account: Int64
    public var username: String

    public init(account: Int64, username: String) {
        self.account = account
        self.username = username
    }
}
