import Foundation
import WindowCore

extension HoursView {
    /// Why a set of hours cannot be used, for a person to read.
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
    }

    /// The hours as the queue uses them; refuses malformed times, weekdays and dates.
    public func serviceHours() throws(Problem) -> ServiceHours {
        func intervals(_ list: [Interval], _ label: String) throws(Problem) -> [ServiceHours.Interval] {
            var result: [ServiceHours.Interval] = []
            for interval in list {
                guard let parsed = ServiceHours.Interval(open: interval.open, close: interval.close) else {
                    throw Problem(message: "服务时间格式应为 HH:mm 且开始早于结束 / hours must be HH:mm with open before close (\(label))")
                }
                result.append(parsed)
            }
            guard list.count <= 8 else { throw Problem(message: "每天最多8个时段 / at most 8 ranges a day (\(label))") }
            let sorted = result.sorted { $0.open < $1.open }
            for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.open < earlier.close {
                throw Problem(message: "服务时段重叠 / hour ranges overlap (\(label))")
            }
            return sorted
        }
        var week: [Int: [ServiceHours.Interval]] = [:]
        for (day, list) in weekly {
            guard let number = Int(day), (1...7).contains(number) else {
                throw Problem(message: "星期应为1–7 / weekday must be 1–7, got \(day)")
            }
            week[number] = try intervals(list, "weekday \(day)")
        }
        var adjusted: [String: [ServiceHours.Interval]] = [:]
        for (day, list) in workdays ?? [:] {
            guard Self.isDay(day) else { throw Problem(message: "日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD, got \(day)") }
            adjusted[day] = try intervals(list, day)
        }
        guard (holidays ?? []).count <= 366, (workdays ?? [:]).count <= 366 else {
            throw Problem(message: "节假日或调休日过多 / at most 366 holidays and 366 adjusted working days")
        }
        for day in holidays ?? [] where !Self.isDay(day) {
            throw Problem(message: "日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD, got \(day)")
        }
        // A day is closed or open, not both: the adjusted working day would silently win.
        if let day = Set(holidays ?? []).intersection(adjusted.keys).min() {
            throw Problem(message: "\(day) 不能既是节假日又是调休工作日 / \(day) cannot be both a holiday and an adjusted working day")
        }
        return ServiceHours(weekly: week, holidays: Set(holidays ?? []), workdays: adjusted)
    }

    /// The queue's hours as the API writes them.
    public init(_ hours: ServiceHours) {
        func text(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
        self.init(
            weekly: Dictionary(uniqueKeysWithValues: hours.weekly.map { (String($0.key), $0.value.map { Interval(open: text($0.open), close: text($0.close)) }) }),
            holidays: hours.holidays.sorted(),
            workdays: Dictionary(uniqueKeysWithValues: hours.workdays.map { ($0.key, $0.value.map { Interval(open: text($0.open), close: text($0.close)) }) }))
    }

    /// A real calendar date written `YYYY-MM-DD` (so no `9999-99-99` or `2026-02-30`), this century.
    static func isDay(_ text: String) -> Bool { ServiceHours.isDay(text, years: 2000...2100) }
}
