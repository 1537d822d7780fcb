import Foundation
import WindowCore

/// A catalog item as the API serves it: the item's fields plus its published `version`.
public struct CatalogItemView: Codable, Sendable, Equatable {
    public var item: CatalogItem
    public var version: Int

    public init(item: CatalogItem, version: Int) {
        self.item = item
        self.version = version
    }

    public init(from decoder: any Decoder) throws {
        item = try CatalogItem(from: decoder)
        version = try decoder.container(keyedBy: VersionKey.self).decodeIfPresent(Int.self, forKey: .version) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: VersionKey.self)
        try container.encode(version, forKey: .version)
    }

    enum VersionKey: String, CodingKey { case version }
}
