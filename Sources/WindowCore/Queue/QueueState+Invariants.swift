import Foundation

extension QueueState {
    /// Every invariant the queue must hold; empty when all do. Checked by tests after every step.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        var offeredTickets = Set<TicketID>()
        for clerk in clerks.values {
            switch clerk.state {
            case .offered:
                guard let offer = clerk.offer else { problems.append("clerk \(clerk.id) offered without an offer"); continue }
                if tickets[offer.ticket]?.offer != offer { problems.append("clerk \(clerk.id) offer does not match ticket \(offer.ticket)") }
                if !offeredTickets.insert(offer.ticket).inserted { problems.append("ticket \(offer.ticket) offered twice") }
                if clerk.session != nil { problems.append("clerk \(clerk.id) has an offer and a session") }
            case .inSession:
                guard let id = clerk.session, let session = sessions[id] else { problems.append("clerk \(clerk.id) in session without one"); continue }
                if session.clerk != clerk.id { problems.append("session \(id) clerk mismatch") }
                if clerk.offer != nil { problems.append("clerk \(clerk.id) in session with an offer") }
            default:
                if clerk.offer != nil || clerk.session != nil { problems.append("clerk \(clerk.id) \(clerk.state) holds an offer or session") }
            }
            let key = IdleKey(idleSince: clerk.idleSince, clerk: clerk.id)
            for skill in clerk.profile.skills where (availableByCategory[skill]?.contains(key) ?? false) != (clerk.state == .available) {
                problems.append("clerk \(clerk.id) availability index wrong for \(skill)")
            }
        }
        var sessionsByTicket = Set<TicketID>()
        for session in sessions.values {
            if !sessionsByTicket.insert(session.ticket).inserted { problems.append("ticket \(session.ticket) in two sessions") }
            if tickets[session.ticket]?.session != session.id { problems.append("session \(session.id) ticket mismatch") }
            if clerks[session.clerk]?.session != session.id { problems.append("session \(session.id) clerk mismatch") }
            // The session follows the media: active only while both sides are there and connected.
            let connected = session.kioskPresent && session.clerkPresent && session.kioskMedia == .connected && session.clerkMedia == .connected
            if (session.state == .active) != connected { problems.append("session \(session.id) \(session.state) but media \(connected ? "connected" : "not connected")") }
        }
        for ticket in tickets.values {
            if ticket.state.isFinal { problems.append("final ticket \(ticket.id) still live") }
            if ticket.state == .offered {
                guard let offer = ticket.offer, clerks[offer.clerk]?.offer == offer else { problems.append("ticket \(ticket.id) offer dangling"); continue }
            } else if ticket.offer != nil {
                problems.append("ticket \(ticket.id) \(ticket.state) has an offer")
            }
            let queued: Bool
            if let target = ticket.targetClerk {
                queued = direct[target]?.contains(ticket.queueKey) ?? false
            } else {
                queued = waiting[QueueName(category: ticket.category, item: ticket.itemCode)]?[ticket.priorityClass.rank].contains(ticket.queueKey) ?? false
            }
            if queued != (ticket.state == .waiting) { problems.append("ticket \(ticket.id) queue index wrong (\(ticket.state))") }
        }
        for deadline in deadlines.elements where !isCarried(deadline) {
            problems.append("timer \(deadline.kind) at \(deadline.at) outlived its subject")
        }
        let byKiosk = Dictionary(tickets.values.map { ($0.kiosk, [$0.id]) }, uniquingKeysWith: +)
        for (kiosk, held) in byKiosk where held.count > 1 { problems.append("kiosk \(kiosk) holds tickets \(held)") }
        if byKiosk.mapValues({ $0[0] }) != ticketByKiosk { problems.append("kiosk ticket index wrong") }
        let queuedCount = waiting.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } + direct.values.reduce(0) { $0 + $1.count }
        let waitingCount = tickets.values.filter { $0.state == .waiting }.count
        if queuedCount != waitingCount { problems.append("queues hold \(queuedCount) keys for \(waitingCount) waiting tickets") }
        // Routing is settled: no available clerk may take a waiting ticket. Exclusions only steer
        // a ticket to other clerks; they never keep it from an idle clerk who serves it.
        if pendingTickets.isEmpty && pendingClerks.isEmpty {
            for ticket in tickets.values where ticket.state == .waiting {
                let idle = clerks.values.filter { clerk in
                    guard clerk.state == .available else { return false }
                    if let target = ticket.targetClerk { return clerk.id == target }
                    return clerk.serves(category: ticket.category, item: ticket.itemCode)
                }
                guard !idle.isEmpty else { continue }
                let whom = ticket.targetClerk != nil ? "its clerk" : "an eligible clerk"
                if idle.allSatisfy({ ticket.excluded[$0.id] != nil }) {
                    problems.append("ticket \(ticket.id) waits while \(whom) is available (passed over lately, but no other clerk may take it)")
                } else {
                    problems.append("ticket \(ticket.id) waits while \(whom) is available")
                }
            }
        }
        return problems
    }
}
