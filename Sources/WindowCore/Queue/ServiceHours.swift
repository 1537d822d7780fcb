import Foundation

/// When a site's window is open: weekly hours in Shanghai time, holidays closed, and
/// adjusted working days (调休) open on their weekday's hours.
public struct ServiceHours: Codable, Hashable, Sendable {
    public struct Interval: Codable, Hashable, Sendable {
        /// Minutes after local midnight.
        public var open: Int
        public var close: Int

        public init(open: Int, close: Int) {
            self.open = open
            self.close = close
        }

        /// `"09:00"` style.
        public init?(open: String, close: String) {
            guard let o = ServiceHours.minutes(open), let c = ServiceHours.minutes(close), o < c else { return nil }
            self.init(open: o, close: c)
        }
    }

    /// Keyed by ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekly: [Int: [Interval]]
    /// Local days (`2026-10-01`) closed whatever the weekday.
    public var holidays: Set<String>
    /// Local days open although their weekday is not, with these hours (调休).
    public var workdays: [String: [Interval]]

    public init(weekly: [Int: [Interval]], holidays: Set<String> = [], workdays: [String: [Interval]] = [:]) {
        self.weekly = weekly
        self.holidays = holidays
        self.workdays = workdays
    }

    /// Monday to Friday, 09:00–17:00.
    public static let standard = ServiceHours(
        weekly: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [Interval(open: 9 * 60, close: 17 * 60)]) })
    )

    /// Open at all times (tests, or a site staffed round the clock).
    public static let always = ServiceHours(
        weekly: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [Interval(open: 0, close: 24 * 60)]) })
    )

    /// Shanghai has used UTC+8 without daylight saving since 1991.
    /// Midnight in Shanghai at the start of `date`'s local day.
    public static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// A real calendar date written `YYYY-MM-DD` (so no `9999-99-99` or `2026-02-30`).
    public static func isDay(_ text: String, years: ClosedRange<Int> = 1900...2999) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), years.contains(year),
            let date = calendar.date(from: DateComponents(year: year, month: month, day: day))
        else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day
    }

    /// Shanghai's calendar (UTC+8 all year, no daylight saving since 1991).
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar
    }()

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m) else { return nil }
        let total = h * 60 + m
        return total <= 24 * 60 ? total : nil
    }

    func intervals(onDayStarting dayStart: Date) -> [Interval] {
        let day = QueueState.localDay(dayStart)
        if let adjusted = workdays[day] { return adjusted }
        if holidays.contains(day) { return [] }
        let weekday = Self.calendar.component(.weekday, from: dayStart)  // 1 = Sunday
        let iso = weekday == 1 ? 7 : weekday - 1
        return weekly[iso] ?? []
    }

    public func isOpen(at date: Date) -> Bool {
        let dayStart = Self.calendar.startOfDay(for: date)
        let minute = Int(date.timeIntervalSince(dayStart) / 60)
        return intervals(onDayStarting: dayStart).contains { $0.open <= minute && minute < $0.close }
    }

    /// The next time the window opens after `date`, looking up to two months ahead.
    public func nextOpening(after date: Date) -> Date? {
        var dayStart = Self.calendar.startOfDay(for: date)
        for _ in 0..<62 {
            for interval in intervals(onDayStarting: dayStart).sorted(by: { $0.open < $1.open }) {
                let opening = dayStart.addingTimeInterval(TimeInterval(interval.open * 60))
                if opening > date { return opening }
            }
            dayStart = Self.calendar.date(byAdding: .day, value: 1, to: dayStart)!
        }
        return nil
    }
}
