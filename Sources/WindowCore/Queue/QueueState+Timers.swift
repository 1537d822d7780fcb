import Foundation

extension QueueState {
    // MARK: - Timers

    /// The next time something is due, for the timer to sleep until.
    public var nextDeadline: Date? { deadlines.first?.at }

    /// Timers waiting to fire: only those whose subject still carries them are kept.
    public var timerCount: Int { deadlines.count }

    /// Whether the deadline's subject (the ticket, session or clerk it times) is there and still
    /// carries that very time. A settled one is taken out (`schedule`, `unschedule`), so every
    /// timer in the list is; `tick` checks the subject's state as well before it acts.
    func isCarried(_ deadline: Deadline) -> Bool {
        let at = deadline.at
        switch deadline.kind {
        case .offer(let ticket): return tickets[ticket]?.offer?.expiresAt == at
        case .exclusion(let ticket, let clerk): return tickets[ticket]?.excluded[clerk] == at
        case .kioskGrace(let ticket): return tickets[ticket]?.kioskGraceUntil == at
        case .rejoin(let session): return sessions[session]?.rejoinUntil == at
        case .wrapUp(let clerk): return clerks[clerk]?.wrapUpUntil == at
        case .clerkGrace(let clerk): return clerks[clerk]?.disconnectedUntil == at
        }
    }

    /// Acts on everything due by `now`: expired offers, lapsed exclusions and graces, ended wrap-ups.
    public mutating func tick(now: Date) -> Decision {
        var out = Decision()
        let actor = "system"
        while let deadline = deadlines.first, deadline.at <= now {
            _ = deadlines.removeFirst()
            let at = deadline.at
            switch deadline.kind {
            case .offer(let ticketID):
                guard let offer = tickets[ticketID]?.offer, offer.expiresAt == at, let clerk = clerks[offer.clerk] else { continue }
                let away = clerk.missedOffers + 1 >= policy.maxMissedOffers
                emit(.offerExpired(ticket: ticketID, clerk: offer.clerk, excludedUntil: at.addingTimeInterval(policy.exclusionPeriod), clerkAway: away), at: at, actor: actor, into: &out)
            case .exclusion(let ticketID, let clerkID):
                guard let until = tickets[ticketID]?.excluded[clerkID], until == at else { continue }
                emit(.exclusionLapsed(ticket: ticketID, clerk: clerkID), at: at, actor: actor, into: &out)
            case .kioskGrace(let ticketID):
                guard let ticket = tickets[ticketID], ticket.kioskGraceUntil == at, ticket.session == nil else { continue }
                emit(.ticketAbandoned(ticket: ticketID), at: at, actor: actor, into: &out)
            case .rejoin(let sessionID):
                guard let session = sessions[sessionID], session.rejoinUntil == at,
                    session.state == .reconnecting || session.state == .connecting
                else { continue }
                // A worker who never came to the call has left: the ticket ends with the session.
                if session.state == .connecting, !session.kioskPresent {
                    emit(.sessionEnded(session: sessionID, outcome: .dropped, wrapUpUntil: at.addingTimeInterval(policy.wrapUp)), at: at, actor: actor, into: &out)
                    continue
                }
                // Else the session ends as dropped; the ticket goes back to the head of its line (a lost
                // or absent clerk is no fault of the worker's), and a lost kiosk keeps it for its grace.
                emit(.sessionEnded(session: sessionID, outcome: .dropped, wrapUpUntil: at.addingTimeInterval(policy.wrapUp), requeued: true), at: at, actor: actor, into: &out)
                if !session.kioskPresent {
                    // A grace that ran before the session is not renewed: a kiosk that never came back
                    // must not keep its ticket going round the clerks.
                    let graceUntil = tickets[session.ticket]?.kioskGraceUntil ?? at.addingTimeInterval(policy.kioskGrace)
                    emit(.kioskDisconnected(ticket: session.ticket, graceUntil: graceUntil), at: at, actor: actor, into: &out)
                }
            case .wrapUp(let clerkID):
                guard let clerk = clerks[clerkID], clerk.state == .wrapUp, clerk.wrapUpUntil == at else { continue }
                if let gone = clerk.disconnectedUntil, gone <= at {
                    // The console's grace ran out during the session: a clerk who is not there is not offered work.
                    emit(.clerkStateChanged(clerk: clerkID, state: .offline), at: at, actor: actor, into: &out)
                } else {
                    emit(.wrapUpFinished(clerk: clerkID), at: at, actor: actor, into: &out)
                }
            case .clerkGrace(let clerkID):
                guard let clerk = clerks[clerkID], clerk.disconnectedUntil == at else { continue }
                if clerk.state == .available || clerk.state == .wrapUp || clerk.state == .away {
                    emit(.clerkStateChanged(clerk: clerkID, state: .offline), at: at, actor: actor, into: &out)
                } else if clerk.state == .offered, let offer = clerk.offer {
                    emit(.offerDeclined(ticket: offer.ticket, clerk: clerkID, excludedUntil: at.addingTimeInterval(policy.exclusionPeriod)), at: at, actor: actor, into: &out)
                    emit(.clerkStateChanged(clerk: clerkID, state: .offline), at: at, actor: actor, into: &out)
                }
            }
            dispatch(at: at, into: &out)
        }
        return out
    }
}
