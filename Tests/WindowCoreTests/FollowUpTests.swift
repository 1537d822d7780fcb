import Foundation
import Testing
import WindowCore

@Suite("follow-up: working days and the 差评 case")
struct FollowUpTests {
    /// A site's calendar with the 2026 national holidays and adjusted working days.
    static let hours: ServiceHours = {
        var hours = ServiceHours.standard
        hours.holidays = [
            "2026-09-25", "2026-09-26", "2026-09-27",
            "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
        ]
        hours.workdays = ["2026-09-20": [ServiceHours.Interval(open: 540, close: 1020)], "2026-10-10": [ServiceHours.Interval(open: 540, close: 1020)]]
        return hours
    }()

    static func shanghai(_ day: String, _ hour: Int = 0) -> Date {
        let parts = day.split(separator: "-").map { Int($0)! }
        return ServiceHours.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour))!
    }

    @Test("deadlines count working days: over a weekend, a holiday and an adjusted working day")
    func workingDays() {
        // Friday → the end of Monday.
        #expect(Self.hours.workingDeadline(after: Self.shanghai("2026-11-27", 16), workingDays: 1) == Self.shanghai("2026-12-01"))
        // Five working days from Friday 27 November: 30 Nov, 1, 2, 3, 4 Dec.
        #expect(Self.hours.workingDeadline(after: Self.shanghai("2026-11-27", 16), workingDays: 5) == Self.shanghai("2026-12-05"))
        // Thursday before Mid-Autumn: Friday is a holiday, so Monday 28 September.
        #expect(Self.hours.workingDeadline(after: Self.shanghai("2026-09-24", 10), workingDays: 1) == Self.shanghai("2026-09-29"))
        // Before National Day: the seven holidays pass, Thursday 8 October.
        #expect(Self.hours.workingDeadline(after: Self.shanghai("2026-09-30", 10), workingDays: 1) == Self.shanghai("2026-10-09"))
        // Friday 9 October: Saturday 10 October is an adjusted working day.
        #expect(Self.hours.workingDeadline(after: Self.shanghai("2026-10-09", 15), workingDays: 1) == Self.shanghai("2026-10-11"))
        #expect(Self.hours.isWorkingDay(Self.shanghai("2026-09-20", 12)))
        #expect(!Self.hours.isWorkingDay(Self.shanghai("2026-10-03", 12)))
        #expect(!Self.hours.isWorkingDay(Self.shanghai("2026-11-29", 12)))
    }

    static let li = AccountName(account: 2, username: "lina")
    static let zhao = AccountName(account: 3, username: "zhaomin")

    static func opened(at day: String = "2026-11-27") -> FollowUpCase {
        let session = Session(
            id: 4, ticket: 3, clerk: 7, kiosk: 1, itemCode: "JZZ-002", room: "r", state: .ended, startedAt: shanghai(day, 9),
            kioskPresent: true, clerkPresent: true, rejoinUntil: nil, endedAt: shanghai(day, 10), outcome: .completed, notes: nil,
            caseNumber: "RW20261127-000004")
        let ticket = Ticket(
            id: 3, number: "R001", itemCode: "JZZ-002", category: "residence", site: 1, kiosk: 1, priorityClass: .normal, priorityReason: nil,
            createdAt: shanghai(day, 9), expectedMinutes: 5, idNumberMasked: nil, itemVersion: 1)
        return FollowUpCase.rating(
            Rating(session: 4, level: 1, comment: "太慢", ratedAt: shanghai(day, 16)), session: session, ticket: ticket, hours: hours,
            policy: FollowUpPolicy(), hasPhone: true)
    }

    @Test("a 差评 goes open → contacted → classified → rectified → revisited → closed, by its owner only, with 1·5·15 deadlines")
    func everyState() throws {
        var item = Self.opened()
        #expect(item.contactBy == Self.shanghai("2026-12-01"))
        #expect(item.rectifyBy == Self.shanghai("2026-12-05"))
        #expect(item.closeBy == Self.shanghai("2026-12-19"))
        #expect(item.nextDue?.step == "contact")
        #expect(item.isOverdue(at: Self.shanghai("2026-12-01", 1)))
        let at = Self.shanghai("2026-11-30", 10)
        try item.sign(by: Self.li, at: at)
        #expect(throws: FollowUpRefusal.self) { try item.contact(by: Self.zhao, note: "已联系", at: at) }
        try item.contact(by: Self.li, note: "已电话联系 / called", at: at)
        #expect(item.state == .contacted && item.nextDue?.step == "rectify")
        #expect(throws: FollowUpRefusal.self) { try item.classify(.complex, note: "需要流程调整", planDate: nil, by: Self.li, at: at) }
        try item.classify(.complex, note: "需要流程调整", planDate: "2026-12-10", by: Self.li, at: at)
        try item.rectify(note: "已调整 / fixed", by: Self.li, at: at)
        try item.revisit(satisfied: true, note: "满意", by: Self.li, at: at)
        try item.close(note: "办结", by: Self.li, at: at)
        #expect(item.state == .closed && item.nextDue == nil)
        #expect(item.steps.map(\.action) == ["opened", "signed", "contacted", "classified:complex", "rectified", "revisited:satisfied", "closed"])
        #expect(item.steps.dropFirst().allSatisfy { $0.by == "lina" })
    }

    @Test("申诉复核 is decided by another manager; upheld closes the case and marks the rating, refused sends it back")
    func appeal() throws {
        let at = Self.shanghai("2026-11-30", 10)
        var item = Self.opened()
        try item.contact(by: Self.li, note: "已联系", at: at)
        try item.classify(.mistaken, note: "误评 / mistaken", planDate: nil, by: Self.li, at: at)
        #expect(item.state == .appealing)
        #expect(throws: FollowUpRefusal.self) { try item.decideAppeal(upheld: true, note: "自己", by: Self.li, at: at) }
        try item.decideAppeal(upheld: false, note: "证据不足", by: Self.zhao, at: at)
        #expect(item.state == .contacted && item.classification == nil && item.appealUpheld == false)
        try item.classify(.mistaken, note: "补充录像", planDate: nil, by: Self.li, at: at)
        try item.decideAppeal(upheld: true, note: "录像证实", by: Self.zhao, at: at)
        #expect(item.state == .closed && item.appealUpheld == true && item.appealDecidedBy == Self.zhao)
        #expect(item.fact.steps.allSatisfy { $0.doneAt != nil })
    }
}
