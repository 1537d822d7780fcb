import Foundation
import Synchronization
import WindowCore

/// The catalog and the sites, held in memory: every ticket reads its item, its category and its
/// site, and they change a few times a day. Loaded on first use; the methods of ``AppDatabase``
/// that change them forget the held copy, so the next read loads it again.
final class HeldReference: Sendable {
    struct Catalog {
        var items: [String: StoredCatalogItem]
        var categories: [WindowCore.Category]
    }

    private let catalog = Mutex<Catalog?>(nil)
    private let sites = Mutex<[SiteRecord]?>(nil)

    func catalog(loading load: () throws -> Catalog) rethrows -> Catalog {
        if let held = catalog.withLock({ $0 }) { return held }
        let loaded = try load()
        catalog.withLock { $0 = loaded }
        return loaded
    }

    /// The sites, ordered by id.
    func sites(loading load: () throws -> [SiteRecord]) rethrows -> [SiteRecord] {
        if let held = sites.withLock({ $0 }) { return held }
        let loaded = try load()
        sites.withLock { $0 = loaded }
        return loaded
    }

    func forgetCatalog() { catalog.withLock { $0 = nil } }
    func forgetSites() { sites.withLock { $0 = nil } }
}
