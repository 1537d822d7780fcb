/// Text people read, Chinese first (authoritative) with English beside it.
public struct LocalizedText: Codable, Hashable, Sendable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// True when either language contains `query`, ignoring case.
    public func contains(_ query: String) -> Bool {
        zh.localizedCaseInsensitiveContains(query) || en.localizedCaseInsensitiveContains(query)
    }
}
