import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WindowAPITypes
import WindowCore
import WindowStore

/// Reports computed from the event log, for managers: as JSON (the console's tables and charts)
/// and one table at a time as CSV (UTF-8 with BOM, for Excel).
struct ReportController {
    let database: AppDatabase
    let followUps: FollowUpFacts?
    let now: @Sendable () -> Date
    /// One report at a time: a year's report is a second of a core, and the queue must keep its other.
    let gate = ReportGate(waiting: 4)

    /// What the follow-up cases contribute to the timeliness table.
    typealias FollowUpFacts = @Sendable () async throws -> [FollowUpFact]

    /// A report spans at most this many days (a year and a leap day).
    static let maxDays = 366

    func addRoutes(to router: Router<AppRequestContext>) {
        let managers = router.group("/api/v1/reports", context: ManagerContext.self)
        managers.get(use: report)
        managers.get("/{table}", use: csv)
    }

    func report(_ request: Request, context: ManagerContext) async throws -> Report {
        try await build(try query(Self.parameters(request)))
    }

    /// `GET /api/v1/reports/waiting.csv?…`: one table as CSV.
    func csv(_ request: Request, context: ManagerContext) async throws -> Response {
        let name = try context.parameters.require("table")
        guard name.hasSuffix(".csv") else { throw APIError.notFound("report table \(name)", zh: "报表 \(name) ") }
        let id = String(name.dropLast(4))
        let query = try query(Self.parameters(request))
        guard let table = try await build(query).table(id) else { throw APIError.notFound("report table \(id)", zh: "报表 \(id) ") }
        let day = ServiceHours.calendar.dateComponents([.year, .month, .day], from: query.from)
        let file = String(format: "%@-%04d%02d%02d.csv", id, day.year!, day.month!, day.day!)
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(file)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: table.csv())))
    }

    static func parameters(_ request: Request) -> [String: String] {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
        return parameters
    }

    func build(_ query: ReportQuery) async throws -> Report {
        try await gate.run { try await compute(query) }
    }

    func compute(_ query: ReportQuery) async throws -> Report {
        var builder = ReportBuilder(query: query, names: try await names())
        builder.ratingsMarked = try await database.ratingsMarkedByAppeal()
        try await database.readReportEvents(into: &builder)
        return builder.build(followUps: try await followUps?() ?? [], generatedAt: now())
    }

    func names() async throws -> ReportNames {
        let catalog = try database.publishedCatalog()
        let clerks = try await database.clerkNames()
        var sites: [SiteID: String] = [:]
        for site in try database.sites() { sites[site.id!] = "\(site.nameZh) / \(site.nameEn)" }
        return ReportNames(
            clerks: clerks, sites: sites, items: catalog.document.items.reduce(into: [:]) { $0[$1.code] = $1.name },
            categories: catalog.document.categories.reduce(into: [:]) { $0[$1.code] = $1.name },
            expectedMinutes: catalog.document.items.reduce(into: [:]) { $0[$1.code] = $1.expectedMinutes })
    }

    /// `from` and `to` are Shanghai dates (`YYYY-MM-DD`), both included; `bucket` day or hour;
    /// `site` (code), `category`, `item`, `itemVersion`, `clerk` (id) filter; `threshold` is T in minutes.
    func query(_ parameters: [String: String]) throws -> ReportQuery {
        func text(_ name: String) -> String? {
            parameters[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        func bad(_ message: String) -> APIError { APIError.badRequest(code: .invalidQuery, message) }
        let today = ServiceHours.calendar.startOfDay(for: now())
        func day(_ name: String) throws -> Date? {
            guard let value = text(name) else { return nil }
            guard ServiceHours.isDay(value) else { throw bad("\(name) 应为日期 YYYY-MM-DD / \(name) must be a date YYYY-MM-DD") }
            let parts = value.split(separator: "-").compactMap { Int($0) }
            return ServiceHours.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
        }
        let from = try day("from") ?? today
        let lastDay = try day("to") ?? from
        guard lastDay >= from else { throw bad("to 不能早于 from / to is before from") }
        let to = ServiceHours.calendar.date(byAdding: .day, value: 1, to: lastDay)!
        guard to.timeIntervalSince(from) <= Double(Self.maxDays) * 86400 + 3600 else {
            throw bad("报表最多 \(Self.maxDays) 天 / a report spans at most \(Self.maxDays) days")
        }
        var query = ReportQuery(from: from, to: to)
        if let bucket = text("bucket") {
            guard let value = ReportQuery.Bucket(rawValue: bucket) else { throw bad("bucket 应为 day 或 hour / bucket: day or hour") }
            query.bucket = value
        }
        if let code = text("site") {
            guard let site = try database.site(code: code) else { throw APIError.notFound("site \(code)", zh: "站点 \(code) ") }
            query.site = site.id
        }
        query.category = text("category")
        query.item = text("item")
        if let version = text("itemVersion") {
            guard let value = Int(version), value > 0 else { throw bad("itemVersion 应为正整数 / itemVersion: a positive whole number") }
            guard query.item != nil else { throw bad("itemVersion 须与 item 一起使用 / itemVersion needs item") }
            query.itemVersion = value
        }
        if let clerk = text("clerk") {
            guard let value = Int64(clerk), value > 0 else { throw bad("clerk 应为工作人员编号 / clerk: a clerk's id") }
            query.clerk = value
        }
        if let threshold = text("threshold") {
            guard let minutes = Int(threshold), (1...120).contains(minutes) else { throw bad("threshold 为 1–120 分钟 / threshold: 1–120 minutes") }
            query.serviceLevelSeconds = minutes * 60
        }
        return query
    }
}

extension Report: ResponseEncodable {}

/// Runs reports one after another; beyond `waiting` queued, a request is refused with 429 (a
/// manager who floods reports slows only the reports, never the queue).
actor ReportGate {
    let waiting: Int
    private var busy = false
    private var queue: [CheckedContinuation<Void, Never>] = []

    init(waiting: Int) {
        self.waiting = waiting
    }

    /// Requests waiting for the one running.
    var queued: Int { queue.count }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            guard queue.count < waiting else {
                throw APIError.rateLimited(retryAfter: 2, "报表生成中，请稍后再试 / reports are being computed; try again in a moment")
            }
            await withCheckedContinuation { queue.append($0) }
        }
        busy = true
        defer {
            if queue.isEmpty { busy = false } else { queue.removeFirst().resume() }
        }
        return try await body()
    }
}
