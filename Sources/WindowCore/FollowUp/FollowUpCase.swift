import Foundation

/// The follow-up the rules require: a 差评 (a rating of 1 or 2) is answered within 1·5·15 working
/// days (国办发〔2019〕51号, Shanghai's rule); a 补正 waits for the worker to come back with what was missing.
public struct FollowUpCase: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        /// 差评回访.
        case rating
        /// 补正.
        case correction
    }

    public enum State: String, Codable, Hashable, Sendable, CaseIterable {
        /// Opened; nobody has signed for it yet, or the worker is not yet contacted.
        case open
        case contacted
        case classified
        /// 申诉复核: the owner holds the rating mistaken or malicious; another manager decides.
        case appealing
        case rectified
        /// The call-back's result is recorded.
        case revisited
        case closed
        /// 补正: the worker came back with the materials (a new ticket).
        case returned
        /// 补正: the deadline passed without a return.
        case expired
    }

    /// How the owner judges a 差评.
    public enum Classification: String, Codable, Hashable, Sendable, CaseIterable {
        /// 合理诉求，立即整改.
        case reasonable
        /// 复杂诉求，制定整改计划（附日期）.
        case complex
        /// 无法律依据，做好解释.
        case noBasis
        /// 误评或恶意差评：申诉复核.
        case mistaken
    }

    /// One step: who did what, when (also written to the case's event log).
    public struct Step: Codable, Hashable, Sendable {
        public var at: Date
        public var by: String
        public var action: String
        public var note: String?

        public init(at: Date, by: String, action: String, note: String?) {
            self.at = at
            self.by = by
            self.action = action
            self.note = note
        }
    }

    public var id: Int64
    public var kind: Kind
    public var state: State
    /// The session's case number: the 补正 reference the worker brings back.
    public var caseNumber: String?
    public var session: SessionID
    public var ticket: TicketID
    public var clerk: ClerkID
    public var site: SiteID
    public var itemCode: String
    public var itemVersion: Int?
    public var openedAt: Date

    // 差评
    public var level: Int?
    public var comment: String?
    /// Whether the worker left a number for the call-back (the number itself is kept sealed, apart).
    public var hasPhone: Bool
    public var contactBy: Date?
    public var rectifyBy: Date?
    public var closeBy: Date?
    public var owner: AccountName?
    public var classification: Classification?
    /// For a complex case: the date the fix is planned for.
    public var planDate: String?
    public var revisitSatisfied: Bool?
    public var appealRequestedBy: AccountName?
    public var appealDecidedBy: AccountName?
    /// true: the rating was mistaken or malicious and is marked so (never deleted).
    public var appealUpheld: Bool?

    // 补正
    public var missing: [String]
    public var note: String?
    public var returnBy: Date?
    public var returnTicket: TicketID?
    public var returnedAt: Date?

    public var steps: [Step]

    public init(
        id: Int64 = 0, kind: Kind, caseNumber: String?, session: SessionID, ticket: TicketID, clerk: ClerkID, site: SiteID,
        itemCode: String, itemVersion: Int?, openedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.state = .open
        self.caseNumber = caseNumber
        self.session = session
        self.ticket = ticket
        self.clerk = clerk
        self.site = site
        self.itemCode = itemCode
        self.itemVersion = itemVersion
        self.openedAt = openedAt
        self.hasPhone = false
        self.missing = []
        self.steps = []
    }

    /// The deadline of the next step, and the step's name; nil when nothing more is due.
    public var nextDue: (step: String, due: Date)? {
        switch (kind, state) {
        case (.rating, .open): contactBy.map { ("contact", $0) }
        case (.rating, .contacted), (.rating, .classified): rectifyBy.map { ("rectify", $0) }
        case (.rating, .appealing), (.rating, .rectified), (.rating, .revisited): closeBy.map { ("close", $0) }
        case (.correction, .open): returnBy.map { ("return", $0) }
        default: nil
        }
    }

    public func isOverdue(at now: Date) -> Bool {
        guard let due = nextDue?.due else { return false }
        return now > due
    }

    /// When each deadline was met, for the timeliness report.
    public var fact: FollowUpFact {
        func done(_ actions: Set<String>) -> Date? { steps.first { actions.contains($0.action) }?.at }
        switch kind {
        case .rating:
            var steps: [(step: String, due: Date, doneAt: Date?)] = []
            if let contactBy { steps.append(("contact", contactBy, done(["contacted"]))) }
            if let rectifyBy { steps.append(("rectify", rectifyBy, done(["rectified", "appeal-upheld"]))) }
            if let closeBy { steps.append(("close", closeBy, done(["closed", "appeal-upheld"]))) }
            return FollowUpFact(kind: "rating", openedAt: openedAt, steps: steps, site: site, item: itemCode, clerk: clerk)
        case .correction:
            let steps: [(step: String, due: Date, doneAt: Date?)] = returnBy.map { [("return", $0, returnedAt)] } ?? []
            return FollowUpFact(kind: "needsMaterials", openedAt: openedAt, steps: steps, site: site, item: itemCode, clerk: clerk)
        }
    }
}

/// The 1·5·15 working-day limits of a 差评 case (each configurable).
public struct FollowUpPolicy: Codable, Hashable, Sendable {
    public var contactDays = 1
    public var rectifyDays = 5
    public var closeDays = 15
    /// How long a 补正 waits for the worker, when the item states no time limit of its own.
    public var correctionDays = 10

    public init() {}
}

/// Why a step on a case is refused.
public struct FollowUpRefusal: Error, Hashable, Sendable {
    public enum Code: String, Sendable {
        case state
        case notOwner
        case sameManager
        case noteRequired
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension FollowUpCase {
    /// A 差评 case, with its deadlines counted in working days of the site's calendar.
    public static func rating(
        _ rating: Rating, session: Session, ticket: Ticket, hours: ServiceHours, policy: FollowUpPolicy, hasPhone: Bool
    ) -> FollowUpCase {
        var item = FollowUpCase(
            kind: .rating, caseNumber: session.caseNumber, session: session.id, ticket: ticket.id, clerk: session.clerk, site: ticket.site,
            itemCode: ticket.itemCode, itemVersion: ticket.itemVersion, openedAt: rating.ratedAt)
        item.level = rating.level
        item.comment = rating.comment
        item.hasPhone = hasPhone
        item.contactBy = hours.workingDeadline(after: rating.ratedAt, workingDays: policy.contactDays)
        item.rectifyBy = hours.workingDeadline(after: rating.ratedAt, workingDays: policy.rectifyDays)
        item.closeBy = hours.workingDeadline(after: rating.ratedAt, workingDays: policy.closeDays)
        item.steps = [Step(at: rating.ratedAt, by: "system", action: "opened", note: nil)]
        return item
    }

    mutating func step(_ action: String, by person: AccountName, at: Date, note: String?) {
        steps.append(Step(at: at, by: person.username, action: action, note: note))
    }

    func requireOwner(_ person: AccountName) throws(FollowUpRefusal) {
        guard owner?.account == person.account else {
            throw FollowUpRefusal(.notOwner, "只有签收人可以处理此件 / only the case owner can do this")
        }
    }

    func require(_ states: Set<State>, _ what: String) throws(FollowUpRefusal) {
        guard kind == .rating, states.contains(state) else {
            throw FollowUpRefusal(.state, "当前状态（\(state.rawValue)）不能\(what) / cannot \(what) in state \(state.rawValue)")
        }
    }

    /// A manager signs for the case (签收) and becomes its owner.
    public mutating func sign(by person: AccountName, at: Date) throws(FollowUpRefusal) {
        try require([.open], "签收")
        guard owner == nil else { throw FollowUpRefusal(.state, "已由 \(owner!.username) 签收 / already signed for by \(owner!.username)") }
        owner = person
        step("signed", by: person, at: at, note: nil)
    }

    /// The worker was called back.
    public mutating func contact(by person: AccountName, note: String, at: Date) throws(FollowUpRefusal) {
        try require([.open], "联系")
        if owner == nil { owner = person; step("signed", by: person, at: at, note: nil) }
        try requireOwner(person)
        try Self.requireNote(note)
        state = .contacted
        step("contacted", by: person, at: at, note: note)
    }

    public mutating func classify(_ classification: Classification, note: String, planDate: String?, by person: AccountName, at: Date) throws(FollowUpRefusal) {
        try require([.contacted], "分类")
        try requireOwner(person)
        try Self.requireNote(note)
        if classification == .complex {
            guard let planDate, ServiceHours.isDay(planDate) else {
                throw FollowUpRefusal(.noteRequired, "复杂诉求须写明整改计划日期 / a complex case needs its fix plan's date (YYYY-MM-DD)")
            }
        }
        self.classification = classification
        self.planDate = classification == .complex ? planDate : nil
        if classification == .mistaken {
            state = .appealing
            appealRequestedBy = person
            step("appeal-requested", by: person, at: at, note: note)
        } else {
            state = .classified
            step("classified:\(classification.rawValue)", by: person, at: at, note: note)
        }
    }

    /// 申诉复核, decided by a manager who does not handle the case. Upheld: the rating is marked
    /// mistaken or malicious (never deleted) and the case closes; refused: the owner classifies again.
    public mutating func decideAppeal(upheld: Bool, note: String, by person: AccountName, at: Date) throws(FollowUpRefusal) {
        try require([.appealing], "复核")
        guard person.account != owner?.account else {
            throw FollowUpRefusal(.sameManager, "申诉须由签收人以外的管理员复核 / the appeal is decided by a manager other than the case owner")
        }
        try Self.requireNote(note)
        appealDecidedBy = person
        appealUpheld = upheld
        if upheld {
            state = .closed
            step("appeal-upheld", by: person, at: at, note: note)
        } else {
            state = .contacted
            classification = nil
            step("appeal-refused", by: person, at: at, note: note)
        }
    }

    public mutating func rectify(note: String, by person: AccountName, at: Date) throws(FollowUpRefusal) {
        try require([.classified], "整改")
        try requireOwner(person)
        try Self.requireNote(note)
        state = .rectified
        step("rectified", by: person, at: at, note: note)
    }

    /// The call-back after the fix: the worker's view of it.
    public mutating func revisit(satisfied: Bool, note: String, by person: AccountName, at: Date) throws(FollowUpRefusal) {
        try require([.rectified], "回访")
        try requireOwner(person)
        try Self.requireNote(note)
        revisitSatisfied = satisfied
        state = .revisited
        step(satisfied ? "revisited:satisfied" : "revisited:unsatisfied", by: person, at: at, note: note)
    }

    public mutating func close(note: String, by person: AccountName, at: Date) throws(FollowUpRefusal) {
        try require([.revisited], "办结")
        try requireOwner(person)
        try Self.requireNote(note)
        state = .closed
        step("closed", by: person, at: at, note: note)
    }

    static func requireNote(_ note: String) throws(FollowUpRefusal) {
        guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw FollowUpRefusal(.noteRequired, "请填写说明 / a note is required")
        }
    }
}
