import Foundation

/// What a report covers: a period [from, to), cut by day or hour (Shanghai time), and filters.
public struct ReportQuery: Codable, Hashable, Sendable {
    public enum Bucket: String, Codable, Hashable, Sendable, CaseIterable {
        case day
        case hour
    }

    public var from: Date
    public var to: Date
    public var bucket: Bucket
    public var site: SiteID?
    public var category: String?
    public var item: String?
    /// With `item`: only tickets issued under this item version.
    public var itemVersion: Int?
    public var clerk: ClerkID?
    /// The service level's threshold T, in seconds (default 5 minutes).
    public var serviceLevelSeconds: Int

    public init(
        from: Date, to: Date, bucket: Bucket = .day, site: SiteID? = nil, category: String? = nil, item: String? = nil,
        itemVersion: Int? = nil, clerk: ClerkID? = nil, serviceLevelSeconds: Int = 300
    ) {
        self.from = from
        self.to = to
        self.bucket = bucket
        self.site = site
        self.category = category
        self.item = item
        self.itemVersion = itemVersion
        self.clerk = clerk
        self.serviceLevelSeconds = serviceLevelSeconds
    }
}

/// One column of a report table.
public struct ReportColumn: Codable, Hashable, Sendable {
    public var key: String
    public var label: LocalizedText
    /// `text`, `count`, `seconds`, `days`, `percent` (0–100) or `minutes`: how to show and chart it.
    public var unit: String

    public init(_ key: String, _ zh: String, _ en: String, unit: String = "count") {
        self.key = key
        self.label = LocalizedText(zh: zh, en: en)
        self.unit = unit
    }
}

/// One table of a report: the same data the page shows, the CSV holds and `windowctl report` prints.
public struct ReportTable: Codable, Hashable, Sendable {
    public var id: String
    public var title: LocalizedText
    public var columns: [ReportColumn]
    /// Each row has one value per column: a string, a number, or null (nothing to measure).
    public var rows: [[JSONValue]]
    /// The definition, stated under the table.
    public var definition: LocalizedText

    public init(id: String, title: LocalizedText, columns: [ReportColumn], rows: [[JSONValue]], definition: LocalizedText) {
        self.id = id
        self.title = title
        self.columns = columns
        self.rows = rows
        self.definition = definition
    }
}

public struct Report: Codable, Hashable, Sendable {
    public var query: ReportQuery
    public var generatedAt: Date
    /// Events read from the log.
    public var events: Int
    public var tables: [ReportTable]

    public init(query: ReportQuery, generatedAt: Date, events: Int, tables: [ReportTable]) {
        self.query = query
        self.generatedAt = generatedAt
        self.events = events
        self.tables = tables
    }

    public func table(_ id: String) -> ReportTable? { tables.first { $0.id == id } }
}

extension ReportTable {
    /// The table as CSV for Excel: UTF-8 with a byte-order mark, a bilingual header, CRLF lines.
    public func csv() -> Data {
        func field(_ text: String) -> String {
            if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return text
        }
        var lines = [columns.map { field("\($0.label.zh) / \($0.label.en)") }.joined(separator: ",")]
        for row in rows {
            lines.append(row.map { value in
                switch value {
                case .null: ""
                case .number(let number): ReportFormat.number(number)
                default: field(value.text)
                }
            }.joined(separator: ","))
        }
        return Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}

public enum ReportFormat {
    /// Whole numbers without a fraction, others to two places.
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.2f", value)
    }
}
