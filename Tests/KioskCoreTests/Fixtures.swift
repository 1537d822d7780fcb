import Foundation
import KioskCore
import WindowClient
import WindowCore

/// Sample data as the server would send it.
enum Fixture {
    /// 2026-11-21 10:00 in Shanghai.
    static let now = Date(timeIntervalSince1970: 1_795_226_400)

    static let residence = WindowCore.Category(code: "residence", letter: "R", name: LocalizedText(zh: "居住证与居住登记", en: "Residence permit and registration"))
    static let social = WindowCore.Category(code: "social-insurance", letter: "S", name: LocalizedText(zh: "社会保险", en: "Social insurance"))
    static let categories = [residence, social]

    static func item(_ code: String = "JZZ-001", status: CatalogItem.Status = .active) -> CatalogItem {
        CatalogItem(
            code: code, name: LocalizedText(zh: "居住证新办", en: "Residence permit: new application"),
            department: "sh-psb", category: "residence",
            expectedMinutes: 10, needsMaterials: true,
            materials: [
                RequiredMaterial(name: LocalizedText(zh: "居民身份证", en: "Resident idCard card"), form: .original, required: true),
                RequiredMaterial(name: LocalizedText(zh: "数码照片回执", en: "Digital photo receipt"), form: .original, required: true),
                RequiredMaterial(name: LocalizedText(zh: "代办人委托书", en: "Letter of authorisation"), form: .copy, required: false),
            ],
            conditions: LocalizedText(zh: "非本市户籍人员，在本市合法稳定居住满半年。", en: "People without Shanghai household registration living here for six months."),
            fee: Fee(yuan: 0, note: LocalizedText(zh: "不收费", en: "Free of charge")),
            legalBasis: LocalizedText(zh: "《居住证暂行条例》", en: "Interim Regulations on Residence Permits"),
            result: ItemResult(name: LocalizedText(zh: "居住证", en: "Residence permit"), kind: .license, delivery: [.onSite]),
            guide: LocalizedText(zh: "取号后通过视频向工作人员出示原件。", en: "Take a number and show the originals over video."),
            status: status)
    }

    static func items(_ count: Int) -> [CatalogItem] {
        (1...count).map { item(String(format: "JZZ-%03d", $0)) }
    }

    static func site(open: Bool = true) -> SiteView {
        let always = Dictionary(uniqueKeysWithValues: (1...7).map { (String($0), [HoursView.Interval(open: "00:00", close: "24:00")]) })
        let weekdays = Dictionary(uniqueKeysWithValues: (1...5).map { (String($0), [HoursView.Interval(open: "09:00", close: "17:00")]) })
        return SiteView(
            id: 1, code: "huayang", name: LocalizedText(zh: "华阳路街道翡悦里延伸点", en: "Huayang Feiyueli extension point"),
            hours: HoursView(weekly: open ? always : weekdays), openNow: open,
            nextOpening: open ? nil : Date(timeIntervalSince1970: 1_795_395_600))
    }

    /// Born 1949-12-31: 76 on `now`.
    static let elderlyID = ResidentID.withCheckDigit("11010519491231002")
    /// Born 1990-03-07: 36 on `now`.
    static let youngID = ResidentID.withCheckDigit("31010119900307123")

    static func ticket(
        _ state: TicketState = .waiting, id: Int64 = 7, number: String = "R001", session: TicketView.SessionInfo? = nil,
        position: Int? = 1, waitSeconds: Int? = 600, sequence: Int64 = 0
    ) -> TicketView {
        TicketView(
            id: id, number: number, itemCode: "JZZ-001", category: "residence", state: state,
            priorityClass: .priority, priorityReason: .elderly, position: state == .waiting ? position : nil, ahead: state == .waiting ? 0 : nil,
            waitSeconds: state == .waiting ? waitSeconds : nil, clerksOnDuty: 1, createdAt: now, idNumberMasked: ResidentID.mask(elderlyID),
            session: session, sequence: sequence)
    }

    static func sessionInfo(_ state: SessionState = .active, outcome: SessionOutcome? = nil, caseNumber: String? = nil) -> TicketView.SessionInfo {
        .init(id: 42, state: state, room: "room-42", clerkName: "王小明", window: "07", outcome: outcome, caseNumber: caseNumber)
    }

    static func material(_ id: Int64, _ status: MaterialStatus, reason: String? = nil) -> MaterialView {
        MaterialView(id: id, name: "数码照片回执", contentType: "image/png", size: 2048, status: status, reason: reason)
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> WindowClientError {
        .server(status: status, code: code, message: message)
    }
}

/// A kiosk driven through events, as the runtime drives it.
struct Driver {
    var state: KioskState
    var clock: Date
    var effects: [KioskEffect] = []

    init(settings: KioskSettings = KioskSettings(materialsDirectory: "/scans"), site: SiteView = Fixture.site(), width: Int = 80, height: Int = 24) {
        clock = Fixture.now
        state = KioskState(settings: settings, now: clock)
        effects = state.start()
        send(.resize(width: width, height: height))
        send(.live(.connected))
        send(.siteLoaded(site))
        send(.categoriesLoaded(Fixture.categories))
    }

    @discardableResult
    mutating func send(_ event: KioskEvent) -> [KioskEffect] {
        effects = state.handle(event, at: clock)
        return effects
    }

    @discardableResult
    mutating func press(_ keys: Key...) -> [KioskEffect] {
        var all: [KioskEffect] = []
        for key in keys { all += send(.key(key)) }
        effects = all
        return all
    }

    @discardableResult
    mutating func type(_ text: String) -> [KioskEffect] {
        var all: [KioskEffect] = []
        for character in text { all += send(.key(.character(character))) }
        effects = all
        return all
    }

    mutating func advance(_ seconds: TimeInterval) {
        clock = clock.addingTimeInterval(seconds)
        send(.tick)
    }

    /// The screen as plain text, one string.
    var screen: String { Renderer.render(state).map(\.plain).joined(separator: "\n") }

    /// Browse to JZZ-001's guide from home.
    mutating func openGuide(_ item: CatalogItem = Fixture.item()) {
        press(.character("1"))
        send(.itemsLoaded(.category(Fixture.residence), [item]))
        press(.enter)
    }

    /// From home to the lane choice, with `id`.
    mutating func checkID(_ id: String = Fixture.elderlyID) {
        openGuide()
        press(.enter)
        type(id)
        press(.enter)
    }

    /// From home to a waiting ticket.
    mutating func takeTicket() {
        checkID()
        press(.enter)
        send(.ticketTaken(Fixture.ticket()))
    }

    /// From home to a live session.
    mutating func startSession() {
        takeTicket()
        send(.live(.message(.ticket(Fixture.ticket(.inSession, session: Fixture.sessionInfo())))))
    }
}
