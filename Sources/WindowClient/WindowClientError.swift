import Foundation
import WindowAPITypes
import WindowCore

/// Every failure of the API client, typed: the server's own refusal (its JSON error code and
/// bilingual message), or a problem on the way there. Messages are for people: Chinese first,
/// English after.
public struct WindowClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The server answered with its JSON error body.
        case server
        /// No connection, or no answer in time.
        case unreachable
        /// The server's certificate could not be verified against the configured CA.
        case untrusted
        /// The server answered something this client does not understand.
        case badResponse
        /// Something wrong before anything was sent: a bad URL, CA file, or material file.
        case invalidInput
    }

    public var kind: Kind
    /// HTTP status for `.server`.
    public var status: Int?
    /// The server's stable code (`not_found`, `closed`, …), or this client's own for other kinds
    /// (`unreachable`, `untrusted_server`, `bad_response`, `invalid_file`, …).
    public var code: String
    public var message: String
    /// For `closed`: when the window opens next.
    public var nextOpening: Date?
    /// For `.server`: the server's whole error body as decoded (problems, changes, conflicts…).
    public var detail: ErrorBody.Detail?

    public init(kind: Kind, status: Int? = nil, code: String, message: String, nextOpening: Date? = nil, detail: ErrorBody.Detail? = nil) {
        self.kind = kind
        self.status = status
        self.code = code
        self.message = message
        self.nextOpening = nextOpening
        self.detail = detail
    }

    public var description: String { message }

    /// The server's refusal code, when the server refused.
    public var serverCode: APIErrorCode? { kind == .server ? APIErrorCode(rawValue: code) : nil }

    public static func server(status: Int, code: String, message: String, nextOpening: Date? = nil, detail: ErrorBody.Detail? = nil) -> WindowClientError {
        WindowClientError(kind: .server, status: status, code: code, message: message, nextOpening: nextOpening, detail: detail)
    }

    /// With `catalog_invalid`: every problem, naming the item and the field (empty otherwise).
    public var problems: [CatalogProblem] { detail?.problems ?? [] }
    /// With `edit_conflict`: what changed in the draft since the editor loaded the item (empty otherwise).
    public var changes: [CatalogChange] { detail?.changes ?? [] }
    /// With `rebase_conflict`: the fields changed both in the draft and in the published catalog (empty otherwise).
    public var conflicts: [CatalogConflict] { detail?.conflicts ?? [] }

    public static func unreachable(_ detail: String) -> WindowClientError {
        WindowClientError(
            kind: .unreachable, code: "unreachable",
            message: "无法连接服务器，请稍后再试 / cannot reach the server, please try again later (\(detail))")
    }

    public static func untrusted(_ detail: String) -> WindowClientError {
        WindowClientError(
            kind: .untrusted, code: "untrusted_server",
            message: "无法验证服务器证书，已拒绝连接 / the server's certificate cannot be verified against the configured CA; not connecting (\(detail))")
    }

    public static func badResponse(_ detail: String) -> WindowClientError {
        WindowClientError(kind: .badResponse, code: "bad_response", message: "服务器应答无法识别 / unexpected answer from the server (\(detail))")
    }

    public static func invalidInput(code: String, _ message: String) -> WindowClientError {
        WindowClientError(kind: .invalidInput, code: code, message: message)
    }

    /// True for `404 not_found` and the like.
    public var isNotFound: Bool { kind == .server && status == 404 }
}
