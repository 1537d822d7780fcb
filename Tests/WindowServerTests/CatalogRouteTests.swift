import WindowAPITypes
import Foundation
import WindowCore
import Testing

@testable import WindowServer

@Suite("catalog routes over TLS")
struct CatalogRouteTests {
    @Test("lists, filters, searches and reads items; errors are JSON with the right status")
    func catalogRoutes() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let all = try await server.request(.GET, "/api/v1/catalog/items").decode(CatalogList.self)
            #expect(all.count == 70)
            #expect(Set(all.items.map(\.code)).count == 70)

            let residence = try await server.request(.GET, "/api/v1/catalog/items?category=residence").decode(CatalogList.self)
            #expect(residence.count >= 4)
            #expect(residence.items.allSatisfy { $0.category == "residence" })

            let zh = try await server.request(.GET, "/api/v1/catalog/items?q=" + "居住证".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
                .decode(CatalogList.self)
            #expect(zh.count >= 1)
            #expect(zh.items.allSatisfy { $0.name["zh"]!.contains("居住证") || $0.name["en"]!.localizedCaseInsensitiveContains("居住证") })
            #expect(zh.items.contains { $0.name["zh"] == "居住证新办" })

            let en = try await server.request(.GET, "/api/v1/catalog/items?q=RESIDENCE%20permit").decode(CatalogList.self)
            #expect(en.count >= 1)
            #expect(en.items.allSatisfy { $0.name["en"]!.localizedCaseInsensitiveContains("residence permit") })

            // LIKE wildcards are searched literally.
            #expect(try await server.request(.GET, "/api/v1/catalog/items?q=%25").decode(CatalogList.self).count == 0)

            let code = all.items[0].code
            let one = try await server.request(.GET, "/api/v1/catalog/items/\(code)")
            #expect(one.status == 200)
            #expect(try one.decode(CatalogList.Item.self).code == code)
            #expect(try one.decode(CatalogList.Item.self).version == 1)

            let categories = try await server.request(.GET, "/api/v1/catalog/categories").decode([String: [[String: JSONValue]]].self)
            #expect(categories["categories"]?.count == 8)
        }
    }

    @Test("bad requests get a JSON error and the server keeps serving")
    func errors() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let cases: [(String, Int, String)] = [
                ("/api/v1/catalog/items/NOPE-999", 404, "not_found"),
                ("/api/v1/catalog/items?category=nonsense", 400, "unknown_category"),
                ("/api/v1/catalog/items?q=" + String(repeating: "x", count: 101), 400, "invalid_query"),
                ("/api/v1/no-such-route", 404, "not_found"),
            ]
            for (path, status, code) in cases {
                let reply = try await server.request(.GET, path)
                #expect(reply.status == status, "\(path)")
                #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true, "\(path)")
                let error = try reply.decode(ErrorReply.self)
                #expect(error.error.code == code, "\(path)")
                #expect(!error.error.message.isEmpty)
            }
            let wrongMethod = try await server.request(.POST, "/api/v1/catalog/items", body: Data("{}".utf8))
            #expect(wrongMethod.status == 405 || wrongMethod.status == 404)
            #expect((try? wrongMethod.decode(ErrorReply.self)) != nil)

            #expect(try await server.request(.GET, "/health").status == 200)
        }
    }
}
