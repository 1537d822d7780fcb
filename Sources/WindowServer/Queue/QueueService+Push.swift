import Foundation
import WindowAPITypes
import WindowCore

/// Who hears of a change: the clerks, kiosks and managers watching over the live connection.
extension QueueService {
    /// What a decision tells whom: each touched clerk their view, each touched ticket's kiosk
    /// its ticket, both participants a session's materials. Built as the decision is taken (the
    /// views show exactly it), sent by ``deliver(_:)`` once it is durable.
    func messages(for decision: Decision) -> [Outgoing] {
        var messages: [Outgoing] = []
        // A session's change (its media, its participants) is news to its clerk and its kiosk.
        var clerks = decision.clerks
        var tickets = decision.tickets.mapValues(\.kiosk)
        for session in decision.sessions.values {
            clerks.insert(session.clerk)
            tickets[session.ticket] = session.kiosk
            if session.state == .ended { mediaStats[session.id] = nil }
        }
        for clerk in clerks where hub.isConnected(.clerk(clerk)) {
            if let view = clerkView(clerk) { messages.append(.to(.clerk(clerk), .clerk(view))) }
        }
        for (ticket, kiosk) in tickets where hub.isKioskConnected(kiosk) {
            if let view = try? ticketView(ticket) { messages.append(.toKiosk(kiosk, .ticket(view))) }
        }
        for sessionID in Set(decision.materials.values.map(\.session)) {
            guard let session = state.sessions[sessionID] else { continue }
            let message = LiveMessage.materials(MaterialsUpdate(session: sessionID, materials: state.materials(of: sessionID).map(MaterialView.init)))
            messages.append(.to(.clerk(session.clerk), message))
            messages.append(.toKiosk(session.kiosk, message))
        }
        return messages
    }

    func deliver(_ messages: [Outgoing]) {
        for message in messages {
            switch message {
            case .to(let subscriber, let message): hub.send(message, to: subscriber)
            case .toKiosk(let kiosk, let message): hub.send(message, toKiosk: kiosk)
            }
        }
    }

    /// Positions and ETAs move for everyone in a line when anything in it changes: pushed at
    /// most once a second, to connected kiosks only.
    func flush(now: Date) {
        metrics.refresh(state: state, connections: hub.connectionCount)
        guard !dirtyCategories.isEmpty else { return }
        let dirty = dirtyCategories
        dirtyCategories.removeAll()
        // From the waiting tickets, not the connected kiosks: thousands of kiosks are idle.
        for ticket in state.tickets.values where ticket.state == .waiting && dirty.contains(ticket.category) && hub.isKioskConnected(ticket.kiosk) {
            if let view = try? ticketView(ticket.id) { hub.send(.ticket(view), toKiosk: ticket.kiosk) }
        }
        // One pass for everyone; each clerk gets the lines of their skills, encoded once per set of
        // skills, and only when they changed: a thousand clerks are not sent the same lines each second.
        let lines = queueLines(now: now)
        var linesFor: [Set<String>: [QueueLine]] = [:]
        var encoded: [Set<String>: String] = [:]
        var sent: [ClerkID: [QueueLine]] = [:]
        for id in hub.connectedClerks {
            guard let skills = state.clerks[id]?.profile.skills else { continue }
            let mine = linesFor[skills] ?? lines.filter { skills.contains($0.category) }
            linesFor[skills] = mine
            sent[id] = mine
            guard mine != linesSent[id] else { continue }
            let message = encoded[skills] ?? LiveMessage.queues(mine).json()
            encoded[skills] = message
            hub.send(message, to: .clerk(id))
        }
        linesSent = sent
        if hub.hasManagers, let board = try? board() {
            hub.sendToManagers(.board(board))
        }
    }

    /// The current state, first thing on a new connection (`first`: the subscriber's only one).
    func sendSnapshot(to subscriber: Subscriber, connection: UInt64, first: Bool) {
        switch subscriber {
        case .kiosk(let kiosk), .screenB(let kiosk):
            if let id = liveTicketID(kiosk: kiosk), let view = try? ticketView(id) {
                hub.send(.ticket(view), toConnection: connection)
            } else {
                hub.send(.idle, toConnection: connection)
            }
        case .clerk(let clerk):
            if let view = clerkView(clerk) { hub.send(.clerk(view), toConnection: connection) }
            let lines = queueLines(forClerk: clerk, now: nil)
            hub.send(.queues(lines), toConnection: connection)
            // What the clerk has: these, when this is their only connection; else unknown, and the
            // next change goes to all of them.
            linesSent[clerk] = first ? lines : nil
        case .manager:
            if let board = try? board() { hub.send(.board(board), toConnection: connection) }
        }
    }

    /// Relays signaling between the two participants of a live session only: the clerk's console
    /// and the kiosk's screen B. The sender is set by the server.
    func relaySignal(_ signal: SignalMessage, from caller: Caller) -> Bool {
        guard let (session, from) = participant(signal.session, caller) else { return false }
        var relayed = signal
        relayed.from = from
        hub.send(.signal(relayed), to: from == .clerk ? .screenB(session.kiosk) : .clerk(session.clerk))
        return true
    }

    /// Passes the clerk's request for a document-camera still to the kiosk's screen B.
    func relayCapture(_ capture: CaptureRequest, from caller: Caller) -> Bool {
        guard let (session, from) = participant(capture.session, caller), from == .clerk else { return false }
        hub.send(.capture(CaptureRequest(session: session.id, from: .clerk)), to: .screenB(session.kiosk))
        return true
    }

    /// The live session and the caller's side of its call, if the caller is one of its two video
    /// pages (screen A, a manager or anyone else is not).
    func participant(_ id: SessionID, _ caller: Caller) -> (Session, Participant)? {
        guard let session = state.sessions[id] else { return nil }
        switch caller {
        case .screenB(let kiosk, _) where kiosk == session.kiosk: return (session, .kiosk)
        case .account(let clerk, _, .clerk) where clerk == session.clerk: return (session, .clerk)
        default: return nil
        }
    }
}
