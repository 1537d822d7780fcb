import Foundation
import HTTPTypes
import Hummingbird

/// The one error type of the HTTP boundary. Rendered as
/// `{"error": {"code": "...", "message": "..."}}` by ``ErrorMiddleware``.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// Stable, machine-readable, snake_case.
    public var code: String
    /// For people: Chinese first, English after.
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func notFound(_ what: String, zh: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "\(zh)不存在 / \(what) not found")
    }

    public static func badRequest(code: String = "bad_request", _ message: String) -> APIError {
        APIError(.badRequest, code: code, message: message)
    }
}

/// The JSON body of every error response.
struct ErrorBody: Codable, Sendable, ResponseEncodable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
    }
    var error: Detail
}
