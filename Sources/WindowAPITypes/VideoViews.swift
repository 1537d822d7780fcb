import Foundation
import WindowCore

/// `POST /api/v1/kiosk/screen-b`: a one-time pairing link for the kiosk's video page.
public struct ScreenBPairingView: Codable, Sendable, Equatable {
    public var code: String
    /// `https://HOST:PORT/screen-b/#pair=CODE`: the code rides in the fragment, which no server logs.
    public var url: String
    public var expiresAt: Date

    public init(code: String, url: String, expiresAt: Date) {
        self.code = code
        self.url = url
        self.expiresAt = expiresAt
    }
}

/// `POST /api/v1/screen-b/pair`.
public struct PairScreenBRequest: Codable, Sendable, Equatable {
    public var code: String

    public init(code: String) { self.code = code }
}

/// What screen B knows of itself: its kiosk, the site, and the CSRF value for its POSTs.
public struct ScreenBView: Codable, Sendable, Equatable {
    public struct KioskInfo: Codable, Sendable, Equatable {
        public var id: Int64
        public var name: String

        public init(id: Int64, name: String) {
            self.id = id
            self.name = name
        }
    }
    public var kiosk: KioskInfo
    public var site: SiteView
    /// For the `X-CSRF-Token` header of the page's POSTs (nil for a bearer credential, which needs none).
    public var csrf: String?

    public init(kiosk: KioskInfo, site: SiteView, csrf: String?) {
        self.kiosk = kiosk
        self.site = site
        self.csrf = csrf
    }
}

/// `POST /api/v1/screen-b/sessions/{id}/consent`: the worker's answer to the camera notice.
public struct ConsentRequest: Codable, Sendable, Equatable {
    public var accepted: Bool

    public init(accepted: Bool) { self.accepted = accepted }
}

/// `GET /api/v1/sessions/{id}/ice`: the `RTCConfiguration` one side of one session uses.
public struct IceConfigView: Codable, Sendable, Equatable {
    public struct Server: Codable, Sendable, Equatable {
        public var urls: [String]
        public var username: String?
        public var credential: String?

        public init(urls: [String], username: String? = nil, credential: String? = nil) {
            self.urls = urls
            self.username = username
            self.credential = credential
        }
    }
    public enum TransportPolicy: String, Codable, Sendable, CaseIterable {
        case all, relay
    }
    public var iceServers: [Server]
    public var iceTransportPolicy: TransportPolicy
    /// When the TURN credential lapses (no new allocation after it); nil without TURN.
    public var expiresAt: Date?

    public init(iceServers: [Server], iceTransportPolicy: TransportPolicy, expiresAt: Date?) {
        self.iceServers = iceServers
        self.iceTransportPolicy = iceTransportPolicy
        self.expiresAt = expiresAt
    }
}

/// Each side's media as last reported: its connection state and stats summary.
public struct SessionMediaView: Codable, Sendable, Equatable {
    public struct Side: Codable, Sendable, Equatable {
        public var state: MediaState
        public var stats: MediaStats?
        public var quality: MediaStats.Quality?

        public init(state: MediaState, stats: MediaStats?) {
            self.state = state
            self.stats = stats
            self.quality = stats?.quality
        }
    }
    public var kiosk: Side?
    public var clerk: Side?

    public init(kiosk: Side?, clerk: Side?) {
        self.kiosk = kiosk
        self.clerk = clerk
    }
}
