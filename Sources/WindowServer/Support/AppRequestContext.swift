import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import WindowStore

/// Who is calling: a kiosk with its device credential, or a signed-in account.
public enum Identity: Sendable, Hashable {
    case kiosk(id: Int64, site: Int64)
    case account(id: Int64, username: String, role: Role)

    /// How the audit log names the caller.
    public var actor: String {
        switch self {
        case .kiosk(let id, _): "kiosk:\(id)"
        case .account(let id, _, let role): "\(role.rawValue):\(id)"
        }
    }
}

/// The request context: the one place the caller's identity lives.
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<AppRequestContext>
    public var identity: Identity?
    /// Set when the identity came from the console's session cookie (so CSRF rules apply).
    public var sessionCookieToken: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
    }

    /// Responses keep `/` unescaped, so bilingual messages read as written.
    public var responseEncoder: JSONEncoder { AppJSON.encoder }
    public var requestDecoder: JSONDecoder { AppJSON.decoder }

    /// JSON bodies are small; uploads get their own, larger limit where they are read.
    public var maxUploadSize: Int { 64 * 1024 }

    // MARK: Role checks. Every route calls one of these (or is public by design).

    func requireKiosk() throws(APIError) -> (id: Int64, site: Int64) {
        guard case .kiosk(let id, let site) = identity else {
            throw identity == nil ? .unauthenticated : .forbidden("仅限终端 / kiosks only")
        }
        return (id, site)
    }

    func requireAccount(_ roles: Role...) throws(APIError) -> (id: Int64, username: String, role: Role) {
        guard case .account(let id, let username, let role) = identity else {
            throw identity == nil ? .unauthenticated : .forbidden("仅限工作人员 / staff only")
        }
        guard roles.isEmpty || roles.contains(role) else {
            throw .forbidden("需要角色 / requires role: \(roles.map(\.rawValue).joined(separator: ", "))")
        }
        return (id, username, role)
    }

    func requireClerk() throws(APIError) -> Int64 {
        try requireAccount(.clerk).id
    }

    func requireManager() throws(APIError) -> (id: Int64, username: String, role: Role) {
        try requireAccount(.manager, .admin)
    }

    func requireIdentity() throws(APIError) -> Identity {
        guard let identity else { throw .unauthenticated }
        return identity
    }
}

enum AppJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
