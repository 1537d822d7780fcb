import Foundation

/// Every error code the server sends, in the JSON error body and on the live connection.
/// Stable: clients match on these, never on the message.
public enum APIErrorCode: String, Codable, Sendable, CaseIterable {
    // Requests
    case badRequest = "bad_request"
    case invalidBody = "invalid_body"
    case invalidQuery = "invalid_query"
    case payloadTooLarge = "payload_too_large"
    case methodNotAllowed = "method_not_allowed"
    case notFound = "not_found"
    case conflict
    case clientError = "client_error"
    case serverError = "server_error"
    case `internal`
    case upgradeRequired = "upgrade_required"
    /// Free text with a control character, a NUL or a bidirectional control; the message names the field.
    case invalidText = "invalid_text"
    /// Too many requests; the answer's `Retry-After` says when to try again.
    case rateLimited = "rate_limited"

    // Who is calling
    case unauthorized
    case forbidden
    case csrfFailed = "csrf_failed"
    case invalidCredentials = "invalid_credentials"
    case accountLocked = "account_locked"
    case totpRequired = "totp_required"
    case invalidTOTP = "invalid_totp"
    case totpEnabled = "totp_enabled"
    case totpNotSetUp = "totp_not_set_up"
    case weakPassword = "weak_password"
    case invalidUsername = "invalid_username"
    case invalidAccount = "invalid_account"
    case useClerks = "use_clerks"

    // Sites, kiosks, clerks, catalog
    case invalidSite = "invalid_site"
    case invalidHours = "invalid_hours"
    case invalidKiosk = "invalid_kiosk"
    case invalidClerk = "invalid_clerk"
    case unknownCategory = "unknown_category"
    case unknownItem = "unknown_item"
    case itemUnavailable = "item_unavailable"

    // The queue
    case closed
    case kioskHasTicket = "kiosk_has_ticket"
    case invalidIDNumber = "invalid_id_number"
    case priorityNotAllowed = "priority_not_allowed"
    case ticketNotFound = "ticket_not_found"
    case clerkNotFound = "clerk_not_found"
    case sessionNotFound = "session_not_found"
    case invalidState = "invalid_state"
    case inSession = "in_session"
    case noSuchOffer = "no_such_offer"
    case notInWrapUp = "not_in_wrap_up"
    case invalidOutcome = "invalid_outcome"
    case invalidTransfer = "invalid_transfer"
    case invalidNotes = "invalid_notes"

    // Materials and ratings
    case sessionEnded = "session_ended"
    case sessionNotEnded = "session_not_ended"
    case invalidMaterial = "invalid_material"
    case unsupportedMaterial = "unsupported_material"
    case tooManyMaterials = "too_many_materials"
    case materialGone = "material_gone"
    case invalidReview = "invalid_review"
    case reasonRequired = "reason_required"
    case invalidRating = "invalid_rating"
    case alreadyRated = "already_rated"

    // The video link
    case pairingInvalid = "pairing_invalid"
    case consentAnswered = "consent_answered"

    // The live connection
    case badMessage = "bad_message"
    case notInSession = "not_in_session"
    case unknownType = "unknown_type"
}

/// The JSON body of every error response: `{"error": {"code": …, "message": …}}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: APIErrorCode
        /// For people: Chinese first, English after.
        public var message: String
        /// With `closed`: when the window opens next.
        public var nextOpening: Date?
        /// With `account_locked`: when signing in is possible again.
        public var lockedUntil: Date?

        public init(code: APIErrorCode, message: String, nextOpening: Date? = nil, lockedUntil: Date? = nil) {
            self.code = code
            self.message = message
            self.nextOpening = nextOpening
            self.lockedUntil = lockedUntil
        }
    }

    public var error: Detail

    public init(error: Detail) {
        self.error = error
    }
}
