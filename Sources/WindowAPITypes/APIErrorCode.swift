import Foundation
import WindowCore

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
    /// A catalog (a draft, an import, an item) breaks the catalog's rules: `problems` lists every one.
    case catalogInvalid = "catalog_invalid"
    case draftState = "draft_state"
    case draftNotEditable = "draft_not_editable"
    case noteRequired = "note_required"
    case noChanges = "no_changes"
    /// Approval by someone who edited the draft (four eyes).
    case sameReviewer = "same_reviewer"
    /// The draft's base is no longer the published version: rebase it.
    case draftOutdated = "draft_outdated"
    /// Someone saved the item in the draft since the editor loaded it: `changes` shows what.
    case editConflict = "edit_conflict"
    /// Rebasing met fields changed on both sides: `conflicts` lists them.
    case rebaseConflict = "rebase_conflict"
    /// Publishing would leave a category without any skilled clerk; confirm to go ahead.
    case strandsCategory = "strands_category"

    // The queue
    case closed
    /// A manager suspended the kiosk's site: it takes no new tickets (waiting ones are still served).
    case siteSuspended = "site_suspended"
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
    case invalidPhone = "invalid_phone"
    /// A phone number without the worker's consent.
    case consentRequired = "consent_required"

    // Follow-up
    /// No 补正 with that reference.
    case correctionNotFound = "correction_not_found"
    /// The 补正's deadline passed, or the worker came back already.
    case correctionClosed = "correction_closed"
    case followUpState = "follow_up_state"
    /// Only the manager who signed for the case may take this step.
    case notCaseOwner = "not_case_owner"
    /// An appeal is decided by a manager other than the case owner.
    case sameManager = "same_manager"
    case invalidMaterials = "invalid_materials"

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
        /// With `catalog_invalid`: every problem, naming the item and the field.
        public var problems: [CatalogProblem]?
        /// With `edit_conflict`: what changed under the editor.
        public var changes: [CatalogChange]?
        /// With `rebase_conflict`: the fields changed on both sides.
        public var conflicts: [CatalogConflict]?

        public init(
            code: APIErrorCode, message: String, nextOpening: Date? = nil, lockedUntil: Date? = nil,
            problems: [CatalogProblem]? = nil, changes: [CatalogChange]? = nil, conflicts: [CatalogConflict]? = nil
        ) {
            self.code = code
            self.message = message
            self.nextOpening = nextOpening
            self.lockedUntil = lockedUntil
            self.problems = problems
            self.changes = changes
            self.conflicts = conflicts
        }
    }

    public var error: Detail

    public init(error: Detail) {
        self.error = error
    }
}
