import Foundation
import Testing
import WindowClient
import WindowCore

@testable import KioskCore

@Suite("The kiosk screens' state machine")
struct MachineTests {
    @Test("start reads the site and the categories")
    func start() {
        var state = KioskState(now: Fixture.now)
        #expect(state.start() == [.loadSite, .loadCategories])
        #expect(state.screen == .home(HomeScreen()))
        #expect(state.connection == .connecting)
    }

    // MARK: Home

    @Test("a number opens its category")
    func numberOpensCategory() {
        var kiosk = Driver()
        #expect(kiosk.press(.character("2")) == [.loadItems(.category(Fixture.social))])
        guard case .items(let list) = kiosk.state.screen else { Issue.record("not on items"); return }
        #expect(list.source == .category(Fixture.social))
        #expect(list.items == nil)
        // A number beyond the categories does nothing.
        var other = Driver()
        #expect(other.press(.character("9")) == [])
        #expect(other.state.screen == .home(HomeScreen()))
    }

    @Test("arrows move through the search box and the categories; Enter opens")
    func arrows() {
        var kiosk = Driver()
        kiosk.press(.down)
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .category(1))))
        kiosk.press(.down)  // no third category
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .category(1))))
        kiosk.press(.up, .up)
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .search)))
        kiosk.press(.down)
        #expect(kiosk.press(.enter) == [.loadItems(.category(Fixture.residence))])
    }

    @Test("typing starts a search, in Chinese or English; Enter runs it")
    func search() {
        var kiosk = Driver()
        kiosk.type("居住")
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .search, query: "居住")))
        #expect(kiosk.press(.enter) == [.loadItems(.search("居住"))])
        kiosk.send(.itemsLoaded(.search("居住"), [Fixture.item()]))
        guard case .items(let list) = kiosk.state.screen else { Issue.record("not on items"); return }
        #expect(list.items?.count == 1)
        // Back home keeps the query.
        kiosk.press(.escape)
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .search, query: "居住")))
        // In the search box, L and digits are text.
        kiosk.type("L1")
        #expect(kiosk.state.language == .zh)
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .search, query: "居住L1")))
        kiosk.press(.backspace)
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .search, query: "居住L")))
        kiosk.press(.escape)
        #expect(kiosk.state.screen == .home(HomeScreen(focus: .search, query: "")))
        #expect(kiosk.press(.enter) == [])
        #expect(kiosk.state.notice?.kind == .info)
    }

    @Test("a search that finds nothing says so; a failed one goes home with the server's message")
    func searchResults() {
        var kiosk = Driver()
        kiosk.type("NOPE-999")
        kiosk.press(.enter)
        kiosk.send(.itemsLoaded(.search("NOPE-999"), []))
        #expect(kiosk.screen.contains("没有找到相关事项"))
        var failing = Driver()
        failing.type("x")
        let effect = failing.press(.enter)
        failing.send(.failed(effect[0], .unreachable("connection refused")))
        #expect(failing.state.screen == .home(HomeScreen(focus: .search, query: "x")))
        #expect(failing.state.notice?.kind == .error)
        #expect(failing.screen.contains("无法连接服务器"))
    }

    @Test("L switches the language on every screen but text fields; F2 everywhere")
    func languageToggle() {
        var kiosk = Driver()
        kiosk.press(.character("l"))
        #expect(kiosk.state.language == .en)
        #expect(kiosk.screen.contains("Browse by category"))
        kiosk.press(.character("L"))
        #expect(kiosk.state.language == .zh)
        kiosk.press(.character("/"))
        kiosk.press(.function(2))
        #expect(kiosk.state.language == .en)
        kiosk.press(.escape)  // leave the search box
        kiosk.checkID()
        kiosk.press(.character("l"))
        #expect(kiosk.state.language == .zh)
    }

    // MARK: Lists

    @Test("numbers pick rows: at once when unambiguous, else on the next digit or Enter", arguments: [
        ("", 3, 12, MachineTests.Pick.open(2)),
        ("", 1, 12, .wait("1", 0)),
        ("1", 2, 12, .open(11)),
        ("1", 0, 12, .open(9)),
        ("1", 5, 12, .open(4)),  // 15 is too many: starts over with 5
        ("", 0, 12, .ignore),
        ("", 9, 5, .ignore),
        ("", 5, 5, .open(4)),
        ("", 1, 100, .wait("1", 0)),
        ("1", 0, 100, .wait("10", 9)),
    ])
    func pickNumber(buffer: String, digit: Int, count: Int, expected: Pick) {
        let result = KioskState.pickNumber(buffer: buffer, digit: digit, count: count)
        switch (result, expected) {
        case (.open(let a), .open(let b)): #expect(a == b)
        case (.wait(let buffer, let index), .wait(let b, let i)): #expect(buffer == b && index == i)
        case (.ignore, .ignore): break
        default: Issue.record("got \(result), expected \(expected)")
        }
    }

    enum Pick: Sendable { case open(Int), wait(String, Int), ignore }

    @Test("in a list of twelve, 1 then Enter opens row 1; 1 2 opens row 12")
    func twoDigitPick() {
        var kiosk = Driver()
        kiosk.press(.character("1"))
        kiosk.send(.itemsLoaded(.category(Fixture.residence), Fixture.items(12)))
        #expect(kiosk.press(.character("1")) == [])
        #expect(kiosk.press(.enter) == [.loadItem(code: "JZZ-001")])
        kiosk.press(.escape)
        #expect(kiosk.press(.character("1"), .character("2")) == [.loadItem(code: "JZZ-012")])
    }

    @Test("arrows and paging stay inside the list")
    func listBounds() {
        var kiosk = Driver()
        kiosk.press(.character("1"))
        kiosk.send(.itemsLoaded(.category(Fixture.residence), Fixture.items(30)))
        kiosk.press(.up)
        guard case .items(var list) = kiosk.state.screen else { Issue.record("not on items"); return }
        #expect(list.selected == 0)
        kiosk.press(.pageDown, .pageDown, .pageDown, .pageDown)
        guard case .items(let after) = kiosk.state.screen else { return }
        list = after
        #expect(list.selected == 29)
        kiosk.press(.end, .down)
        if case .items(let end) = kiosk.state.screen { #expect(end.selected == 29) }
    }

    // MARK: Guide

    @Test("the guide: Enter goes to the ID check when the window is open")
    func guideToIDCard() {
        var kiosk = Driver()
        kiosk.openGuide()
        guard case .item(let guide) = kiosk.state.screen else { Issue.record("not on the guide"); return }
        #expect(guide.item?.code == "JZZ-001")
        #expect(kiosk.effects == [.loadItem(code: "JZZ-001")])
        kiosk.press(.enter)
        guard case .idCard(let idCard) = kiosk.state.screen else { Issue.record("not on idCard"); return }
        #expect(idCard.step == .entry(text: "", problem: nil))
    }

    @Test("the guide: a closed window refuses with the next opening, before asking for the ID")
    func closedWindow() {
        var kiosk = Driver(site: Fixture.site(open: false))
        kiosk.openGuide()
        kiosk.press(.enter)
        guard case .item = kiosk.state.screen else { Issue.record("left the guide"); return }
        #expect(kiosk.state.notice?.kind == .error)
        #expect(kiosk.screen.contains("当前不在服务时间"))
        #expect(kiosk.screen.contains("11-23 09:00"))
    }

    @Test("the guide: a suspended item cannot be queued for")
    func suspended() {
        var kiosk = Driver()
        kiosk.openGuide(Fixture.item(status: .suspended))
        kiosk.press(.enter)
        guard case .item = kiosk.state.screen else { Issue.record("left the guide"); return }
        #expect(kiosk.state.notice?.text.zh == "该事项暂停受理")
    }

    @Test("the guide scrolls, and not past its end")
    func guideScroll() {
        var kiosk = Driver(width: 60, height: 16)
        kiosk.openGuide()
        for _ in 0..<100 { kiosk.press(.down) }
        guard case .item(let guide) = kiosk.state.screen else { return }
        let total = Renderer.guideLines(Fixture.item(), width: 60, language: .zh).count
        #expect(guide.scroll == total - (Renderer.bodyHeight(16) - 1))
        #expect(kiosk.screen.contains("设定依据"))
        kiosk.press(.pageUp, .pageUp, .pageUp)
        if case .item(let top) = kiosk.state.screen { #expect(top.scroll == 0) }
    }

    @Test("an unknown item code read from the server goes back with a clear message")
    func unknownItem() {
        var kiosk = Driver()
        kiosk.press(.character("1"))
        kiosk.send(.itemsLoaded(.category(Fixture.residence), [Fixture.item("NOPE-999")]))
        kiosk.state.screen = .item(ItemScreen(code: "NOPE-999", item: nil, list: nil))
        kiosk.send(.failed(.loadItem(code: "NOPE-999"), Fixture.error(404, "not_found", "事项 NOPE-999 不存在 / catalog item NOPE-999 not found")))
        #expect(kiosk.state.screen == .home(HomeScreen()))
        #expect(kiosk.screen.contains("NOPE-999 不存在"))
    }

    // MARK: ID card

    @Test("the ID check: a wrong number stays for correction, with the reason")
    func wrongID() {
        var kiosk = Driver()
        kiosk.openGuide()
        kiosk.press(.enter)
        let wrong = String(Fixture.elderlyID.dropLast()) + (Fixture.elderlyID.last == "0" ? "1" : "0")
        kiosk.type(wrong)
        kiosk.press(.enter)
        guard case .idCard(let idCard) = kiosk.state.screen else { Issue.record("left idCard"); return }
        #expect(idCard.step == .entry(text: wrong, problem: .checkDigit))
        #expect(kiosk.screen.contains("校验位不符"))
        // Letters other than X are not typed; at most 18 characters.
        kiosk.type("abc12345")
        if case .idCard(let same) = kiosk.state.screen, case .entry(let text, let problem) = same.step {
            #expect(text == wrong)
            #expect(problem == nil)
        }
    }

    @Test("the ID check: an elderly person is offered the priority lane, chosen first")
    func elderlyLane() {
        var kiosk = Driver()
        kiosk.checkID(Fixture.elderlyID)
        guard case .idCard(let idCard) = kiosk.state.screen, case .lane(let check, let selected) = idCard.step else {
            Issue.record("no lane choice"); return
        }
        #expect(check.age == 76)
        #expect(check.lanes == [.normal, .elderly, .disabled])
        #expect(selected == 1)
        #expect(kiosk.screen.contains("老年人优先通道"))
        #expect(kiosk.screen.contains(ResidentID.mask(Fixture.elderlyID)))
        #expect(!kiosk.screen.contains(Fixture.elderlyID))
        let effects = kiosk.press(.enter)
        #expect(effects.count == 1)
        guard case .takeTicket(let item, let id, let priority) = effects.first else { Issue.record("no ticket taken"); return }
        #expect(item == "JZZ-001")
        #expect(id.revealForServer == Fixture.elderlyID)
        #expect(priority == .elderly)
        #expect(kiosk.state.busy == .takingTicket)
        // Pressing Enter again while waiting does not take a second ticket.
        #expect(kiosk.press(.enter) == [])
    }

    @Test("the ID check: a young person gets normal and the declared-disability lane")
    func youngLanes() {
        var kiosk = Driver()
        kiosk.checkID(Fixture.youngID)
        guard case .idCard(let idCard) = kiosk.state.screen, case .lane(let check, let selected) = idCard.step else { return }
        #expect(check.lanes == [.normal, .disabled])
        #expect(selected == 0)
        #expect(!kiosk.screen.contains("老年人优先通道"))
        kiosk.press(.character("2"))
        guard case .takeTicket(_, _, let priority) = kiosk.press(.enter).first else { Issue.record("no ticket"); return }
        #expect(priority == .disabled)
    }

    @Test("leaving the ID screen forgets the number")
    func escapeForgets() {
        var kiosk = Driver()
        kiosk.checkID()
        kiosk.press(.escape)  // back to entry, emptied
        guard case .idCard(let idCard) = kiosk.state.screen else { return }
        #expect(idCard.step == .entry(text: "", problem: nil))
        kiosk.type("1101")
        kiosk.press(.escape)
        guard case .item = kiosk.state.screen else { Issue.record("not back on the guide"); return }
        #expect(!String(reflecting: kiosk.state).contains("1101"))
    }

    @Test("taking the ticket: the ticket screen, and the ID number gone from memory")
    func ticketTaken() {
        var kiosk = Driver()
        kiosk.takeTicket()
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        #expect(kiosk.state.busy == nil)
        #expect(kiosk.state.ticketItem?.code == "JZZ-001")
        let dumped = String(reflecting: kiosk.state)
        #expect(!dumped.contains(Fixture.elderlyID))
        #expect(!dumped.contains("revealForServer"))
        #expect(kiosk.screen.contains("R001"))
        #expect(kiosk.screen.contains("排队位置：第 1 位"))
        #expect(kiosk.screen.contains("约 10 分钟"))
    }

    @Test("the answer to taking a ticket can arrive after the push of its offer: the kiosk keeps the newer view")
    func answerAfterNewerPush() {
        var kiosk = Driver()
        kiosk.checkID()
        kiosk.press(.enter)
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.offered, sequence: 12)))))
        kiosk.send(.ticketTaken(Fixture.ticket(.waiting, sequence: 11)))
        #expect(kiosk.state.ticket?.state == .offered)
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        #expect(kiosk.state.busy == nil)
        #expect(kiosk.screen.contains("工作人员即将接入"))
        #expect(!kiosk.screen.contains("排队位置"))
        // A push of the same decision as what is shown, or a later one, is taken.
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.waiting, position: 2, sequence: 13)))))
        #expect(kiosk.screen.contains("第 2 位"))
    }

    @Test("the server's refusals: closed hours, the elderly lane, a held ticket", arguments: [
        ("closed", "当前不在服务时间内 / the window is closed now；下次开放 / next opening: 2026-11-23 09:00 (UTC+8)"),
        ("priority_not_allowed", "老年人优先通道需年满60周岁并读取身份证 / the elderly lane needs an ID card showing age 60 or over"),
        ("invalid_id_number", "身份证号码校验位不符，请核对 / the check digit does not match"),
    ])
    func refusals(code: String, message: String) {
        var kiosk = Driver()
        kiosk.checkID()
        let effect = kiosk.press(.enter)[0]
        kiosk.send(.failed(effect, Fixture.error(code == "closed" ? 409 : 400, code, message)))
        #expect(kiosk.state.busy == nil)
        #expect(kiosk.state.notice?.kind == .error)
        #expect(kiosk.state.notice?.text == .bilingual(message))
        guard case .idCard(let idCard) = kiosk.state.screen else { Issue.record("left idCard"); return }
        switch code {
        case "priority_not_allowed":
            if case .lane(_, let selected) = idCard.step { #expect(selected == 0) } else { Issue.record("not on lanes") }
        case "invalid_id_number":
            #expect(idCard.step == .entry(text: "", problem: nil))
        default:
            break
        }
    }

    @Test("a kiosk that already holds a ticket shows that ticket")
    func heldTicket() {
        var kiosk = Driver()
        kiosk.checkID()
        let effect = kiosk.press(.enter)[0]
        #expect(kiosk.send(.failed(effect, Fixture.error(409, "kiosk_has_ticket", "本终端已有号票 R001 / this kiosk already holds ticket R001"))) == [.loadCurrentTicket])
        kiosk.send(.currentTicketLoaded(Fixture.ticket()))
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        #expect(kiosk.state.busy == nil)
    }

    // MARK: Ticket

    @Test("positions and ETAs follow the live updates")
    func liveUpdates() {
        var kiosk = Driver()
        kiosk.takeTicket()
        kiosk.send(.live(.message(.ticket(Fixture.ticket(position: 3, waitSeconds: 1500)))))
        #expect(kiosk.screen.contains("第 3 位"))
        #expect(kiosk.screen.contains("约 25 分钟"))
        kiosk.send(.live(.message(.ticket(Fixture.ticket(position: 1, waitSeconds: nil)))))
        #expect(kiosk.screen.contains("暂无工作人员在岗"))
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.offered)))))
        #expect(kiosk.screen.contains("工作人员即将接入"))
    }

    @Test("leaving the queue asks first, then cancels")
    func leave() {
        var kiosk = Driver()
        kiosk.takeTicket()
        kiosk.press(.escape)
        #expect(kiosk.state.screen == .ticket(confirmLeave: true))
        kiosk.press(.character("n"))
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        kiosk.press(.escape)
        #expect(kiosk.press(.character("y")) == [.leaveTicket(7)])
        kiosk.send(.ticketLeft(Fixture.ticket(.cancelled)))
        #expect(kiosk.state.screen == .home(HomeScreen()))
        #expect(kiosk.state.ticket == nil)
        #expect(kiosk.state.notice?.text.en.contains("left the queue") == true)
    }

    @Test("a ticket cancelled elsewhere, or lost while away, goes home with a message")
    func ticketEndsElsewhere() {
        var cancelled = Driver()
        cancelled.takeTicket()
        cancelled.send(.live(.message(.ticket(Fixture.ticket(.cancelled)))))
        #expect(cancelled.state.screen == .home(HomeScreen()))
        #expect(cancelled.state.notice?.kind == .error)

        var lost = Driver()
        lost.takeTicket()
        lost.send(.live(.disconnected(.unreachable("connection refused"), retryIn: .seconds(1))))
        lost.send(.live(.connected))
        lost.send(.live(.message(.idle)))
        #expect(lost.state.screen == .home(HomeScreen()))
        #expect(lost.state.ticket == nil)
        #expect(lost.state.notice?.text.zh.contains("已失效") == true)
    }

    @Test("a dropped connection says it is reconnecting and the ticket is kept; reconnecting restores")
    func reconnect() {
        var kiosk = Driver()
        kiosk.takeTicket()
        kiosk.clock = kiosk.clock.addingTimeInterval(1)
        kiosk.send(.live(.disconnected(.unreachable("connection refused"), retryIn: .milliseconds(500))))
        #expect(kiosk.state.connection == .reconnecting(since: kiosk.clock))
        kiosk.advance(12)
        kiosk.send(.live(.disconnected(.unreachable("connection refused"), retryIn: .seconds(1))))
        #expect(kiosk.screen.contains("正在自动重连"))
        #expect(kiosk.screen.contains("R001 仍然保留"))
        #expect(kiosk.screen.contains("已断开 12 秒"))
        #expect(kiosk.screen.contains("重连中"))
        #expect(kiosk.state.ticket != nil)
        let effects = kiosk.send(.live(.connected))
        #expect(effects.contains(.loadSite))
        #expect(kiosk.state.connection == .online)
        kiosk.send(.live(.message(.ticket(Fixture.ticket()))))
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        #expect(kiosk.screen.contains("已重新连接"))
        #expect(!kiosk.screen.contains("正在自动重连"))
    }

    @Test("a live ticket pushed at start (after a restart) takes over the screen")
    func snapshotAtStart() {
        var kiosk = Driver()
        let effects = kiosk.send(.live(.message(.ticket(Fixture.ticket()))))
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        #expect(effects == [.loadTicketItem(code: "JZZ-001", version: nil)])
        kiosk.send(.ticketItemLoaded(Fixture.item()))
        #expect(kiosk.screen.contains("居住证新办"))
    }

    // MARK: Session

    @Test("the session screen shows the clerk's name, window and the session state")
    func session() {
        var kiosk = Driver()
        kiosk.takeTicket()
        let effects = kiosk.send(.live(.message(.ticket(Fixture.ticket(.inSession, session: Fixture.sessionInfo(.connecting))))))
        #expect(effects.contains(.loadSession(42)))
        guard case .session = kiosk.state.screen else { Issue.record("not in session"); return }
        #expect(kiosk.screen.contains("王小明"))
        #expect(kiosk.screen.contains("窗口：07"))
        #expect(kiosk.screen.contains("正在接通视频"))
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.inSession, session: Fixture.sessionInfo(.active))))))
        #expect(kiosk.screen.contains("视频已接通"))
    }

    @Test("uploading: pick a file, name it from the item's materials, send it")
    func upload() {
        var kiosk = Driver()
        kiosk.startSession()
        #expect(kiosk.press(.character("u")) == [.listFiles(directory: "/scans")])
        kiosk.send(.filesListed([
            FileEntry(name: "notes.txt", path: "/scans/notes.txt", size: 10, kind: nil),
            FileEntry(name: "photo.png", path: "/scans/photo.png", size: 2048, kind: .png),
        ]))
        #expect(kiosk.screen.contains("photo.png"))
        #expect(kiosk.screen.contains("不是 JPEG/PNG/PDF"))
        // A file that is not a scan is refused here, with the reason.
        kiosk.press(.enter)
        #expect(kiosk.state.notice?.kind == .error)
        kiosk.press(.character("2"), .enter)
        #expect(kiosk.screen.contains("这份文件是哪项材料"))
        #expect(kiosk.screen.contains("数码照片回执"))
        let effects = kiosk.press(.character("2"), .enter)
        #expect(effects == [.upload(session: 42, path: "/scans/photo.png", name: "数码照片回执")])
        #expect(kiosk.state.busy == .uploading)
        kiosk.send(.uploaded(Fixture.material(1, .pending)))
        #expect(kiosk.state.busy == nil)
        #expect(kiosk.screen.contains("待审核"))
    }

    @Test("uploading under another name typed in")
    func uploadCustomName() {
        var kiosk = Driver()
        kiosk.startSession()
        kiosk.press(.character("u"))
        kiosk.send(.filesListed([FileEntry(name: "scan.pdf", path: "/scans/scan.pdf", size: 4096, kind: .pdf)]))
        kiosk.press(.enter, .character("4"), .enter)
        kiosk.type("Lease 租赁合同")
        #expect(kiosk.state.language == .zh)  // L was a letter here
        #expect(kiosk.press(.enter) == [.upload(session: 42, path: "/scans/scan.pdf", name: "Lease 租赁合同")])
    }

    @Test("a failed upload says why and stays in the session")
    func uploadFails() {
        var kiosk = Driver()
        kiosk.startSession()
        kiosk.press(.character("u"))
        kiosk.send(.filesListed([FileEntry(name: "x.png", path: "/scans/x.png", size: 1, kind: .png)]))
        let effect = kiosk.press(.enter, .character("1"), .enter)[0]
        kiosk.send(.failed(effect, Fixture.error(415, "unsupported_material", "仅支持 JPEG、PNG 或 PDF 文件 / only JPEG, PNG or PDF scans are accepted")))
        guard case .session(let session) = kiosk.state.screen else { Issue.record("left the session"); return }
        #expect(session.mode == .overview)
        #expect(kiosk.screen.contains("仅支持 JPEG、PNG 或 PDF 文件"))
        // An unreadable folder too.
        kiosk.press(.character("u"))
        kiosk.send(.failed(.listFiles(directory: "/scans"), .invalidInput(code: "invalid_folder", "无法读取扫描件文件夹 / cannot read the scans folder /scans")))
        #expect(kiosk.screen.contains("无法读取扫描件文件夹"))
    }

    @Test("the clerk's review shows, a rejection with its reason")
    func review() {
        var kiosk = Driver()
        kiosk.startSession()
        kiosk.send(.sessionLoaded(SessionView(id: 42, ticket: 7, itemCode: "JZZ-001", state: .active, materials: [Fixture.material(1, .pending)])))
        kiosk.send(.live(.message(.materials(MaterialsUpdate(session: 42, materials: [Fixture.material(1, .rejected, reason: "照片模糊，请重新扫描")])))))
        #expect(kiosk.state.notice?.kind == .error)
        #expect(kiosk.screen.contains("已退回"))
        #expect(kiosk.screen.contains("照片模糊，请重新扫描"))
        kiosk.send(.live(.message(.materials(MaterialsUpdate(session: 42, materials: [
            Fixture.material(1, .rejected, reason: "照片模糊，请重新扫描"), Fixture.material(2, .accepted),
        ])))))
        #expect(kiosk.state.notice?.kind == .success)
        #expect(kiosk.screen.contains("已通过"))
        // Another session's list is not ours.
        kiosk.send(.live(.message(.materials(MaterialsUpdate(session: 99, materials: [])))))
        #expect(kiosk.state.materials.count == 2)
    }

    @Test("a transfer puts the person back in line with a message")
    func transfer() {
        var kiosk = Driver()
        kiosk.startSession()
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.waiting)))))
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        #expect(kiosk.state.notice?.text.zh.contains("转交") == true)
    }

    // MARK: Result and rating

    @Test("the outcome and case number show; what happens next; then the rating; then home", arguments: SessionOutcome.allCases.filter { $0 != .transferred })
    func resultAndRating(outcome: SessionOutcome) {
        var kiosk = Driver()
        kiosk.startSession()
        let effects = kiosk.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: outcome, caseNumber: "RW20261121-000042"))))))
        #expect(kiosk.state.screen == .result)
        #expect(effects.contains(.loadSession(42)))
        kiosk.send(.sessionLoaded(SessionView(id: 42, ticket: 7, itemCode: "JZZ-001", state: .ended, outcome: outcome, caseNumber: "RW20261121-000042")))
        #expect(kiosk.screen.contains(UI.outcome(outcome).zh))
        #expect(kiosk.screen.contains("RW20261121-000042"))
        #expect(kiosk.screen.contains("接下来"))
        kiosk.press(.enter)
        guard case .rating = kiosk.state.screen else { Issue.record("not rating"); return }
        for label in ["非常满意", "满意", "基本满意", "不满意", "非常不满意"] { #expect(kiosk.screen.contains(label)) }
        kiosk.press(.character("1"), .tab)
        kiosk.type("很好")
        #expect(kiosk.press(.enter) == [.rate(session: 42, level: 5, comment: "很好")])
        kiosk.send(.rated(RatingView(level: 5, label: LocalizedText(zh: "非常满意", en: "Very satisfied"), comment: "很好")))
        guard case .thanks = kiosk.state.screen else { Issue.record("no thanks"); return }
        kiosk.advance(7)
        #expect(kiosk.state.screen == .home(HomeScreen()))
        #expect(kiosk.state.ticket == nil)
        #expect(kiosk.state.session == nil)
        #expect(kiosk.state.materials.isEmpty)
    }

    @Test("rating levels map rows to the server's levels: row 1 is 5 非常满意, row 5 is 1 非常不满意")
    func ratingLevels() {
        for row in 1...5 {
            var kiosk = Driver()
            kiosk.startSession()
            kiosk.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .completed))))))
            kiosk.press(.enter, .character(Character(String(row))))
            var effects = kiosk.press(.enter)
            // 1 and 2 ask for an optional call-back number first: Enter on empty skips it.
            if 6 - row <= 2 { effects = kiosk.press(.enter) }
            #expect(effects == [.rate(session: 42, level: 6 - row, comment: nil)])
        }
    }

    @Test("skipping the rating, or a rating already given, returns home")
    func skipRating() {
        var kiosk = Driver()
        kiosk.startSession()
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .completed))))))
        kiosk.press(.escape)
        #expect(kiosk.state.screen == .home(HomeScreen()))

        var twice = Driver()
        twice.startSession()
        twice.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .completed))))))
        let effect = twice.press(.enter, .enter)[0]
        twice.send(.failed(effect, Fixture.error(409, "already_rated", "本次服务已评价 / this session has already been rated")))
        guard case .thanks = twice.state.screen else { Issue.record("no thanks"); return }
    }

    @Test("a session that ended while the kiosk was offline is read and shown")
    func endedWhileAway() {
        var kiosk = Driver()
        kiosk.startSession()
        kiosk.send(.live(.disconnected(.unreachable("x"), retryIn: .seconds(1))))
        kiosk.send(.live(.connected))
        #expect(kiosk.send(.live(.message(.idle))) == [.loadSession(42)])
        kiosk.send(.sessionLoaded(SessionView(id: 42, ticket: 7, itemCode: "JZZ-001", state: .ended, outcome: .completed, caseNumber: "RW1")))
        #expect(kiosk.state.screen == .result)
        #expect(kiosk.screen.contains("RW1"))
    }

    // MARK: Idle

    @Test("idle on a personal screen: home, language reset, everything personal cleared")
    func idle() {
        var kiosk = Driver(settings: KioskSettings(idleTimeout: 60, idleWarning: 10, materialsDirectory: "/scans"))
        kiosk.press(.character("l"))
        kiosk.checkID()
        kiosk.advance(52)
        #expect(kiosk.state.idleCountdown == 8)
        #expect(kiosk.screen.contains("Returning home in 8 s"))
        kiosk.advance(8)
        #expect(kiosk.state.screen == .home(HomeScreen()))
        #expect(kiosk.state.language == .zh)
        #expect(kiosk.state.notice?.text.zh.contains("清除个人信息") == true)
        #expect(!String(reflecting: kiosk.state).contains(Fixture.elderlyID))
    }

    @Test("a key press restarts the idle clock")
    func idleKey() {
        var kiosk = Driver(settings: KioskSettings(idleTimeout: 60, materialsDirectory: "/scans"))
        kiosk.openGuide()
        kiosk.advance(50)
        kiosk.press(.down)
        kiosk.advance(50)
        guard case .item = kiosk.state.screen else { Issue.record("went home too early"); return }
    }

    @Test("no idle timeout while waiting or in session")
    func noIdleWhileQueued() {
        var kiosk = Driver(settings: KioskSettings(idleTimeout: 60, materialsDirectory: "/scans"))
        kiosk.takeTicket()
        kiosk.advance(600)
        #expect(kiosk.state.screen == .ticket(confirmLeave: false))
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.inSession, session: Fixture.sessionInfo())))))
        kiosk.advance(600)
        guard case .session = kiosk.state.screen else { Issue.record("left the session"); return }
    }

    @Test("the result screen times out to home too")
    func idleAfterResult() {
        var kiosk = Driver(settings: KioskSettings(idleTimeout: 60, materialsDirectory: "/scans"))
        kiosk.startSession()
        kiosk.send(.live(.message(.ticket(Fixture.ticket(.done, session: Fixture.sessionInfo(.ended, outcome: .completed))))))
        kiosk.advance(61)
        #expect(kiosk.state.screen == .home(HomeScreen()))
        #expect(kiosk.state.ticket == nil)
    }

    // MARK: Clock

    @Test("the site is read again now and then; categories until they load")
    func refresh() {
        var kiosk = Driver()
        kiosk.advance(30)
        #expect(kiosk.effects == [])
        kiosk.advance(31)
        #expect(kiosk.effects == [.loadSite])
        var empty = Driver()
        empty.send(.categoriesLoaded([]))
        empty.advance(6)
        #expect(empty.effects.contains(.loadCategories))
    }

    @Test("a failed load never crashes or blocks: the clock retries")
    func failedLoads() {
        var kiosk = KioskState(now: Fixture.now)
        _ = kiosk.start()
        _ = kiosk.handle(.failed(.loadSite, .unreachable("refused")), at: Fixture.now)
        _ = kiosk.handle(.failed(.loadCategories, .unreachable("refused")), at: Fixture.now)
        let effects = kiosk.handle(.tick, at: Fixture.now.addingTimeInterval(6))
        #expect(effects == [.loadSite, .loadCategories])
        #expect(Renderer.render(kiosk).count == 24)
    }
}
