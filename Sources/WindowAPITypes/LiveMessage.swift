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
    /// The clerk asks screen B for a document-camera still (relayed to screen B).
    case capture
    /// A new catalog version is published (to every connection).
    case catalog
    // Client → server.
    case ping
    /// A video page's connection state and stats summary.
    case media
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
    case capture(CaptureRequest)
    case ping
    case media(MediaReport)
    case catalog(CatalogPublished)
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
        case .capture: LiveMessageType.capture.rawValue
        case .media: LiveMessageType.media.rawValue
        case .catalog: LiveMessageType.catalog.rawValue
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

/// `signal`: WebRTC signaling within one session. A participant sends `session`, its peer
/// connection's `pc` id and exactly one of `description`, `candidate` or `hello`; the server
/// relays it to the other participant with `from` set.
public struct SignalMessage: Codable, Sendable, Equatable {
    public var session: Int64
    /// Who sent it; set by the server, never trusted from the sender.
    public var from: Participant?
    /// The `RTCPeerConnection` it belongs to: messages for an older one are dropped by the receiver.
    public var pc: String?
    public var description: SessionDescription?
    public var candidate: IceCandidate?
    /// "My page (re)started its call": the clerk answers with a new peer connection and offer.
    public var hello: Bool?

    public init(
        session: Int64, from: Participant? = nil, pc: String? = nil, description: SessionDescription? = nil,
        candidate: IceCandidate? = nil, hello: Bool? = nil
    ) {
        self.session = session
        self.from = from
        self.pc = pc
        self.description = description
        self.candidate = candidate
        self.hello = hello
    }

    /// Why the message cannot be relayed, or nil when it can.
    public var problem: String? {
        let parts = [description != nil, candidate != nil, hello == true].filter { $0 }.count
        guard parts == 1 else { return "exactly one of description, candidate or hello" }
        if hello != true {
            guard let pc, (1...64).contains(pc.utf8.count), pc.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                return "pc: 1 to 64 letters, digits or '-'"
            }
        }
        return nil
    }
}

/// An SDP offer or answer (or a rollback), as `RTCSessionDescription` has it.
public struct SessionDescription: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case offer, answer, rollback
    }
    public var type: Kind
    public var sdp: String?

    public init(type: Kind, sdp: String?) {
        self.type = type
        self.sdp = sdp
    }
}

/// An ICE candidate, as `RTCIceCandidate.toJSON()` has it (an empty `candidate`: end of candidates).
public struct IceCandidate: Codable, Sendable, Equatable {
    public var candidate: String
    public var sdpMid: String?
    public var sdpMLineIndex: Int?
    public var usernameFragment: String?

    public init(candidate: String, sdpMid: String? = nil, sdpMLineIndex: Int? = nil, usernameFragment: String? = nil) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
        self.usernameFragment = usernameFragment
    }
}

/// `capture`: the clerk asks screen B for a still from the document camera.
public struct CaptureRequest: Codable, Sendable, Equatable {
    public var session: Int64
    public var from: Participant?

    public init(session: Int64, from: Participant? = nil) {
        self.session = session
        self.from = from
    }
}

/// `media`: a video page's `RTCPeerConnection.connectionState`, with a stats summary every 5 s.
public struct MediaReport: Codable, Sendable, Equatable {
    public var session: Int64
    public var pc: String?
    public var state: MediaState
    public var stats: MediaStats?

    public init(session: Int64, pc: String? = nil, state: MediaState, stats: MediaStats? = nil) {
        self.session = session
        self.pc = pc
        self.state = state
        self.stats = stats
    }
}

/// A summary of `getStats`: what the call's quality indicator and the board show.
public struct MediaStats: Codable, Sendable, Equatable {
    public enum CandidateType: String, Codable, Sendable, CaseIterable {
        case host, srflx, prflx, relay
    }
    public var rttMs: Double?
    public var lossPercent: Double?
    public var fps: Double?
    /// The selected pair's local candidate: direct (host, srflx, prflx) or through TURN (relay).
    public var candidateType: CandidateType?
    public var freezes: Int?
    public var framesDecoded: Int?

    public init(
        rttMs: Double? = nil, lossPercent: Double? = nil, fps: Double? = nil, candidateType: CandidateType? = nil, freezes: Int? = nil,
        framesDecoded: Int? = nil
    ) {
        self.rttMs = rttMs
        self.lossPercent = lossPercent
        self.fps = fps
        self.candidateType = candidateType
        self.freezes = freezes
        self.framesDecoded = framesDecoded
    }

    public enum Quality: String, Codable, Sendable, CaseIterable {
        case good, fair, poor
    }

    /// Good under 150 ms and 2 % loss at 15 fps or more; poor past 400 ms, 8 % loss or under 5 fps.
    public var quality: Quality? {
        guard rttMs != nil || lossPercent != nil || fps != nil else { return nil }
        let rtt = rttMs ?? 0, loss = lossPercent ?? 0, fps = fps ?? 30
        if rtt > 400 || loss > 8 || fps < 5 { return .poor }
        if rtt > 150 || loss > 2 || fps < 15 { return .fair }
        return .good
    }
}

extension LiveMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case type, data
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
        case .signal: self = .signal(try container.decode(SignalMessage.self, forKey: .data))
        case .capture: self = .capture(try container.decode(CaptureRequest.self, forKey: .data))
        case .media: self = .media(try container.decode(MediaReport.self, forKey: .data))
        case .catalog: self = .catalog(try container.decode(CatalogPublished.self, forKey: .data))
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
        case .capture(let capture): try container.encode(capture, forKey: .data)
        case .media(let report): try container.encode(report, forKey: .data)
        case .catalog(let published): try container.encode(published, forKey: .data)
        }
    }
}


