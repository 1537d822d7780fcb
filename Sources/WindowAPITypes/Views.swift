import Foundation
import WindowCore

// What the API sends and receives: one definition for the server that writes it and the clients
// that read it. Field names follow the OpenAPI document (Sources/WindowServer/Resources/openapi.yaml).

/// A catalog item as the API serves it: the item's fields plus its published `version`.
public struct CatalogItemView: Codable, Sendable, Equatable {
    public var item: CatalogItem
    public var version: Int

    public init(item: CatalogItem, version: Int) {
        self.item = item
        self.version = version
    }

    public init(from decoder: any Decoder) throws {
        item = try CatalogItem(from: decoder)
        version = try decoder.container(keyedBy: VersionKey.self).decodeIfPresent(Int.self, forKey: .version) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: VersionKey.self)
        try container.encode(version, forKey: .version)
    }

    enum VersionKey: String, CodingKey { case version }
}

/// A site's service hours as the API writes them: ISO weekday (`"1"` = Monday) → `HH:mm` intervals.
public struct HoursView: Codable, Sendable, Equatable {
    public struct Interval: Codable, Sendable, Equatable {
        public var open: String
        public var close: String

        public init(open: String, close: String) {
            self.open = open
            self.close = close
        }
    }

    public var weekly: [String: [Interval]]
    public var holidays: [String]?
    public var workdays: [String: [Interval]]?

    public init(weekly: [String: [Interval]], holidays: [String]? = nil, workdays: [String: [Interval]]? = nil) {
        self.weekly = weekly
        self.holidays = holidays
        self.workdays = workdays
    }
}

/// The kiosk's site: its name, hours, and whether the window is open now.
public struct SiteView: Codable, Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: LocalizedText
    public var hours: HoursView
    public var openNow: Bool
    public var nextOpening: Date?
    /// How long the server keeps a dropped kiosk's ticket, and the elderly lane's age (older servers omit them).
    public var kioskGraceSeconds: Int?
    public var elderlyAge: Int?

    public init(
        id: Int64, code: String, name: LocalizedText, hours: HoursView, openNow: Bool, nextOpening: Date?,
        kioskGraceSeconds: Int? = nil, elderlyAge: Int? = nil
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.hours = hours
        self.openNow = openNow
        self.nextOpening = nextOpening
        self.kioskGraceSeconds = kioskGraceSeconds
        self.elderlyAge = elderlyAge
    }
}

/// What a kiosk sees of its ticket.
public struct TicketView: Codable, Sendable, Equatable {
    public struct SessionInfo: Codable, Sendable, Equatable {
        public var id: Int64
        public var state: SessionState
        public var room: String
        public var clerkName: String
        public var window: String
        public var outcome: SessionOutcome?
        public var caseNumber: String?

        public init(
            id: Int64, state: SessionState, room: String = "", clerkName: String, window: String,
            outcome: SessionOutcome? = nil, caseNumber: String? = nil
        ) {
            self.id = id
            self.state = state
            self.room = room
            self.clerkName = clerkName
            self.window = window
            self.outcome = outcome
            self.caseNumber = caseNumber
        }
    }

    public var id: Int64
    public var number: String
    public var itemCode: String
    public var category: String
    public var state: TicketState
    public var priorityClass: PriorityClass
    public var priorityReason: PriorityReason?
    public var position: Int?
    public var ahead: Int?
    /// Estimated wait; nil when no clerk for it is on duty.
    public var waitSeconds: Int?
    public var clerksOnDuty: Int?
    public var createdAt: Date
    public var endedAt: Date?
    /// Set while the server keeps the ticket for a disconnected kiosk.
    public var kioskGraceUntil: Date?
    public var idNumberMasked: String?
    public var session: SessionInfo?

    public init(
        id: Int64, number: String, itemCode: String, category: String, state: TicketState,
        priorityClass: PriorityClass = .normal, priorityReason: PriorityReason? = nil,
        position: Int? = nil, ahead: Int? = nil, waitSeconds: Int? = nil, clerksOnDuty: Int? = nil,
        createdAt: Date, endedAt: Date? = nil, kioskGraceUntil: Date? = nil, idNumberMasked: String? = nil,
        session: SessionInfo? = nil
    ) {
        self.id = id
        self.number = number
        self.itemCode = itemCode
        self.category = category
        self.state = state
        self.priorityClass = priorityClass
        self.priorityReason = priorityReason
        self.position = position
        self.ahead = ahead
        self.waitSeconds = waitSeconds
        self.clerksOnDuty = clerksOnDuty
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.kioskGraceUntil = kioskGraceUntil
        self.idNumberMasked = idNumberMasked
        self.session = session
    }
}

/// A material handed over in a session, and its review.
public struct MaterialView: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var contentType: String
    public var size: Int
    public var status: MaterialStatus
    public var reason: String?
    public var uploadedAt: Date?
    public var reviewedAt: Date?

    public init(
        id: Int64, name: String, contentType: String, size: Int, status: MaterialStatus, reason: String? = nil,
        uploadedAt: Date? = nil, reviewedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.size = size
        self.status = status
        self.reason = reason
        self.uploadedAt = uploadedAt
        self.reviewedAt = reviewedAt
    }
}

/// A 好差评 rating as stored.
public struct RatingView: Codable, Sendable, Equatable {
    public var level: Int
    public var label: LocalizedText
    public var comment: String?

    public init(level: Int, label: LocalizedText, comment: String?) {
        self.level = level
        self.label = label
        self.comment = comment
    }
}

/// A session with its materials, outcome and rating.
public struct SessionView: Codable, Sendable, Equatable {
    public var id: Int64
    public var ticket: Int64
    public var clerk: Int64?
    public var kiosk: Int64?
    public var itemCode: String
    public var state: SessionState
    public var room: String?
    public var startedAt: Date?
    public var endedAt: Date?
    public var outcome: SessionOutcome?
    public var notes: String?
    public var caseNumber: String?
    public var materials: [MaterialView]
    public var rating: RatingView?

    public init(
        id: Int64, ticket: Int64, itemCode: String, state: SessionState, outcome: SessionOutcome? = nil,
        caseNumber: String? = nil, notes: String? = nil, materials: [MaterialView] = [], rating: RatingView? = nil
    ) {
        self.id = id
        self.ticket = ticket
        self.itemCode = itemCode
        self.state = state
        self.outcome = outcome
        self.caseNumber = caseNumber
        self.notes = notes
        self.materials = materials
        self.rating = rating
    }
}

/// `materials` live message: the session's whole list after a change.
public struct MaterialsUpdate: Codable, Sendable, Equatable {
    public var session: Int64
    public var materials: [MaterialView]

    public init(session: Int64, materials: [MaterialView]) {
        self.session = session
        self.materials = materials
    }
}

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

/// What a clerk sees of themself: state, the offer in front of them, the case in hand.
public struct ClerkView: Codable, Sendable, Equatable {
    public struct OfferInfo: Codable, Sendable, Equatable {
        public var ticket: Int64
        public var number: String
        public var itemCode: String
        public var category: String
        public var priorityClass: PriorityClass
        public var priorityReason: PriorityReason?
        public var madeAt: Date
        public var expiresAt: Date
        public var waitedSeconds: Int

        public init(
            ticket: Int64, number: String, itemCode: String, category: String, priorityClass: PriorityClass,
            priorityReason: PriorityReason?, madeAt: Date, expiresAt: Date, waitedSeconds: Int
        ) {
            self.ticket = ticket
            self.number = number
            self.itemCode = itemCode
            self.category = category
            self.priorityClass = priorityClass
            self.priorityReason = priorityReason
            self.madeAt = madeAt
            self.expiresAt = expiresAt
            self.waitedSeconds = waitedSeconds
        }
    }

    public struct SessionInfo: Codable, Sendable, Equatable {
        public var id: Int64
        public var ticket: Int64
        public var number: String
        public var itemCode: String
        public var state: SessionState
        public var room: String
        public var startedAt: Date
        public var kioskPresent: Bool
        public var priorityReason: PriorityReason?
        public var idNumberMasked: String?

        public init(
            id: Int64, ticket: Int64, number: String, itemCode: String, state: SessionState, room: String, startedAt: Date,
            kioskPresent: Bool, priorityReason: PriorityReason?, idNumberMasked: String?
        ) {
            self.id = id
            self.ticket = ticket
            self.number = number
            self.itemCode = itemCode
            self.state = state
            self.room = room
            self.startedAt = startedAt
            self.kioskPresent = kioskPresent
            self.priorityReason = priorityReason
            self.idNumberMasked = idNumberMasked
        }
    }

    public var id: Int64
    public var displayName: String
    public var window: String
    public var skills: [String]
    public var items: [String]
    public var state: ClerkState
    public var stateSince: Date
    public var missedOffers: Int
    public var wrapUpUntil: Date?
    public var connected: Bool
    public var offer: OfferInfo?
    public var session: SessionInfo?

    public init(
        id: Int64, displayName: String, window: String, skills: [String], items: [String], state: ClerkState, stateSince: Date,
        missedOffers: Int, wrapUpUntil: Date?, connected: Bool, offer: OfferInfo?, session: SessionInfo?
    ) {
        self.id = id
        self.displayName = displayName
        self.window = window
        self.skills = skills
        self.items = items
        self.state = state
        self.stateSince = stateSince
        self.missedOffers = missedOffers
        self.wrapUpUntil = wrapUpUntil
        self.connected = connected
        self.offer = offer
        self.session = session
    }
}

/// `GET /api/v1/clerks`.
public struct ClerkList: Codable, Sendable, Equatable {
    public var clerks: [ClerkView]

    public init(clerks: [ClerkView]) {
        self.clerks = clerks
    }
}

/// One line of the live queue: a category at a site.
public struct QueueLine: Codable, Sendable, Equatable {
    public var site: Int64
    public var siteCode: String?
    public var category: String
    public var waiting: Int
    public var longestWaitSeconds: Int
    public var etaSeconds: Int?

    public init(site: Int64, siteCode: String?, category: String, waiting: Int, longestWaitSeconds: Int, etaSeconds: Int? = nil) {
        self.site = site
        self.siteCode = siteCode
        self.category = category
        self.waiting = waiting
        self.longestWaitSeconds = longestWaitSeconds
        self.etaSeconds = etaSeconds
    }
}

/// The managers' board.
public struct QueueBoard: Codable, Sendable, Equatable {
    public var generatedAt: Date
    public var lines: [QueueLine]
    public var clerks: [ClerkView]
    /// Today's tickets by state.
    public var today: [String: Int]

    public init(generatedAt: Date, lines: [QueueLine], clerks: [ClerkView], today: [String: Int]) {
        self.generatedAt = generatedAt
        self.lines = lines
        self.clerks = clerks
        self.today = today
    }
}

/// A kiosk as managers see it. `credential` is there once, in the answer that issued it.
public struct KioskView: Codable, Sendable, Equatable {
    public var id: Int64
    public var site: String
    public var name: String
    public var createdAt: Date
    public var revoked: Bool
    public var credential: String?

    public init(id: Int64, site: String, name: String, createdAt: Date, revoked: Bool, credential: String? = nil) {
        self.id = id
        self.site = site
        self.name = name
        self.createdAt = createdAt
        self.revoked = revoked
        self.credential = credential
    }
}

/// `GET /api/v1/auth/me`: who the credential belongs to.
public struct MeView: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case kiosk, account
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

/// `GET /api/v1/clerk/colleagues`: whom a case can be transferred to.
public struct ColleagueView: Codable, Sendable, Equatable {
    public var id: Int64
    public var displayName: String
    public var window: String
    public var skills: [String]
    public var state: ClerkState

    public init(id: Int64, displayName: String, window: String, skills: [String], state: ClerkState) {
        self.id = id
        self.displayName = displayName
        self.window = window
        self.skills = skills
        self.state = state
    }
}
