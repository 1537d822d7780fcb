import Foundation
import Testing
import WindowCore

@Suite("queue rules")
struct QueueRuleTests {
    var driver = Driver()

    mutating func issue(_ kiosk: KioskID, item: Int = 0, reason: PriorityReason? = nil) -> Ticket {
        let (ticket, decision) = try! driver.state.takeTicket(World.request(item: item, kiosk: kiosk, reason: reason), at: driver.now, actor: "test")
        driver.record(decision)
        return ticket
    }

    mutating func available(_ clerk: ClerkID) {
        driver.record(try! driver.state.setClerkState(clerk, to: .available, at: driver.now, actor: "test"))
    }

    /// The clerk accepts the ticket's offer and both sides connect: the session's id.
    mutating func startSession(_ ticket: Ticket, clerk: ClerkID) throws -> SessionID {
        let (session, decision) = try driver.state.acceptOffer(clerk: clerk, ticket: ticket.id, at: driver.now, actor: "test")
        driver.record(decision)
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: true, at: driver.now, actor: "test"))
        driver.record(driver.state.clerkConnection(clerk, connected: true, at: driver.now, actor: "test"))
        return session
    }

    /// Accepts the offer with neither side's connection reported yet.
    mutating func acceptUnjoined(_ ticket: Ticket, clerk: ClerkID) throws -> SessionID {
        let (session, decision) = try driver.state.acceptOffer(clerk: clerk, ticket: ticket.id, at: driver.now, actor: "test")
        driver.record(decision)
        return session
    }

    mutating func advance(_ seconds: TimeInterval) {
        driver.now = driver.now.addingTimeInterval(seconds)
        driver.record(driver.state.tick(now: driver.now))
    }

    @Test("a ticket served in full leaves no timer behind: the offer's and the wrap-up's are taken out when the clerk settles them first")
    mutating func servedTicketLeavesNoTimer() throws {
        available(1)
        let ticket = issue(1)
        let offer = try #require(driver.state.tickets[ticket.id]?.offer)
        #expect(driver.state.nextDeadline == offer.expiresAt)
        let session = try startSession(ticket, clerk: 1)
        #expect(driver.state.nextDeadline == nil)  // the accepted offer's timeout can no longer fire
        driver.record(try driver.state.endSession(session, outcome: .completed, by: 1, at: driver.now, actor: "test"))
        let wrapUp = try #require(driver.state.clerks[1]?.wrapUpUntil)
        #expect(driver.state.nextDeadline == wrapUp)
        driver.record(try driver.state.ready(clerk: 1, at: driver.now, actor: "test"))
        #expect(driver.state.nextDeadline == nil)
    }

    @Test("graces that end with a return, and the exclusions of a ticket that was left, leave no timer behind")
    mutating func settledGracesLeaveNoTimer() throws {
        let ticket = issue(1)
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: false, at: driver.now, actor: "test"))
        #expect(driver.state.nextDeadline != nil)
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: true, at: driver.now, actor: "test"))
        #expect(driver.state.nextDeadline == nil)

        available(1)
        driver.record(try driver.state.declineOffer(clerk: 1, ticket: ticket.id, at: driver.now, actor: "test"))
        #expect(driver.state.tickets[ticket.id]?.excluded[1] != nil)  // and offered to clerk 1 again, the only one
        #expect(driver.state.nextDeadline != nil)
        driver.record(try driver.state.leaveTicket(ticket.id, at: driver.now, actor: "test"))
        #expect(driver.state.nextDeadline == nil)

        driver.record(driver.state.clerkConnection(1, connected: false, at: driver.now, actor: "test"))
        #expect(driver.state.nextDeadline != nil)
        driver.record(driver.state.clerkConnection(1, connected: true, at: driver.now, actor: "test"))
        #expect(driver.state.nextDeadline == nil)
    }

    @Test("numbers are the category letter and a daily sequence")
    mutating func numbers() {
        #expect(issue(1, item: 0).number == "R001")
        #expect(issue(2, item: 1).number == "R002")
        #expect(issue(3, item: 2).number == "S001")
        advance(86_400)
        #expect(issue(4, item: 0).number == "R001")
    }

    @Test("priority lane first, then appointment, then normal; first come first served within a lane")
    mutating func lanes() {
        let normal = issue(1)
        let appointment = issue(2, reason: .appointment)
        let elderly = issue(3, reason: .elderly)
        let disabled = issue(4, reason: .disabled)
        #expect(driver.state.estimate(for: elderly.id, now: driver.now)?.position == 1)
        #expect(driver.state.estimate(for: disabled.id, now: driver.now)?.position == 2)
        #expect(driver.state.estimate(for: normal.id, now: driver.now)?.position == 4)
        available(1)
        #expect(driver.state.clerks[1]?.offer?.ticket == elderly.id)
        _ = appointment
    }

    @Test("a normal ticket past the aging bound goes before newer priority tickets")
    mutating func aging() {
        let old = issue(1)
        advance(driver.state.policy.agingBound + 1)
        let elderly = issue(2, reason: .elderly)
        #expect(driver.state.estimate(for: old.id, now: driver.now)?.position == 1)
        #expect(driver.state.estimate(for: elderly.id, now: driver.now)?.position == 2)
        available(1)
        #expect(driver.state.clerks[1]?.offer?.ticket == old.id)
    }

    @Test("the longest-idle eligible clerk gets the offer")
    mutating func longestIdle() {
        available(2)
        advance(10)
        available(1)
        let ticket = issue(1, item: 0)  // residence: clerks 1 and 2
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 2)
    }

    @Test("a ticket left while offered frees its clerk, and the decision says so: the clerk hears of it")
    mutating func leftWhileOffered() throws {
        available(1)
        let ticket = issue(1, item: 0)
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 1)
        let decision = try driver.state.leaveTicket(ticket.id, at: driver.now, actor: "test")
        #expect(decision.clerks.contains(1))
        #expect(driver.state.clerks[1]?.offer == nil)
        #expect(driver.state.clerks[1]?.state == .available)
    }

    @Test("a missed offer goes to the next clerk; repeated misses set the clerk away")
    mutating func offerTimeout() {
        available(1)
        advance(1)
        available(2)
        let first = issue(1, item: 0)
        #expect(driver.state.tickets[first.id]?.offer?.clerk == 1)
        advance(driver.state.policy.offerTimeout + 1)
        #expect(driver.state.tickets[first.id]?.offer?.clerk == 2)
        #expect(driver.state.clerks[1]?.state == .available)
        #expect(driver.state.clerks[1]?.missedOffers == 1)

        // Clerk 1 misses a second offer in a row: away.
        let second = issue(2, item: 0)
        #expect(driver.state.tickets[second.id]?.offer?.clerk == 1)
        advance(driver.state.policy.offerTimeout + 1)
        #expect(driver.state.clerks[1]?.state == .away)
        // Clerk 2 missed the first ticket a second earlier (one miss, still available). Nobody
        // else could take it then (clerk 1 held the second), so it went straight back to clerk 2,
        // and the second waits for a free clerk.
        #expect(driver.state.clerks[2]?.missedOffers == 1)
        #expect(driver.state.tickets[first.id]?.offer?.clerk == 2)
        #expect(driver.state.tickets[second.id]?.state == .waiting)
        #expect(driver.state.invariantViolations().isEmpty)
    }

    /// The rules named by the offers made since the log had `count` records.
    func offerRules(since count: Int) -> [String] {
        driver.log[count...].compactMap { if case .offerMade(_, _, _, let reason) = $0.event { reason.rule } else { nil } }
    }

    @Test("a missed offer goes straight back to the only available clerk; repeated misses still set the clerk away")
    mutating func missedWithOnlyClerk() throws {
        let policy = driver.state.policy
        available(1)  // residence; clerk 2, who serves it too, is offline
        let ticket = issue(1, item: 0)
        var offer = try #require(driver.state.tickets[ticket.id]?.offer)
        #expect(offer.clerk == 1)

        // Every miss but the last: passed over, yet clerk 1 is idle and nobody else may take it.
        for miss in 1..<policy.maxMissedOffers {
            let count = driver.log.count
            advance(policy.offerTimeout + 1)
            let again = try #require(driver.state.tickets[ticket.id]?.offer)
            #expect(again.clerk == 1)
            #expect(again.madeAt == offer.expiresAt)  // at once, not after the exclusion period
            #expect(driver.state.tickets[ticket.id]?.excluded[1] != nil)
            #expect(driver.state.clerks[1]?.missedOffers == miss)
            #expect(offerRules(since: count) == [QueueState.excludedButOnlyClerkRule])
            offer = again
        }

        // The last miss in a row sets the clerk away, as before; the ticket waits.
        advance(policy.offerTimeout + 1)
        #expect(driver.state.clerks[1]?.state == .away)
        #expect(driver.state.tickets[ticket.id]?.state == .waiting)
        #expect(driver.state.invariantViolations().isEmpty)

        // Back from away while the exclusion still runs: offered the ticket at once.
        let count = driver.log.count
        available(1)
        #expect(driver.now < driver.state.tickets[ticket.id]!.excluded[1]!)
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 1)
        #expect(driver.state.tickets[ticket.id]?.offer?.madeAt == driver.now)
        #expect(offerRules(since: count) == [QueueState.excludedButOnlyClerkRule])
        let (_, decision) = try driver.state.acceptOffer(clerk: 1, ticket: ticket.id, at: driver.now, actor: "test")
        driver.record(decision)
        #expect(driver.state.tickets[ticket.id]?.state == .inSession)
        #expect(driver.state.invariantViolations().isEmpty)
    }

    @Test("a declined ticket goes to another available clerk first, and back to the only one at once")
    mutating func declineWithOnlyClerk() throws {
        available(1)
        let ticket = issue(1, item: 0)
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 1)
        var count = driver.log.count
        driver.record(try driver.state.declineOffer(clerk: 1, ticket: ticket.id, at: driver.now, actor: "test"))
        // Nobody else may take it: back to clerk 1 at once. A decline is not a miss.
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 1)
        #expect(driver.state.tickets[ticket.id]?.excluded[1] != nil)
        #expect(driver.state.clerks[1]?.missedOffers == 0)
        #expect(offerRules(since: count) == [QueueState.excludedButOnlyClerkRule])
        #expect(driver.state.invariantViolations().isEmpty)

        // With clerk 2 available too, the exclusion steers the ticket to clerk 2…
        advance(1)
        available(2)
        count = driver.log.count
        driver.record(try driver.state.declineOffer(clerk: 1, ticket: ticket.id, at: driver.now, actor: "test"))
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 2)
        #expect(offerRules(since: count) == ["longest-idle eligible clerk"])
        // …and when clerk 2 declines too, both passed it over: the longest idle gets it again.
        count = driver.log.count
        driver.record(try driver.state.declineOffer(clerk: 2, ticket: ticket.id, at: driver.now, actor: "test"))
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 1)
        #expect(offerRules(since: count) == [QueueState.excludedButOnlyClerkRule])
        #expect(driver.state.invariantViolations().isEmpty)
    }

    @Test("a clerk who passed a ticket over takes another waiting ticket first, and the passed-over one after")
    mutating func passedOverTicketWaitsForOtherWork() throws {
        available(1)
        let first = issue(1, item: 0)
        let second = issue(2, item: 0)
        #expect(driver.state.tickets[first.id]?.offer?.clerk == 1)
        driver.record(try driver.state.declineOffer(clerk: 1, ticket: first.id, at: driver.now, actor: "test"))
        // Clerk 1 is not idle: the second ticket keeps them busy, the first waits.
        #expect(driver.state.tickets[second.id]?.offer?.clerk == 1)
        #expect(driver.state.tickets[first.id]?.state == .waiting)
        let (session, decision) = try driver.state.acceptOffer(clerk: 1, ticket: second.id, at: driver.now, actor: "test")
        driver.record(decision)
        driver.record(try driver.state.endSession(session, outcome: .completed, by: 1, at: driver.now, actor: "test"))
        let count = driver.log.count
        driver.record(try driver.state.ready(clerk: 1, at: driver.now, actor: "test"))
        // Free again, with the exclusion still running: the first ticket comes to clerk 1 at once.
        #expect(driver.state.tickets[first.id]?.offer?.clerk == 1)
        #expect(offerRules(since: count) == [QueueState.excludedButOnlyClerkRule])
        #expect(driver.state.invariantViolations().isEmpty)
    }

    @Test("a ticket transferred to a clerk who then declines goes back to that clerk at once")
    mutating func declineAfterTransferToClerk() throws {
        available(1)
        advance(1)
        available(2)
        let ticket = issue(1, item: 0)
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 1)
        let (session, decision) = try driver.state.acceptOffer(clerk: 1, ticket: ticket.id, at: driver.now, actor: "test")
        driver.record(decision)
        driver.record(try driver.state.transfer(session, by: 1, toCategory: nil, toClerk: 2, at: driver.now, actor: "test"))
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 2)
        let count = driver.log.count
        driver.record(try driver.state.declineOffer(clerk: 2, ticket: ticket.id, at: driver.now, actor: "test"))
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 2)
        #expect(offerRules(since: count) == [QueueState.excludedButOnlyClerkRule])
        #expect(driver.state.invariantViolations().isEmpty)
    }

    @Test("transfer keeps the ticket's place in line")
    mutating func transferKeepsPlace() throws {
        let first = issue(1, item: 2)  // social-insurance
        let second = issue(2, item: 2)
        available(2)
        let offered = try #require(driver.state.clerks[2]?.offer)
        #expect(offered.ticket == first.id)
        let (session, decision) = try driver.state.acceptOffer(clerk: 2, ticket: first.id, at: driver.now, actor: "test")
        driver.record(decision)
        advance(30)
        let third = issue(3, item: 2)
        driver.record(try driver.state.transfer(session, by: 2, toCategory: "social-insurance", toClerk: nil, at: driver.now, actor: "test"))
        #expect(driver.state.estimate(for: first.id, now: driver.now)?.position == 1)
        #expect(driver.state.estimate(for: second.id, now: driver.now)?.position == 2)
        #expect(driver.state.estimate(for: third.id, now: driver.now)?.position == 3)
    }

    @Test("a kiosk that drops keeps its ticket for the grace period, then it is abandoned")
    mutating func kioskGrace() {
        let ticket = issue(1)
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: false, at: driver.now, actor: "test"))
        advance(driver.state.policy.kioskGrace - 1)
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: true, at: driver.now, actor: "test"))
        advance(driver.state.policy.kioskGrace * 2)
        #expect(driver.state.tickets[ticket.id]?.state == .waiting)

        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: false, at: driver.now, actor: "test"))
        advance(driver.state.policy.kioskGrace + 1)
        #expect(driver.state.tickets[ticket.id] == nil)
        #expect(driver.ended.contains(ticket.id))
    }

    @Test("a session whose kiosk does not rejoin in time ends as dropped; the ticket waits for the kiosk's grace, and the clerk wraps up")
    mutating func rejoinGrace() throws {
        let ticket = issue(1)
        available(1)
        let session = try startSession(ticket, clerk: 1)
        #expect(driver.state.sessions[session]?.state == .connecting, "no media yet")
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: false, at: driver.now, actor: "test"))
        #expect(driver.state.sessions[session]?.state == .reconnecting)
        advance(driver.state.policy.rejoinGrace + 1)
        #expect(driver.state.sessions[session] == nil)
        #expect(driver.state.clerks[1]?.state == .wrapUp)
        #expect(driver.log.contains { if case .sessionEnded(session, .dropped, _, _, _, true) = $0.event { true } else { false } })
        #expect(driver.state.tickets[ticket.id]?.state == .waiting)
        #expect(driver.state.tickets[ticket.id]?.kioskGraceUntil != nil)
        advance(driver.state.policy.kioskGrace + 1)
        #expect(driver.state.tickets[ticket.id] == nil, "the kiosk did not come back: abandoned")
        #expect(driver.log.contains { if case .ticketAbandoned(ticket.id) = $0.event { true } else { false } })
    }

    @Test("a session that starts without its kiosk waits the rejoin grace for it, then ends dropped with the ticket; the clerk wraps up")
    mutating func kioskNeverCame() throws {
        let ticket = issue(1)
        available(1)
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: false, at: driver.now, actor: "test"))
        let session = try acceptUnjoined(ticket, clerk: 1)
        driver.record(driver.state.clerkConnection(1, connected: true, at: driver.now, actor: "test"))
        driver.record(driver.state.awaitAbsent(session: session, kioskConnected: false, clerkConnected: true, at: driver.now, actor: "test"))
        #expect(driver.state.sessions[session]?.state == .connecting, "waiting for the kiosk, not reconnecting")
        #expect(driver.state.sessions[session]?.rejoinUntil == driver.now.addingTimeInterval(driver.state.policy.rejoinGrace))
        advance(driver.state.policy.rejoinGrace - 1)
        #expect(driver.state.sessions[session] != nil)
        advance(2)
        #expect(driver.state.sessions[session] == nil)
        #expect(driver.state.tickets[ticket.id] == nil, "the worker never came: the ticket ended with the session")
        #expect(driver.log.contains { if case .sessionEnded(session, .dropped, _, _, _, nil) = $0.event { true } else { false } })
        #expect(driver.state.clerks[1]?.state == .wrapUp)
        #expect(driver.state.invariantViolations().isEmpty)
    }

    @Test("a kiosk that never comes back is not kept by sessions it never joins: its grace is not renewed, and the ticket is abandoned")
    mutating func absentKioskDoesNotGoRound() throws {
        let ticket = issue(1)
        available(1)
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: false, at: driver.now, actor: "test"))
        let grace = try #require(driver.state.tickets[ticket.id]?.kioskGraceUntil)
        // Accepted while the kiosk is away; the clerk drops too, and the ticket goes back to its line.
        let session = try acceptUnjoined(ticket, clerk: 1)
        driver.record(driver.state.clerkConnection(1, connected: true, at: driver.now, actor: "test"))
        driver.record(driver.state.awaitAbsent(session: session, kioskConnected: false, clerkConnected: true, at: driver.now, actor: "test"))
        advance(1)
        driver.record(driver.state.clerkConnection(1, connected: false, at: driver.now, actor: "test"))
        advance(driver.state.policy.rejoinGrace + 1)
        #expect(driver.state.sessions[session] == nil)
        // Requeued with the grace it had, not a new one: past it, abandoned.
        #expect(driver.state.tickets[ticket.id] == nil || driver.state.tickets[ticket.id]?.kioskGraceUntil == grace)
        advance(driver.state.policy.kioskGrace)
        #expect(driver.state.tickets[ticket.id] == nil)
        #expect(driver.log.contains { if case .ticketAbandoned(ticket.id) = $0.event { true } else { false } })
        #expect(driver.state.invariantViolations().isEmpty)
    }

    @Test("after a restart, a session with sides never there and no deadline gets one and ends")
    mutating func restartAwaitsAbsentSides() throws {
        let ticket = issue(1)
        available(1)
        let session = try acceptUnjoined(ticket, clerk: 1)
        #expect(driver.state.sessions[session]?.rejoinUntil == nil, "as older servers left such sessions")
        driver.record(driver.state.assumeEveryoneDisconnected(at: driver.now))
        #expect(driver.state.sessions[session]?.rejoinUntil != nil)
        advance(driver.state.policy.rejoinGrace + 1)
        #expect(driver.state.sessions[session] == nil)
        #expect(driver.state.tickets[ticket.id] == nil, "the worker never came")
    }

    @Test("a kiosk that joins in time makes the awaited session an ordinary one; an absent clerk's session requeues the ticket")
    mutating func awaitedSidesJoin() throws {
        let ticket = issue(1)
        available(1)
        let session = try acceptUnjoined(ticket, clerk: 1)
        driver.record(driver.state.awaitAbsent(session: session, kioskConnected: false, clerkConnected: false, at: driver.now, actor: "test"))
        advance(1)
        driver.record(driver.state.kioskConnection(ticket: ticket.id, connected: true, at: driver.now, actor: "test"))
        #expect(driver.state.sessions[session]?.state == .connecting)
        // The clerk's console never comes: past the grace, the ticket goes back to the head of its line.
        advance(driver.state.policy.rejoinGrace)
        #expect(driver.state.sessions[session] == nil)
        #expect(driver.state.tickets[ticket.id]?.state == .waiting)
        #expect(driver.state.tickets[ticket.id]?.kioskGraceUntil == nil, "the kiosk is there")
    }

    @Test("a clerk lost past the rejoin grace: the ticket goes back to the head of its line and the next clerk gets it")
    mutating func clerkLost() throws {
        let ticket = issue(1)
        available(1)
        let session = try startSession(ticket, clerk: 1)
        advance(1)
        let later = issue(2)
        driver.record(driver.state.clerkConnection(1, connected: false, at: driver.now, actor: "test"))
        advance(driver.state.policy.rejoinGrace + 1)
        #expect(driver.state.sessions[session] == nil)
        #expect(driver.state.tickets[ticket.id]?.state == .waiting)
        #expect(driver.state.tickets[ticket.id]?.kioskGraceUntil == nil, "the kiosk is still there")
        available(2)
        #expect(driver.state.tickets[ticket.id]?.offer?.clerk == 2, "the requeued ticket is served before the later one")
        #expect(driver.state.tickets[later.id]?.state == .waiting)
    }

    @Test("a clerk whose console stays away past its grace during a session goes offline after wrap-up, not available")
    mutating func clerkGoneDuringSession() throws {
        var policy = RoutingPolicy()
        policy.clerkGrace = 30
        policy.rejoinGrace = 90
        driver = Driver(policy: policy)
        let ticket = issue(1)
        available(1)
        let session = try startSession(ticket, clerk: 1)
        driver.record(driver.state.clerkConnection(1, connected: false, at: driver.now, actor: "test"))
        advance(31)  // the console's grace runs out while the session waits for the clerk
        #expect(driver.state.clerks[1]?.state == .inSession)
        advance(60)  // then the session's
        #expect(driver.state.sessions[session] == nil)
        #expect(driver.state.clerks[1]?.state == .wrapUp)
        advance(policy.wrapUp + 1)
        #expect(driver.state.clerks[1]?.state == .offline)
        #expect(driver.state.tickets[ticket.id]?.offer == nil, "the requeued ticket is not offered to the clerk who is gone")
    }

    @Test("the session follows the media: connecting, active when both sides report connected, reconnecting on a loss, active again")
    mutating func mediaState() throws {
        let ticket = issue(1)
        available(1)
        let session = try startSession(ticket, clerk: 1)
        func report(_ side: Participant, _ media: MediaState) throws {
            driver.record(try driver.state.reportMedia(session: session, participant: side, state: media, at: driver.now, actor: "test"))
        }
        try report(.clerk, .connected)
        #expect(driver.state.sessions[session]?.state == .connecting)
        try report(.kiosk, .connected)
        #expect(driver.state.sessions[session]?.state == .active)
        let events = driver.log.count
        try report(.kiosk, .connected)
        #expect(driver.log.count == events, "only a change is an event")
        try report(.kiosk, .disconnected)
        #expect(driver.state.sessions[session]?.state == .reconnecting)
        try report(.kiosk, .connected)
        #expect(driver.state.sessions[session]?.state == .active)
        // A participant's live connection lost: reconnecting until it is back and its media reports again.
        driver.record(driver.state.clerkConnection(1, connected: false, at: driver.now, actor: "test"))
        #expect(driver.state.sessions[session]?.state == .reconnecting)
        driver.record(driver.state.clerkConnection(1, connected: true, at: driver.now, actor: "test"))
        #expect(driver.state.sessions[session]?.state == .reconnecting)
        try report(.clerk, .connected)
        #expect(driver.state.sessions[session]?.state == .active)
        #expect(driver.state.sessions[session]?.rejoinUntil == nil)
        // The consent is recorded once; leaving ends the session.
        driver.record(try driver.state.answerConsent(session: session, kiosk: ticket.kiosk, accepted: true, at: driver.now, actor: "test"))
        #expect(driver.state.sessions[session]?.consent == true)
        #expect(throws: QueueError.self) { try driver.state.answerConsent(session: session, kiosk: ticket.kiosk, accepted: false, at: driver.now, actor: "test") }
        #expect(throws: QueueError.self) { try driver.state.answerConsent(session: session, kiosk: ticket.kiosk + 1, accepted: true, at: driver.now, actor: "test") }
    }

    @Test("outside service hours a ticket is refused with the next opening")
    func closed() throws {
        var state = World.fresh()
        // 2027-01-15 is a Friday; 20:00 in Shanghai is after 17:00.
        let friday8pm = ISO8601DateFormatter().date(from: "2027-01-15T12:00:00Z")!
        #expect {
            _ = try state.takeTicket(World.request(item: 0, kiosk: 1, hours: .standard), at: friday8pm, actor: "test")
        } throws: { error in
            guard let error = error as? QueueError, error.code == .closed else { return false }
            // Next opening: Monday 2027-01-18 09:00 Shanghai = 01:00Z.
            return error.nextOpening == ISO8601DateFormatter().date(from: "2027-01-18T01:00:00Z")
        }
        #expect(state.tickets.isEmpty)
    }

    @Test("ETA is handling time × tickets ahead ÷ clerks on duty")
    mutating func eta() {
        let first = issue(1, item: 0)
        let second = issue(2, item: 1)
        #expect(driver.state.estimate(for: second.id, now: driver.now)?.waitSeconds == nil)  // nobody on duty
        driver.record(try! driver.state.setClerkState(1, to: .away, at: driver.now, actor: "test"))
        driver.record(try! driver.state.setClerkState(2, to: .away, at: driver.now, actor: "test"))
        // Away clerks are not on duty.
        #expect(driver.state.estimate(for: second.id, now: driver.now)?.clerksOnDuty == 0)
        available(1)
        // Clerk 1 took the first ticket; the second is next: ahead 0.
        #expect(driver.state.tickets[first.id]?.state == .offered)
        let estimate = driver.state.estimate(for: second.id, now: driver.now)
        #expect(estimate?.position == 1)
        #expect(estimate?.waitSeconds == 0)
        let third = issue(3, item: 0)
        #expect(driver.state.estimate(for: third.id, now: driver.now)?.waitSeconds == 300)  // 5 min × 1 ahead ÷ 1
    }
}

@Suite("service hours")
struct ServiceHoursTests {
    let utc = ISO8601DateFormatter()

    @Test("weekday hours in Shanghai time, holidays closed, adjusted workdays open")
    func hours() {
        var hours = ServiceHours.standard
        hours.holidays = ["2027-01-18"]
        hours.workdays = ["2027-01-16": [ServiceHours.Interval(open: 9 * 60, close: 12 * 60)]]
        #expect(hours.isOpen(at: utc.date(from: "2027-01-15T01:00:00Z")!))  // Fri 09:00
        #expect(!hours.isOpen(at: utc.date(from: "2027-01-15T00:59:59Z")!))  // Fri 08:59:59
        #expect(!hours.isOpen(at: utc.date(from: "2027-01-15T09:00:00Z")!))  // Fri 17:00
        #expect(hours.isOpen(at: utc.date(from: "2027-01-16T02:00:00Z")!))  // Sat 10:00, adjusted workday
        #expect(!hours.isOpen(at: utc.date(from: "2027-01-17T02:00:00Z")!))  // Sun
        #expect(!hours.isOpen(at: utc.date(from: "2027-01-18T02:00:00Z")!))  // Mon holiday
        #expect(hours.nextOpening(after: utc.date(from: "2027-01-16T05:00:00Z")!) == utc.date(from: "2027-01-19T01:00:00Z"))
    }
}

@Suite("resident ID numbers (GB 11643)")
struct ResidentIDTests {
    let today = ISO8601DateFormatter().date(from: "2026-11-21T04:00:00Z")!

    @Test("valid numbers parse, with birth date and age")
    func valid() throws {
        let id = try ResidentID("11010519491231002X", today: today)
        #expect(id.birthYear == 1949 && id.birthMonth == 12 && id.birthDay == 31)
        #expect(id.age(on: today) == 76)
        #expect(try ResidentID("11010519491231002x", today: today).number == "11010519491231002X")
        let young = try ResidentID(ResidentID.withCheckDigit("31010120001122123"), today: today)
        #expect(young.age(on: today) == 25)
        let birthdayTomorrow = try ResidentID(ResidentID.withCheckDigit("31010119661122123"), today: today)
        #expect(birthdayTomorrow.age(on: today) == 59)
    }

    @Test("invalid numbers are refused with the reason", arguments: [
        ("1101051949123100", ResidentID.Problem.length),
        ("11010519491231002Y", .characters),
        ("1101051949A231002X", .characters),
        ("110105194913310021", .birthDate),
        ("110105194902300021", .birthDate),
        ("110105203001010021", .birthDate),
        ("110105194912310021", .checkDigit),
    ])
    func invalid(text: String, problem: ResidentID.Problem) {
        #expect(throws: problem) { try ResidentID(text, today: today) }
    }

    @Test("masking hides all but the last four")
    func masking() throws {
        let id = try ResidentID("11010519491231002X", today: today)
        #expect(id.masked == "**************002X")
        #expect("\(id)" == "**************002X")
        #expect(!"\(id)".contains("19491231"))
    }
}
