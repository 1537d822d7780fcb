import Foundation
import WindowAPITypes
import WindowCore

/// Who hears of a change: the clerks, kiosks and managers watching over the live connection.
extension QueueService {
    /// After a commit: each touched clerk their view, each touched ticket's kiosk its ticket,
    /// both participants a session's materials.
    func push(_ decision: Decision) {
        for clerk in decision.clerks where hub.isConnected(.clerk(clerk)) {
            if let view = clerkView(clerk) { hub.send(.clerk(view), to: .clerk(clerk)) }
        }
        for ticket in decision.tickets.values where hub.isConnected(.kiosk(ticket.kiosk)) {
            if let view = try? ticketView(ticket.id) { hub.send(.ticket(view), to: .kiosk(ticket.kiosk)) }
        }
        for sessionID in Set(decision.materials.values.map(\.session)) {
            guard let session = state.sessions[sessionID] else { continue }
            let message = LiveMessage.materials(MaterialsUpdate(session: sessionID, materials: state.materials(of: sessionID).map(MaterialView.init)))
            hub.send(message, to: .clerk(session.clerk))
            hub.send(message, to: .kiosk(session.kiosk))
        }
    }

    /// Positions and ETAs move for everyone in a line when anything in it changes: pushed at
    /// most once a second, to connected kiosks only.
    func flush(now: Date) {
        metrics.refresh(state: state, connections: hub.connectionCount)
        guard !dirtyCategories.isEmpty else { return }
        let dirty = dirtyCategories
        dirtyCategories.removeAll()
        for kiosk in hub.connectedKiosks {
            guard let id = state.ticketByKiosk[kiosk], let ticket = state.tickets[id], ticket.state == .waiting, dirty.contains(ticket.category),
                let view = try? ticketView(id)
            else { continue }
            hub.send(.ticket(view), to: .kiosk(kiosk))
        }
        // One pass for everyone; each clerk gets the lines of their skills.
        let lines = queueLines(now: now)
        for id in hub.connectedClerks {
            guard let clerk = state.clerks[id] else { continue }
            hub.send(.queues(lines.filter { clerk.profile.skills.contains($0.category) }), to: .clerk(id))
        }
        if hub.hasManagers, let board = try? board() {
            hub.sendToManagers(.board(board))
        }
    }

    /// The current state, first thing on a new connection.
    func sendSnapshot(to subscriber: Subscriber, connection: UInt64) {
        switch subscriber {
        case .kiosk(let kiosk):
            if let id = liveTicketID(kiosk: kiosk), let view = try? ticketView(id) {
                hub.send(.ticket(view), toConnection: connection)
            } else {
                hub.send(.idle, toConnection: connection)
            }
        case .clerk(let clerk):
            if let view = clerkView(clerk) { hub.send(.clerk(view), toConnection: connection) }
            hub.send(.queues(queueLines(forClerk: clerk, now: nil)), toConnection: connection)
        case .manager:
            if let board = try? board() { hub.send(.board(board), toConnection: connection) }
        }
    }

    /// Relays signaling between the two participants of a live session only; the sender is set by the server.
    func relaySignal(_ signal: SignalMessage, from caller: Caller) -> Bool {
        guard let session = state.sessions[signal.session] else { return false }
        switch caller {
        case .kiosk(let kiosk, _) where kiosk == session.kiosk:
            hub.send(.signal(SignalMessage(session: session.id, from: .kiosk, payload: signal.payload)), to: .clerk(session.clerk))
        case .account(let clerk, _, .clerk) where clerk == session.clerk:
            hub.send(.signal(SignalMessage(session: session.id, from: .clerk, payload: signal.payload)), to: .kiosk(session.kiosk))
        default:
            return false
        }
        return true
    }
}
