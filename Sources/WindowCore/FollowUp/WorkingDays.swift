import Foundation

extension ServiceHours {
    /// Whether `date`'s Shanghai day is a working day of this site's calendar: Monday to Friday
    /// unless a holiday, and any adjusted working day (调休上班日), whatever the window's own hours.
    public func isWorkingDay(_ date: Date) -> Bool {
        let dayStart = Self.calendar.startOfDay(for: date)
        let day = QueueState.localDay(dayStart)
        if workdays[day] != nil { return true }
        if holidays.contains(day) { return false }
        let weekday = Self.calendar.component(.weekday, from: dayStart)  // 1 = Sunday
        return weekday != 1 && weekday != 7
    }

    /// The end (24:00 Shanghai) of the `count`-th working day after `date`'s day: a case opened
    /// on Friday with 1 working day is due at the end of Monday, unless Monday is a holiday.
    public func workingDeadline(after date: Date, workingDays count: Int) -> Date {
        var day = Self.calendar.startOfDay(for: date)
        var left = count
        // Two years of days at most: a calendar without working days must not loop for ever.
        for _ in 0..<730 where left > 0 {
            day = Self.calendar.date(byAdding: .day, value: 1, to: day)!
            if isWorkingDay(day) { left -= 1 }
        }
        return Self.calendar.date(byAdding: .day, value: 1, to: day)!
    }
}
