import Foundation
import Synchronization
import WindowCore

/// The catalog and the sites, held in memory: every ticket reads its item, its category and its
/// site, and they change a few times a day. Loaded on first use; the methods of ``AppDatabase``
/// that change them forget the held copy, so the next read loads it again.
final class HeldReference: Sendable {
    struct Catalog {
        var version: Int
        var document: CatalogDocument
        var items: [String: StoredCatalogItem]
        var categories: [WindowCore.Category]
    }

    private let catalog = Mutex<(Catalog?, generation: Int)>((nil, 0))
    private let sites = Mutex<([SiteRecord]?, generation: Int)>((nil, 0))

    func catalog(loading load: () throws -> Catalog) rethrows -> Catalog {
        let (held, generation) = catalog.withLock { $0 }
        if let held { return held }
        let loaded = try load()
        // A load that overlapped a change may have read the old catalog: keep it only if nothing changed since.
        catalog.withLock { if $0.generation == generation { $0.0 = loaded } }
        return loaded
    }

    /// The sites, ordered by id.
    func sites(loading load: () throws -> [SiteRecord]) rethrows -> [SiteRecord] {
        let (held, generation) = sites.withLock { $0 }
        if let held { return held }
        let loaded = try load()
        sites.withLock { if $0.generation == generation { $0.0 = loaded } }
        return loaded
    }

    func forgetCatalog() { catalog.withLock { $0 = (nil, $0.generation + 1) } }
    func forgetSites() { sites.withLock { $0 = (nil, $0.generation + 1) } }
}
