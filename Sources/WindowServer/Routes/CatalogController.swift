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
        /// The published catalog version these items belong to (never a mix).
        var catalogVersion: Int
    }

    struct DepartmentList: ResponseCodable {
        var departments: [Department]
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
            let status = try request.uri.queryParameters["status"].map { text in
                guard let status = CatalogItem.Status(rawValue: String(text)) else {
                    throw APIError.badRequest(code: .invalidQuery, "状态应为 active、suspended 或 retired / status: active, suspended or retired")
                }
                return status
            }
            let published = try database.publishedCatalog()
            let items = try await database.catalogItems(category: category, status: status, search: search).map {
                CatalogItemView(item: $0.item, version: $0.version, departmentName: published.department($0.item.department)?.name)
            }
            return ItemList(items: items, count: items.count, catalogVersion: published.version)
        }
        group.get("/departments") { _, _ -> DepartmentList in
            DepartmentList(departments: try database.publishedCatalog().document.departments)
        }
        // `?version=N`: the item as a ticket issued under version N sees it.
        group.get("/items/{code}") { request, context -> CatalogItemView in
            let code = try context.parameters.require("code")
            let published = try database.publishedCatalog()
            let stored: StoredCatalogItem?
            if let text = request.uri.queryParameters["version"] {
                guard let version = Int(text), version > 0 else {
                    throw APIError.badRequest(code: .invalidQuery, "version 应为正整数 / version must be a positive whole number")
                }
                stored = try await database.catalogItem(code: code, version: version)
            } else {
                stored = try database.catalogItem(code: code)
            }
            guard let stored else {
                throw APIError.notFound("catalog item \(code)", zh: "事项 \(code) ")
            }
            // A department renamed since keeps its code: today's name is shown.
            return CatalogItemView(item: stored.item, version: stored.version, departmentName: published.department(stored.item.department)?.name)
        }
    }
}
