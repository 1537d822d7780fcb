import ArgumentParser
import Foundation
import WindowClient
import WindowCore

/// `windowctl report`: the reports the server computes from its event log, printed as aligned
/// text (or JSON), and each table's CSV written exactly as the server sends it.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports from the event log: volume, waiting, service level, abandonment, handling, outcomes, offers, ratings, timeliness.",
        discussion: """
            The period runs from --from to --to, Shanghai dates, both included (default: today; at most 366 days),
            cut into days or hours (--bucket). Tickets count in the period they were issued in, sessions in the
            period their offer was accepted in. Each table is printed with its definition. --csv DIR writes each
            table's CSV, byte for byte as the server sends it (UTF-8 with a BOM, a bilingual header, CRLF lines),
            as DIR/<table>-YYYYMMDD.csv, named by the first day.
            """)

    @OptionGroup var options: SignInOptions
    @Option(name: .long, help: "The first day, YYYY-MM-DD in Shanghai (default: today).") var from: String?
    @Option(name: .long, help: "The last day, included (default: the first day).") var to: String?
    @Option(name: .long, help: "Periods: day or hour (default: day).") var bucket: String?
    @Option(name: .long, help: "Only this site (its code).") var site: String?
    @Option(name: .long, help: "Only this category, e.g. residence.") var category: String?
    @Option(name: .long, help: "Only this item, e.g. JZZ-001.") var item: String?
    @Option(name: .customLong("item-version"), help: "With --item: only tickets issued under this item version.") var itemVersion: Int?
    @Option(name: .long, help: "Only this clerk (an id from `windowctl clerk list`).") var clerk: Int64?
    @Option(name: .long, help: "The service level's threshold T in minutes, 1–120 (default: 5).") var threshold: Int?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only this table (repeatable; default: every table): volume, waiting, serviceLevel, abandonment, handling, outcomes, offers, "
                + "ratings-clerk, ratings-item, ratings-site, timeliness.", valueName: "ID")) var table: [String] = []
    @Option(name: .long, help: ArgumentHelp("Write each table's CSV into this folder (made if missing).", valueName: "DIR")) var csv: String?

    func validate() throws {
        if let bucket, ReportQuery.Bucket(rawValue: bucket) == nil {
            throw ValidationError("--bucket is day or hour, not \(bucket)")
        }
        if itemVersion != nil && item == nil {
            throw ValidationError("--item-version needs --item")
        }
    }

    var parameters: ReportParameters {
        ReportParameters(
            from: from, to: to, bucket: bucket.flatMap { ReportQuery.Bucket(rawValue: $0) }, site: site, category: category, item: item,
            itemVersion: itemVersion, clerk: clerk, threshold: threshold)
    }

    func run() async throws {
        let (report, files) = try await options.withAPI { api -> (Report, [(String, Data)]) in
            let report = try await api.report(query: parameters)
            // The server's tables are the list: a name it does not have is refused with the names it has.
            let known = report.tables.map(\.id)
            for id in table where !known.contains(id) {
                throw Failure("没有报表 \(id) / no table \(id); the tables are: \(known.joined(separator: ", "))")
            }
            guard let csv else { return (report, []) }
            // The CSVs cover the same days as the report, whatever the clock says by now.
            var pinned = parameters
            pinned.from = ReportText.day(report.query.from)
            pinned.to = ReportText.day(report.query.to.addingTimeInterval(-1))
            var files: [(String, Data)] = []
            for table in selected(report) {
                let data = try await api.reportCSV(table: table.id, query: pinned)
                files.append((csv + "/" + ReportText.fileName(table: table.id, from: report.query.from), data))
            }
            return (report, files)
        }
        let tables = selected(report)
        if let csv {
            do {
                try FileManager.default.createDirectory(atPath: csv, withIntermediateDirectories: true)
                for (path, data) in files { try data.write(to: URL(fileURLWithPath: path), options: .atomic) }
            } catch {
                throw refuse("无法写入文件 / cannot write the CSV files in \(csv): \(error.localizedDescription)")
            }
        }
        if options.json {
            var shown = report
            shown.tables = tables
            try printJSON(shown)
        } else {
            for line in ReportText.headLines(report, filters: filterText) { print(line) }
            for table in tables {
                print("")
                for line in ReportText.tableLines(table) { print(line) }
            }
        }
        for (path, data) in files {
            // With --json, standard output holds only the JSON.
            let line = "已写入 / wrote \(path) (\(data.count) bytes)"
            if options.json { printError(line) } else { print(line) }
        }
    }

    /// The tables asked for, in the report's order (every table when none was named).
    func selected(_ report: Report) -> [ReportTable] {
        table.isEmpty ? report.tables : report.tables.filter { table.contains($0.id) }
    }

    /// The filters given, for the report's head.
    var filterText: [String] {
        var parts: [String] = []
        if let site { parts.append("站点 site \(site)") }
        if let category { parts.append("类别 category \(category)") }
        if let item { parts.append("事项 item \(item)" + (itemVersion.map { " v\($0)" } ?? "")) }
        if let clerk { parts.append("工作人员 clerk #\(clerk)") }
        return parts
    }
}

/// Reports as text for a terminal.
enum ReportText {
    /// `2026-11-29`: the Shanghai day a time falls in.
    static func day(_ date: Date) -> String {
        let parts = ServiceHours.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// `volume-20261129.csv`, as the server names the file in its Content-Disposition.
    static func fileName(table: String, from: Date) -> String {
        "\(table)-\(day(from).replacingOccurrences(of: "-", with: "")).csv"
    }

    static func headLines(_ report: Report, filters: [String]) -> [String] {
        let first = day(report.query.from)
        let last = day(report.query.to.addingTimeInterval(-1))
        let period = first == last ? first : "\(first) — \(last)"
        let bucket = report.query.bucket == .hour ? "按小时 by hour" : "按日 by day"
        let minutes = number(Double(report.query.serviceLevelSeconds) / 60)
        var lines = [
            "报表 / report: \(period)（上海时间 Shanghai），\(bucket)，T = \(minutes) 分钟 min",
            "读取事件 / events read: \(report.events)；生成于 / generated \(CatalogText.time(report.generatedAt))",
        ]
        if !filters.isEmpty { lines.append("筛选 / filters: " + filters.joined(separator: "，")) }
        return lines
    }

    /// A value as the console shows it: "—" for null, "85.5%", "75 (1:15)" for seconds.
    static func cell(_ value: JSONValue, unit: String) -> String {
        switch value {
        case .null:
            return "—"
        case .number(let number):
            let text = Self.number(number)
            switch unit {
            case "percent": return text + "%"
            case "seconds": return "\(text) (\(clock(number)))"
            default: return text
            }
        default:
            return value.text
        }
    }

    /// A number as the CSV has it, without trailing zeros: 3, 66.7, 0.25.
    static func number(_ value: Double) -> String {
        let text = ReportFormat.number(value)
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// Seconds as 1:15 or 1:02:09.
    static func clock(_ seconds: Double) -> String {
        let total = max(0, Int(seconds.rounded()))
        let hours = total / 3600, minutes = total % 3600 / 60, rest = total % 60
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }

    /// The title, the columns and rows aligned (numbers to the right), then the definition.
    static func tableLines(_ table: ReportTable) -> [String] {
        var lines = ["\(table.title.zh) / \(table.title.en)  [\(table.id)]"]
        let header = table.columns.map { "\($0.label.zh) / \($0.label.en)" }
        let rows = table.rows.map { row in
            table.columns.indices.map { index in cell(index < row.count ? row[index] : .null, unit: table.columns[index].unit) }
        }
        let right = table.columns.map { $0.unit != "text" }
        var widths = header.map(CatalogText.width)
        for row in rows {
            for (index, text) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], CatalogText.width(text)) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[index] - CatalogText.width(cell)))
                if index > 0 { text += "  " }
                if right[index] {
                    text += pad + cell
                } else {
                    text += cell + (index < cells.count - 1 ? pad : "")
                }
            }
            return text
        }
        lines.append(line(header))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        if rows.isEmpty {
            lines.append("（该期间没有数据 / nothing in this period）")
        } else {
            lines += rows.map(line)
        }
        lines.append("注 / definition: \(table.definition.zh)")
        lines.append("  \(table.definition.en)")
        return lines
    }
}
