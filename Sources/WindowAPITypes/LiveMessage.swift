import Foundation
import WindowCore

/// The types of message on the live connection (`GET /api/v1/live`, WebSocket over TLS).
public enum LiveMessageType: String, Codable, Sendable, CaseIterable {
    // Server → client.
    /// A kiosk holds no live ticket.
    case idle
    /// A kiosk's ticket as it now stands.
    case ticket
    /// A clerk's own state, offer and case.
    case clerk
    /// The lines of a clerk's skills.
    case queues
    /// The managers' board.
    case board
    /// A session's materials after a change (both participants).
    case materials
    case error
    case pong
    // Both ways: WebRTC signaling between a session's two participants.
    case signal
    // Client → server.
    case ping
}

/// One message on the live connection, typed: `{"type": …, "data": …}`.
public enum LiveMessage: Sendable, Equatable {
    case idle
    case ticket(TicketView)
    case clerk(ClerkView)
    case queues([QueueLine])
    case board(QueueBoard)
    case materials(MaterialsUpdate)
    case error(LiveError)
    case pong
    case signal(SignalMessage)
    case ping
    /// A type this build does not know (a newer server); ignored by clients.
    case unknown(type: String)

    public var type: String {
        switch self {
        case .idle: LiveMessageType.idle.rawValue
        case .ticket: LiveMessageType.ticket.rawValue
        case .clerk: LiveMessageType.clerk.rawValue
        case .queues: LiveMessageType.queues.rawValue
        case .board: LiveMessageType.board.rawValue
        case .materials: LiveMessageType.materials.rawValue
        case .error: LiveMessageType.error.rawValue
        case .pong: LiveMessageType.pong.rawValue
        case .signal: LiveMessageType.signal.rawValue
        case .ping: LiveMessageType.ping.rawValue
        case .unknown(let type): type
        }
    }
}

/// `error` on the live connection: the same codes as the HTTP error body.
public struct LiveError: Codable, Sendable, Equatable {
    public var code: APIErrorCode
    public var message: String

    public init(code: APIErrorCode, message: String) {
        self.code = code
        self.message = message
    }
}

/// `signal`: WebRTC signaling (SDP, ICE candidates) within one session. A participant sends
/// `session` and `payload`; the server relays it to the other participant with `from` set.
public struct SignalMessage: Codable, Sendable, Equatable {
    public var session: Int64
    /// Who sent it; set by the server, never trusted from the sender.
    public var from: Participant?
    public var payload: JSONValue

    public init(session: Int64, from: Participant? = nil, payload: JSONValue) {
        self.session = session
        self.from = from
        self.payload = payload
    }
}

extension LiveMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case type, data
        /// The first protocol's signal put the session beside `data`; still read for one release.
        case session
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .type)
        guard let type = LiveMessageType(rawValue: text) else {
            self = .unknown(type: text)
            return
        }
        switch type {
        case .idle: self = .idle
        case .pong: self = .pong
        case .ping: self = .ping
        case .ticket: self = .ticket(try container.decode(TicketView.self, forKey: .data))
        case .clerk: self = .clerk(try container.decode(ClerkView.self, forKey: .data))
        case .queues: self = .queues(try container.decode([QueueLine].self, forKey: .data))
        case .board: self = .board(try container.decode(QueueBoard.self, forKey: .data))
        case .materials: self = .materials(try container.decode(MaterialsUpdate.self, forKey: .data))
        case .error: self = .error(try container.decode(LiveError.self, forKey: .data))
        case .signal:
            if let session = try container.decodeIfPresent(Int64.self, forKey: .session) {
                self = .signal(SignalMessage(session: session, payload: try container.decode(JSONValue.self, forKey: .data)))
            } else {
                self = .signal(try container.decode(SignalMessage.self, forKey: .data))
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .idle, .pong, .ping, .unknown: try container.encode([String: String](), forKey: .data)
        case .ticket(let view): try container.encode(view, forKey: .data)
        case .clerk(let view): try container.encode(view, forKey: .data)
        case .queues(let lines): try container.encode(lines, forKey: .data)
        case .board(let board): try container.encode(board, forKey: .data)
        case .materials(let update): try container.encode(update, forKey: .data)
        case .error(let error): try container.encode(error, forKey: .data)
        case .signal(let signal): try container.encode(signal, forKey: .data)
        }
    }
}

/// Any JSON, passed through untouched (SDP offers and answers, ICE candidates).
public enum JSONValue: Codable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), object([String: JSONValue]), array([JSONValue]), null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}
