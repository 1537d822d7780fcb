import Foundation
import Logging
import WindowAPITypes
import WindowCore
import WindowStore

/// 差评 and 补正 follow-up: opens cases when the queue's decisions call for them, and takes each
/// step in order (one owner, like the queue), every step an event with who and when.
actor FollowUpService {
    let database: AppDatabase
    let phoneBox: SecretBox
    let policy: FollowUpPolicy
    let now: @Sendable () -> Date
    let logger: Logger

    init(database: AppDatabase, phoneBox: SecretBox, policy: FollowUpPolicy, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.database = database
        self.phoneBox = phoneBox
        self.policy = policy
        self.now = now
        self.logger = logger
    }

    func hours(site: SiteID) throws -> ServiceHours {
        try database.site(id: site)?.hours ?? .standard
    }

    // MARK: Opening

    /// A rating of 1–2 opens a 差评 case; the call-back number, if given with consent, is sealed.
    func ratingGiven(_ rating: Rating, session: Session, ticket: Ticket, phone: String?) async throws {
        guard rating.level <= 2 else { return }
        let item = FollowUpCase.rating(rating, session: session, ticket: ticket, hours: try hours(site: ticket.site), policy: policy, hasPhone: phone != nil)
        let opened = try database.openFollowUp(item, phoneSealed: try phone.map(phoneBox.seal))
        logger.notice("差评 case opened", metadata: ["followUp.id": "\(opened.id)", "session.id": "\(session.id)"])
    }

    /// A 补正 opens a case with what is missing; the worker may come back until the item's legal
    /// time limit (or the policy's working days when the item states none).
    func correctionNeeded(session: Session, ticket: Ticket, missing: [String], item: CatalogItem?) async throws {
        let at = session.endedAt ?? now()
        var correction = FollowUpCase(
            kind: .correction, caseNumber: session.caseNumber, session: session.id, ticket: ticket.id, clerk: session.clerk, site: ticket.site,
            itemCode: ticket.itemCode, itemVersion: ticket.itemVersion, openedAt: at)
        correction.missing = missing
        correction.note = session.notes
        let hours = try hours(site: ticket.site)
        if let limit = item?.legalTimeLimit, limit.days > 0 {
            correction.returnBy = limit.unit == .workingDays
                ? hours.workingDeadline(after: at, workingDays: limit.days)
                : ServiceHours.startOfDay(at).addingTimeInterval(Double(limit.days + 1) * 86400)
        } else {
            correction.returnBy = hours.workingDeadline(after: at, workingDays: policy.correctionDays)
        }
        correction.steps = [FollowUpCase.Step(at: at, by: "clerk:\(session.clerk)", action: "opened", note: missing.joined(separator: "、"))]
        _ = try database.openFollowUp(correction)
    }

    /// Cases whose opening was lost (a crash after the queue's write) are opened on start.
    func reconcile(catalogItem: (String, Int?) async throws -> CatalogItem?) async {
        do {
            let (ratings, corrections) = try await database.followUpsMissing()
            for (rating, session, ticket) in ratings { try await ratingGiven(rating, session: session, ticket: ticket, phone: nil) }
            for (session, ticket) in corrections {
                try await correctionNeeded(session: session, ticket: ticket, missing: [], item: try await catalogItem(ticket.itemCode, ticket.itemVersion))
            }
            if !ratings.isEmpty || !corrections.isEmpty {
                logger.notice("follow-up cases reopened after a restart", metadata: ["ratings": "\(ratings.count)", "corrections": "\(corrections.count)"])
            }
        } catch {
            logger.error("follow-up reconciliation failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: 补正 returns

    /// The open 补正 a worker brings back, checked: the reference exists, is for this item, and is in time.
    func correctionToReturn(reference: String, item: String) async throws -> FollowUpCase {
        guard let correction = try await database.correction(caseNumber: reference) else {
            throw APIError.notFound("correction \(reference)", zh: "补正编号 \(reference) ")
                .with(code: .correctionNotFound)
        }
        guard correction.itemCode == item else {
            throw APIError.badRequest(
                code: .correctionNotFound, "该补正编号属于事项 \(correction.itemCode)，请选择该事项 / this reference is for item \(correction.itemCode)")
        }
        let expired = correction.returnBy.map { now() > $0 } ?? false
        guard correction.state == .open, !expired else {
            let reason = expired || correction.state == .expired
                ? "补正期限已过，请重新取号办理 / the time to bring the materials has passed; take a new ticket"
                : "该补正已补齐材料 / this correction was already brought back"
            throw APIError.conflict(code: .correctionClosed, reason)
        }
        return correction
    }

    func returned(_ correction: FollowUpCase, ticket: TicketID) async throws {
        guard var current = try await database.followUp(id: correction.id)?.case else { return }
        current.state = .returned
        current.returnTicket = ticket
        current.returnedAt = now()
        let step = FollowUpCase.Step(at: now(), by: "kiosk", action: "returned", note: "ticket \(ticket)")
        current.steps.append(step)
        try database.saveFollowUp(current, newSteps: [step])
    }

    // MARK: Lists and steps

    /// Open 补正 past their deadline become expired (with the step dated at the deadline).
    func expireCorrections() async throws {
        for var correction in try await database.followUps(kind: .correction, states: [.open]) {
            guard let due = correction.returnBy, now() > due else { continue }
            correction.state = .expired
            let step = FollowUpCase.Step(at: due, by: "system", action: "expired", note: nil)
            correction.steps.append(step)
            try database.saveFollowUp(correction, newSteps: [step])
        }
    }

    func list(kind: FollowUpCase.Kind?, open: Bool, overdueOnly: Bool, names: [ClerkID: String]) async throws -> FollowUpList {
        try await expireCorrections()
        let states: [FollowUpCase.State]? = open ? FollowUpCase.State.allCases.filter { ![.closed, .returned, .expired].contains($0) } : nil
        let at = now()
        var cases = try await database.followUps(kind: kind, states: states).map { summary($0, names: names, at: at) }
        let overdue = cases.filter(\.overdue).count
        if overdueOnly { cases = cases.filter(\.overdue) }
        return FollowUpList(cases: cases, overdue: overdue)
    }

    nonisolated func summary(_ item: FollowUpCase, names: [ClerkID: String], at: Date) -> FollowUpSummary {
        let next = item.nextDue
        return FollowUpSummary(
            id: item.id, kind: item.kind, state: item.state, caseNumber: item.caseNumber, itemCode: item.itemCode, site: item.site, clerk: item.clerk,
            clerkName: names[item.clerk], level: item.level, openedAt: item.openedAt, owner: item.owner?.username, nextStep: next?.step,
            nextDue: next?.due, overdue: item.isOverdue(at: at))
    }

    /// One case: the call-back number and the ID number are shown to its owner only, masked to everyone else.
    func view(_ id: Int64, for person: AccountName, names: [ClerkID: String]) async throws -> FollowUpView {
        guard let (item, sealed) = try await database.followUp(id: id) else { throw APIError.notFound("follow-up \(id)", zh: "回访件 \(id) ") }
        let owner = item.owner?.account == person.account
        let phone = sealed.flatMap(phoneBox.open)
        let ticket = try database.ticket(id: item.ticket)
        return FollowUpView(
            summary: summary(item, names: names, at: now()), detail: item,
            phone: phone.map { owner ? $0 : Self.mask($0) }, idNumberMasked: owner ? ticket?.idNumberMasked : nil)
    }

    /// `138****5678`: the first three and the last four digits.
    static func mask(_ phone: String) -> String {
        let digits = Array(phone)
        guard digits.count > 7 else { return String(repeating: "*", count: digits.count) }
        return String(digits.prefix(3)) + String(repeating: "*", count: digits.count - 7) + String(digits.suffix(4))
    }

    func step(_ id: Int64, action: String, body: FollowUpStepRequest, by person: AccountName) async throws -> FollowUpCase {
        guard var item = try await database.followUp(id: id)?.case else { throw APIError.notFound("follow-up \(id)", zh: "回访件 \(id) ") }
        let before = item.steps.count
        let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let at = now()
        do {
            switch action {
            case "sign": try item.sign(by: person, at: at)
            case "contact": try item.contact(by: person, note: note, at: at)
            case "classify":
                guard let classification = body.classification else { throw APIError.badRequest(code: .invalidBody, "缺少 classification / classification is required") }
                try item.classify(classification, note: note, planDate: body.planDate, by: person, at: at)
            case "appeal-decision":
                guard let upheld = body.upheld else { throw APIError.badRequest(code: .invalidBody, "缺少 upheld / upheld is required") }
                try item.decideAppeal(upheld: upheld, note: note, by: person, at: at)
            case "rectify": try item.rectify(note: note, by: person, at: at)
            case "revisit":
                guard let satisfied = body.satisfied else { throw APIError.badRequest(code: .invalidBody, "缺少 satisfied / satisfied is required") }
                try item.revisit(satisfied: satisfied, note: note, by: person, at: at)
            case "close": try item.close(note: note, by: person, at: at)
            default: throw APIError.notFound("step \(action)", zh: "操作 \(action) ")
            }
        } catch let refusal as FollowUpRefusal {
            let code: APIErrorCode = switch refusal.code {
            case .state: .followUpState
            case .notOwner: .notCaseOwner
            case .sameManager: .sameManager
            case .noteRequired: .noteRequired
            }
            throw APIError(refusal.code == .notOwner || refusal.code == .sameManager ? .forbidden : .conflict, code: code, message: refusal.message)
        }
        try database.saveFollowUp(item, newSteps: Array(item.steps[before...]))
        return item
    }
}

extension APIError {
    func with(code: APIErrorCode) -> APIError {
        var error = self
        error.code = code
        return error
    }
}
