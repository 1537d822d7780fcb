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
            return result
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
        for day in holidays ?? [] where !Self.isDay(day) {
            throw Problem(message: "日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD, got \(day)")
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

    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2 && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }
}
