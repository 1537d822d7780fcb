import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// The service catalog as people browse it. Reading it is public: it is the published guide
/// to government services, shown on kiosks and in the console alike.
struct CatalogController {
    let database: AppDatabase

    struct ItemList: ResponseCodable {
        var items: [CatalogItemView]
        var count: Int
    }

    struct CategoryList: ResponseCodable {
        var categories: [WindowCore.Category]
    }

    static let maxSearchLength = 100

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/api/v1/catalog")
        group.get("/categories") { _, _ -> CategoryList in
            CategoryList(categories: try database.categories())
        }
        group.get("/items") { request, _ -> ItemList in
            let category = request.uri.queryParameters["category"].map(String.init)
            let search = request.uri.queryParameters["q"].map(String.init)
            if let search, search.count > Self.maxSearchLength {
                throw APIError.badRequest(
                    code: .invalidQuery, "搜索词过长（最多\(Self.maxSearchLength)字） / search text too long (max \(Self.maxSearchLength))")
            }
            if let category, try !database.categories().contains(where: { $0.code == category }) {
                throw APIError.badRequest(code: .unknownCategory, "未知类别 / unknown category: \(category)")
            }
            let items = try await database.catalogItems(category: category, search: search).map { CatalogItemView(item: $0.item, version: $0.version) }
            return ItemList(items: items, count: items.count)
        }
        group.get("/items/{code}") { _, context -> CatalogItemView in
            let code = try context.parameters.require("code")
            guard let stored = try database.catalogItem(code: code) else {
                throw APIError.notFound("catalog item \(code)", zh: "事项 \(code) ")
            }
            return CatalogItemView(item: stored.item, version: stored.version)
        }
    }
}
