import Foundation
import WindowCore

/// A small world to drive the queue in tests: three skills, six items, clerks with mixed skills.
enum World {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15, a Friday
    static let categories = ["residence", "social-insurance", "housing-fund"]
    static let letters = ["residence": "R", "social-insurance": "S", "housing-fund": "H"]
    static let items: [(code: String, category: String)] = [
        ("JZZ-001", "residence"), ("JZZ-002", "residence"),
        ("SB-001", "social-insurance"), ("SB-002", "social-insurance"),
        ("GJJ-001", "housing-fund"), ("GJJ-002", "housing-fund"),
    ]
    static let clerkProfiles: [ClerkID: ClerkProfile] = [
        1: ClerkProfile(displayName: "王", window: "01", skills: ["residence"]),
        2: ClerkProfile(displayName: "李", window: "02", skills: ["residence", "social-insurance"]),
        3: ClerkProfile(displayName: "张", window: "03", skills: ["housing-fund"], items: ["SB-002"]),
        4: ClerkProfile(displayName: "陈", window: "04", skills: ["social-insurance", "housing-fund"]),
    ]

    static func request(item index: Int, kiosk: KioskID, reason: PriorityReason? = nil, hours: ServiceHours = .always) -> TicketRequest {
        let item = items[index % items.count]
        return TicketRequest(
            itemCode: item.code, category: item.category, letter: letters[item.category]!, expectedMinutes: 5,
            site: 1, kiosk: kiosk, priorityReason: reason, hours: hours
        )
    }

    static func fresh(policy: RoutingPolicy = RoutingPolicy()) -> QueueState {
        var state = QueueState(policy: policy)
        for (id, profile) in clerkProfiles.sorted(by: { $0.key < $1.key }) {
            _ = state.registerClerk(id, profile: profile, at: start, actor: "test")
        }
        return state
    }
}

/// One step of a random run, decoded from a number so the property library can shrink runs.
enum Action: CustomStringConvertible {
    case issue(kiosk: KioskID, item: Int, reason: PriorityReason?)
    case cancel(kiosk: KioskID)
    case setState(clerk: ClerkID, ClerkState)
    case accept(clerk: ClerkID)
    case decline(clerk: ClerkID)
    case end(clerk: ClerkID, SessionOutcome)
    case transfer(clerk: ClerkID, toCategory: String?, toClerk: ClerkID?)
    case ready(clerk: ClerkID)
    case advance(seconds: Int)
    case kiosk(kiosk: KioskID, connected: Bool)
    case console(clerk: ClerkID, connected: Bool)
    /// A side of the clerk's session reports its media.
    case media(clerk: ClerkID, Participant, MediaState)
    /// The worker at the clerk's session answers the camera notice.
    case consent(clerk: ClerkID, accepted: Bool)

    init(_ n: Int) {
        let kiosk = KioskID(n / 16 % 6 + 1)
        let clerk = ClerkID(n / 16 % 4 + 1)
        let x = n / 128
        switch n % 18 {
        case 0, 1, 2: self = .issue(kiosk: kiosk, item: x % 6, reason: [nil, nil, nil, .elderly, .disabled, .appointment][x / 6 % 6])
        case 3: self = .cancel(kiosk: kiosk)
        case 4, 5: self = .setState(clerk: clerk, .available)
        case 6: self = .setState(clerk: clerk, [.away, .offline][x % 2])
        case 7, 8: self = .accept(clerk: clerk)
        case 9: self = .decline(clerk: clerk)
        case 10: self = .end(clerk: clerk, [.completed, .needsMaterials, .referredOffline][x % 3])
        case 11:
            self = x % 2 == 0
                ? .transfer(clerk: clerk, toCategory: World.categories[x / 2 % 3], toClerk: nil)
                : .transfer(clerk: clerk, toCategory: nil, toClerk: ClerkID(x / 2 % 4 + 1))
        case 12: self = .ready(clerk: clerk)
        case 13: self = .advance(seconds: [1, 10, 31, 61, 125, 900, 1000][x % 7])
        case 14: self = .kiosk(kiosk: kiosk, connected: x % 2 == 0)
        case 15: self = .console(clerk: clerk, connected: x % 2 == 0)
        case 16: self = .media(clerk: clerk, x % 2 == 0 ? .kiosk : .clerk, [.connected, .connected, .disconnected, .failed, .connecting][x / 2 % 5])
        default: self = .consent(clerk: clerk, accepted: x % 4 != 0)
        }
    }

    var description: String {
        switch self {
        case .issue(let k, let i, let r): "issue(k\(k), \(World.items[i].code), \(r?.rawValue ?? "-"))"
        case .cancel(let k): "cancel(k\(k))"
        case .setState(let c, let s): "state(c\(c), \(s.rawValue))"
        case .accept(let c): "accept(c\(c))"
        case .decline(let c): "decline(c\(c))"
        case .end(let c, let o): "end(c\(c), \(o.rawValue))"
        case .transfer(let c, let cat, let to): "transfer(c\(c), \(cat ?? "-"), \(to.map { "c\($0)" } ?? "-"))"
        case .ready(let c): "ready(c\(c))"
        case .advance(let s): "advance(\(s)s)"
        case .kiosk(let k, let on): "kiosk(k\(k), \(on ? "up" : "down"))"
        case .console(let c, let on): "console(c\(c), \(on ? "up" : "down"))"
        case .media(let c, let side, let media): "media(c\(c), \(side.rawValue), \(media.rawValue))"
        case .consent(let c, let accepted): "consent(c\(c), \(accepted))"
        }
    }
}

/// Drives a state with actions, keeping the whole log and the clock.
struct Driver {
    var state: QueueState
    var now = World.start
    var log: [QueueRecord] = []
    var issued = Set<TicketID>()
    var ended = Set<TicketID>()

    init(policy: RoutingPolicy = RoutingPolicy()) {
        state = QueueState(policy: policy)
        for (id, profile) in World.clerkProfiles.sorted(by: { $0.key < $1.key }) {
            record(state.registerClerk(id, profile: profile, at: now, actor: "test"))
        }
    }

    mutating func record(_ decision: Decision) {
        log += decision.records
        let finished = state.drainFinished()
        ended.formUnion(finished.tickets.map(\.id))
    }

    func liveTicket(of kiosk: KioskID) -> Ticket? { state.tickets.values.first { $0.kiosk == kiosk } }

    /// Performs the action if it applies; refusals are part of the game and change nothing.
    mutating func perform(_ action: Action) {
        let before = state
        do {
            switch action {
            case .issue(let kiosk, let item, let reason):
                let (ticket, decision) = try state.takeTicket(World.request(item: item, kiosk: kiosk, reason: reason), at: now, actor: "kiosk:\(kiosk)")
                issued.insert(ticket.id)
                record(decision)
            case .cancel(let kiosk):
                guard let ticket = liveTicket(of: kiosk) else { return }
                record(try state.leaveTicket(ticket.id, at: now, actor: "kiosk:\(kiosk)"))
            case .setState(let clerk, let target):
                record(try state.setClerkState(clerk, to: target, at: now, actor: "clerk:\(clerk)"))
            case .accept(let clerk):
                guard let offer = state.clerks[clerk]?.offer else { return }
                record(try state.acceptOffer(clerk: clerk, ticket: offer.ticket, at: now, actor: "clerk:\(clerk)").1)
            case .decline(let clerk):
                guard let offer = state.clerks[clerk]?.offer else { return }
                record(try state.declineOffer(clerk: clerk, ticket: offer.ticket, at: now, actor: "clerk:\(clerk)"))
            case .end(let clerk, let outcome):
                guard let session = state.clerks[clerk]?.session else { return }
                record(try state.endSession(session, outcome: outcome, by: clerk, at: now, actor: "clerk:\(clerk)"))
            case .transfer(let clerk, let category, let target):
                guard let session = state.clerks[clerk]?.session else { return }
                record(try state.transfer(session, by: clerk, toCategory: category, toClerk: target, at: now, actor: "clerk:\(clerk)"))
            case .ready(let clerk):
                record(try state.ready(clerk: clerk, at: now, actor: "clerk:\(clerk)"))
            case .advance(let seconds):
                now = now.addingTimeInterval(TimeInterval(seconds))
                record(state.tick(now: now))
            case .kiosk(let kiosk, let connected):
                guard let ticket = liveTicket(of: kiosk) else { return }
                record(state.kioskConnection(ticket: ticket.id, connected: connected, at: now, actor: "kiosk:\(kiosk)"))
            case .console(let clerk, let connected):
                record(state.clerkConnection(clerk, connected: connected, at: now, actor: "clerk:\(clerk)"))
            case .media(let clerk, let side, let media):
                guard let session = state.clerks[clerk]?.session else { return }
                record(try state.reportMedia(session: session, participant: side, state: media, at: now, actor: "\(side.rawValue):\(clerk)"))
            case .consent(let clerk, let accepted):
                guard let id = state.clerks[clerk]?.session, let session = state.sessions[id] else { return }
                record(try state.answerConsent(session: id, kiosk: session.kiosk, accepted: accepted, at: now, actor: "screen-b:\(session.kiosk)"))
            }
        } catch {
            // A refused command must leave the state as it was.
            precondition(state == before, "refused \(action) changed the state")
        }
    }

    /// Serves everyone still in line: all clerks work until no ticket is left.
    mutating func drain(maxRounds: Int = 500) -> Bool {
        for clerk in state.clerks.keys.sorted() {
            if let session = state.clerks[clerk]?.session {
                record((try? state.endSession(session, outcome: .completed, by: clerk, at: now, actor: "drain")) ?? Decision())
            }
            record((try? state.setClerkState(clerk, to: .available, at: now, actor: "drain")) ?? Decision())
            record(state.clerkConnection(clerk, connected: true, at: now, actor: "drain"))
        }
        for _ in 0..<maxRounds {
            if state.tickets.isEmpty { return true }
            for clerk in state.clerks.keys.sorted() {
                guard let current = state.clerks[clerk] else { continue }
                switch current.state {
                case .offered:
                    record((try? state.acceptOffer(clerk: clerk, ticket: current.offer!.ticket, at: now, actor: "drain").1) ?? Decision())
                case .inSession:
                    record((try? state.endSession(current.session!, outcome: .completed, by: clerk, at: now, actor: "drain")) ?? Decision())
                case .wrapUp:
                    record((try? state.ready(clerk: clerk, at: now, actor: "drain")) ?? Decision())
                case .away, .offline:
                    record((try? state.setClerkState(clerk, to: .available, at: now, actor: "drain")) ?? Decision())
                case .available:
                    break
                }
            }
            now = now.addingTimeInterval(5)
            record(state.tick(now: now))
        }
        return state.tickets.isEmpty
    }
}
