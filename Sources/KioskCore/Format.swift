import Foundation
import WindowClient
import WindowCore

/// How times, sizes and hours read on the screen (Shanghai time).
public enum Format {
    static let shanghai = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    static func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    /// `14:05`.
    public static func clock(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// `11-23 09:00`.
    public static func dateTime(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%02d-%02d %02d:%02d", c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// The last day of a deadline that ends at 24:00 Shanghai time (the server gives the next
    /// midnight), with its weekday: `2026-12-04（周五）`, `2026-12-04 (Fri)`.
    public static func lastDay(_ deadline: Date, language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: deadline.addingTimeInterval(-1))
        let date = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        // Calendar weekdays run 1 = Sunday … 7 = Saturday; the names start on Monday.
        let weekday = UI.weekdays[((c.weekday ?? 2) + 5) % 7].text(language)
        return language == .zh ? "\(date)（\(weekday)）" : "\(date) (\(weekday))"
    }

    /// A phone number masked but for its last 4 digits: `*******5678`.
    public static func maskedPhone(_ phone: String) -> String {
        let characters = Array(phone)
        let shown = min(4, characters.count / 2)
        return String(repeating: "*", count: characters.count - shown) + String(characters.suffix(shown))
    }

    /// `12 KB`, `1.5 MB`.
    public static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(max(1, bytes / 1024)) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// Weekly hours, grouping days with the same intervals: `周一至周五 09:00-17:00`.
    public static func hours(_ hours: HoursView, language: Language) -> String {
        let days = (1...7).map { day in
            (hours.weekly[String(day)] ?? []).map { "\($0.open)-\($0.close)" }.joined(separator: ", ")
        }
        if days.allSatisfy({ $0 == days[0] }) {
            if days[0].isEmpty { return language == .zh ? "暂无开放时间" : "no opening hours set" }
            return (language == .zh ? "每天 " : "Daily ") + days[0]
        }
        var parts: [String] = []
        var start = 0
        while start < 7 {
            var end = start
            while end + 1 < 7 && days[end + 1] == days[start] { end += 1 }
            if !days[start].isEmpty {
                let first = UI.weekdays[start].text(language)
                let last = UI.weekdays[end].text(language)
                let range = start == end ? first : first + (language == .zh ? "至" : "-") + last
                parts.append(range + " " + days[start])
            }
            start = end + 1
        }
        return parts.joined(separator: language == .zh ? "；" : "; ")
    }

    /// The wait as people read it: minutes, rounded up.
    public static func eta(_ seconds: Int?) -> LocalizedText {
        guard let seconds else { return UI.etaNone }
        if seconds < 60 { return UI.etaSoon }
        return UI.format(UI.eta, (seconds + 59) / 60)
    }

    public static func fee(_ fee: Fee, language: Language) -> String {
        if fee.yuan == 0 { return fee.note.text(language) }
        let amount = fee.yuan == fee.yuan.rounded() ? String(Int(fee.yuan)) : String(format: "%.2f", fee.yuan)
        let note = fee.note.text(language)
        return (language == .zh ? "\(amount) 元" : "CNY \(amount)") + (note.isEmpty ? "" : " (\(note))")
    }

    /// `5 个工作日` / `5 working days`.
    public static func timeLimit(_ limit: TimeLimit, language: Language) -> String {
        switch (limit.unit, language) {
        case (.workingDays, .zh): "\(limit.days)个工作日"
        case (.calendarDays, .zh): "\(limit.days)日"
        case (.workingDays, _): "\(limit.days) working day\(limit.days == 1 ? "" : "s")"
        case (.calendarDays, _): "\(limit.days) day\(limit.days == 1 ? "" : "s")"
        }
    }

    static func delivery(_ delivery: ItemResult.Delivery) -> (zh: String, en: String) {
        switch delivery {
        case .onSite: ("当场领取", "handed over on the spot")
        case .mail: ("邮寄送达", "sent by post")
        case .electronic: ("电子证照", "as an electronic licence")
        }
    }

    /// Whether the result comes now or later, and how: e.g. `承诺件：今天受理，7个工作日内办结；办理结果：居住证（邮寄送达）`.
    public static func handling(_ item: CatalogItem, language: Language) -> String {
        let ways = item.result.delivery.map(delivery)
        let how = language == .zh ? ways.map(\.zh).joined(separator: "或") : ways.map(\.en).joined(separator: " or ")
        let result = UI.resultLabel.text(language) + item.result.name.text(language) + (how.isEmpty ? "" : language == .zh ? "（\(how)）" : " (\(how))")
        switch item.handlingType {
        case .immediate:
            return UI.immediate.text(language) + (language == .zh ? "；" : "; ") + result
        case .promised:
            let within = timeLimit(item.promisedTimeLimit, language: language)
            let when = language == .zh ? "承诺件：今天受理，\(within)内办结" : "Accepted today, finished within \(within)"
            return when + (language == .zh ? "；" : "; ") + result
        }
    }
}
