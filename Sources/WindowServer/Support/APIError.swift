import Foundation
import HTTPTypes
import Hummingbird
import WindowAPITypes
import WindowCore

/// The one error type of the HTTP boundary. Rendered as
/// `{"error": {"code": "...", "message": "..."}}` by ``ErrorMiddleware``.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// Stable, machine-readable.
    public var code: APIErrorCode
    /// For people: Chinese first, English after.
    public var message: String
    /// For `closed`: when the window opens next.
    public var nextOpening: Date?
    /// For `account_locked`: when sign-in is possible again.
    public var lockedUntil: Date?
    /// Headers the answer carries besides the JSON body (`Allow` with a 405, `Retry-After` with a 429).
    public var headers: HTTPFields = [:]
    public var problems: [CatalogProblem]?
    public var changes: [CatalogChange]?
    public var conflicts: [CatalogConflict]?

    public init(_ status: HTTPResponse.Status, code: APIErrorCode, message: String, nextOpening: Date? = nil, lockedUntil: Date? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.nextOpening = nextOpening
        self.lockedUntil = lockedUntil
    }

    /// The queue's refusals: not found → 404, invalid → 400, conflicts and closed hours → 409.
    init(_ error: QueueError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .notFound: .notFound
        case .invalid: .badRequest
        case .conflict, .closed: .conflict
        case .forbidden: .forbidden
        }
        var message = error.message
        if let next = error.nextOpening {
            message += "；下次开放 / next opening: " + APIError.shanghaiTime(next)
        }
        self.init(status, code: APIErrorCode(error.code), message: message, nextOpening: error.nextOpening)
    }

    /// `2027-01-18 09:00 (UTC+8)`: how people in Shanghai read a time.
    static func shanghaiTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date) + " (UTC+8)"
    }

    public static func tooManyAttempts(retryAfter: Int) -> APIError {
        rateLimited(retryAfter: Double(retryAfter), "尝试过于频繁，请 \(retryAfter) 秒后再试 / too many attempts: try again in \(retryAfter) s")
    }

    public static func notFound(_ what: String, zh: String) -> APIError {
        APIError(.notFound, code: .notFound, message: "\(zh)不存在 / \(what) not found")
    }

    public static let unauthenticated = APIError(.unauthorized, code: .unauthorized, message: "需要登录或终端凭证 / authentication required")

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: .forbidden, message: "无权访问 / forbidden: \(message)")
    }

    public static func conflict(code: APIErrorCode, _ message: String) -> APIError {
        APIError(.conflict, code: code, message: message)
    }

    public static func badRequest(code: APIErrorCode = .badRequest, _ message: String) -> APIError {
        APIError(.badRequest, code: code, message: message)
    }

    /// A known path asked with a method it does not have.
    static func methodNotAllowed(allow: [HTTPRequest.Method]) -> APIError {
        let methods = allow.map(\.rawValue).joined(separator: ", ")
        var error = APIError(.methodNotAllowed, code: .methodNotAllowed, message: "不支持该请求方法 / method not allowed; allowed: \(methods)")
        error.headers[.allow] = methods
        return error
    }

    /// Too many requests: try again in `retryAfter` seconds (at least one).
    static func rateLimited(retryAfter seconds: Double, _ message: String) -> APIError {
        var error = APIError(.tooManyRequests, code: .rateLimited, message: message)
        error.headers[.retryAfter] = String(max(1, Int(seconds.rounded(.up))))
        return error
    }
}

extension APIErrorCode {
    /// The queue's refusal codes are API error codes (a test checks every one maps).
    init(_ code: QueueError.Code) {
        // Every core code is an API code (OpenAPISamplesTests checks each); conflict is never reached.
        self = APIErrorCode(rawValue: code.rawValue) ?? .conflict
    }
}

extension ErrorBody: ResponseEncodable {}
