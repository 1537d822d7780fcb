import Foundation
import Hummingbird

/// Serves the OpenAPI document shipped with the server. A test keeps it complete.
struct OpenAPIController {
    static func document() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources") else {
            throw APIError(.internalServerError, code: .internal, message: "OpenAPI document missing from the build")
        }
        return try Data(contentsOf: url)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let document = Result { try Self.document() }
        router.get("/api/v1/openapi.yaml") { _, _ -> Response in
            let data = try document.get()
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: data)))
            response.headers[.contentType] = "application/yaml; charset=utf-8"
            response.headers[.cacheControl] = "no-cache"
            return response
        }
    }
}
