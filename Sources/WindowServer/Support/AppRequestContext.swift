import Foundation
import Hummingbird
import Logging
import NIOCore
import WindowCore
import WindowStore

/// Who is calling: a kiosk with its device credential, or a signed-in account.
public enum Caller: Sendable, Hashable {
    case kiosk(id: KioskID, site: SiteID)
    /// The kiosk's video page (screen B), paired by the kiosk: the kiosk's side of the call only.
    case screenB(kiosk: KioskID, site: SiteID)
    case account(id: Int64, username: String, role: Role)
    /// Prometheus, with a scrape credential: `/metrics` only.
    case scraper(id: Int64)

    /// How the audit log names the caller.
    public var actor: String {
        switch self {
        case .kiosk(let id, _): "kiosk:\(id)"
        case .screenB(let id, _): "screen-b:\(id)"
        case .account(let id, _, let role): "\(role.rawValue):\(id)"
        case .scraper(let id): "scraper:\(id)"
        }
    }
}

/// A presented credential: its hash (never the token itself) and when it expires (kiosk credentials do not).
public struct Credential: Sendable, Hashable {
    public var hash: String
    public var expiresAt: Date?
}

/// What every context of the app shares: bilingual JSON with `/` unescaped and ISO 8601 dates,
/// and a small body limit (uploads read their own, larger one).
public protocol AppContext: RequestContext {}

extension AppContext {
    public var responseEncoder: JSONEncoder { AppJSON.encoder }
    public var requestDecoder: JSONDecoder { AppJSON.decoder }
    public var maxUploadSize: Int { 64 * 1024 }
}

/// The request context: the one place the caller lives, filled in by ``AuthenticatorMiddleware``.
/// Routes for one audience run in a child context that cannot exist without that caller.
public struct AppRequestContext: AppContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?
    /// Set when the caller came from the console's sign-in cookie (so CSRF rules apply).
    public var signInCookieToken: String?
    /// The credential the caller presented: live connections end when it does.
    public var credential: Credential?

    /// The peer's IP address (sign-in limits are per address).
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// A kiosk's request: its device and site.
struct KioskContext: AppContext, ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let kiosk: KioskID
    let site: SiteID
    var actor: String { Caller.kiosk(id: kiosk, site: site).actor }

    init(context: AppRequestContext) throws {
        guard case .kiosk(let id, let site) = context.caller else {
            throw context.caller == nil ? APIError.unauthenticated : .forbidden("仅限终端 / kiosks only")
        }
        coreContext = context.coreContext  // with the route's parameters (`.init(source:)` would drop them)
        self.kiosk = id
        self.site = site
    }
}

/// Screen B's request: the kiosk it is paired with.
struct ScreenBContext: AppContext, ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let kiosk: KioskID
    let site: SiteID
    let token: String?
    var actor: String { Caller.screenB(kiosk: kiosk, site: site).actor }

    init(context: AppRequestContext) throws {
        guard case .screenB(let id, let site) = context.caller else {
            throw context.caller == nil ? APIError.unauthenticated : .forbidden("仅限终端视频屏 / screen B only")
        }
        coreContext = context.coreContext  // with the route's parameters (`.init(source:)` would drop them)
        kiosk = id
        self.site = site
        token = context.signInCookieToken
    }
}

/// A signed-in account of any role (its own password, second factor, sign-out).
struct AccountContext: AppContext, ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let account: Int64
    let role: Role
    let signInCookieToken: String?
    var actor: String { "\(role.rawValue):\(account)" }

    init(context: AppRequestContext) throws {
        guard case .account(let id, _, let role) = context.caller else {
            throw context.caller == nil ? APIError.unauthenticated : .forbidden("仅限工作人员 / staff only")
        }
        coreContext = context.coreContext  // with the route's parameters (`.init(source:)` would drop them)
        account = id
        self.role = role
        signInCookieToken = context.signInCookieToken
    }
}

/// A clerk's request.
struct ClerkContext: AppContext, ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let clerk: ClerkID
    var actor: String { "clerk:\(clerk)" }

    init(context: AppRequestContext) throws {
        let account = try AccountContext.require(context, roles: [.clerk])
        coreContext = context.coreContext  // with the route's parameters (`.init(source:)` would drop them)
        clerk = account.id
    }
}

/// A manager's or an admin's request: admins may do whatever managers may.
struct ManagerContext: AppContext, ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let account: Int64
    let role: Role
    var actor: String { "\(role.rawValue):\(account)" }

    init(context: AppRequestContext) throws {
        let caller = try AccountContext.require(context, roles: [.manager, .admin])
        coreContext = context.coreContext  // with the route's parameters (`.init(source:)` would drop them)
        account = caller.id
        role = caller.role
    }
}

/// A read of `/metrics`: a manager, an admin, or Prometheus with its scrape credential.
struct MetricsContext: AppContext, ChildRequestContext {
    var coreContext: CoreRequestContextStorage

    init(context: AppRequestContext) throws {
        if case .scraper = context.caller {
        } else {
            _ = try AccountContext.require(context, roles: [.manager, .admin])
        }
        coreContext = context.coreContext
    }
}

/// An admin's request.
struct AdminContext: AppContext, ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let account: Int64
    var actor: String { "admin:\(account)" }

    init(context: AppRequestContext) throws {
        account = try AccountContext.require(context, roles: [.admin]).id
        coreContext = context.coreContext  // with the route's parameters (`.init(source:)` would drop them)
    }
}

/// Any caller, kiosk or account (reads whose answer depends on who asks).
struct CallerContext: AppContext, ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let caller: Caller
    let signInCookieToken: String?

    init(context: AppRequestContext) throws {
        guard let caller = context.caller else { throw APIError.unauthenticated }
        if case .scraper = caller { throw APIError.forbidden("抓取凭证只能读取 /metrics / a scrape credential reads /metrics only") }
        coreContext = context.coreContext  // with the route's parameters (`.init(source:)` would drop them)
        self.caller = caller
        signInCookieToken = context.signInCookieToken
    }
}

extension AccountContext {
    static func require(_ context: AppRequestContext, roles: Set<Role>) throws(APIError) -> (id: Int64, role: Role) {
        guard case .account(let id, _, let role) = context.caller else {
            throw context.caller == nil ? .unauthenticated : .forbidden("仅限工作人员 / staff only")
        }
        guard roles.contains(role) else {
            throw .forbidden("需要角色 / requires role: \(roles.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        return (id, role)
    }
}

public enum AppJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
