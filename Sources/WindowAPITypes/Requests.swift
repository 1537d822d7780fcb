import Foundation
import WindowCore

// Request bodies, one definition for the server that reads them and the clients that send them.

/// `POST /api/v1/tickets`: a kiosk takes a ticket.
public struct TakeTicketRequest: Codable, Sendable, Equatable {
    public var item: String
    public var priorityReason: PriorityReason?
    /// Read from the ID card at the kiosk. The server keeps it only masked and as a keyed hash; never logged.
    public var idNumber: String?
    /// Back with a 补正's materials: the case number the earlier session gave (its item is `item`).
    public var reference: String?

    public init(item: String, priorityReason: PriorityReason? = nil, idNumber: String? = nil, reference: String? = nil) {
        self.item = item
        self.priorityReason = priorityReason
        self.idNumber = idNumber
        self.reference = reference
    }
}

/// `PUT /api/v1/clerk/state`. `break` is the old spelling of `away`, still accepted.
public struct ClerkStateRequest: Codable, Sendable, Equatable {
    public var state: ClerkState

    public init(state: ClerkState) {
        self.state = state
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .state)
        guard let state = text == "break" ? .away : ClerkState(rawValue: text) else {
            throw DecodingError.dataCorruptedError(forKey: .state, in: container, debugDescription: "unknown clerk state \(text)")
        }
        self.state = state
    }
}

/// `POST /api/v1/clerk/offer/accept` and `…/decline`.
public struct OfferRequest: Codable, Sendable, Equatable {
    public var ticket: Int64

    public init(ticket: Int64) {
        self.ticket = ticket
    }
}

/// `POST /api/v1/sessions/{id}/end`.
public struct EndSessionRequest: Codable, Sendable, Equatable {
    public var outcome: SessionOutcome
    public var notes: String?
    /// With `needs-materials` (补正): what is missing, by name from the item's materials list.
    public var missingMaterials: [String]?

    public init(outcome: SessionOutcome, notes: String? = nil, missingMaterials: [String]? = nil) {
        self.outcome = outcome
        self.notes = notes
        self.missingMaterials = missingMaterials
    }
}

/// `POST /api/v1/sessions/{id}/transfer`: to a skill (category), or to one clerk.
public struct TransferRequest: Codable, Sendable, Equatable {
    public var category: String?
    public var clerk: Int64?
    public var notes: String?

    public init(category: String? = nil, clerk: Int64? = nil, notes: String? = nil) {
        self.category = category
        self.clerk = clerk
        self.notes = notes
    }
}

/// `POST /api/v1/sessions/{id}/materials/{material}/review`.
public struct ReviewMaterialRequest: Codable, Sendable, Equatable {
    public var status: MaterialStatus
    /// Required when rejected.
    public var reason: String?

    public init(status: MaterialStatus, reason: String? = nil) {
        self.status = status
        self.reason = reason
    }
}

/// `POST /api/v1/sessions/{id}/rating`: 好差评, level 1 (非常不满意) to 5 (非常满意).
public struct RateSessionRequest: Codable, Sendable, Equatable {
    public var level: Int
    public var comment: String?
    /// With a rating of 1–2, optionally: a number for the call-back, kept for the case only (sealed).
    public var callbackPhone: String?
    /// The worker agreed, after reading why the number is asked, that it is kept for the call-back.
    public var phoneConsent: Bool?

    public init(level: Int, comment: String? = nil, callbackPhone: String? = nil, phoneConsent: Bool? = nil) {
        self.level = level
        self.comment = comment
        self.callbackPhone = callbackPhone
        self.phoneConsent = phoneConsent
    }
}

/// `POST /api/v1/auth/login`.
public struct LoginRequest: Codable, Sendable, Equatable {
    public var username: String
    public var password: String
    public var totp: String?

    public init(username: String, password: String, totp: String? = nil) {
        self.username = username
        self.password = password
        self.totp = totp
    }
}

/// `POST /api/v1/auth/password`: the signed-in account changes its own password.
public struct PasswordChangeRequest: Codable, Sendable, Equatable {
    public var current: String
    public var new: String

    public init(current: String, new: String) {
        self.current = current
        self.new = new
    }
}

/// `POST /api/v1/clerks/{id}/password`: a manager sets a clerk's new password.
public struct PasswordResetRequest: Codable, Sendable, Equatable {
    public var password: String

    public init(password: String) {
        self.password = password
    }
}

/// `POST /api/v1/auth/totp/enable`.
public struct TOTPCodeRequest: Codable, Sendable, Equatable {
    public var code: String

    public init(code: String) {
        self.code = code
    }
}

/// `POST /api/v1/sites`.
public struct CreateSiteRequest: Codable, Sendable, Equatable {
    public var code: String
    public var name: LocalizedText
    public var hours: HoursView?

    public init(code: String, name: LocalizedText, hours: HoursView? = nil) {
        self.code = code
        self.name = name
        self.hours = hours
    }
}

/// `POST /api/v1/sites/{code}/kiosks`.
public struct CreateKioskRequest: Codable, Sendable, Equatable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}

/// `POST /api/v1/clerks`.
public struct CreateClerkRequest: Codable, Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var password: String
    public var window: String
    /// Catalog categories the clerk serves.
    public var skills: [String]
    /// Single items outside those categories.
    public var items: [String]?

    public init(username: String, displayName: String, password: String, window: String, skills: [String], items: [String]? = nil) {
        self.username = username
        self.displayName = displayName
        self.password = password
        self.window = window
        self.skills = skills
        self.items = items
    }
}

/// `PATCH /api/v1/clerks/{id}`: only the fields given change.
public struct UpdateClerkRequest: Codable, Sendable, Equatable {
    public var displayName: String?
    public var window: String?
    public var skills: [String]?
    public var items: [String]?

    public init(displayName: String? = nil, window: String? = nil, skills: [String]? = nil, items: [String]? = nil) {
        self.displayName = displayName
        self.window = window
        self.skills = skills
        self.items = items
    }
}

/// `POST /api/v1/accounts`: admins create managers and admins.
public struct CreateAccountRequest: Codable, Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var password: String
    public var role: Role

    public init(username: String, displayName: String, password: String, role: Role) {
        self.username = username
        self.displayName = displayName
        self.password = password
        self.role = role
    }
}
