import Foundation
import Testing
import WindowClient
import WindowCore

@testable import KioskCore

extension Fixture {
    static let reference = "RW20261121-000042"
    /// The end (24:00 Shanghai) of Friday 2026-12-04, as the server gives a 补正's deadline.
    static let returnBy = Date(timeIntervalSince1970: 1_796_400_000)

    static func correctionSession(missing: [String] = ["数码照片回执"], withCase: Bool = true) -> SessionView {
        var view = SessionView(id: 42, ticket: 7, itemCode: "JZZ-001", state: .ended, outcome: .needsMaterials, caseNumber: reference)
        if withCase {
            view.correction = CorrectionView(reference: reference, missing: missing, note: "缺数码照片回执", returnBy: returnBy, state: .open)
        }
        return view
    }

    static func found(missing: [String] = ["数码照片回执"]) -> KioskCorrectionView {
        KioskCorrectionView(reference: reference, item: "JZZ-001", itemVersion: 3, missing: missing, returnBy: returnBy)
    }

    /// The ticket of a worker back with a 补正's materials: the priority lane, no ID number.
    static func returnTicket(_ state: TicketState = .waiting) -> TicketView {
        var view = TicketView(
            id: 8, number: "R002", itemCode: "JZZ-001", category: "residence", state: state, priorityClass: .priority, priorityReason: .returning,
            position: 1, ahead: 0, waitSeconds: 60, clerksOnDuty: 1, createdAt: now, itemVersion: 4)
        view.returnOf = 42
        return view
    }
}

extension Driver {
    /// From home to the result of a session that ended 补正, its case read.
    mutating func endNeedingMaterials(_ session: SessionView? = Fixture.correctionSession()) {
        startSession()
        send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .needsMaterials, caseNumber: Fixture.reference))))))
        if let session { send(.sessionLoaded(session)) }
    }

    /// From home to the call-back number, after a rating of `level` (1 or 2).
    mutating func rateLow(_ level: Int = 2) {
        startSession()
        send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .completed, caseNumber: "RW1"))))))
        press(.enter, .character(Character(String(6 - level))), .enter)
    }

    /// From home to the 补正 found by its reference, its item loaded.
    mutating func findCorrection() {
        press(.character("B"))
        type(Fixture.reference)
        press(.enter)
        send(.correctionFound(Fixture.found()))
        send(.correctionItemLoaded(Fixture.item()))
    }
}

@Suite("补正 and the call-back number on the kiosk")
struct KioskFollowUpTests {
    // MARK: The 补正's result

    @Test("a 补正's result shows the reference framed, what is missing and the deadline")
    func correctionResult() {
        var kiosk = Driver()
        kiosk.endNeedingMaterials()
        #expect(kiosk.state.screen == .result)
        let screen = kiosk.screen
        for text in [
            "补正（需补充材料）", "补正编号：", "│   RW20261121-000042   │", "请记下，带齐材料后凭此编号回来", "需补齐的材料：", "1. 数码照片回执",
            "补正期限：2026-12-04（周五） 当天结束前", "按 B", "请为本次服务评价",
        ] {
            #expect(screen.contains(text), "lacks \(text):\n\(screen)")
        }
        // The reference replaces the plain case number line.
        #expect(!screen.contains("受理编号："))
        kiosk.press(.character("l"))
        for text in ["Reference: ", "Note it down and come back with it and the materials", "What is missing:", "1. Digital photo receipt", "Come back by: 2026-12-04 (Fri), end of day"] {
            #expect(kiosk.screen.contains(text), "lacks \(text):\n\(kiosk.screen)")
        }
    }

    @Test("the reference shows at once from the ticket; the case is read again until it is written")
    func correctionReadAgain() {
        var kiosk = Driver()
        kiosk.endNeedingMaterials(nil)
        #expect(kiosk.screen.contains(Fixture.reference))
        // Read before the server wrote the case: no missing list yet.
        kiosk.send(.sessionLoaded(Fixture.correctionSession(withCase: false)))
        #expect(kiosk.screen.contains("正在加载"))
        kiosk.advance(1)
        #expect(!kiosk.effects.contains(.loadSession(42)))
        kiosk.advance(1)
        #expect(kiosk.effects.contains(.loadSession(42)))
        kiosk.send(.sessionLoaded(Fixture.correctionSession()))
        #expect(kiosk.screen.contains("数码照片回执"))
        kiosk.advance(3)
        #expect(!kiosk.effects.contains(.loadSession(42)))
    }

    @Test("a case that never comes is asked for 10 times, then the screen says to bring what the clerk said")
    func correctionNeverWritten() {
        var kiosk = Driver()
        kiosk.endNeedingMaterials(Fixture.correctionSession(withCase: false))
        var reads = 0
        for _ in 0..<30 {
            kiosk.advance(2)
            if kiosk.effects.contains(.loadSession(42)) { reads += 1 }
        }
        #expect(reads == 10)
        #expect(kiosk.screen.contains("请按工作人员告知的内容补齐材料"))
        // Home forgets the count.
        kiosk.press(.escape)
        #expect(kiosk.state.correctionReads == 0)
    }

    @Test("a 补正 without named materials says to bring what the clerk said")
    func correctionWithoutNames() {
        var kiosk = Driver()
        kiosk.endNeedingMaterials(Fixture.correctionSession(missing: []))
        #expect(kiosk.screen.contains("请按工作人员告知的内容补齐材料"))
        #expect(kiosk.screen.contains("2026-12-04"))
    }

    // MARK: Coming back

    @Test("B on home opens the reference entry; in the search box B is a letter")
    func homeKey() {
        var kiosk = Driver()
        #expect(kiosk.screen.contains("补正回来：带齐材料后按 B"))
        #expect(kiosk.screen.contains("B 补正回来"))
        #expect(kiosk.press(.character("b")) == [])
        #expect(kiosk.state.screen == .correction(CorrectionScreen()))
        #expect(kiosk.screen.contains("请输入补正编号"))
        #expect(kiosk.screen.contains("Enter 查询"))

        var search = Driver()
        search.press(.character("/"))
        search.type("Birth")
        #expect(search.state.screen == .home(HomeScreen(focus: .search, query: "Birth")))
    }

    @Test("typing the reference: capitals, L is a letter, Backspace; Esc goes back home")
    func referenceEntry() {
        var kiosk = Driver()
        kiosk.press(.down)
        kiosk.press(.character("B"))
        kiosk.type("rw2026 l-")
        #expect(kiosk.state.language == .zh)
        #expect(kiosk.state.screen == .correction(CorrectionScreen(step: .entry(text: "RW2026L-", problem: nil), home: HomeScreen(focus: .category(1)))))
        kiosk.press(.backspace, .backspace)
        #expect(kiosk.screen.contains("[RW2026_"))
        kiosk.press(.escape)
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .category(1))))
    }

    @Test("Enter looks the reference up; an empty one is asked for first")
    func lookUp() {
        var kiosk = Driver()
        kiosk.press(.character("B"))
        #expect(kiosk.press(.enter) == [])
        #expect(kiosk.state.notice?.text.zh == "请先输入补正编号")
        kiosk.type(Fixture.reference.lowercased())
        #expect(kiosk.press(.enter) == [.lookUpCorrection(reference: Fixture.reference)])
        #expect(kiosk.state.busy == .lookingUp)
        #expect(kiosk.screen.contains("正在查询补正编号"))
        #expect(kiosk.press(.enter) == [])  // not twice
    }

    @Test("the 补正 found: the item, what was missing to check, the deadline; Enter takes the ticket")
    func found() {
        var kiosk = Driver()
        kiosk.press(.character("B"))
        kiosk.type(Fixture.reference)
        kiosk.press(.enter)
        #expect(kiosk.send(.correctionFound(Fixture.found())) == [.loadCorrectionItem(code: "JZZ-001", version: 3)])
        #expect(kiosk.state.busy == nil)
        #expect(kiosk.screen.contains("JZZ-001"))
        kiosk.send(.correctionItemLoaded(Fixture.item()))
        let screen = kiosk.screen
        for text in [
            "居住证新办", "补正编号：RW20261121-000042", "补正期限：2026-12-04（周五）", "上次缺少的材料（请确认已带齐）：", "1. 数码照片回执",
            "按 Enter 取号：补正回来，优先办理", "Enter 取号",
        ] {
            #expect(screen.contains(text), "lacks \(text):\n\(screen)")
        }
        kiosk.press(.character("l"))
        #expect(kiosk.screen.contains("check you have brought them"))
        #expect(kiosk.screen.contains("Digital photo receipt"))
        kiosk.press(.character("l"))

        // No ID card for a return: the reference names the case.
        #expect(kiosk.press(.enter) == [.takeReturnTicket(item: "JZZ-001", reference: Fixture.reference)])
        #expect(kiosk.state.busy == .takingTicket)
        let effects = kiosk.send(.ticketTaken(Fixture.returnTicket()))
        #expect(effects == [.loadTicketItem(code: "JZZ-001", version: 4)])
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        #expect(kiosk.state.busy == nil)
        #expect(kiosk.screen.contains("R002"))
        #expect(kiosk.screen.contains("[补正回来]"))
        #expect(!kiosk.screen.contains("[优先通道]"))
        #expect(!kiosk.screen.contains("身份证："))
        kiosk.press(.character("l"))
        #expect(kiosk.screen.contains("[Back with materials]"))
    }

    @Test("Esc on the 补正 found goes back to the reference, kept to correct")
    func foundBack() {
        var kiosk = Driver()
        kiosk.findCorrection()
        kiosk.press(.escape)
        #expect(kiosk.state.screen == .correction(CorrectionScreen(step: .entry(text: Fixture.reference, problem: nil))))
    }

    @Test("a ticket pushed while the return ticket is taken shows it and frees the keys")
    func returnTicketPushed() {
        var kiosk = Driver()
        kiosk.findCorrection()
        kiosk.press(.enter)
        kiosk.send(.live(.message(.ticket(Fixture.returnTicket()))))
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        #expect(kiosk.state.busy == nil)
    }

    @Test("refusals of the reference in plain words with the server's message, kept to correct", arguments: [
        (404, "correction_not_found", "补正编号 RW20261121-000042 不存在 / correction RW20261121-000042 not found", "没有找到这个补正编号，请核对后重新输入"),
        (409, "correction_closed", "补正期限已过，请重新取号办理 / the time to bring the materials has passed; take a new ticket", "这个补正编号已不能使用"),
        (409, "correction_closed", "该补正已补齐材料 / this correction was already brought back", "这个补正编号已不能使用"),
    ])
    func refused(status: Int, code: String, message: String, headline: String) {
        var kiosk = Driver()
        kiosk.press(.character("B"))
        kiosk.type(Fixture.reference)
        let effect = kiosk.press(.enter)[0]
        kiosk.send(.failed(effect, Fixture.error(status, code, message)))
        #expect(kiosk.state.busy == nil)
        guard case .correction(let correction) = kiosk.state.screen, case .entry(let text, let problem) = correction.step else {
            Issue.record("not on the reference entry"); return
        }
        #expect(text == Fixture.reference)
        #expect(problem?.headline.zh == headline)
        #expect(problem?.message == .bilingual(message))
        #expect(kiosk.screen.contains("✗ " + headline))
        #expect(kiosk.screen.contains(LocalizedText.bilingual(message).zh))
        // F2 switches the language here (L is a letter of the reference).
        kiosk.press(.function(2))
        #expect(kiosk.screen.contains(LocalizedText.bilingual(message).en))
        // Typing again takes the message away.
        kiosk.press(.function(2), .backspace)
        guard case .correction(let after) = kiosk.state.screen, case .entry(_, nil) = after.step else { Issue.record("the problem stayed"); return }
    }

    @Test("a return ticket refused for its reference goes back to the entry; for the hours, stays with the reason")
    func returnTicketRefused() {
        var kiosk = Driver()
        kiosk.findCorrection()
        let effect = kiosk.press(.enter)[0]
        kiosk.send(.failed(effect, Fixture.error(409, "correction_closed", "补正期限已过，请重新取号办理 / the time to bring the materials has passed; take a new ticket")))
        guard case .correction(let correction) = kiosk.state.screen, case .entry(Fixture.reference, let problem?) = correction.step else {
            Issue.record("not back on the entry"); return
        }
        #expect(problem.headline == UI.referenceClosed)

        var closed = Driver()
        closed.findCorrection()
        let take = closed.press(.enter)[0]
        closed.send(.failed(take, Fixture.error(409, "closed", "当前不在服务时间内 / the window is closed now")))
        guard case .correction(let still) = closed.state.screen, case .found = still.step else { Issue.record("left the 补正"); return }
        #expect(closed.state.notice?.kind == .error)
        #expect(closed.screen.contains("当前不在服务时间内"))
    }

    @Test("a closed window refuses the return ticket before asking the server")
    func closedWindow() {
        var kiosk = Driver(site: Fixture.site(open: false))
        kiosk.findCorrection()
        #expect(kiosk.press(.enter) == [])
        #expect(kiosk.screen.contains("当前不在服务时间"))
        #expect(kiosk.screen.contains("11-23 09:00"))
    }

    @Test("the reference screen times out home and forgets")
    func idle() {
        var kiosk = Driver(settings: KioskSettings(idleTimeout: 60, materialsDirectory: "/scans"))
        kiosk.findCorrection()
        kiosk.advance(61)
        #expect(kiosk.state.screen == .home(HomeScreen()))
        #expect(kiosk.state.notice?.text.zh.contains("清除个人信息") == true)
    }

    // MARK: The call-back number

    @Test("ratings of 3 and above are sent at once; 1 and 2 ask for the call-back number first", arguments: [1, 2, 3, 4, 5])
    func phoneOnlyForLowRatings(level: Int) {
        var kiosk = Driver()
        kiosk.startSession()
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .completed))))))
        kiosk.press(.enter, .character(Character(String(6 - level))))
        let effects = kiosk.press(.enter)
        guard case .rating(let rating) = kiosk.state.screen else { Issue.record("left rating"); return }
        if level <= 2 {
            #expect(effects == [])
            #expect(rating.askingPhone)
            #expect(kiosk.state.busy == nil)
        } else {
            #expect(effects == [.rate(session: 42, level: level, comment: nil)])
            #expect(!rating.askingPhone)
        }
    }

    @Test("the consent is stated before the input; the number is sent with it, then shown masked")
    func phoneSent() {
        var kiosk = Driver()
        kiosk.rateLow(2)
        let screen = kiosk.screen
        let consent = screen.range(of: "如需工作人员回访，可留下电话。电话仅用于本次回访，不作他用。")
        let field = screen.range(of: "回访电话（可不填）：")
        #expect(consent != nil && field != nil)
        if let consent, let field { #expect(consent.lowerBound < field.lowerBound) }
        #expect(screen.contains("您的评价：不满意"))
        #expect(screen.contains("不留电话：直接按 Enter 或 Esc"))
        #expect(screen.contains("Esc 不留电话并提交"))
        kiosk.type("138a1234 5678")  // only digits (and -) are typed
        #expect(kiosk.screen.contains("[13812345678_"))
        let effects = kiosk.press(.enter)
        #expect(effects == [.rate(session: 42, level: 2, comment: nil, callbackPhone: CallbackPhone("13812345678"))])
        #expect(kiosk.state.busy == .rating)
        #expect(kiosk.screen.contains("*******5678"))
        #expect(!kiosk.screen.contains("13812345678"))
        // The number never shows in the effect log.
        #expect(!"\(effects)".contains("13812345678"))
        #expect(!String(reflecting: effects).contains("13812345678"))
        kiosk.send(.rated(RatingView(level: 2, label: LocalizedText(zh: "不满意", en: "Dissatisfied"), comment: nil)))
        guard case .thanks = kiosk.state.screen else { Issue.record("no thanks"); return }
        #expect(kiosk.screen.contains("已留下回访电话 *******5678"))
        #expect(!kiosk.screen.contains("13812345678"))
        kiosk.advance(7)
        #expect(kiosk.state.screen == .home(HomeScreen()))
        #expect(kiosk.state.callbackMasked == nil)
    }

    @Test("the comment is kept; a rating of 1 from the comment field asks too")
    func phoneAfterComment() {
        var kiosk = Driver()
        kiosk.startSession()
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .completed))))))
        kiosk.press(.enter, .character("5"), .tab)
        kiosk.type("等太久")
        #expect(kiosk.press(.enter) == [])
        #expect(kiosk.screen.contains("非常不满意"))
        #expect(kiosk.screen.contains("等太久"))
        kiosk.type("021-64001234")
        #expect(kiosk.press(.enter) == [.rate(session: 42, level: 1, comment: "等太久", callbackPhone: CallbackPhone("021-64001234"))])
    }

    @Test("skipping the number: Enter on empty, or Esc (which forgets what was typed)")
    func phoneSkipped() {
        var empty = Driver()
        empty.rateLow(2)
        #expect(empty.press(.enter) == [.rate(session: 42, level: 2, comment: nil)])
        empty.send(.rated(RatingView(level: 2, label: LocalizedText(zh: "不满意", en: "Dissatisfied"), comment: nil)))
        #expect(empty.state.callbackMasked == nil)
        #expect(!empty.screen.contains("回访电话"))

        var escaped = Driver()
        escaped.rateLow(1)
        escaped.type("138")
        #expect(escaped.press(.escape) == [.rate(session: 42, level: 1, comment: nil)])
        guard case .rating(let rating) = escaped.state.screen else { Issue.record("left rating"); return }
        #expect(rating.phone.isEmpty)
    }

    @Test("a number the server refuses comes back to be corrected, with the server's reason")
    func phoneRefused() {
        var kiosk = Driver()
        kiosk.rateLow(2)
        kiosk.type("12345")
        let effect = kiosk.press(.enter)[0]
        let message = "电话号码格式不正确（手机11位或带区号的固定电话） / not a phone number (11-digit mobile or landline with area code)"
        kiosk.send(.failed(effect, Fixture.error(400, "invalid_phone", message)))
        #expect(kiosk.state.busy == nil)
        guard case .rating(let rating) = kiosk.state.screen else { Issue.record("left rating"); return }
        #expect(rating.askingPhone)
        #expect(!rating.phoneEntered)
        #expect(rating.phone == "12345")
        #expect(kiosk.screen.contains("✗ 电话号码格式不正确"))
        #expect(kiosk.screen.contains("[12345_"))
        kiosk.press(.backspace, .backspace, .backspace, .backspace)
        #expect(kiosk.screen.contains("[1_"))
        #expect(!kiosk.screen.contains("电话号码格式不正确"))
        kiosk.type("3812345678")
        #expect(kiosk.press(.enter) == [.rate(session: 42, level: 2, comment: nil, callbackPhone: CallbackPhone("13812345678"))])
    }

    @Test("after another failure the number stays masked: Enter sends it again, typing starts it over")
    func phoneMaskedAfterFailure() {
        var kiosk = Driver()
        kiosk.rateLow(2)
        kiosk.type("13812345678")
        let effect = kiosk.press(.enter)[0]
        kiosk.send(.failed(effect, .unreachable("connection refused")))
        #expect(kiosk.screen.contains("*******5678"))
        #expect(!kiosk.screen.contains("13812345678"))
        #expect(kiosk.screen.contains("无法连接服务器"))
        #expect(kiosk.press(.enter) == [effect])
        kiosk.send(.failed(effect, .unreachable("connection refused")))
        kiosk.type("139")
        #expect(kiosk.screen.contains("[139_"))
    }

    // MARK: Formats

    @Test("numbers mask all but their last 4 digits; deadlines read as their last day")
    func formats() {
        #expect(Format.maskedPhone("13812345678") == "*******5678")
        #expect(Format.maskedPhone("021-64001234") == "********1234")
        #expect(Format.maskedPhone("123") == "**3")
        #expect(CallbackPhone("13812345678").description == "*******5678")
        #expect(CallbackPhone("13812345678").revealForServer == "13812345678")
        #expect(Format.lastDay(Fixture.returnBy, language: .zh) == "2026-12-04（周五）")
        #expect(Format.lastDay(Fixture.returnBy, language: .en) == "2026-12-04 (Fri)")
        // A deadline not at midnight is on its own day.
        #expect(Format.lastDay(Fixture.now, language: .zh) == "2026-11-21（周六）")
    }

    // MARK: Rendering

    /// The new screens, reached the way a person reaches them.
    static func screens(width: Int, height: Int) -> [(String, Driver)] {
        var screens: [(String, Driver)] = []
        var kiosk = Driver(width: width, height: height)
        kiosk.startSession()
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .needsMaterials, caseNumber: Fixture.reference))))))
        kiosk.send(.ticketItemLoaded(Fixture.item()))
        kiosk.send(.sessionLoaded(Fixture.correctionSession(missing: ["居民身份证", "数码照片回执"])))
        screens.append(("result", kiosk))
        kiosk.press(.enter, .character("4"), .tab)
        kiosk.type(String(repeating: "等太久", count: 30))
        kiosk.press(.enter)
        screens.append(("phone", kiosk))
        kiosk.type("12345")
        let rate = kiosk.press(.enter)[0]
        kiosk.send(.failed(rate, Fixture.error(400, "invalid_phone", "电话号码格式不正确（手机11位或带区号的固定电话） / not a phone number (11-digit mobile or landline with area code)")))
        screens.append(("phone refused", kiosk))
        kiosk.press(.backspace, .backspace, .backspace, .backspace, .backspace)
        kiosk.type("13812345678")
        kiosk.press(.enter)
        screens.append(("phone sent", kiosk))
        kiosk.send(.rated(RatingView(level: 2, label: LocalizedText(zh: "不满意", en: "Dissatisfied"), comment: nil)))
        screens.append(("thanks", kiosk))
        kiosk.press(.enter)
        screens.append(("home", kiosk))
        kiosk.press(.character("B"))
        kiosk.type(Fixture.reference)
        screens.append(("reference", kiosk))
        let lookUp = kiosk.press(.enter)[0]
        kiosk.send(.failed(lookUp, Fixture.error(404, "correction_not_found", "补正编号 RW20261121-000042 不存在 / correction RW20261121-000042 not found")))
        screens.append(("reference refused", kiosk))
        kiosk.press(.enter)
        kiosk.send(.correctionFound(Fixture.found(missing: ["居民身份证", "数码照片回执"])))
        kiosk.send(.correctionItemLoaded(Fixture.item()))
        screens.append(("found", kiosk))
        kiosk.press(.enter)
        kiosk.send(.ticketTaken(Fixture.returnTicket()))
        screens.append(("returning ticket", kiosk))
        return screens
    }

    @Test("the new screens show what people need", arguments: [
        ("result", ["补正编号：", "RW20261121-000042", "请记下", "1. 居民身份证", "2. 数码照片回执", "补正期限：2026-12-04（周五）", "Enter 去评价"]),
        ("phone", ["您的评价：不满意", "电话仅用于本次回访，不作他用", "回访电话（可不填）：", "不留电话"]),
        ("phone refused", ["✗ 电话号码格式不正确", "[12345_"]),
        ("phone sent", ["*******5678", "正在提交评价"]),
        ("thanks", ["感谢您的评价", "已留下回访电话 *******5678"]),
        ("home", ["[B] 补正回来", "按类别浏览"]),
        ("reference", ["请输入补正编号", "补正编号：[RW20261121-000042_", "无需重新排队"]),
        ("reference refused", ["✗ 没有找到这个补正编号", "补正编号 RW20261121-000042 不存在"]),
        ("found", ["居住证新办", "JZZ-001", "请确认已带齐", "1. 居民身份证", "2. 数码照片回执", "补正期限", "按 Enter 取号"]),
        ("returning ticket", ["您的号票", "R002", "[补正回来]", "排队位置：第 1 位"]),
    ])
    func content(screen: String, texts: [String]) {
        let driver = Self.screens(width: 100, height: 30).first { $0.0 == screen }!.1
        for text in texts {
            #expect(driver.screen.contains(text), "\(screen) lacks \(text):\n\(driver.screen)")
        }
        #expect(!driver.screen.contains("13812345678"))
    }

    @Test("the titles name the new screen in both languages")
    func titles() {
        var kiosk = Driver()
        kiosk.press(.character("B"))
        #expect(kiosk.screen.contains("补正回来  Back with materials"))
    }
}
