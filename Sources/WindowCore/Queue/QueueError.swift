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

    public var kind: Kind
    public var code: String
    public var message: String
    /// For `closed`: when the window opens next.
    public var nextOpening: Date?

    public init(_ kind: Kind, code: String, message: String, nextOpening: Date? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.nextOpening = nextOpening
    }

    public var description: String { "\(code): \(message)" }

    static func ticketNotFound(_ id: TicketID) -> QueueError {
        QueueError(.notFound, code: "ticket_not_found", message: "号票 \(id) 不存在或已结束 / ticket \(id) not found or already ended")
    }
    static func clerkNotFound(_ id: ClerkID) -> QueueError {
        QueueError(.notFound, code: "clerk_not_found", message: "坐席 \(id) 不存在 / clerk \(id) not found")
    }
    static func sessionNotFound(_ id: SessionID) -> QueueError {
        QueueError(.notFound, code: "session_not_found", message: "会话 \(id) 不存在或已结束 / session \(id) not found or already ended")
    }
}
