import Foundation

/// A command the queue refuses, with a stable code and a bilingual message.
public struct QueueError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case notFound = "not_found"
        case conflict = "conflict"
        case forbidden = "forbidden"
        case closed = "closed"
        case invalid = "invalid"
    }

    /// Why, for machines: each is also an API error code (the server answers with it).
    public enum Code: String, Hashable, Sendable, CaseIterable {
        case alreadyRated = "already_rated"
        case clerkNotFound = "clerk_not_found"
        case closed
        case consentAnswered = "consent_answered"
        case inSession = "in_session"
        case invalidOutcome = "invalid_outcome"
        case invalidRating = "invalid_rating"
        case invalidReview = "invalid_review"
        case invalidState = "invalid_state"
        case invalidTransfer = "invalid_transfer"
        case kioskHasTicket = "kiosk_has_ticket"
        case noSuchOffer = "no_such_offer"
        case notFound = "not_found"
        case notInWrapUp = "not_in_wrap_up"
        case sessionEnded = "session_ended"
        case sessionNotEnded = "session_not_ended"
        case sessionNotFound = "session_not_found"
        case ticketNotFound = "ticket_not_found"
        case tooManyMaterials = "too_many_materials"
    }

    public var kind: Kind
    public var code: Code
    public var message: String
    /// For `closed`: when the window opens next.
    public var nextOpening: Date?

    public init(_ kind: Kind, code: Code, message: String, nextOpening: Date? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.nextOpening = nextOpening
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func ticketNotFound(_ id: TicketID) -> QueueError {
        QueueError(.notFound, code: .ticketNotFound, message: "号票 \(id) 不存在或已结束 / ticket \(id) not found or already ended")
    }
    static func clerkNotFound(_ id: ClerkID) -> QueueError {
        QueueError(.notFound, code: .clerkNotFound, message: "工作人员 \(id) 不存在 / clerk \(id) not found")
    }
    static func sessionNotFound(_ id: SessionID) -> QueueError {
        QueueError(.notFound, code: .sessionNotFound, message: "会话 \(id) 不存在或已结束 / session \(id) not found or already ended")
    }
}
