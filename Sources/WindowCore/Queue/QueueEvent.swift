import Foundation

/// Why an offer went to the clerk it went to: the rule and the candidates considered.
public struct OfferReason: Codable, Hashable, Sendable {
    public var rule: String
    /// The first eligible, available clerks considered, longest idle first.
    public var candidates: [ClerkID]
    /// How many eligible, available clerks there were in all.
    public var eligibleCount: Int
    /// The ticket's effective lane at the time (an aged ticket counts as priority).
    public var lane: PriorityClass
}

/// Every change of the live queue. Applying the log in order rebuilds the state exactly,
/// so each event carries every value (deadlines included) its application needs.
public enum QueueEvent: Codable, Hashable, Sendable {
    case clerkRegistered(clerk: ClerkID, profile: ClerkProfile)
    case clerkStateChanged(clerk: ClerkID, state: ClerkState)
    case clerkDisconnected(clerk: ClerkID, graceUntil: Date)
    case clerkReconnected(clerk: ClerkID)

    case ticketIssued(ticket: Ticket)
    case ticketCancelled(ticket: TicketID)
    case ticketAbandoned(ticket: TicketID)
    case kioskDisconnected(ticket: TicketID, graceUntil: Date)
    case kioskReconnected(ticket: TicketID)

    case offerMade(ticket: TicketID, clerk: ClerkID, expiresAt: Date, reason: OfferReason)
    case offerAccepted(ticket: TicketID, clerk: ClerkID, session: SessionID)
    case offerDeclined(ticket: TicketID, clerk: ClerkID, excludedUntil: Date)
    case offerExpired(ticket: TicketID, clerk: ClerkID, excludedUntil: Date, clerkAway: Bool)
    case exclusionLapsed(ticket: TicketID, clerk: ClerkID)

    case participantJoined(session: SessionID, participant: Participant)
    case participantLeft(session: SessionID, participant: Participant, rejoinUntil: Date)
    /// The session started without this side connected: it has until `joinUntil` to join.
    case participantAwaited(session: SessionID, participant: Participant, joinUntil: Date)
    /// `notes` and `caseNumber` came with the first log's version 2; older records lack them.
    /// `requeued`: the clerk was lost, so the ticket goes back to the head of its line instead of ending.
    case sessionEnded(
        session: SessionID, outcome: SessionOutcome, wrapUpUntil: Date, notes: String? = nil, caseNumber: String? = nil, requeued: Bool? = nil)
    /// A side's media connection changed (its page reported it, or its live connection was lost).
    case mediaChanged(session: SessionID, participant: Participant, state: MediaState)
    /// The worker answered the camera notice on screen B.
    case consentAnswered(session: SessionID, accepted: Bool)
    case ticketTransferred(ticket: TicketID, category: String, clerk: ClerkID?)
    /// A waiting ticket follows its item to another category (a catalog publish).
    case ticketRerouted(ticket: TicketID, category: String)
    case wrapUpFinished(clerk: ClerkID)

    case materialUploaded(material: Material)
    case materialReviewed(material: MaterialID, session: SessionID, status: MaterialStatus, reason: String?, clerk: ClerkID)
    case sessionRated(rating: Rating)

    /// Tickets whose state this event changes.
    public var tickets: [TicketID] {
        switch self {
        case .ticketIssued(let ticket): [ticket.id]
        case .ticketCancelled(let id), .ticketAbandoned(let id), .kioskDisconnected(let id, _), .kioskReconnected(let id):
            [id]
        case .offerMade(let id, _, _, _), .offerAccepted(let id, _, _), .offerDeclined(let id, _, _),
            .offerExpired(let id, _, _, _), .exclusionLapsed(let id, _), .ticketTransferred(let id, _, _), .ticketRerouted(let id, _):
            [id]
        default: []
        }
    }

    /// Clerks whose state this event changes.
    public var clerks: [ClerkID] {
        switch self {
        case .clerkRegistered(let id, _), .clerkStateChanged(let id, _), .clerkDisconnected(let id, _),
            .clerkReconnected(let id), .wrapUpFinished(let id):
            [id]
        case .offerMade(_, let id, _, _), .offerAccepted(_, let id, _), .offerDeclined(_, let id, _),
            .offerExpired(_, let id, _, _):
            [id]
        default: []
        }
    }

    /// Sessions whose state this event changes.
    public var sessions: [SessionID] {
        switch self {
        case .offerAccepted(_, _, let id), .participantJoined(let id, _), .participantLeft(let id, _, _), .participantAwaited(let id, _, _),
            .sessionEnded(let id, _, _, _, _, _),
            .mediaChanged(let id, _, _), .consentAnswered(let id, _):
            [id]
        default: []
        }
    }

    /// A short name for logs, metrics and the audit view.
    public var kind: String {
        switch self {
        case .clerkRegistered: "clerk.registered"
        case .clerkStateChanged: "clerk.state"
        case .clerkDisconnected: "clerk.disconnected"
        case .clerkReconnected: "clerk.reconnected"
        case .ticketIssued: "ticket.issued"
        case .ticketCancelled: "ticket.cancelled"
        case .ticketAbandoned: "ticket.abandoned"
        case .kioskDisconnected: "kiosk.disconnected"
        case .kioskReconnected: "kiosk.reconnected"
        case .offerMade: "offer.made"
        case .offerAccepted: "offer.accepted"
        case .offerDeclined: "offer.declined"
        case .offerExpired: "offer.expired"
        case .exclusionLapsed: "offer.exclusion-lapsed"
        case .participantJoined: "session.joined"
        case .participantLeft: "session.left"
        case .participantAwaited: "session.awaited"
        case .sessionEnded: "session.ended"
        case .mediaChanged: "session.media"
        case .consentAnswered: "session.consent"
        case .ticketTransferred: "ticket.transferred"
        case .ticketRerouted: "ticket.rerouted"
        case .wrapUpFinished: "clerk.wrap-up-finished"
        case .materialUploaded: "material.uploaded"
        case .materialReviewed: "material.reviewed"
        case .sessionRated: "session.rated"
        }
    }
}

/// One entry of the append-only log: what happened, when, and who caused it.
public struct QueueRecord: Codable, Hashable, Sendable {
    public var at: Date
    /// `kiosk:3`, `clerk:12`, `manager:2`, `system` (timers) …
    public var actor: String
    public var event: QueueEvent

    public init(at: Date, actor: String, event: QueueEvent) {
        self.at = at
        self.actor = actor
        self.event = event
    }
}
