import Foundation
import WindowCore

/// An account as the API shows it.
public struct AccountView: Codable, Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var totpEnabled: Bool?

    public init(id: Int64, username: String, displayName: String, role: Role, totpEnabled: Bool?) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.totpEnabled = totpEnabled
    }
}

/// `POST /api/v1/auth/login`.
public struct LoginResponse: Codable, Sendable, Equatable {
    public var token: String
    public var expiresAt: Date
    /// For the console: sent back as `X-CSRF-Token` with the session cookie.
    public var csrfToken: String?
    public var account: AccountView

    public init(token: String, expiresAt: Date, csrfToken: String?, account: AccountView) {
        self.token = token
        self.expiresAt = expiresAt
        self.csrfToken = csrfToken
        self.account = account
    }
}

/// `GET /api/v1/auth/me`: who the credential belongs to.
public struct MeView: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case kiosk, account
        case screenB = "screen-b"
    }

    public var kind: Kind
    public var account: AccountView?
    public var kiosk: Int64?
    public var site: Int64?
    /// For the console signed in with the cookie: the value of `X-CSRF-Token`.
    public var csrfToken: String?

    public init(kind: Kind, account: AccountView? = nil, kiosk: Int64? = nil, site: Int64? = nil, csrfToken: String? = nil) {
        self.kind = kind
        self.account = account
        self.kiosk = kiosk
        self.site = site
        self.csrfToken = csrfToken
    }
}

/// `POST /api/v1/auth/totp/setup`: the secret, shown once, to enrol an authenticator app.
public struct TOTPSetupView: Codable, Sendable, Equatable {
    public var secret: String
    public var otpauthURL: String

    public init(secret: String, otpauthURL: String) {
        self.secret = secret
        self.otpauthURL = otpauthURL
    }
}

/// A read-only credential for Prometheus' scrape of `/metrics`. `credential` is there once, in the answer that issued it.
public struct ScrapeCredentialView: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var createdAt: Date
    public var revoked: Bool
    public var credential: String?

    public init(id: Int64, name: String, createdAt: Date, revoked: Bool, credential: String? = nil) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.revoked = revoked
        self.credential = credential
    }
}

/// `POST /api/v1/scrape-credentials`.
public struct CreateScrapeCredentialRequest: Codable, Sendable, Equatable {
    /// What scrapes with it, e.g. `prometheus-1`.
    public var name: String

    public init(name: String) { self.name = name }
}
