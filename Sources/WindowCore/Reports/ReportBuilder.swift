import Foundation

/// One event of the log as reports read it: its kind, time, and the columns the log keeps for it.
public struct ReportEvent: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case ticketIssued = "ticket.issued"
        case ticketCancelled = "ticket.cancelled"
        case ticketAbandoned = "ticket.abandoned"
        case offerMade = "offer.made"
        case offerAccepted = "offer.accepted"
        case offerDeclined = "offer.declined"
        case offerExpired = "offer.expired"
        case sessionEnded = "session.ended"
        case sessionRated = "session.rated"
        case clerkState = "clerk.state"
        case wrapUpFinished = "clerk.wrap-up-finished"
    }

    public var kind: Kind
    public var at: Date
    public var ticket: TicketID?
    public var clerk: ClerkID?
    public var session: SessionID?
    public var site: SiteID?
    public var item: String?
    public var itemVersion: Int?
    public var category: String?
    /// The outcome (session.ended), the clerk's state (clerk.state) or the priority class (ticket.issued).
    public var value: String?
    /// The rating's level (session.rated); 1 when a missed offer set the clerk away (offer.expired).
    public var level: Int?

    public init(
        kind: Kind, at: Date, ticket: TicketID? = nil, clerk: ClerkID? = nil, session: SessionID? = nil, site: SiteID? = nil,
        item: String? = nil, itemVersion: Int? = nil, category: String? = nil, value: String? = nil, level: Int? = nil
    ) {
        self.kind = kind
        self.at = at
        self.ticket = ticket
        self.clerk = clerk
        self.session = session
        self.site = site
        self.item = item
        self.itemVersion = itemVersion
        self.category = category
        self.value = value
        self.level = level
    }
}

/// Names for the rows: clerks, sites, items and categories, and the catalog's expected minutes.
public struct ReportNames: Sendable {
    public var clerks: [ClerkID: String]
    public var sites: [SiteID: String]
    public var items: [String: LocalizedText]
    public var categories: [String: LocalizedText]
    public var expectedMinutes: [String: Int]

    public init(
        clerks: [ClerkID: String] = [:], sites: [SiteID: String] = [:], items: [String: LocalizedText] = [:],
        categories: [String: LocalizedText] = [:], expectedMinutes: [String: Int] = [:]
    ) {
        self.clerks = clerks
        self.sites = sites
        self.items = items
        self.categories = categories
        self.expectedMinutes = expectedMinutes
    }
}

/// A follow-up case as the timeliness table reads it.
public struct FollowUpFact: Sendable {
    /// `rating` (差评) or `needsMaterials` (补正).
    public var kind: String
    public var openedAt: Date
    /// Per step (`contact`, `rectify`, `close`, or `return` for 补正): its deadline and when it was done.
    public var steps: [(step: String, due: Date, doneAt: Date?)]
    public var site: SiteID?
    public var item: String?
    public var clerk: ClerkID?

    public init(kind: String, openedAt: Date, steps: [(step: String, due: Date, doneAt: Date?)], site: SiteID?, item: String?, clerk: ClerkID?) {
        self.kind = kind
        self.openedAt = openedAt
        self.steps = steps
        self.site = site
        self.item = item
        self.clerk = clerk
    }
}

/// Builds the report in one pass over the log, oldest event first. Tickets are counted in the
/// period they were issued in; sessions in the period their offer was accepted in; offers when made;
/// a clerk's time as it passes, clipped to the report's span.
public struct ReportBuilder: Sendable {
    struct TicketFacts {
        var issuedAt: Date
        var item: String
        var itemVersion: Int?
        var category: String
        var site: SiteID
        var acceptedAt: Date?
        var acceptedBy: ClerkID?
        var leftAt: Date?
        var left: ReportEvent.Kind?
        var counted: Bool
    }

    struct SessionFacts {
        var ticket: TicketID
        /// The ticket's item and site, copied at the accept: the tables read them per session.
        var item: String
        var site: SiteID
        var clerk: ClerkID
        var acceptedAt: Date
        var endedAt: Date?
        var outcome: String?
        var wrapUpEndedAt: Date?
        var level: Int?
        var counted: Bool
    }

    struct ClerkTime {
        var state: ClerkState = .offline
        var since: Date?
        var signedIn: TimeInterval = 0
        var busy: TimeInterval = 0
        var made = 0, accepted = 0, declined = 0, missed = 0
        var wrapUpSession: SessionID?
    }

    public let query: ReportQuery
    public let names: ReportNames
    /// Ratings an upheld appeal marked mistaken or malicious: kept in the log, not counted.
    public var ratingsMarked: Set<SessionID> = []
    private(set) var events = 0
    private var tickets: [TicketID: TicketFacts] = [:]
    private var sessions: [SessionID: SessionFacts] = [:]
    private var clerks: [ClerkID: ClerkTime] = [:]

    public init(query: ReportQuery, names: ReportNames) {
        self.query = query
        self.names = names
    }

    func inSpan(_ date: Date) -> Bool { date >= query.from && date < query.to }

    func ticketMatches(_ ticket: TicketFacts) -> Bool {
        if let site = query.site, ticket.site != site { return false }
        if let category = query.category, ticket.category != category { return false }
        if let item = query.item, ticket.item != item { return false }
        if let version = query.itemVersion, ticket.itemVersion != version { return false }
        return true
    }

    /// Room for the tickets and sessions of about `events` events of the log (a ticket makes about ten).
    public mutating func expect(events: Int) {
        tickets.reserveCapacity(events / 10)
        sessions.reserveCapacity(events / 10)
    }

    public mutating func add(_ event: ReportEvent) {
        events += 1
        switch event.kind {
        case .ticketIssued:
            guard let id = event.ticket, let item = event.item, let category = event.category, let site = event.site else { return }
            var facts = TicketFacts(
                issuedAt: event.at, item: item, itemVersion: event.itemVersion, category: category, site: site, counted: false)
            facts.counted = inSpan(event.at) && ticketMatches(facts)
            tickets[id] = facts
        case .ticketCancelled, .ticketAbandoned:
            guard let id = event.ticket, tickets[id]?.leftAt == nil, tickets[id]?.acceptedAt == nil else { return }
            tickets[id]?.leftAt = event.at
            tickets[id]?.left = event.kind
        case .offerMade:
            guard let clerk = event.clerk else { return }
            move(clerk, to: .offered, at: event.at)
            if inSpan(event.at), offerMatches(event.ticket) { clerks[clerk, default: ClerkTime()].made += 1 }
        case .offerDeclined, .offerExpired:
            guard let clerk = event.clerk else { return }
            move(clerk, to: event.level == 1 ? .away : .available, at: event.at)
            guard inSpan(event.at), offerMatches(event.ticket) else { return }
            if event.kind == .offerDeclined { clerks[clerk, default: ClerkTime()].declined += 1 } else { clerks[clerk, default: ClerkTime()].missed += 1 }
        case .offerAccepted:
            guard let clerk = event.clerk, let ticketID = event.ticket, let session = event.session else { return }
            move(clerk, to: .inSession, at: event.at)
            if inSpan(event.at), offerMatches(ticketID) { clerks[clerk, default: ClerkTime()].accepted += 1 }
            if tickets[ticketID]?.acceptedAt == nil {
                tickets[ticketID]?.acceptedAt = event.at
                tickets[ticketID]?.acceptedBy = clerk
            }
            guard let ticket = tickets[ticketID] else { return }
            let counted = inSpan(event.at) && ticketMatches(ticket) && (query.clerk == nil || query.clerk == clerk)
            sessions[session] = SessionFacts(ticket: ticketID, item: ticket.item, site: ticket.site, clerk: clerk, acceptedAt: event.at, counted: counted)
        case .sessionEnded:
            guard let id = event.session, var session = sessions[id] else { return }
            session.endedAt = event.at
            session.outcome = event.value
            sessions[id] = session
            move(session.clerk, to: .wrapUp, at: event.at)
            clerks[session.clerk, default: ClerkTime()].wrapUpSession = id
        case .wrapUpFinished:
            guard let clerk = event.clerk else { return }
            if let id = clerks[clerk]?.wrapUpSession, sessions[id]?.wrapUpEndedAt == nil { sessions[id]?.wrapUpEndedAt = event.at }
            clerks[clerk]?.wrapUpSession = nil
            move(clerk, to: .available, at: event.at)
        case .sessionRated:
            guard let id = event.session, let level = event.level, !ratingsMarked.contains(id) else { return }
            sessions[id]?.level = level
        case .clerkState:
            guard let clerk = event.clerk, let state = event.value.flatMap(ClerkState.init(rawValue:)) else { return }
            if state != .wrapUp { clerks[clerk]?.wrapUpSession.map { id in if sessions[id]?.wrapUpEndedAt == nil { sessions[id]?.wrapUpEndedAt = event.at } } }
            if state != .wrapUp { clerks[clerk]?.wrapUpSession = nil }
            move(clerk, to: state, at: event.at)
        }
    }

    func offerMatches(_ ticket: TicketID?) -> Bool {
        guard let ticket, let facts = tickets[ticket] else { return query.site == nil && query.category == nil && query.item == nil }
        return ticketMatches(facts)
    }

    /// Time passes for a clerk: what it was counts, clipped to the report's span.
    mutating func move(_ clerk: ClerkID, to state: ClerkState, at: Date) {
        var time = clerks[clerk, default: ClerkTime()]
        if let since = time.since {
            let start = max(since, query.from), end = min(at, query.to)
            if end > start {
                let span = end.timeIntervalSince(start)
                if time.state != .offline { time.signedIn += span }
                if time.state == .inSession || time.state == .wrapUp { time.busy += span }
            }
        }
        time.state = state
        time.since = at
        clerks[clerk] = time
    }

    // MARK: - Tables

    public mutating func build(followUps: [FollowUpFact] = [], generatedAt: Date) -> Report {
        // Time up to the end of the span counts for clerks still signed in.
        for clerk in Array(clerks.keys) {
            let state = clerks[clerk]!.state
            move(clerk, to: state, at: min(query.to, max(generatedAt, query.from)))
        }
        let counted = tickets.values.filter { $0.counted && (query.clerk == nil || $0.acceptedBy == query.clerk) }
        let countedSessions = sessions.values.filter(\.counted)
        let tables = [
            volume(counted), waiting(counted), serviceLevel(counted), abandonment(counted), handling(countedSessions),
            outcomes(countedSessions), offers(), ratings(countedSessions, by: "clerk"), ratings(countedSessions, by: "item"),
            ratings(countedSessions, by: "site"), timeliness(followUps), openCorrections(followUps, at: min(generatedAt, query.to)),
        ]
        return Report(query: query, generatedAt: generatedAt, events: events, tables: tables)
    }


    /// Shanghai keeps UTC+8 all year (no daylight saving since 1991), so periods are plain
    /// arithmetic on the time: a calendar per ticket was most of a year's report.
    static let shanghaiOffset: TimeInterval = 8 * 3600

    var periodLength: TimeInterval { query.bucket == .day ? 86400 : 3600 }

    /// The period a time falls in, as a number (see ``label(_:)``).
    func period(_ date: Date) -> Int {
        Int(((date.timeIntervalSince1970 + Self.shanghaiOffset) / periodLength).rounded(.down))
    }

    /// The end of a period, within the report's span.
    func periodEnd(_ period: Int) -> Date {
        min(Date(timeIntervalSince1970: Double(period + 1) * periodLength - Self.shanghaiOffset), query.to)
    }

    /// `2026-11-29` or `2026-11-29 10:00` (Shanghai).
    func label(_ period: Int) -> String {
        let start = Date(timeIntervalSince1970: Double(period) * periodLength - Self.shanghaiOffset)
        let parts = ServiceHours.calendar.dateComponents([.year, .month, .day, .hour], from: start)
        let day = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        return query.bucket == .day ? day : day + String(format: " %02d:00", parts.hour!)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, Int((p * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }

    static func average(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    static func percent(_ part: Int, _ whole: Int) -> JSONValue {
        whole == 0 ? .null : .number((Double(part) * 1000 / Double(whole)).rounded() / 10)
    }

    static func seconds(_ value: Double?) -> JSONValue {
        value.map { .number($0.rounded()) } ?? .null
    }

    func volume(_ tickets: [TicketFacts]) -> ReportTable {
        var rows: [Int: [Int]] = [:]
        for ticket in tickets {
            let key = period(ticket.issuedAt)
            var row = rows[key, default: [0, 0, 0, 0]]
            row[0] += 1
            if ticket.acceptedAt != nil { row[1] += 1 }
            if ticket.left == .ticketAbandoned { row[2] += 1 }
            if ticket.left == .ticketCancelled { row[3] += 1 }
            rows[key] = row
        }
        return ReportTable(
            id: "volume", title: LocalizedText(zh: "取号量", en: "Volume"),
            columns: [
                ReportColumn("period", "时段", "Period", unit: "text"), ReportColumn("issued", "取号", "Issued"),
                ReportColumn("answered", "已接通", "Answered"), ReportColumn("abandoned", "放弃（终端离开）", "Abandoned"),
                ReportColumn("cancelled", "取消（本人离开）", "Cancelled"),
            ],
            rows: rows.keys.sorted().map { key in [.string(label(key))] + rows[key]!.map { .number(Double($0)) } },
            definition: LocalizedText(
                zh: "取号量：该时段内发出的号票数；时段为左闭右开 [开始, 结束)，按上海时间划分。",
                en: "Volume: tickets issued in the period; periods are [start, end), in Shanghai time."))
    }

    func waiting(_ tickets: [TicketFacts]) -> ReportTable {
        var waits: [Int: [Double]] = [:]
        var stillWaiting: [Int: Int] = [:]
        for ticket in tickets {
            let key = period(ticket.issuedAt)
            if let accepted = ticket.acceptedAt {
                waits[key, default: []].append(accepted.timeIntervalSince(ticket.issuedAt))
            }
            // Still waiting when its period ended: neither answered nor gone by then.
            let end = periodEnd(key)
            if (ticket.acceptedAt ?? .distantFuture) >= end && (ticket.leftAt ?? .distantFuture) >= end {
                stillWaiting[key, default: 0] += 1
            }
            if waits[key] == nil { waits[key] = [] }
        }
        return ReportTable(
            id: "waiting", title: LocalizedText(zh: "等候时间", en: "Waiting time"),
            columns: [
                ReportColumn("period", "时段", "Period", unit: "text"), ReportColumn("answered", "已接通", "Answered"),
                ReportColumn("average", "平均等候（秒）", "Average (s)", unit: "seconds"), ReportColumn("p90", "90% 等候（秒）", "p90 (s)", unit: "seconds"),
                ReportColumn("max", "最长等候（秒）", "Max (s)", unit: "seconds"), ReportColumn("waitingAtEnd", "时段结束时仍在等候", "Still waiting at period end"),
            ],
            rows: waits.keys.sorted().map { key in
                let values = waits[key]!
                return [.string(label(key)), .number(Double(values.count)), Self.seconds(Self.average(values)), Self.seconds(Self.percentile(values, 0.9)),
                        Self.seconds(values.max()), .number(Double(stillWaiting[key] ?? 0))]
            },
            definition: LocalizedText(
                zh: "等候时间 = 被接受的派单时间 − 取号时间（多次派单的号票取被接受的那次）；平均、90 百分位（最近秩）与最大值；时段结束时仍在等候的号票另计。",
                en: "Waiting time = the accepted offer minus the ticket's issue (for a ticket offered several times, the accepted offer); average, p90 (nearest rank) and max; tickets still waiting when their period ended are counted apart."))
    }

    func serviceLevel(_ tickets: [TicketFacts]) -> ReportTable {
        let threshold = TimeInterval(query.serviceLevelSeconds)
        var rows: [String: (answered: Int, answeredInT: Int, abandoned: Int, abandonedInT: Int)] = [:]
        for ticket in tickets {
            var row = rows[ticket.category, default: (0, 0, 0, 0)]
            if let accepted = ticket.acceptedAt {
                row.answered += 1
                if accepted.timeIntervalSince(ticket.issuedAt) <= threshold { row.answeredInT += 1 }
            } else if let left = ticket.leftAt {
                row.abandoned += 1
                if left.timeIntervalSince(ticket.issuedAt) <= threshold { row.abandonedInT += 1 }
            }
            rows[ticket.category] = row
        }
        let minutes = ReportFormat.number(threshold / 60)
        return ReportTable(
            id: "serviceLevel", title: LocalizedText(zh: "服务水平（T = \(minutes) 分钟）", en: "Service level (T = \(minutes) min)"),
            columns: [
                ReportColumn("category", "类别", "Category", unit: "text"), ReportColumn("answered", "已接通", "Answered"),
                ReportColumn("answeredWithinT", "T 内接通", "Answered within T"), ReportColumn("serviceLevel", "服务水平 %", "SL %", unit: "percent"),
                ReportColumn("abandoned", "放弃与取消", "Abandoned"), ReportColumn("abandonedWithinT", "T 内放弃", "Abandoned within T"),
                ReportColumn("serviceLevel2", "SL2 %", "SL2 %", unit: "percent"),
            ],
            rows: rows.keys.sorted().map { key in
                let row = rows[key]!
                return [.string(names.categories[key].map { "\($0.zh) / \($0.en)" } ?? key), .number(Double(row.answered)), .number(Double(row.answeredInT)),
                        Self.percent(row.answeredInT, row.answered), .number(Double(row.abandoned)), .number(Double(row.abandonedInT)),
                        Self.percent(row.answeredInT + row.abandonedInT, row.answered + row.abandoned)]
            },
            definition: LocalizedText(
                zh: "服务水平 = T 内接通 ÷ 接通；SL2 =（T 内接通 + T 内放弃）÷（接通 + 放弃）；放弃含终端离开与本人取消；按取号时的类别。",
                en: "Service level = answered within T ÷ answered; SL2 = (answered within T + abandoned within T) ÷ (answered + abandoned); abandoned includes cancelled; by the category at issue."))
    }

    func abandonment(_ tickets: [TicketFacts]) -> ReportTable {
        var rows: [Int: [Int]] = [:]
        for ticket in tickets {
            let key = period(ticket.issuedAt)
            var row = rows[key, default: [0, 0, 0, 0, 0, 0, 0]]
            row[0] += 1
            if let left = ticket.leftAt, ticket.acceptedAt == nil {
                row[ticket.left == .ticketAbandoned ? 1 : 2] += 1
                let wait = left.timeIntervalSince(ticket.issuedAt)
                row[wait < 60 ? 3 : wait < 300 ? 4 : wait < 900 ? 5 : 6] += 1
            }
            rows[key] = row
        }
        return ReportTable(
            id: "abandonment", title: LocalizedText(zh: "放弃率", en: "Abandonment"),
            columns: [
                ReportColumn("period", "时段", "Period", unit: "text"), ReportColumn("issued", "取号", "Issued"),
                ReportColumn("abandoned", "放弃", "Abandoned"), ReportColumn("cancelled", "取消", "Cancelled"),
                ReportColumn("rate", "放弃率 %", "Rate %", unit: "percent"), ReportColumn("under1", "1 分钟内", "< 1 min"),
                ReportColumn("under5", "1–5 分钟", "1–5 min"), ReportColumn("under15", "5–15 分钟", "5–15 min"), ReportColumn("over15", "15 分钟以上", "≥ 15 min"),
            ],
            rows: rows.keys.sorted().map { key in
                let row = rows[key]!
                return [.string(label(key)), .number(Double(row[0])), .number(Double(row[1])), .number(Double(row[2])), Self.percent(row[1] + row[2], row[0])]
                    + row[3...6].map { .number(Double($0)) }
            },
            definition: LocalizedText(
                zh: "放弃率 =（放弃 + 取消）÷ 取号；按离开前的等候时间分段。",
                en: "Abandonment = (abandoned + cancelled) ÷ issued; split by the wait before leaving."))
    }

    func handling(_ sessions: [SessionFacts]) -> ReportTable {
        var service: [String: [Double]] = [:]
        var wrapUp: [String: [Double]] = [:]
        for session in sessions {
            guard let ended = session.endedAt else { continue }
            let item = session.item
            service[item, default: []].append(ended.timeIntervalSince(session.acceptedAt))
            if let done = session.wrapUpEndedAt { wrapUp[item, default: []].append(done.timeIntervalSince(ended)) }
        }
        return ReportTable(
            id: "handling", title: LocalizedText(zh: "办理时长", en: "Handling time"),
            columns: [
                ReportColumn("item", "事项", "Item", unit: "text"), ReportColumn("sessions", "会话", "Sessions"),
                ReportColumn("serviceAverage", "平均办理（秒）", "Service avg (s)", unit: "seconds"), ReportColumn("serviceP90", "90% 办理（秒）", "Service p90 (s)", unit: "seconds"),
                ReportColumn("wrapUpAverage", "平均整理（秒）", "Wrap-up avg (s)", unit: "seconds"), ReportColumn("wrapUpP90", "90% 整理（秒）", "Wrap-up p90 (s)", unit: "seconds"),
                ReportColumn("expected", "目录预计（秒）", "Catalog expects (s)", unit: "seconds"),
            ],
            rows: service.keys.sorted().map { item in
                let values = service[item]!, wrap = wrapUp[item] ?? []
                return [.string(itemLabel(item)), .number(Double(values.count)), Self.seconds(Self.average(values)), Self.seconds(Self.percentile(values, 0.9)),
                        Self.seconds(Self.average(wrap)), Self.seconds(Self.percentile(wrap, 0.9)),
                        names.expectedMinutes[item].map { .number(Double($0 * 60)) } ?? .null]
            },
            definition: LocalizedText(
                zh: "办理时长 = 接受派单 → 会话结束；整理时长 = 会话结束 → 就绪；平均与 90 百分位，对照目录的预计分钟数。",
                en: "Service = offer accepted → session ended; wrap-up = session ended → ready; average and p90, beside the catalog's expected minutes."))
    }

    func itemLabel(_ code: String) -> String {
        names.items[code].map { "\(code) \($0.zh)" } ?? code
    }

    func outcomes(_ sessions: [SessionFacts]) -> ReportTable {
        let kinds = ["completed", "needs-materials", "referred-offline", "transferred", "dropped"]
        var rows: [String: [Int]] = [:]
        for session in sessions {
            guard let outcome = session.outcome, let index = kinds.firstIndex(of: outcome) else { continue }
            let item = session.item
            var row = rows[item, default: Array(repeating: 0, count: kinds.count + 1)]
            row[0] += 1
            row[index + 1] += 1
            rows[item] = row
        }
        return ReportTable(
            id: "outcomes", title: LocalizedText(zh: "办理结果", en: "Outcomes"),
            columns: [
                ReportColumn("item", "事项", "Item", unit: "text"), ReportColumn("sessions", "会话", "Sessions"),
                ReportColumn("completed", "办结", "Completed"), ReportColumn("needsMaterials", "补正", "Needs materials"),
                ReportColumn("referredOffline", "转线下", "Referred offline"), ReportColumn("transferred", "转办", "Transferred"),
                ReportColumn("dropped", "中断", "Dropped"), ReportColumn("completionRate", "当场办结率 %", "Done on the spot %", unit: "percent"),
            ],
            rows: rows.keys.sorted().map { item in
                let row = rows[item]!
                return [.string(itemLabel(item))] + row.map { .number(Double($0)) } + [Self.percent(row[1], row[0])]
            },
            definition: LocalizedText(
                zh: "当场办结率 = 办结 ÷ 已结束的会话。",
                en: "Done on the spot = completed ÷ ended sessions."))
    }

    func offers() -> ReportTable {
        let rows = clerks.keys.sorted().compactMap { id -> [JSONValue]? in
            let time = clerks[id]!
            if let clerk = query.clerk, clerk != id { return nil }
            if time.made == 0 && time.signedIn == 0 { return nil }
            let occupancy: JSONValue = time.signedIn > 0 ? .number((time.busy * 1000 / time.signedIn).rounded() / 10) : .null
            return [.string(names.clerks[id] ?? "#\(id)"), .number(Double(time.made)), .number(Double(time.accepted)), .number(Double(time.declined)),
                    .number(Double(time.missed)), .number(time.signedIn.rounded()), occupancy]
        }
        return ReportTable(
            id: "offers", title: LocalizedText(zh: "派单与占用率", en: "Offers and occupancy"),
            columns: [
                ReportColumn("clerk", "工作人员", "Clerk", unit: "text"), ReportColumn("made", "派单", "Offers made"),
                ReportColumn("accepted", "接受", "Accepted"), ReportColumn("declined", "拒绝", "Declined"), ReportColumn("missed", "超时未接", "Missed"),
                ReportColumn("signedIn", "在线时长（秒）", "Signed in (s)", unit: "seconds"), ReportColumn("occupancy", "占用率 %", "Occupancy %", unit: "percent"),
            ],
            rows: rows,
            definition: LocalizedText(
                zh: "占用率 =（会话中 + 整理中）÷ 在线时长（非离线的时间），在报表时段内截取。",
                en: "Occupancy = (in session + wrap-up) ÷ signed-in time (any state but offline), clipped to the report's span."))
    }

    func ratings(_ sessions: [SessionFacts], by dimension: String) -> ReportTable {
        // Counted by id or code, named once per row.
        var counts: [String: [Int]] = [:]
        var byID: [Int64: [Int]] = [:]
        for session in sessions where session.endedAt != nil && session.outcome != "transferred" {
            func count(_ row: inout [Int]) {
                row[0] += 1
                if let level = session.level, (1...5).contains(level) {
                    row[1] += 1
                    row[7 - level] += 1
                }
            }
            switch dimension {
            case "item": count(&counts[session.item, default: Array(repeating: 0, count: 7)])
            case "clerk": count(&byID[session.clerk, default: Array(repeating: 0, count: 7)])
            default: count(&byID[session.site, default: Array(repeating: 0, count: 7)])
            }
        }
        var rows: [String: [Int]] = [:]
        for (code, row) in counts { rows[itemLabel(code)] = row }
        for (id, row) in byID {
            rows[dimension == "clerk" ? names.clerks[id] ?? "#\(id)" : names.sites[id] ?? "#\(id)"] = row
        }
        let (zh, en) = switch dimension {
        case "clerk": ("工作人员", "Clerk")
        case "item": ("事项", "Item")
        default: ("延伸点", "Site")
        }
        return ReportTable(
            id: "ratings-\(dimension)", title: LocalizedText(zh: "好差评（按\(zh)）", en: "Ratings by \(en.lowercased())"),
            columns: [
                ReportColumn(dimension, zh, en, unit: "text"), ReportColumn("ended", "已结束会话", "Ended sessions"), ReportColumn("ratings", "评价", "Ratings"),
                ReportColumn("participation", "参评率 %", "Participation %", unit: "percent"),
                ReportColumn("level5", "非常满意", "Very satisfied"), ReportColumn("level4", "满意", "Satisfied"), ReportColumn("level3", "基本满意", "Fairly satisfied"),
                ReportColumn("level2", "不满意", "Dissatisfied"), ReportColumn("level1", "非常不满意", "Very dissatisfied"),
                ReportColumn("badRate", "差评率 %", "Bad rate %", unit: "percent"),
            ],
            rows: rows.keys.sorted().map { key in
                let row = rows[key]!
                return [.string(key), .number(Double(row[0])), .number(Double(row[1])), Self.percent(row[1], row[0])]
                    + row[2...6].map { .number(Double($0)) } + [Self.percent(row[5] + row[6], row[1])]
            },
            definition: LocalizedText(
                zh: "参评率 = 评价 ÷ 已结束会话（不含转办）；差评率 =（不满意 + 非常不满意）÷ 评价；申诉复核认定为误评或恶意的评价不计。",
                en: "Participation = ratings ÷ ended sessions (transfers excluded); bad rate = levels 1–2 ÷ ratings; ratings an upheld appeal marked mistaken or malicious are not counted."))
    }

    /// 补正 still waiting for the worker at the report's end, by item, with their age.
    func openCorrections(_ facts: [FollowUpFact], at end: Date) -> ReportTable {
        var rows: [String: (open: Int, ages: [Double], pastDeadline: Int)] = [:]
        for fact in facts where fact.kind == "needsMaterials" && fact.openedAt < end {
            if let site = query.site, fact.site != site { continue }
            if let item = query.item, fact.item != item { continue }
            if let clerk = query.clerk, fact.clerk != clerk { continue }
            guard let step = fact.steps.first, (step.doneAt ?? .distantFuture) > end else { continue }
            let key = fact.item ?? "?"
            var row = rows[key, default: (0, [], 0)]
            row.open += 1
            row.ages.append(end.timeIntervalSince(fact.openedAt) / 86400)
            if step.due < end { row.pastDeadline += 1 }
            rows[key] = row
        }
        func days(_ value: Double?) -> JSONValue { value.map { .number(($0 * 10).rounded() / 10) } ?? .null }
        return ReportTable(
            id: "openCorrections", title: LocalizedText(zh: "未补齐的补正", en: "Open 补正 cases"),
            columns: [
                ReportColumn("item", "事项", "Item", unit: "text"), ReportColumn("open", "未补齐", "Open"),
                ReportColumn("averageAge", "平均已等（天）", "Average age (days)", unit: "days"), ReportColumn("oldest", "最久（天）", "Oldest (days)", unit: "days"),
                ReportColumn("pastDeadline", "已过期限", "Past the deadline"),
            ],
            rows: rows.keys.sorted().map { key in
                let row = rows[key]!
                return [.string(itemLabel(key)), .number(Double(row.open)), days(Self.average(row.ages)), days(row.ages.max()), .number(Double(row.pastDeadline))]
            },
            definition: LocalizedText(
                zh: "报表结束时（或现在）尚未补齐材料回来的补正，按开立时间计算已等天数（日历天）；不受报表开始日期限制。",
                en: "补正 cases the worker had not come back for at the report's end (or now), with their age in calendar days since opened; whatever the report's start."))
    }

    func timeliness(_ facts: [FollowUpFact]) -> ReportTable {
        var rows: [String: (cases: Int, due: Int, onTime: Int, late: Int, open: Int)] = [:]
        let now = query.to
        for fact in facts where inSpan(fact.openedAt) {
            if let site = query.site, fact.site != site { continue }
            if let item = query.item, fact.item != item { continue }
            if let clerk = query.clerk, fact.clerk != clerk { continue }
            for step in fact.steps {
                let key = "\(fact.kind)|\(step.step)"
                var row = rows[key, default: (0, 0, 0, 0, 0)]
                row.cases += 1
                if let done = step.doneAt {
                    if done <= step.due { row.onTime += 1 } else { row.late += 1 }
                } else if step.due < now {
                    row.late += 1
                } else {
                    row.open += 1
                }
                if step.due < now || step.doneAt != nil { row.due += 1 }
                rows[key] = row
            }
        }
        let labels: [String: String] = [
            "rating|contact": "差评 签收联系（1 个工作日） / 差评: contacted (1 working day)",
            "rating|rectify": "差评 整改（5 个工作日） / 差评: rectified (5 working days)",
            "rating|close": "差评 办结（15 个工作日） / 差评: closed (15 working days)",
            "needsMaterials|return": "补正 补齐材料 / 补正: materials brought",
        ]
        return ReportTable(
            id: "timeliness", title: LocalizedText(zh: "差评与补正的时效", en: "Follow-up timeliness"),
            columns: [
                ReportColumn("step", "环节", "Step", unit: "text"), ReportColumn("cases", "件数", "Cases"),
                ReportColumn("onTime", "按时", "On time"), ReportColumn("late", "超期", "Late or overdue"), ReportColumn("open", "未到期", "Not yet due"),
                ReportColumn("onTimeRate", "按时率 %", "On time %", unit: "percent"),
            ],
            rows: rows.keys.sorted().map { key in
                let row = rows[key]!
                return [.string(labels[key] ?? key), .number(Double(row.cases)), .number(Double(row.onTime)), .number(Double(row.late)),
                        .number(Double(row.open)), Self.percent(row.onTime, row.onTime + row.late)]
            },
            definition: LocalizedText(
                zh: "按工作日计算期限（站点日历：周末、节假日与调休上班日）；按时 = 在期限内完成；超期含已过期未完成的。",
                en: "Deadlines count working days of the site's calendar (weekends, holidays, adjusted working days); on time = done by the deadline; late includes those past it and not done."))
    }
}

extension QueueEvent {
    /// The facts reports filter and count on, kept in columns of the log beside the record so that a
    /// year of events is read without decoding each record.
    public var reportColumns: ReportColumns {
        var columns = ReportColumns()
        switch self {
        case .ticketIssued(let ticket):
            columns.site = ticket.site
            columns.item = ticket.itemCode
            columns.itemVersion = ticket.itemVersion
            columns.category = ticket.category
            columns.value = ticket.priorityClass.rawValue
        case .ticketTransferred(_, let category, _), .ticketRerouted(_, let category):
            columns.category = category
        case .offerAccepted(_, _, let session):
            columns.session = session
        case .offerExpired(_, _, _, let away):
            columns.level = away ? 1 : 0
        case .sessionEnded(let session, let outcome, _, _, _, _):
            columns.session = session
            columns.value = outcome.rawValue
        case .sessionRated(let rating):
            columns.session = rating.session
            columns.level = rating.level
        case .clerkStateChanged(_, let state):
            columns.value = state.rawValue
        default:
            break
        }
        return columns
    }
}

/// See ``QueueEvent/reportColumns``.
public struct ReportColumns: Sendable, Equatable {
    public var session: SessionID?
    public var site: SiteID?
    public var item: String?
    public var itemVersion: Int?
    public var category: String?
    public var value: String?
    public var level: Int?

    public init() {}
}
