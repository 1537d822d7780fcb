import Foundation
import Testing
import WindowClient
import WindowCore

@testable import KioskCore

@Suite("Rendering screens to rows")
struct RendererTests {
    /// Every screen, reached the way a person reaches it.
    static func allScreens(width: Int, height: Int) -> [(String, Driver)] {
        var screens: [(String, Driver)] = []
        var kiosk = Driver(width: width, height: height)
        screens.append(("home", kiosk))
        kiosk.type("居住")
        screens.append(("search", kiosk))
        kiosk.press(.enter)
        kiosk.send(.itemsLoaded(.search("居住"), Fixture.items(25)))
        screens.append(("items", kiosk))
        kiosk.press(.enter)
        screens.append(("guide", kiosk))
        kiosk.press(.enter)
        kiosk.type("1101051949")
        screens.append(("id entry", kiosk))
        kiosk.type("1231002")
        kiosk.type(String(Fixture.elderlyID.last!))
        kiosk.press(.enter)
        screens.append(("lanes", kiosk))
        kiosk.press(.enter)
        kiosk.send(.ticketTaken(Fixture.ticket()))
        screens.append(("ticket", kiosk))
        kiosk.press(.escape)
        screens.append(("leave?", kiosk))
        kiosk.press(.character("n"))
        kiosk.send(.live(.disconnected(.unreachable("x"), retryIn: .seconds(1))))
        screens.append(("reconnecting", kiosk))
        kiosk.send(.live(.connected))
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.inSession, session: Fixture.sessionInfo())))))
        kiosk.send(.live(.message(.materials(MaterialsUpdate(session: 42, materials: [
            Fixture.material(1, .rejected, reason: String(repeating: "照片模糊，请重新扫描。", count: 8)), Fixture.material(2, .accepted),
        ])))))
        screens.append(("session", kiosk))
        kiosk.press(.character("u"))
        kiosk.send(.filesListed((1...30).map { FileEntry(name: "scan-\($0).png", path: "/scans/scan-\($0).png", size: $0 * 1000, kind: .png) }))
        screens.append(("files", kiosk))
        kiosk.press(.enter)
        screens.append(("names", kiosk))
        kiosk.press(.escape)
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .completed, caseNumber: "RW20261121-000042"))))))
        screens.append(("result", kiosk))
        kiosk.press(.enter)
        screens.append(("rating", kiosk))
        kiosk.press(.tab)
        kiosk.type(String(repeating: "很好", count: 40))
        screens.append(("comment", kiosk))
        kiosk.press(.enter)
        kiosk.send(.rated(RatingView(level: 5, label: LocalizedText(zh: "非常满意", en: "Very satisfied"), comment: nil)))
        screens.append(("thanks", kiosk))
        return screens
    }

    @Test("every screen fills the terminal exactly, in both languages", arguments: [(80, 24), (100, 30), (60, 16), (132, 43)])
    func everyScreenFits(width: Int, height: Int) {
        // With the 补正 and call-back screens (KioskFollowUpTests).
        for (name, driver) in Self.allScreens(width: width, height: height) + KioskFollowUpTests.screens(width: width, height: height) {
            for language in [Language.zh, .en] {
                var state = driver.state
                state.language = language
                let rows = Renderer.render(state)
                #expect(rows.count == height, "\(name) \(language)")
                for row in rows {
                    #expect(row.width == width, "\(name) \(language): \(row.plain)")
                }
                // The toggle and the title in both languages are always there.
                let text = rows.map(\.plain).joined(separator: "\n")
                #expect(text.contains(language == .zh ? "L English" : "L 中文") || text.contains("F2 "), "\(name)")
            }
        }
    }

    @Test("the key screens show what people need", arguments: [
        ("home", ["居住证与居住登记", "服务时间：每天 00:00-24:00", "窗口开放中", "搜索事项"]),
        ("items", ["JZZ-001", "当场办结", "约10分钟"]),
        ("guide", ["申请材料", "[原件/必交] 居民身份证", "[复印件/视情形]", "不收费", "预计办理时间：10 分钟"]),
        ("lanes", ["**************", "年龄：76 岁", "老年人优先通道"]),
        ("ticket", ["您的号票", "R001", "排队位置：第 1 位", "约 10 分钟", "优先通道"]),
        ("leave?", ["确定离开队列"]),
        ("reconnecting", ["正在自动重连", "R001 仍然保留"]),
        ("session", ["王小明", "窗口：07", "已退回", "照片模糊", "已通过"]),
        ("files", ["scan-1.png"]),
        ("names", ["居民身份证", "其他材料"]),
        ("result", ["办结", "RW20261121-000042"]),
        ("rating", ["非常满意", "非常不满意"]),
        ("thanks", ["感谢您的评价"]),
    ])
    func content(screen: String, texts: [String]) {
        let driver = Self.allScreens(width: 100, height: 30).first { $0.0 == screen }!.1
        for text in texts {
            #expect(driver.screen.contains(text), "\(screen) lacks \(text):\n\(driver.screen)")
        }
        #expect(!driver.screen.contains(Fixture.elderlyID))
    }

    @Test("in English the screens read in English")
    func english() {
        var driver = Self.allScreens(width: 100, height: 30).first { $0.0 == "ticket" }!.1
        driver.press(.character("l"))
        for text in ["Your number", "Position in line: 1", "about 10 min", "Priority lane", "Esc leave the queue", "L 中文"] {
            #expect(driver.screen.contains(text), "\(text)")
        }
    }

    @Test("a terminal too small says so instead of drawing garbage")
    func tooSmall() {
        let state = KioskState(now: Fixture.now)
        let rows = Renderer.render(state, width: 40, height: 10)
        #expect(rows.count == 10)
        #expect(rows[0].plain.contains("窗口太小"))
        #expect(rows.allSatisfy { $0.width == 40 })
    }

    @Test("rows carry colour codes and end with a reset")
    func ansi() {
        let line = StyledLine("R001", .selected)
        #expect(line.ansi.contains("\u{1B}[1;7mR001"))
        #expect(line.ansi.hasSuffix("\u{1B}[0m"))
        #expect(line.fitted(to: 10).plain == "R001      ")
    }

    @Test("hours read as people say them", arguments: [
        (Fixture.site(open: true).hours, Language.zh, "每天 00:00-24:00"),
        (Fixture.site(open: false).hours, .zh, "周一至周五 09:00-17:00"),
        (Fixture.site(open: false).hours, .en, "Mon-Fri 09:00-17:00"),
        (HoursView(weekly: ["1": [.init(open: "09:00", close: "12:00"), .init(open: "13:00", close: "17:00")], "6": [.init(open: "09:00", close: "12:00")]]), .zh,
         "周一 09:00-12:00, 13:00-17:00；周六 09:00-12:00"),
        (HoursView(weekly: [:]), .en, "no opening hours set"),
    ])
    func hours(hours: HoursView, language: Language, expected: String) {
        #expect(Format.hours(hours, language: language) == expected)
    }

    @Test("waits read in minutes, rounded up")
    func eta() {
        #expect(Format.eta(nil) == UI.etaNone)
        #expect(Format.eta(30).zh == "预计等候：不到 1 分钟")
        #expect(Format.eta(61).zh == "预计等候：约 2 分钟")
        #expect(Format.eta(600).en == "Estimated wait: about 10 min")
        #expect(Format.size(71) == "71 B")
        #expect(Format.size(2048) == "2 KB")
        #expect(Format.dateTime(Date(timeIntervalSince1970: 1_795_395_600)) == "11-23 09:00")
    }

    @Test("server messages split into their two languages")
    func bilingual() {
        let text = LocalizedText.bilingual("事项 X 不存在 / catalog item X not found")
        #expect(text.zh == "事项 X 不存在")
        #expect(text.en == "catalog item X not found")
        #expect(LocalizedText.bilingual("plain").zh == "plain")
    }
}
