import Foundation
import Testing
import WindowStore

@testable import WindowServer

@Suite("OpenAPI document")
struct OpenAPITests {
    /// `METHOD /path` for every operation in the document's `paths:` section.
    static func documentedOperations(_ yaml: String) -> Set<String> {
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var operations = Set<String>()
        var inPaths = false
        var currentPath: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                inPaths = line.hasPrefix("paths:")
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path = currentPath {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if line.hasSuffix(":"), methods.contains(String(key)) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test("every route is in the OpenAPI document, and the document names no route that does not exist")
    func documentMatchesRouter() async throws {
        let yaml = String(decoding: try OpenAPIController.document(), as: UTF8.self)
        let documented = Self.documentedOperations(yaml)
        let data = try TemporaryDirectory()
        let services = try await AppServices.make(
            database: try AppDatabase.inMemory(), settings: ServerSettings(dataDirectory: data.url), logger: .init(label: "test"))
        let router = buildRouter(services)
        let routes = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(!routes.isEmpty)
        #expect(routes.subtracting(documented).isEmpty, "routes missing from openapi.yaml: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not routed: \(documented.subtracting(routes).sorted())")
    }

    @Test("the document is served")
    func served() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let reply = try await server.request(.GET, "/api/v1/openapi.yaml")
            #expect(reply.status == 200)
            #expect(String(decoding: reply.body, as: UTF8.self).hasPrefix("openapi: 3.1"))
        }
    }
}
