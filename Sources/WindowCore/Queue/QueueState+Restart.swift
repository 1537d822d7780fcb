import Foundation

extension QueueState {
    /// After a restart nobody is connected: start every grace period as if all had just dropped.
    public mutating func assumeEveryoneDisconnected(at now: Date) -> Decision {
        var out = Decision()
        for clerk in clerks.values.sorted(by: { $0.id < $1.id }) where clerk.state != .offline {
            out += clerkConnection(clerk.id, connected: false, at: now, actor: "system")
        }
        for session in sessions.values.sorted(by: { $0.id < $1.id }) {
            if session.kioskPresent { presence(session, .kiosk, present: false, at: now, actor: "system", into: &out) }
            if let current = sessions[session.id], current.clerkPresent {
                presence(current, .clerk, present: false, at: now, actor: "system", into: &out)
            }
        }
        // A session still waiting for a side that was never there (one started before such sides
        // were given a deadline) gets the rejoin grace for it now.
        for session in sessions.values.sorted(by: { $0.id < $1.id }) where session.rejoinUntil == nil && !(session.kioskPresent && session.clerkPresent) {
            out += awaitAbsent(session: session.id, kioskConnected: false, clerkConnected: false, at: now, actor: "system")
        }
        for ticket in tickets.values.sorted(by: { $0.id < $1.id }) where ticket.session == nil && ticket.kioskGraceUntil == nil {
            emit(.kioskDisconnected(ticket: ticket.id, graceUntil: now.addingTimeInterval(policy.kioskGrace)), at: now, actor: "system", into: &out)
        }
        return out
    }
}
