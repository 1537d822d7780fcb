import Crypto
import Foundation
import WindowAPITypes
import WindowCore

/// STUN and TURN for the calls: the URLs, the secret coturn shares with us (`use-auth-secret`),
/// how long a credential lasts, and whether calls must go through TURN.
public struct IceSettings: Sendable, Equatable {
    public var stunURLs: [String]
    public var turnURLs: [String]
    /// coturn's `static-auth-secret`; nil: no TURN (host candidates only, a LAN).
    public var turnSecret: String?
    /// 10 to 30 minutes: long enough for a case, short enough that a leaked one soon lapses.
    public var credentialLifetime: TimeInterval
    public var transportPolicy: IceConfigView.TransportPolicy

    public init(
        stunURLs: [String] = [], turnURLs: [String] = [], turnSecret: String? = nil, credentialLifetime: TimeInterval = 20 * 60,
        transportPolicy: IceConfigView.TransportPolicy = .all
    ) {
        self.stunURLs = stunURLs
        self.turnURLs = turnURLs
        self.turnSecret = turnSecret
        self.credentialLifetime = credentialLifetime
        self.transportPolicy = transportPolicy
    }

    public static let lifetimeRange: ClosedRange<TimeInterval> = 600...1800

    /// The problems of these settings, each named (empty when they can be used).
    public var problems: [String] {
        var problems: [String] = []
        for url in stunURLs where !(url.hasPrefix("stun:") || url.hasPrefix("stuns:")) {
            problems.append("--stun-url \(url): must start with stun: or stuns:")
        }
        for url in turnURLs where !(url.hasPrefix("turn:") || url.hasPrefix("turns:")) {
            problems.append("--turn-url \(url): must start with turn: or turns:")
        }
        if !turnURLs.isEmpty && (turnSecret ?? "").isEmpty { problems.append("--turn-url needs --turn-secret-file") }
        if turnURLs.isEmpty && turnSecret != nil { problems.append("--turn-secret-file needs --turn-url") }
        if !Self.lifetimeRange.contains(credentialLifetime) { problems.append("--turn-ttl must be 600 to 1800 seconds") }
        if transportPolicy == .relay && turnURLs.isEmpty { problems.append("--ice-policy relay needs --turn-url") }
        return problems
    }

    /// The configuration one side of one session uses, with its own TURN credential.
    func config(session: SessionID, side: Participant, now: Date) -> IceConfigView {
        var servers: [IceConfigView.Server] = []
        if !stunURLs.isEmpty { servers.append(.init(urls: stunURLs)) }
        var expiresAt: Date?
        if let secret = turnSecret, !turnURLs.isEmpty {
            let expiry = now.addingTimeInterval(credentialLifetime)
            let username = TurnCredential.username(expiry: expiry, session: session, side: side)
            servers.append(.init(urls: turnURLs, username: username, credential: TurnCredential.password(secret: secret, username: username)))
            expiresAt = Date(timeIntervalSince1970: expiry.timeIntervalSince1970.rounded(.down))
        }
        return IceConfigView(iceServers: servers, iceTransportPolicy: transportPolicy, expiresAt: expiresAt)
    }
}

/// coturn's REST credential scheme (`use-auth-secret`): the username carries its own expiry, and
/// the password is a MAC of it, so the TURN server checks it with no call back to us.
public enum TurnCredential {
    /// `<expiry unix seconds>:<session id>-<kiosk|clerk>`.
    public static func username(expiry: Date, session: SessionID, side: Participant) -> String {
        "\(Int64(expiry.timeIntervalSince1970)):\(session)-\(side.rawValue)"
    }

    /// `base64(HMAC-SHA1(secret, username))`. SHA-1 because coturn's scheme says so; a MAC, not a hash of a secret.
    public static func password(secret: String, username: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        return Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: key)).base64EncodedString()
    }
}
