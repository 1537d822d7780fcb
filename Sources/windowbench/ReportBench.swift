import Foundation
import WindowCore
import WindowStore

/// Reports over a year: a data folder with about a year of a busy district's queue (2,000,000
/// events by default), written through the real queue core in virtual time, then the report the
/// server's `GET /api/v1/reports` computes (read the log's events of the span, one pass of
/// `ReportBuilder`) timed over the whole year, one month and one day.
///
///     swift run -c release windowbench report [--events N] [--days D] [--seed S] [--keep DIR | --reuse DIR] [--no-media]
///
/// `--keep DIR` generates into DIR and leaves it there; `--reuse DIR` times a folder kept before.
/// `--no-media` leaves out the camera consent and media reports each session adds to the log, so
/// that nearly every event is one reports read (the heavier case per event).
struct ReportBench {
    var events = 2_000_000
    var days = 365
    var seed: UInt64 = 11
    var keep: String?
    var reuse: String?
    var media = true

    static let runs = 3
    static let metadataFile = "reportbench.json"
    /// The first day generated (Shanghai): a calendar year with the default 365 days.
    static var firstDay: Date { ServiceHours.calendar.date(from: DateComponents(year: 2025, month: 1, day: 1))! }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// What a kept folder holds, so `--reuse` times the span it was generated for.
    struct Metadata: Codable {
        var from: Date
        var to: Date
        var events: Int
        var tickets: Int
        var days: Int
        var seed: UInt64
        var media: Bool
    }

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            if flag == "--no-media" {
                media = false
                continue
            }
            guard let value = iterator.next() else { throw BenchError("\(flag) needs a value") }
            switch flag {
            case "--events":
                guard let number = Int(value), number > 0 else { throw BenchError("--events needs a positive number") }
                events = number
            case "--days":
                guard let number = Int(value), (1...366).contains(number) else { throw BenchError("--days needs 1–366 (a report spans at most 366 days)") }
                days = number
            case "--seed":
                guard let number = UInt64(value) else { throw BenchError("--seed needs a whole number") }
                seed = number
            case "--keep": keep = value
            case "--reuse": reuse = value
            default: throw BenchError("unknown option \(flag)")
            }
        }
        if keep != nil && reuse != nil { throw BenchError("--keep and --reuse exclude each other") }
    }

    func run() async throws -> String {
        let document = try CatalogDocument.load(json: Data(contentsOf: URL(fileURLWithPath: Repository.catalog)))
        let folder: URL
        var temporary = false
        if let reuse {
            folder = URL(fileURLWithPath: reuse)
        } else if let keep {
            folder = URL(fileURLWithPath: keep)
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-report-\(UUID().uuidString)")
            temporary = true
        }
        defer { if temporary { try? FileManager.default.removeItem(at: folder) } }
        let databasePath = folder.appendingPathComponent("windowd.sqlite").path
        let metadataURL = folder.appendingPathComponent(Self.metadataFile)

        let metadata: Metadata
        if reuse != nil {
            guard let data = try? Data(contentsOf: metadataURL) else {
                throw BenchError("\(folder.path) has no \(Self.metadataFile): generate it first with --keep")
            }
            metadata = try JSONDecoder().decode(Metadata.self, from: data)
            print(
                "mode=report phase=reuse folder=\(folder.path) events=\(metadata.events) tickets=\(metadata.tickets) days=\(metadata.days) "
                    + "media=\(metadata.media) " + String(format: "database_mb=%.0f", Double(Self.databaseBytes(databasePath)) / 1e6))
        } else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard !FileManager.default.fileExists(atPath: databasePath) else {
                throw BenchError("\(folder.path) already holds a database: time it with --reuse, or name a new folder")
            }
            let started = ContinuousClock.now
            let (stats, from, to) = try generate(document: document, databasePath: databasePath)
            let seconds = (ContinuousClock.now - started).seconds
            metadata = Metadata(from: from, to: to, events: stats.events, tickets: stats.tickets, days: days, seed: seed, media: media)
            try JSONEncoder().encode(metadata).write(to: metadataURL)
            print(
                "mode=report phase=generate events=\(stats.events) tickets=\(stats.tickets) days=\(days) working_days=\(stats.workingDays) "
                    + "days_generated=\(stats.daysGenerated) sites=\(ReportGenerator.siteCount) clerks=\(ReportGenerator.clerkCount) "
                    + "media=\(media) " + String(format: "seconds=%.1f events_per_s=%.0f database_mb=%.0f ", seconds, Double(stats.events) / seconds,
                                                  Double(Self.databaseBytes(databasePath)) / 1e6)
                    + "cancelled=\(stats.cancelled) abandoned=\(stats.abandoned) declined=\(stats.declined) missed=\(stats.missed) "
                    + "transferred=\(stats.transferred) dropped=\(stats.dropped) ratings=\(stats.ratings) "
                    + "arrivals_without_kiosk=\(stats.lostArrivals) refused=\(stats.refused)")
            if stats.daysGenerated > days {
                print("mode=report note=the events did not fit in \(days) days: \(stats.daysGenerated) days generated; the year report covers the first \(days)")
            }
        }

        // The peak memory of the timing alone: generation's peak is forgotten (Linux only).
        let peakReset = Self.resetPeakRSS()
        let database = try AppDatabase.open(path: databasePath)
        let names = Self.names(document)
        let calendar = ServiceHours.calendar

        // (a) The whole span by day; (b) the month in its middle; (c) a weekday in that month, by hour.
        let year = ReportQuery(from: metadata.from, to: metadata.to, bucket: .day)
        let middle = metadata.from.addingTimeInterval(metadata.to.timeIntervalSince(metadata.from) / 2)
        let monthStart = max(calendar.date(from: calendar.dateComponents([.year, .month], from: middle))!, metadata.from)
        let monthEnd = min(calendar.date(byAdding: .month, value: 1, to: monthStart)!, metadata.to)
        let month = ReportQuery(from: monthStart, to: monthEnd, bucket: .day)
        var dayStart = min(calendar.date(byAdding: .day, value: 14, to: monthStart)!, calendar.date(byAdding: .day, value: -1, to: metadata.to)!)
        while [1, 7].contains(calendar.component(.weekday, from: dayStart)),  // Sunday, Saturday: no one comes
            let next = calendar.date(byAdding: .day, value: 1, to: dayStart), next < metadata.to {
            dayStart = next
        }
        let day = ReportQuery(from: dayStart, to: calendar.date(byAdding: .day, value: 1, to: dayStart)!, bucket: .hour)

        /// What the server's handler does for a GET, minus the names (read once here: a few
        /// small tables) and the JSON encoding: the log's events of the span, one pass, the tables.
        func measure(_ span: String, _ query: ReportQuery) async throws -> Double {
            var seconds: [Double] = []
            var read = 0
            var volumeRows = 0
            for _ in 0..<Self.runs {
                let started = ContinuousClock.now
                var builder = ReportBuilder(query: query, names: names)
                try await database.readReportEvents(into: &builder)
                let report = builder.build(followUps: [], generatedAt: Date())
                seconds.append((ContinuousClock.now - started).seconds)
                read = report.events
                volumeRows = report.table("volume")?.rows.count ?? 0
            }
            print(
                "mode=report span=\(span) from=\(QueueState.localDay(query.from)) to=\(QueueState.localDay(query.to.addingTimeInterval(-1))) "
                    + "bucket=\(query.bucket.rawValue) runs=\(Self.runs) " + String(format: "min_s=%.3f max_s=%.3f ", seconds.min()!, seconds.max()!)
                    + "events_read=\(read) volume_rows=\(volumeRows)")
            return seconds.min()!
        }

        let yearSeconds = try await measure("year", year)
        print("mode=report peak_rss_mb=\(ProcessFigures.rss(pid: getpid(), field: "VmHWM:") / 1024) after=year" + (peakReset ? "" : " (includes generation: the peak could not be reset)"))
        _ = try await measure("month", month)
        _ = try await measure("day", day)
        return String(format: "report: year of %d events in %.2f s (target < 2 s)", metadata.events, yearSeconds)
    }

    /// Generates the folder's log; returns its figures and the span it covers.
    func generate(document: CatalogDocument, databasePath: String) throws -> (ReportGenerator.Stats, from: Date, to: Date) {
        let database = try AppDatabase.open(path: databasePath)
        let from = Self.firstDay
        let to = ServiceHours.calendar.date(byAdding: .day, value: days, to: from)!
        // The generator (and with it the database) is released on return, so the WAL is folded
        // back into the file before its size is measured.
        let generator = ReportGenerator(
            database: database, document: document, target: events, from: from, days: days, seed: seed, media: media)
        return (try generator.run(), from, to)
    }

    /// Names for the rows, as the controller reads them from the store: clerks, sites, the catalog.
    static func names(_ document: CatalogDocument) -> ReportNames {
        ReportNames(
            clerks: Dictionary(uniqueKeysWithValues: (1...ReportGenerator.clerkCount).map { (ClerkID($0), "c\($0)") }),
            sites: Dictionary(uniqueKeysWithValues: (1...ReportGenerator.siteCount).map { (SiteID($0), "延伸点 \($0) / Site \($0)") }),
            items: document.items.reduce(into: [:]) { $0[$1.code] = $1.name },
            categories: document.categories.reduce(into: [:]) { $0[$1.code] = $1.name },
            expectedMinutes: document.items.reduce(into: [:]) { $0[$1.code] = $1.expectedMinutes })
    }

    static func databaseBytes(_ path: String) -> Int {
        ["", "-wal"].reduce(0) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
        }
    }

    /// Linux resets VmHWM to the current RSS when "5" is written to clear_refs.
    static func resetPeakRSS() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }
}

/// A district's year in virtual time: 10 sites with their kiosks, 60 clerks with two skills each
/// on morning, afternoon or full-day shifts with lunch breaks, working days 09:00–17:00 Shanghai
/// (weekends skipped), people arriving through the day at the catalog's items. Every change goes
/// through `QueueState`'s commands and timers, as in the server, and the log is written with
/// `commitQueue` in transactions of about 20,000 records.
///
/// A discrete-event simulation: the next thing to happen is either a planned action (an
/// arrival, a clerk answering an offer, a session's end…) or the core's own next deadline (an
/// offer expiring, a wrap-up running out, a kiosk's grace), whichever comes first, so every
/// record is written in time order.
final class ReportGenerator {
    static let siteCount = 10
    static let clerkCount = 60
    /// Kiosks per site: the sites differ in size, and so in their share of people.
    static let kiosksPerSite = [8, 7, 6, 6, 5, 5, 4, 4, 3, 3]
    static let siteShares: [Double] = [18, 14, 12, 11, 10, 9, 8, 7, 6, 5]
    /// People arriving per hour from 09:00 to 16:00 (the last hour ends at 16:45): two peaks.
    static let hourShares: [Double] = [0.09, 0.16, 0.15, 0.08, 0.11, 0.16, 0.15, 0.10]
    static let batchRecords = 20_000
    static let progressEvery = 250_000

    struct Item {
        var code: String
        var category: String
        var letter: String
        var expectedMinutes: Int
    }

    struct ClerkPlan {
        var onShift = false
        var onBreak = false
        /// Past the end of the shift: signs out as soon as the session in hand ends.
        var leaving = false
        /// Tells a break's end or a ready from those of an earlier break or session.
        var breakToken = 0
        var wrapToken = 0
    }

    struct Stats {
        var events = 0, tickets = 0, cancelled = 0, abandoned = 0, declined = 0, missed = 0
        var transferred = 0, dropped = 0, ratings = 0, refused = 0, lostArrivals = 0
        var daysGenerated = 0, workingDays = 0
    }

    enum Action {
        case arrival(site: SiteID?, tries: Int)
        case respond(clerk: ClerkID, ticket: TicketID, madeAt: Double, accept: Bool)
        case mediaUp(session: SessionID)
        case endSession(session: SessionID, clerk: ClerkID)
        case ready(clerk: ClerkID, token: Int)
        case rate(session: Session)
        case patience(ticket: TicketID)
        case kioskDrop(ticket: TicketID)
        case kioskLost(ticket: TicketID, session: SessionID)
        case signIn(clerk: ClerkID)
        case breakStart(clerk: ClerkID, minutes: Double)
        case breakEnd(clerk: ClerkID, token: Int)
        case signOut(clerk: ClerkID, tries: Int)
        case backFromAway(clerk: ClerkID)
        case closeDay
    }

    let database: AppDatabase
    let target: Int
    let media: Bool
    let calendar = ServiceHours.calendar
    var random: SplitMix
    var state = QueueState()
    var batch = Decision()
    var written = 0
    var stats = Stats()
    var actions = EventHeap<Action>()
    var plans: [ClerkPlan]
    /// Tickets whose kiosk went away: nobody there cancels, joins or rates.
    var gone: Set<TicketID> = []

    let items: [Item]
    let itemsByCode: [String: Item]
    let itemWeights: Weighted
    let categories: [String]
    let siteWeights = Weighted(ReportGenerator.siteShares)
    let hourWeights = Weighted(ReportGenerator.hourShares)
    /// Midnight (Shanghai) of the next day to plan, and of the day being played.
    var nextDayStart: Double
    var today: Double
    let workingDaysInSpan: Int
    var nextProgress = ReportGenerator.progressEvery
    let started = ContinuousClock.now

    var total: Int { written + batch.records.count }

    init(database: AppDatabase, document: CatalogDocument, target: Int, from: Date, days: Int, seed: UInt64, media: Bool) {
        self.database = database
        self.target = target
        self.media = media
        var random = SplitMix(seed: seed)
        plans = Array(repeating: ClerkPlan(), count: Self.clerkCount + 1)
        let letters = Dictionary(document.categories.map { ($0.code, $0.letter) }, uniquingKeysWith: { first, _ in first })
        categories = document.categories.map(\.code)
        // The catalog's active items; a few are asked for much more than the rest (popularity
        // falls with rank, the ranks shuffled by the seed).
        var active = document.items.filter { $0.status == .active }.map {
            Item(code: $0.code, category: $0.category, letter: letters[$0.category] ?? "A", expectedMinutes: $0.expectedMinutes)
        }
        for index in active.indices.reversed() where index > 0 {
            active.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
        items = active
        itemsByCode = Dictionary(active.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        itemWeights = Weighted(active.indices.map { 1 / pow(Double($0 + 1), 0.7) })
        self.random = random
        nextDayStart = from.timeIntervalSince1970
        today = from.timeIntervalSince1970
        workingDaysInSpan = (0..<days).count(where: { offset in
            let weekday = ServiceHours.calendar.component(.weekday, from: from.addingTimeInterval(Double(offset) * 86_400))
            return weekday != 1 && weekday != 7
        })
    }

    func run() throws -> Stats {
        guard !items.isEmpty, !categories.isEmpty else { throw ReportBench.BenchError("the catalog has no active items") }
        // The clerks, registered once: two skills each, so every category has 15.
        let registeredAt = date(nextDayStart + 8 * 3600)
        for id in 1...Self.clerkCount {
            let skills: Set<String> = [categories[id % categories.count], categories[(id + 3) % categories.count]]
            try absorb(state.registerClerk(
                ClerkID(id), profile: ClerkProfile(displayName: "c\(id)", window: String(format: "%02d", id), skills: skills),
                at: registeredAt, actor: "admin:1"))
        }
        while total < target {
            let nextAction = actions.firstTime ?? .infinity
            let nextDeadline = state.nextDeadline?.timeIntervalSince1970 ?? .infinity
            if min(nextAction, nextDeadline) >= nextDayStart {
                guard stats.daysGenerated < workingDaysInSpan * 3 + 366 else {
                    throw ReportBench.BenchError("generation is not reaching \(target) events (stuck at \(total))")
                }
                planDay()
                continue
            }
            // The core's timers first at a tie: an offer that expired cannot be accepted.
            if nextDeadline <= nextAction {
                try absorb(state.tick(now: date(nextDeadline)))
            } else if let next = actions.pop() {
                try perform(next.element, at: next.at)
            }
        }
        try flush()
        stats.events = written
        return stats
    }

    // MARK: - Days

    /// Plans a calendar day: on a weekday, who works which shift and when people arrive.
    func planDay() {
        let dayStart = nextDayStart
        nextDayStart += 86_400  // Shanghai keeps no daylight saving
        today = dayStart
        stats.daysGenerated += 1
        let weekday = calendar.component(.weekday, from: date(dayStart))
        guard weekday != 1 && weekday != 7 else { return }
        let daysLeft = max(1, workingDaysInSpan - stats.workingDays)
        stats.workingDays += 1
        func hour(_ h: Double) -> Double { dayStart + h * 3600 }

        // Most clerks are on the remote windows on a given day, some on other duties.
        for id in 1...Self.clerkCount where random.chance(0.8) {
            let clerk = ClerkID(id)
            let shift = random.unit()
            if shift < 0.4 {
                actions.push(hour(8.75) + random.uniform(0, 1200), .signIn(clerk: clerk))
                actions.push(hour(id % 2 == 0 ? 11.5 : 12.25) + random.uniform(0, 600), .breakStart(clerk: clerk, minutes: random.uniform(40, 60)))
                actions.push(hour(17) + random.uniform(0, 600), .signOut(clerk: clerk, tries: 0))
            } else if shift < 0.7 {
                actions.push(hour(8.75) + random.uniform(0, 1200), .signIn(clerk: clerk))
                actions.push(hour(12) + random.uniform(0, 300), .signOut(clerk: clerk, tries: 0))
            } else {
                actions.push(hour(12.8) + random.uniform(0, 900), .signIn(clerk: clerk))
                actions.push(hour(17) + random.uniform(0, 600), .signOut(clerk: clerk, tries: 0))
            }
        }

        // Arrivals sized so the target lands on the last working day of the span: what is left,
        // over the days left, at the events per ticket seen so far (including the clerks' own).
        let eventsPerTicket = stats.tickets >= 2_000 ? Double(total) / Double(stats.tickets) : (media ? 11.5 : 8.5)
        let base = Double(max(0, target - total)) / Double(daysLeft) / eventsPerTicket
        let dayFactor: Double = [2: 1.2, 3: 1.05, 4: 1.0, 5: 0.95, 6: 0.85][weekday] ?? 1
        let count = max(1, Int((base * dayFactor * random.uniform(0.85, 1.15)).rounded()))
        for _ in 0..<count {
            let at: Double
            if random.chance(0.06) {
                at = hour(9) + random.uniform(0, 600)  // those waiting at the door when it opens
            } else {
                let index = hourWeights.pick(&random)
                at = hour(9 + Double(index)) + random.uniform(0, index == 7 ? 2700 : 3600)
            }
            actions.push(at, .arrival(site: nil, tries: 0))
        }
        actions.push(hour(17.5), .closeDay)
    }

    // MARK: - Actions

    func perform(_ action: Action, at t: Double) throws {
        let now = date(t)
        switch action {
        case .arrival(let chosen, let tries):
            let site = chosen ?? SiteID(siteWeights.pick(&random) + 1)
            guard let kiosk = freeKiosk(at: site) else {
                // Every kiosk of the site is in use: the person waits for one, or gives up.
                let retry = t + random.uniform(60, 180)
                if tries < 3, retry < today + 16.9 * 3600 {
                    actions.push(retry, .arrival(site: site, tries: tries + 1))
                } else {
                    stats.lostArrivals += 1
                }
                return
            }
            let item = items[itemWeights.pick(&random)]
            let priority: PriorityReason? = switch random.unit() {
            case ..<0.05: .elderly
            case ..<0.06: .disabled
            case ..<0.09: .appointment
            default: nil
            }
            // Most people have their ID card read at the kiosk: the ticket keeps it masked.
            var masked: String?
            if random.chance(0.7) {
                let digits = String(format: "%03d", random.below(1000))
                let last = random.chance(0.1) ? "X" : String(random.below(10))
                masked = String(repeating: "*", count: 14) + digits + last
            }
            let request = TicketRequest(
                itemCode: item.code, category: item.category, letter: item.letter, expectedMinutes: item.expectedMinutes, site: site, kiosk: kiosk,
                priorityReason: priority, idNumberMasked: masked, hours: .standard, itemVersion: 1)
            let issued: (Ticket, Decision)
            do {
                issued = try state.takeTicket(request, at: now, actor: "kiosk:\(kiosk)")
            } catch {
                stats.refused += 1
                return
            }
            try absorb(issued.1)
            // A few change their mind after a while; a few walk off and the kiosk's grace runs out.
            if random.chance(0.05) { actions.push(t + random.uniform(20, 480), .patience(ticket: issued.0.id)) }
            if random.chance(0.01) { actions.push(t + random.uniform(10, 360), .kioskDrop(ticket: issued.0.id)) }

        case .respond(let clerk, let ticketID, let madeAt, let accept):
            guard let offer = state.clerks[clerk]?.offer, offer.ticket == ticketID, offer.madeAt.timeIntervalSince1970 == madeAt,
                let ticket = state.tickets[ticketID]
            else { return }
            let actor = "clerk:\(clerk)"
            if plans[Int(clerk)].leaving {
                try perform(.signOut(clerk: clerk, tries: 0), at: t)  // signing out declines the offer
                return
            }
            if !accept {
                try attempt { try self.state.declineOffer(clerk: clerk, ticket: ticketID, at: now, actor: actor) }
                return
            }
            let accepted: (SessionID, Decision)
            do {
                accepted = try state.acceptOffer(clerk: clerk, ticket: ticketID, at: now, actor: actor)
            } catch {
                stats.refused += 1
                return
            }
            let session = accepted.0
            var decision = accepted.1
            // As the server does: whoever is connected joins at once; a kiosk that went away is awaited.
            let kioskHere = !gone.contains(ticketID)
            if kioskHere { decision += state.kioskConnection(ticket: ticketID, connected: true, at: now, actor: "kiosk:\(ticket.kiosk)") }
            decision += state.clerkConnection(clerk, connected: true, at: now, actor: actor)
            if !kioskHere { decision += state.awaitAbsent(session: session, kioskConnected: false, clerkConnected: true, at: now, actor: "system") }
            try absorb(decision)
            if media { actions.push(t + random.uniform(2, 6), .mediaUp(session: session)) }
            // 2–15 minutes, around the catalog's expected time.
            let expected = Double(itemsByCode[ticket.itemCode]?.expectedMinutes ?? 5)
            let duration = min(15, max(2, expected * random.uniform(0.6, 1.8))) * 60
            actions.push(t + duration, .endSession(session: session, clerk: clerk))
            if kioskHere && random.chance(0.007) {
                actions.push(t + random.uniform(30, 90), .kioskLost(ticket: ticketID, session: session))
            }

        case .mediaUp(let id):
            guard let session = state.sessions[id] else { return }
            var decision = Decision()
            if !gone.contains(session.ticket) {
                let kiosk = "kiosk:\(session.kiosk)"
                decision += (try? state.answerConsent(session: id, kiosk: session.kiosk, accepted: true, at: now, actor: kiosk)) ?? Decision()
                decision += (try? state.reportMedia(session: id, participant: .kiosk, state: .connected, at: now, actor: kiosk)) ?? Decision()
            }
            decision += (try? state.reportMedia(session: id, participant: .clerk, state: .connected, at: now, actor: "clerk:\(session.clerk)")) ?? Decision()
            try absorb(decision)

        case .endSession(let id, let clerk):
            guard let session = state.sessions[id], session.clerk == clerk else { return }  // dropped meanwhile
            let actor = "clerk:\(clerk)"
            if random.chance(0.06), let ticket = state.tickets[session.ticket], ticket.transfers == 0 {
                // Another skill's business: back in line at its old place, once at most.
                let others = categories.filter { $0 != ticket.category }
                let category = others[random.below(others.count)]
                try attempt { try self.state.transfer(id, by: clerk, toCategory: category, toClerk: nil, notes: "转 \(category)", at: now, actor: actor) }
            } else {
                let outcome: SessionOutcome = switch random.unit() {
                case ..<0.09: .needsMaterials
                case ..<0.14: .referredOffline
                default: .completed
                }
                let caseNumber = "RW" + QueueState.localDay(now).replacingOccurrences(of: "-", with: "") + String(format: "-%07lld", id)
                let decision: Decision
                do {
                    decision = try state.endSession(id, outcome: outcome, caseNumber: caseNumber, by: clerk, at: now, actor: actor)
                } catch {
                    stats.refused += 1
                    return
                }
                try absorb(decision)
                if random.chance(0.6), !gone.contains(session.ticket), let ended = decision.sessions[id] {
                    actions.push(t + random.uniform(5, 40), .rate(session: ended))
                }
            }
            // Wrap-up: mostly ended by ready; now and then a call or other work first; else it runs out.
            plans[Int(clerk)].wrapToken += 1
            let next = random.unit()
            if next < 0.03 {
                actions.push(t + random.uniform(5, 30), .breakStart(clerk: clerk, minutes: random.uniform(4, 15)))
            } else if next < 0.91 {
                actions.push(t + random.uniform(8, 50), .ready(clerk: clerk, token: plans[Int(clerk)].wrapToken))
            }

        case .ready(let clerk, let token):
            guard plans[Int(clerk)].wrapToken == token, state.clerks[clerk]?.state == .wrapUp else { return }
            if plans[Int(clerk)].leaving {
                try perform(.signOut(clerk: clerk, tries: 0), at: t)
            } else {
                try attempt { try self.state.ready(clerk: clerk, at: now, actor: "clerk:\(clerk)") }
            }

        case .rate(let session):
            let level = switch random.unit() {
            case ..<0.02: 1
            case ..<0.05: 2
            case ..<0.11: 3
            case ..<0.28: 4
            default: 5
            }
            let comments = ["等候时间较长", "视频有些卡顿", "材料要求没有讲清楚"]
            let comment: String? = level <= 2 ? comments[random.below(comments.count)] : (level == 5 && random.chance(0.1) ? "很满意" : nil)
            try attempt {
                try self.state.rate(session, alreadyRated: false, kiosk: session.kiosk, level: level, comment: comment, at: now, actor: "kiosk:\(session.kiosk)").1
            }

        case .patience(let id):
            guard let ticket = state.tickets[id], ticket.session == nil, !gone.contains(id) else { return }
            try attempt { try self.state.leaveTicket(id, at: now, actor: "kiosk:\(ticket.kiosk)") }

        case .kioskDrop(let id):
            guard let ticket = state.tickets[id], ticket.session == nil, !gone.contains(id) else { return }
            gone.insert(id)
            try absorb(state.kioskConnection(ticket: id, connected: false, at: now, actor: "kiosk:\(ticket.kiosk)"))

        case .kioskLost(let id, let session):
            guard let ticket = state.tickets[id], state.sessions[session] != nil, !gone.contains(id) else { return }
            // Lost mid-call: the core's rejoin grace ends the session dropped and requeues the ticket.
            gone.insert(id)
            try absorb(state.kioskConnection(ticket: id, connected: false, at: now, actor: "kiosk:\(ticket.kiosk)"))

        case .signIn(let clerk):
            plans[Int(clerk)] = ClerkPlan(onShift: true, breakToken: plans[Int(clerk)].breakToken, wrapToken: plans[Int(clerk)].wrapToken)
            if state.clerks[clerk]?.state == .offline {
                try attempt { try self.state.setClerkState(clerk, to: .available, at: now, actor: "clerk:\(clerk)") }
            }

        case .breakStart(let clerk, let minutes):
            guard plans[Int(clerk)].onShift, !plans[Int(clerk)].leaving, let current = state.clerks[clerk]?.state else { return }
            if current == .inSession {
                actions.push(t + 60, .breakStart(clerk: clerk, minutes: minutes))  // after the session in hand
                return
            }
            if current != .away {
                try attempt { try self.state.setClerkState(clerk, to: .away, at: now, actor: "clerk:\(clerk)") }
            }
            plans[Int(clerk)].onBreak = true
            plans[Int(clerk)].breakToken += 1
            actions.push(t + minutes * 60, .breakEnd(clerk: clerk, token: plans[Int(clerk)].breakToken))

        case .breakEnd(let clerk, let token):
            guard plans[Int(clerk)].breakToken == token, plans[Int(clerk)].onBreak else { return }
            plans[Int(clerk)].onBreak = false
            if plans[Int(clerk)].onShift, !plans[Int(clerk)].leaving, state.clerks[clerk]?.state == .away {
                try attempt { try self.state.setClerkState(clerk, to: .available, at: now, actor: "clerk:\(clerk)") }
            }

        case .signOut(let clerk, let tries):
            plans[Int(clerk)].leaving = true
            guard let current = state.clerks[clerk]?.state else { return }
            if current == .inSession {
                if tries < 120 { actions.push(t + 60, .signOut(clerk: clerk, tries: tries + 1)) }
                return
            }
            if current != .offline {
                try attempt { try self.state.setClerkState(clerk, to: .offline, at: now, actor: "clerk:\(clerk)") }
            }
            plans[Int(clerk)].onShift = false
            plans[Int(clerk)].onBreak = false
            plans[Int(clerk)].leaving = false

        case .backFromAway(let clerk):
            // Set away by missed offers: back at the desk a few minutes later.
            let plan = plans[Int(clerk)]
            guard plan.onShift, !plan.onBreak, !plan.leaving, state.clerks[clerk]?.state == .away else { return }
            try attempt { try self.state.setClerkState(clerk, to: .available, at: now, actor: "clerk:\(clerk)") }

        case .closeDay:
            // Whoever is still waiting half an hour after closing goes home.
            for id in state.tickets.keys.sorted() {
                guard let ticket = state.tickets[id], ticket.session == nil, !gone.contains(id) else { continue }
                try attempt { try self.state.leaveTicket(id, at: now, actor: "kiosk:\(ticket.kiosk)") }
            }
            gone = gone.filter { state.tickets[$0] != nil }
        }
    }

    // MARK: - Writing

    /// A command's decision: into the batch, with what follows from it planned (each offer's
    /// answer, a clerk set away coming back), and the batch written when it is large.
    func absorb(_ decision: Decision) throws {
        guard !decision.isEmpty else { return }
        for record in decision.records {
            switch record.event {
            case .ticketIssued: stats.tickets += 1
            case .ticketCancelled: stats.cancelled += 1
            case .ticketAbandoned: stats.abandoned += 1
            case .offerDeclined: stats.declined += 1
            case .offerMade(let ticket, let clerk, _, _):
                // Most offers are taken within seconds, a few declined; the rest are missed and
                // left to the core's timer (policy.offerTimeout).
                let madeAt = record.at.timeIntervalSince1970
                let answer = random.unit()
                if answer < 0.93 {
                    actions.push(madeAt + random.uniform(2, 12), .respond(clerk: clerk, ticket: ticket, madeAt: madeAt, accept: true))
                } else if answer < 0.97 {
                    actions.push(madeAt + random.uniform(2, 8), .respond(clerk: clerk, ticket: ticket, madeAt: madeAt, accept: false))
                }
            case .offerExpired(_, let clerk, _, let away):
                stats.missed += 1
                if away { actions.push(record.at.timeIntervalSince1970 + random.uniform(60, 300), .backFromAway(clerk: clerk)) }
            case .sessionEnded(_, let outcome, _, _, _, _):
                if outcome == .transferred { stats.transferred += 1 }
                if outcome == .dropped { stats.dropped += 1 }
            case .sessionRated: stats.ratings += 1
            default: break
            }
        }
        batch += decision
        // The ended tickets and sessions are in the decision already; the core's buffers of them
        // are scanned on every record, so they are kept short.
        _ = state.drainFinished()
        if batch.records.count >= Self.batchRecords { try flush() }
        if total >= nextProgress {
            let seconds = (ContinuousClock.now - started).seconds
            let line = "report: generated \(total) events, \(stats.tickets) tickets, up to \(QueueState.localDay(date(today)))"
                + String(format: ", in %.0f s\n", seconds)
            FileHandle.standardError.write(Data(line.utf8))
            nextProgress += Self.progressEvery
        }
    }

    /// A command the core may refuse (a state the plan did not foresee): counted, not fatal.
    func attempt(_ command: () throws -> Decision) throws {
        let decision: Decision
        do {
            decision = try command()
        } catch is QueueError {
            stats.refused += 1
            return
        }
        try absorb(decision)
    }

    func flush() throws {
        guard !batch.isEmpty else { return }
        try database.commitQueue(batch)
        written += batch.records.count
        batch = Decision()
    }

    // MARK: - Helpers

    func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    /// A kiosk of the site holding no ticket, from a random one on.
    func freeKiosk(at site: SiteID) -> KioskID? {
        let count = Self.kiosksPerSite[Int(site) - 1]
        let first = random.below(count)
        for offset in 0..<count {
            let kiosk = KioskID(Int(site) * 100 + (first + offset) % count + 1)
            if state.ticketByKiosk[kiosk] == nil { return kiosk }
        }
        return nil
    }
}

/// Planned actions in time order (ties in the order planned).
struct EventHeap<Element> {
    private var nodes: [(at: Double, order: Int, element: Element)] = []
    private var planned = 0

    var firstTime: Double? { nodes.first?.at }

    mutating func push(_ at: Double, _ element: Element) {
        nodes.append((at: at, order: planned, element: element))
        planned += 1
        var child = nodes.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(nodes[child], nodes[parent]) else { break }
            nodes.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (at: Double, element: Element)? {
        guard !nodes.isEmpty else { return nil }
        nodes.swapAt(0, nodes.count - 1)
        let last = nodes.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < nodes.count, Self.before(nodes[left], nodes[first]) { first = left }
            if right < nodes.count, Self.before(nodes[right], nodes[first]) { first = right }
            if first == parent { break }
            nodes.swapAt(parent, first)
            parent = first
        }
        return (at: last.at, element: last.element)
    }

    private static func before(_ a: (at: Double, order: Int, element: Element), _ b: (at: Double, order: Int, element: Element)) -> Bool {
        a.at < b.at || (a.at == b.at && a.order < b.order)
    }
}

/// Picks an index with probability proportional to its weight.
struct Weighted {
    let cumulative: [Double]

    init(_ weights: [Double]) {
        var sum = 0.0
        cumulative = weights.map { weight in
            sum += weight
            return sum
        }
    }

    func pick(_ random: inout SplitMix) -> Int {
        let point = random.unit() * (cumulative.last ?? 0)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > point { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

extension SplitMix {
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }
    mutating func chance(_ probability: Double) -> Bool { unit() < probability }
    /// Uniform in 0..<count.
    mutating func below(_ count: Int) -> Int { Int(next() % UInt64(count)) }
}
