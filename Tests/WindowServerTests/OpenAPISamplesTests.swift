import Foundation
import Testing
import WindowAPITypes
import WindowCore

@testable import WindowServer

/// Every wire type, encoded as the server encodes it, must fit its schema in openapi.yaml, and
/// every enum there must list exactly the Swift enum's values (checked by scripts/openapi-check.py).
@Suite("OpenAPI samples")
struct OpenAPISamplesTests {
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    struct Sample {
        var schema: String
        var value: any Encodable
    }

    static var samples: [Sample] {
        let name = LocalizedText(zh: "居住证新办", en: "New residence permit")
        let hours = HoursView(weekly: ["1": [.init(open: "09:00", close: "17:00")]], holidays: ["2026-10-01"], workdays: ["2026-10-10": [.init(open: "09:00", close: "12:00")]])
        let ticketSession = TicketView.SessionInfo(id: 4, state: .active, room: "session-4", clerkName: "王敏", window: "07", outcome: .completed, caseNumber: "RW20261121-000004", consent: true)
        let ticket = TicketView(
            id: 3, number: "R017", itemCode: "JZZ-001", category: "residence", state: .inSession, priorityClass: .priority, priorityReason: .elderly,
            position: 1, ahead: 0, waitSeconds: 120, clerksOnDuty: 2, createdAt: date, endedAt: date, kioskGraceUntil: date,
            idNumberMasked: "1101**********002X", session: ticketSession, itemVersion: 2)
        let offer = ClerkView.OfferInfo(
            ticket: 3, number: "R017", itemCode: "JZZ-001", category: "residence", priorityClass: .normal, priorityReason: nil,
            madeAt: date, expiresAt: date, waitedSeconds: 30)
        let clerkSession = ClerkView.SessionInfo(
            id: 4, ticket: 3, number: "R017", itemCode: "JZZ-001", state: .connecting, room: "session-4", startedAt: date, kioskPresent: true,
            priorityReason: .disabled, idNumberMasked: nil, consent: true,
            media: SessionMediaView(
                kiosk: .init(state: .connected, stats: MediaStats(rttMs: 3.5, lossPercent: 0, fps: 30, candidateType: .relay, freezes: 0, framesDecoded: 900)),
                clerk: .init(state: .disconnected, stats: nil)),
            itemVersion: 2)
        let clerk = ClerkView(
            id: 2, displayName: "王敏", window: "07", skills: ["residence"], items: ["SB-001"], state: .inSession, stateSince: date,
            missedOffers: 0, wrapUpUntil: date, connected: true, offer: offer, session: clerkSession, sequence: 412)
        let material = MaterialView(id: 9, name: "居民身份证", contentType: "image/png", size: 1024, status: .rejected, reason: "不清晰", uploadedAt: date, reviewedAt: date)
        let rating = RatingView(level: 5, label: LocalizedText(zh: "非常满意", en: "Very satisfied"), comment: "很方便")
        var session = SessionView(id: 4, ticket: 3, itemCode: "JZZ-001", state: .ended, outcome: .needsMaterials, caseNumber: "RW20261121-000004", notes: "缺照片", materials: [material], rating: rating)
        session.clerk = 2
        session.kiosk = 1
        session.room = "session-4"
        session.startedAt = date
        session.endedAt = date
        session.consent = false
        let account = AccountView(id: 1, username: "admin", displayName: "管理员", role: .admin, totpEnabled: true)
        let line = QueueLine(site: 1, siteCode: "huayang-feiyueli", category: "residence", waiting: 2, longestWaitSeconds: 60, etaSeconds: 300)
        let site = SiteView(id: 1, code: "huayang-feiyueli", name: name, hours: hours, openNow: true, nextOpening: date, kioskGraceSeconds: 120, elderlyAge: 60)
        let suspendedSite = SiteView(
            id: 1, code: "huayang-feiyueli", name: name, hours: hours, openNow: true, nextOpening: nil, kioskGraceSeconds: 120, elderlyAge: 60,
            suspended: true, suspendedAt: date, suspendedReason: "设备检修 / maintenance")
        let kioskState = KioskView(
            id: 1, site: "huayang-feiyueli", name: "一体机 1", createdAt: date, revoked: false, lastSeenAt: date, screenA: true, screenB: false,
            screenBPaired: true, ticket: KioskView.TicketInfo(id: 3, number: "R017", itemCode: "JZZ-001", state: .waiting))
        return [
            Sample(schema: "TicketView", value: ticket),
            Sample(schema: "ClerkView", value: clerk),
            Sample(schema: "ClerkList", value: ClerkList(clerks: [clerk])),
            Sample(schema: "ColleagueView", value: ColleagueView(id: 5, displayName: "李", window: "08", skills: ["social-insurance"], state: .available)),
            Sample(schema: "SessionView", value: session),
            Sample(schema: "MaterialView", value: material),
            Sample(schema: "MaterialsUpdate", value: MaterialsUpdate(session: 4, materials: [material])),
            Sample(schema: "RatingView", value: rating),
            Sample(schema: "SiteView", value: site),
            Sample(schema: "HoursView", value: hours),
            Sample(schema: "KioskView", value: KioskView(id: 1, site: "huayang-feiyueli", name: "一体机 1", createdAt: date, revoked: false, credential: "rwk_x")),
            Sample(schema: "KioskView", value: kioskState),
            Sample(schema: "KioskView", value: KioskView(id: 2, site: "huayang-feiyueli", name: "一体机 2", createdAt: date, revoked: true, screenA: false, screenB: false, screenBPaired: false)),
            Sample(schema: "SiteView", value: suspendedSite),
            Sample(schema: "RenameSiteRequest", value: RenameSiteRequest(name: name)),
            Sample(schema: "SiteSuspensionRequest", value: SiteSuspensionRequest(suspended: true, reason: "设备检修 / maintenance")),
            Sample(schema: "SiteSuspensionRequest", value: SiteSuspensionRequest(suspended: false)),
            Sample(schema: "RenameKioskRequest", value: RenameKioskRequest(name: "一体机 1")),
            Sample(schema: "CalendarView", value: CalendarView(year: 2026, source: "国务院办公厅", holidays: ["2026-01-01"], adjustedWorkdays: ["2026-01-04"])),
            Sample(schema: "ErrorBody", value: ErrorBody(error: .init(code: .siteSuspended, message: "本延伸点暂停服务：设备检修 / this site is suspended: maintenance"))),
            Sample(schema: "QueueLine", value: line),
            Sample(schema: "QueueBoard", value: QueueBoard(generatedAt: date, lines: [line], clerks: [clerk], today: ["done": 3])),
            Sample(schema: "AccountView", value: account),
            Sample(schema: "LoginResponse", value: LoginResponse(token: "rwa_x", expiresAt: date, csrfToken: "c", account: account)),
            Sample(schema: "MeView", value: MeView(kind: .account, account: account, csrfToken: "c")),
            Sample(schema: "MeView", value: MeView(kind: .kiosk, kiosk: 1, site: 1)),
            Sample(schema: "TOTPSetupView", value: TOTPSetupView(secret: "S", otpauthURL: "otpauth://totp/x")),
            Sample(schema: "ErrorBody", value: ErrorBody(error: .init(code: .accountLocked, message: "锁定 / locked", lockedUntil: date))),
            Sample(schema: "ErrorBody", value: ErrorBody(error: .init(code: .closed, message: "已关闭 / closed", nextOpening: date))),
            Sample(schema: "TakeTicketRequest", value: TakeTicketRequest(item: "JZZ-001", priorityReason: .elderly, idNumber: "11010519491231002X")),
            Sample(schema: "ClerkStateRequest", value: ClerkStateRequest(state: .away)),
            Sample(schema: "OfferRequest", value: OfferRequest(ticket: 3)),
            Sample(schema: "EndSessionRequest", value: EndSessionRequest(outcome: .completed, notes: "办结")),
            Sample(schema: "TransferRequest", value: TransferRequest(category: "residence", clerk: 5, notes: "转")),
            Sample(schema: "ReviewMaterialRequest", value: ReviewMaterialRequest(status: .rejected, reason: "不清晰")),
            Sample(schema: "RateSessionRequest", value: RateSessionRequest(level: 4, comment: "好")),
            Sample(schema: "LoginRequest", value: LoginRequest(username: "admin", password: "correct horse battery", totp: "123456")),
            Sample(schema: "PasswordChangeRequest", value: PasswordChangeRequest(current: "old password here", new: "correct horse battery")),
            Sample(schema: "PasswordResetRequest", value: PasswordResetRequest(password: "correct horse battery")),
            Sample(schema: "TOTPCodeRequest", value: TOTPCodeRequest(code: "123456")),
            Sample(schema: "CreateSiteRequest", value: CreateSiteRequest(code: "huayang", name: name, hours: hours)),
            Sample(schema: "CreateKioskRequest", value: CreateKioskRequest(name: "一体机 1")),
            Sample(schema: "CreateClerkRequest", value: CreateClerkRequest(username: "wangmin", displayName: "王敏", password: "correct horse battery", window: "07", skills: ["residence"], items: ["SB-001"])),
            Sample(schema: "UpdateClerkRequest", value: UpdateClerkRequest(displayName: "王敏", window: "08", skills: ["residence"], items: [])),
            Sample(schema: "CreateAccountRequest", value: CreateAccountRequest(username: "duty", displayName: "值班长", password: "correct horse battery", role: .manager)),
            Sample(schema: "LiveMessage", value: LiveMessage.ticket(ticket)),
            Sample(schema: "LiveMessage", value: LiveMessage.clerk(clerk)),
            Sample(schema: "LiveMessage", value: LiveMessage.idle),
            Sample(schema: "LiveMessage", value: LiveMessage.error(LiveError(code: .notInSession, message: "x"))),
            Sample(schema: "LiveMessage", value: LiveMessage.signal(SignalMessage(session: 4, from: .clerk, pc: "3f2a-1", description: SessionDescription(type: .offer, sdp: "v=0")))),
            Sample(schema: "LiveMessage", value: LiveMessage.signal(SignalMessage(session: 4, pc: "3f2a-1", candidate: IceCandidate(candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host", sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "u")))),
            Sample(schema: "LiveMessage", value: LiveMessage.signal(SignalMessage(session: 4, from: .kiosk, hello: true))),
            Sample(schema: "LiveMessage", value: LiveMessage.capture(CaptureRequest(session: 4, from: .clerk))),
            Sample(schema: "LiveMessage", value: LiveMessage.media(MediaReport(session: 4, pc: "3f2a-1", state: .connected, stats: MediaStats(rttMs: 1, lossPercent: 0.5, fps: 29.5, candidateType: .host, freezes: 1, framesDecoded: 10)))),
            Sample(schema: "ScreenBPairingView", value: ScreenBPairingView(code: "c0de", url: "https://localhost:8443/screen-b/#pair=c0de", expiresAt: date)),
            Sample(schema: "PairScreenBRequest", value: PairScreenBRequest(code: "c0de")),
            Sample(schema: "ScreenBView", value: ScreenBView(kiosk: .init(id: 1, name: "一体机 1"), site: site, csrf: "c")),
            Sample(schema: "ConsentRequest", value: ConsentRequest(accepted: true)),
            Sample(schema: "IceConfigView", value: IceConfigView(iceServers: [.init(urls: ["stun:127.0.0.1:3478"]), .init(urls: ["turn:127.0.0.1:3478?transport=udp"], username: "1735689600:4-kiosk", credential: "x=")], iceTransportPolicy: .relay, expiresAt: date)),
            Sample(schema: "MeView", value: MeView(kind: .screenB, kiosk: 1, site: 1)),
            Sample(schema: "ScrapeCredentialView", value: ScrapeCredentialView(id: 1, name: "prometheus-1", createdAt: date, revoked: false, credential: "rwm_x")),
            Sample(schema: "CreateScrapeCredentialRequest", value: CreateScrapeCredentialRequest(name: "prometheus-1")),
            Sample(schema: "InvariantReport", value: InvariantReport(checkedAt: date, violations: ["ticket 3 offered twice"])),
            Sample(schema: "LiveMessage", value: LiveMessage.materials(MaterialsUpdate(session: 4, materials: [material]))),
            Sample(schema: "LiveMessage", value: LiveMessage.board(QueueBoard(generatedAt: date, lines: [line], clerks: [], today: [:]))),
        ]
    }

    /// Managing the catalog: items, drafts, versions, the audit log and their requests.
    static var catalogSamples: [Sample] {
        let item = CatalogItem(
            code: "JZZ-001", name: LocalizedText(zh: "居住证新办", en: "Residence permit: new application"), department: "sh-psb", category: "residence",
            expectedMinutes: 5, needsMaterials: true,
            materials: [RequiredMaterial(name: LocalizedText(zh: "居民身份证", en: "Resident identity card"), form: .original, required: true)],
            conditions: LocalizedText(zh: "在本市居住登记满半年。", en: "Registered as resident for six months."),
            fee: Fee(yuan: 0, note: LocalizedText(zh: "不收费", en: "Free of charge")),
            legalBasis: LocalizedText(zh: "《居住证暂行条例》", en: "Interim Regulations on Residence Permits"),
            result: ItemResult(name: LocalizedText(zh: "居住证", en: "Residence permit"), kind: .license, delivery: [.onSite]),
            guide: LocalizedText(zh: "视频核验后当场受理。", en: "Accepted on the spot after a video check."),
            status: .active)
        // Every optional field set, every enum off its default.
        let fullItem = CatalogItem(
            code: "SB-001", name: LocalizedText(zh: "社保卡补办", en: "Social security card: replacement"), department: "sh-hrss",
            departmentRole: .entrusted, category: "social-insurance", handlingType: .promised,
            legalTimeLimit: TimeLimit(days: 20, unit: .workingDays), promisedTimeLimit: TimeLimit(days: 5, unit: .calendarDays),
            expectedMinutes: 10, needsMaterials: false,
            materials: [RequiredMaterial(
                name: LocalizedText(zh: "社保卡", en: "Social security card"), form: .copy, required: true, copies: 2, medium: .electronic,
                source: .dataSharing, blankForm: true, sample: true)],
            conditions: LocalizedText(zh: "已参加本市社会保险。", en: "Insured in Shanghai."),
            fee: Fee(yuan: 20, note: LocalizedText(zh: "工本费", en: "Card fee"), basis: LocalizedText(zh: "沪价费〔2020〕1号", en: "Shanghai price notice 2020-1")),
            legalBasis: LocalizedText(zh: "《社会保险法》", en: "Social Insurance Law"),
            result: ItemResult(name: LocalizedText(zh: "社保卡", en: "Social security card"), kind: .other, delivery: [.mail, .electronic]),
            guide: LocalizedText(zh: "受理后五日内寄出。", en: "Mailed within five days."), guideURL: "https://zwdt.sh.gov.cn/guide/SB-001",
            consultPhone: "12333", complaintPhone: "021-12345",
            faq: [FAQEntry(question: LocalizedText(zh: "多久能拿到？", en: "How long does it take?"), answer: LocalizedText(zh: "五天。", en: "Five days."))],
            basicCode: "000101001000", implementationCode: "11310000002420132N-3-000101001000", effectiveFrom: "2026-01-01", status: .suspended)
        let department = LocalizedText(zh: "上海市公安局", en: "Shanghai Municipal Public Security Bureau")
        let document = CatalogDocument(
            departments: [WindowCore.Department(code: "sh-psb", name: department)],
            categories: [WindowCore.Category(code: "residence", letter: "R", name: LocalizedText(zh: "居住证与居住登记", en: "Residence permit and registration"))],
            items: [item])
        let duty = AccountName(account: 3, username: "duty")
        let chief = AccountName(account: 4, username: "chief")
        var draft = CatalogDraft(id: 7, base: 1, note: "更新材料", createdBy: duty, at: date, document: document)
        draft.revisions = ["JZZ-001": 2]
        draft.editors = [duty]
        draft.comments = [DraftComment(by: chief, at: date, text: "请补英文")]
        var published = draft
        published.state = .published
        published.submittedBy = duty
        published.approvedBy = chief
        published.publishAt = date
        published.publishedVersion = 2
        published.rollbackOf = 1
        published.strandingConfirmed = true
        let minutes = LocalizedText(zh: "预计办理分钟数", en: "Expected minutes")
        let change = CatalogChange(item: "JZZ-001", field: "expectedMinutes", label: minutes, before: .number(5), after: .number(8))
        let added = CatalogChange(item: "XX-002", field: "(item)", label: LocalizedText(zh: "新增事项", en: "Item added"), before: nil, after: try? JSONValue(encoding: item))
        let table = CatalogChange(
            item: nil, field: "departments[0].name.en", label: LocalizedText(zh: "实施主体", en: "Departments"), before: .string("Shanghai PSB"), after: .string(department.en))
        let problem = CatalogProblem(item: "JZZ-001", field: "name.en", message: "English text is missing")
        let view = DraftView(draft: draft, changes: [change, added, table], problems: [problem], currentVersion: 1)
        let conflict = CatalogConflict(item: "JZZ-001", field: "expectedMinutes", label: minutes, base: .number(5), current: .number(6), draft: .number(8))
        return [
            Sample(schema: "CatalogItem", value: item),
            Sample(schema: "CatalogItem", value: fullItem),
            Sample(schema: "CatalogItemView", value: CatalogItemView(item: item, version: 2, departmentName: department)),
            Sample(schema: "CatalogItemView", value: CatalogItemView(item: fullItem, version: 1)),
            Sample(schema: "CatalogItemList", value: CatalogController.ItemList(items: [CatalogItemView(item: item, version: 2, departmentName: department)], count: 1, catalogVersion: 3)),
            Sample(schema: "DepartmentList", value: CatalogController.DepartmentList(departments: document.departments)),
            Sample(schema: "CatalogDocument", value: document),
            Sample(schema: "DraftView", value: view),
            Sample(schema: "DraftView", value: DraftView(draft: published, changes: [], problems: [], currentVersion: 2)),
            Sample(schema: "DraftList", value: DraftList(drafts: [DraftSummary(draft: published, changedItems: ["JZZ-001"]), DraftSummary(draft: draft, changedItems: [])])),
            Sample(schema: "CreateDraftRequest", value: CreateDraftRequest(note: "更新材料")),
            Sample(schema: "CreateDraftRequest", value: CreateDraftRequest()),
            Sample(schema: "SaveDraftItemRequest", value: SaveDraftItemRequest(item: item, revision: 0)),
            Sample(schema: "CheckItemRequest", value: CheckItemRequest(item: fullItem)),
            Sample(schema: "ProblemList", value: ProblemList(problems: [problem, CatalogProblem(item: nil, field: "(file)", message: "not valid JSON")])),
            Sample(schema: "SubmitDraftRequest", value: SubmitDraftRequest(note: "更新材料")),
            Sample(schema: "SendBackRequest", value: SendBackRequest(comment: "请补英文")),
            Sample(schema: "PublishRequest", value: PublishRequest(at: date, confirmStranding: true)),
            Sample(schema: "PublishRequest", value: PublishRequest()),
            Sample(schema: "RebaseRequest", value: RebaseRequest(resolution: .current)),
            Sample(schema: "RollbackRequest", value: RollbackRequest(note: "回到第 1 版")),
            Sample(schema: "PublishImpact", value: PublishImpact(
                waitingByChangedItem: [.init(item: "JZZ-001", waiting: 3)], strandedCategories: ["residence"],
                suspendedWithWaiting: [.init(item: "JZZ-001", waiting: 3)], recategorized: ["JZZ-001"])),
            Sample(schema: "VersionList", value: VersionList(current: 3, versions: [
                CatalogVersionInfo(number: 3, kind: .rollback, publishedAt: date, publishedBy: "duty", approvedBy: "chief", draftedBy: ["duty"], draft: 8, note: "回滚", rollbackOf: 1),
                CatalogVersionInfo(number: 1, kind: .seed, publishedAt: date, publishedBy: "system", approvedBy: nil, draftedBy: [], draft: nil, note: "catalog/items.json", rollbackOf: nil),
            ])),
            Sample(schema: "CatalogDiffView", value: CatalogDiffView(from: 1, to: 2, changes: [change, added, table])),
            Sample(schema: "CatalogPolicy", value: CatalogPolicy(onePersonPublish: true)),
            Sample(schema: "CatalogEventList", value: CatalogEventList(events: [
                CatalogAuditEvent(seq: 12, at: date, actor: "duty", kind: "draft.item-saved", draft: 7, version: nil, detail: ["item": "JZZ-001", "revision": "2"]),
                CatalogAuditEvent(seq: 14, at: date, actor: "duty", kind: "catalog.published", draft: 7, version: 2, detail: [:]),
            ])),
            Sample(schema: "ImportResult", value: ImportResult(draft: view, changes: 3)),
            Sample(schema: "ImportResult", value: ImportResult(draft: nil, changes: 0)),
            Sample(schema: "CatalogPublished", value: CatalogPublished(version: 2)),
            Sample(schema: "LiveMessage", value: LiveMessage.catalog(CatalogPublished(version: 2))),
            Sample(schema: "ErrorBody", value: ErrorBody(error: .init(code: .catalogInvalid, message: "有 1 处问题 / 1 problem", problems: [problem]))),
            Sample(schema: "ErrorBody", value: ErrorBody(error: .init(code: .editConflict, message: "已被修改 / saved since", changes: [change]))),
            Sample(schema: "ErrorBody", value: ErrorBody(error: .init(code: .rebaseConflict, message: "冲突 / conflicts", conflicts: [conflict]))),
        ]
    }

    /// Reports: one built from a few events by the server's own builder (every table, with text,
    /// numbers and nulls in its rows), one built by hand, and an empty one.
    static var reportSamples: [Sample] {
        let day = ServiceHours.calendar.startOfDay(for: date)
        let query = ReportQuery(
            from: day, to: day.addingTimeInterval(86_400), bucket: .hour, site: 1, category: "residence", item: "JZZ-001", itemVersion: 2, clerk: 5,
            serviceLevelSeconds: 300)
        let names = ReportNames(
            clerks: [5: "王敏"], sites: [1: "华阳 / Huayang"], items: ["JZZ-001": LocalizedText(zh: "居住证新办", en: "New residence permit")],
            categories: ["residence": LocalizedText(zh: "居住证与居住登记", en: "Residence permit and registration")], expectedMinutes: ["JZZ-001": 5])
        var builder = ReportBuilder(query: ReportQuery(from: day, to: day.addingTimeInterval(86_400)), names: names)
        builder.add(ReportEvent(kind: .clerkState, at: date, clerk: 5, value: "available"))
        builder.add(ReportEvent(kind: .ticketIssued, at: date, ticket: 3, site: 1, item: "JZZ-001", itemVersion: 2, category: "residence", value: "normal"))
        builder.add(ReportEvent(kind: .offerMade, at: date.addingTimeInterval(10), ticket: 3, clerk: 5))
        builder.add(ReportEvent(kind: .offerAccepted, at: date.addingTimeInterval(20), ticket: 3, clerk: 5, session: 4))
        builder.add(ReportEvent(kind: .ticketIssued, at: date.addingTimeInterval(30), ticket: 6, site: 1, item: "JZZ-001", itemVersion: 2, category: "residence", value: "normal"))
        builder.add(ReportEvent(kind: .ticketCancelled, at: date.addingTimeInterval(90), ticket: 6))
        builder.add(ReportEvent(kind: .sessionEnded, at: date.addingTimeInterval(320), clerk: 5, session: 4, value: "completed"))
        builder.add(ReportEvent(kind: .sessionRated, at: date.addingTimeInterval(330), session: 4, level: 5))
        let followUp = FollowUpFact(
            kind: "rating", openedAt: date, steps: [(step: "contact", due: date.addingTimeInterval(86_400), doneAt: nil)], site: 1, item: "JZZ-001", clerk: 5)
        let built = builder.build(followUps: [followUp], generatedAt: date.addingTimeInterval(400))
        let table = ReportTable(
            id: "waiting", title: LocalizedText(zh: "等候时间", en: "Waiting time"),
            columns: [
                ReportColumn("period", "时段", "Period", unit: "text"), ReportColumn("average", "平均等候（秒）", "Average (s)", unit: "seconds"),
                ReportColumn("rate", "放弃率 %", "Rate %", unit: "percent"), ReportColumn("expected", "预计（分钟）", "Expected (min)", unit: "minutes"),
            ],
            rows: [[.string("2026-11-21 09:00"), .number(42), .null, .number(5)], [.string("2026-11-21 10:00"), .null, .number(87.5), .null]],
            definition: LocalizedText(zh: "等候 = 取号 → 接受派单。", en: "Waiting = issued → offer accepted."))
        return [
            Sample(schema: "Report", value: built),
            Sample(schema: "Report", value: Report(query: query, generatedAt: date, events: 12, tables: [table])),
            Sample(schema: "Report", value: Report(query: ReportQuery(from: day, to: day.addingTimeInterval(86_400)), generatedAt: date, events: 0, tables: [])),
            Sample(schema: "ReportQuery", value: query),
            Sample(schema: "ReportTable", value: table),
            Sample(schema: "ReportColumn", value: ReportColumn("serviceLevel", "服务水平 %", "SL %", unit: "percent")),
        ]
    }

    /// 差评 and 补正 follow-up: cases in every shape (a 差评 under appeal, one closed with every field
    /// set, a 补正 brought back), the lists, the step requests, the kiosk's 补正 lookup, and the views
    /// and requests that gained fields for them.
    static var followUpSamples: [Sample] {
        let duty = AccountName(account: 3, username: "duty")
        let chief = AccountName(account: 4, username: "chief")
        let day: TimeInterval = 86_400

        var appealing = FollowUpCase(
            id: 7, kind: .rating, caseNumber: "RW20261118-000004", session: 4, ticket: 3, clerk: 2, site: 1, itemCode: "JZZ-001", itemVersion: 2,
            openedAt: date)
        appealing.state = .appealing
        appealing.level = 1
        appealing.comment = "等太久"
        appealing.hasPhone = true
        appealing.contactBy = date.addingTimeInterval(day)
        appealing.rectifyBy = date.addingTimeInterval(5 * day)
        appealing.closeBy = date.addingTimeInterval(15 * day)
        appealing.owner = duty
        appealing.classification = .mistaken
        appealing.appealRequestedBy = duty
        appealing.steps = [
            FollowUpCase.Step(at: date, by: "system", action: "opened", note: nil),
            FollowUpCase.Step(at: date.addingTimeInterval(600), by: "duty", action: "signed", note: nil),
            FollowUpCase.Step(at: date.addingTimeInterval(3_600), by: "duty", action: "contacted", note: "已电话联系"),
            FollowUpCase.Step(at: date.addingTimeInterval(7_200), by: "duty", action: "appeal-requested", note: "录像显示办理正常"),
        ]

        // Every 差评 field set: an appeal refused, then a complex fix, revisited and closed.
        var closed = appealing
        closed.id = 8
        closed.state = .closed
        closed.level = 2
        closed.classification = .complex
        closed.planDate = "2026-12-01"
        closed.revisitSatisfied = true
        closed.appealDecidedBy = chief
        closed.appealUpheld = false
        closed.steps += [
            FollowUpCase.Step(at: date.addingTimeInterval(day), by: "chief", action: "appeal-refused", note: "诉求合理"),
            FollowUpCase.Step(at: date.addingTimeInterval(day + 600), by: "duty", action: "classified:complex", note: "增开窗口"),
            FollowUpCase.Step(at: date.addingTimeInterval(3 * day), by: "duty", action: "rectified", note: "已增开窗口"),
            FollowUpCase.Step(at: date.addingTimeInterval(4 * day), by: "duty", action: "revisited:satisfied", note: "群众满意"),
            FollowUpCase.Step(at: date.addingTimeInterval(4 * day + 60), by: "duty", action: "closed", note: "办结"),
        ]

        var correction = FollowUpCase(
            id: 9, kind: .correction, caseNumber: "RW20261118-000009", session: 9, ticket: 8, clerk: 2, site: 1, itemCode: "JZZ-001", itemVersion: 2,
            openedAt: date)
        correction.state = .returned
        correction.missing = ["居民身份证", "近期证件照"]
        correction.note = "缺照片"
        correction.returnBy = date.addingTimeInterval(14 * day)
        correction.returnTicket = 12
        correction.returnedAt = date.addingTimeInterval(day)
        correction.steps = [
            FollowUpCase.Step(at: date, by: "clerk:2", action: "opened", note: "居民身份证、近期证件照"),
            FollowUpCase.Step(at: date.addingTimeInterval(day), by: "kiosk", action: "returned", note: "ticket 12"),
        ]
        // Opened by a restart's reconciliation: no case number, nothing named, no steps.
        let bare = FollowUpCase(id: 10, kind: .correction, caseNumber: nil, session: 10, ticket: 11, clerk: 2, site: 1, itemCode: "JZZ-001", itemVersion: nil, openedAt: date)

        let appealingSummary = FollowUpSummary(
            id: 7, kind: .rating, state: .appealing, caseNumber: "RW20261118-000004", itemCode: "JZZ-001", site: 1, clerk: 2, clerkName: "王敏", level: 1,
            openedAt: date, owner: "duty", nextStep: "close", nextDue: date.addingTimeInterval(15 * day), overdue: false)
        let closedSummary = FollowUpSummary(
            id: 8, kind: .rating, state: .closed, caseNumber: "RW20261118-000004", itemCode: "JZZ-001", site: 1, clerk: 2, clerkName: "王敏", level: 2,
            openedAt: date, owner: "duty", nextStep: nil, nextDue: nil, overdue: false)
        let overdueSummary = FollowUpSummary(
            id: 11, kind: .rating, state: .open, caseNumber: nil, itemCode: "JZZ-001", site: 1, clerk: 5, clerkName: nil, level: 2,
            openedAt: date, owner: nil, nextStep: "contact", nextDue: date.addingTimeInterval(day), overdue: true)
        let correctionSummary = FollowUpSummary(
            id: 9, kind: .correction, state: .returned, caseNumber: "RW20261118-000009", itemCode: "JZZ-001", site: 1, clerk: 2, clerkName: "王敏",
            level: nil, openedAt: date, owner: nil, nextStep: nil, nextDue: nil, overdue: false)

        let correctionView = CorrectionView(
            reference: "RW20261118-000009", missing: ["居民身份证", "近期证件照"], note: "缺照片", returnBy: date.addingTimeInterval(14 * day), state: .open)
        var corrected = SessionView(
            id: 9, ticket: 8, itemCode: "JZZ-001", state: .ended, outcome: .needsMaterials, caseNumber: "RW20261118-000009", notes: "缺照片")
        corrected.clerk = 2
        corrected.kiosk = 1
        corrected.room = "session-9"
        corrected.startedAt = date
        corrected.endedAt = date
        corrected.correction = correctionView
        var returned = SessionView(id: 13, ticket: 12, itemCode: "JZZ-001", state: .active)
        returned.returnOf = 9

        var returningTicket = TicketView(
            id: 12, number: "R018", itemCode: "JZZ-001", category: "residence", state: .waiting, priorityClass: .priority, priorityReason: .returning,
            position: 1, ahead: 0, waitSeconds: 60, clerksOnDuty: 2, createdAt: date, itemVersion: 2)
        returningTicket.returnOf = 9
        let returningSession = ClerkView.SessionInfo(
            id: 13, ticket: 12, number: "R018", itemCode: "JZZ-001", state: .active, room: "session-13", startedAt: date, kioskPresent: true,
            priorityReason: .returning, idNumberMasked: nil, itemVersion: 2, returnOf: 9)
        let returningClerk = ClerkView(
            id: 2, displayName: "王敏", window: "07", skills: ["residence"], items: [], state: .inSession, stateSince: date, missedOffers: 0,
            wrapUpUntil: nil, connected: true, offer: nil, session: returningSession, sequence: 530)

        var lowRating = RateSessionRequest(level: 1, comment: "等太久")
        lowRating.callbackPhone = "13812345678"
        lowRating.phoneConsent = true

        return [
            Sample(schema: "FollowUpCase", value: appealing),
            Sample(schema: "FollowUpCase", value: closed),
            Sample(schema: "FollowUpCase", value: correction),
            Sample(schema: "FollowUpCase", value: bare),
            Sample(schema: "FollowUpSummary", value: overdueSummary),
            Sample(schema: "FollowUpList", value: FollowUpList(cases: [appealingSummary, overdueSummary, correctionSummary], overdue: 1)),
            Sample(schema: "FollowUpList", value: FollowUpList(cases: [], overdue: 0)),
            Sample(schema: "FollowUpView", value: FollowUpView(summary: appealingSummary, detail: appealing, phone: "13812345678", idNumberMasked: "1101**********002X")),
            Sample(schema: "FollowUpView", value: FollowUpView(summary: closedSummary, detail: closed, phone: "138****5678", idNumberMasked: nil)),
            Sample(schema: "FollowUpView", value: FollowUpView(summary: correctionSummary, detail: correction, phone: nil, idNumberMasked: nil)),
            Sample(schema: "FollowUpStepRequest", value: FollowUpStepRequest()),
            Sample(schema: "FollowUpStepRequest", value: FollowUpStepRequest(note: "增开窗口", classification: .complex, planDate: "2026-12-01")),
            Sample(schema: "FollowUpStepRequest", value: FollowUpStepRequest(note: "诉求合理", upheld: false)),
            Sample(schema: "FollowUpStepRequest", value: FollowUpStepRequest(note: "群众满意", satisfied: true)),
            Sample(schema: "KioskCorrectionView", value: KioskCorrectionView(
                reference: "RW20261118-000009", item: "JZZ-001", itemVersion: 2, missing: ["居民身份证", "近期证件照"], returnBy: date.addingTimeInterval(14 * day))),
            Sample(schema: "KioskCorrectionView", value: KioskCorrectionView(reference: "RW20261118-000010", item: "JZZ-001", itemVersion: nil, missing: [], returnBy: nil)),
            Sample(schema: "CorrectionView", value: CorrectionView(reference: nil, missing: [], note: nil, returnBy: nil, state: .expired)),
            Sample(schema: "SessionView", value: corrected),
            Sample(schema: "SessionView", value: returned),
            Sample(schema: "TicketView", value: returningTicket),
            Sample(schema: "ClerkView", value: returningClerk),
            Sample(schema: "RateSessionRequest", value: lowRating),
            Sample(schema: "EndSessionRequest", value: EndSessionRequest(outcome: .needsMaterials, notes: "缺照片", missingMaterials: ["居民身份证", "近期证件照"])),
            Sample(schema: "TakeTicketRequest", value: TakeTicketRequest(item: "JZZ-001", reference: "RW20261118-000009")),
            Sample(schema: "ErrorBody", value: ErrorBody(error: .init(code: .correctionClosed, message: "补正期限已过，请重新取号办理 / the time to bring the materials has passed; take a new ticket"))),
            Sample(schema: "ErrorBody", value: ErrorBody(error: .init(code: .notCaseOwner, message: "只有签收人可以处理此件 / only the case owner can do this"))),
        ]
    }

    static var enums: [String: [String]] {
        func values<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> [String] where E.RawValue == String { E.allCases.map(\.rawValue) }
        return [
            "TicketState": values(TicketState.self), "ClerkState": values(ClerkState.self), "SessionState": values(SessionState.self),
            "SessionOutcome": values(SessionOutcome.self), "PriorityClass": values(PriorityClass.self),
            "PriorityReason": values(PriorityReason.self), "MaterialStatus": values(MaterialStatus.self), "Role": values(Role.self),
            "Participant": ["kiosk", "clerk"], "APIErrorCode": values(APIErrorCode.self), "LiveMessageType": values(LiveMessageType.self),
            "MediaState": values(MediaState.self), "MediaQuality": values(MediaStats.Quality.self),
            "CandidateType": values(MediaStats.CandidateType.self), "IceTransportPolicy": values(IceConfigView.TransportPolicy.self),
            "SessionDescriptionType": values(SessionDescription.Kind.self),
            "CatalogItemStatus": values(CatalogItem.Status.self), "MaterialForm": values(RequiredMaterial.Form.self),
            "MaterialMedium": values(RequiredMaterial.Medium.self), "MaterialSource": values(RequiredMaterial.Source.self),
            "HandlingType": values(HandlingType.self), "TimeLimitUnit": values(TimeLimit.Unit.self),
            "DepartmentRole": values(CatalogItem.DepartmentRole.self), "ItemResultKind": values(ItemResult.Kind.self),
            "ItemResultDelivery": values(ItemResult.Delivery.self), "DraftState": values(CatalogDraft.State.self),
            // CatalogVersionKind is not CaseIterable: its cases by hand.
            "CatalogVersionKind": [CatalogVersionKind.seed, .upgrade, .publish, .rollback].map(\.rawValue),
            "RebaseResolution": values(RebaseResolution.self), "ReportBucket": values(ReportQuery.Bucket.self),
            "FollowUpKind": values(FollowUpCase.Kind.self), "FollowUpState": values(FollowUpCase.State.self),
            "FollowUpClassification": values(FollowUpCase.Classification.self),
        ]
    }

    @Test("every view and request, encoded by the server's encoder, fits openapi.yaml; every enum there equals the Swift enum")
    func samplesFitTheDocument() throws {
        var samples: [[String: Any]] = []
        for sample in Self.samples + Self.catalogSamples + Self.reportSamples + Self.followUpSamples {
            let data = try AppJSON.encoder.encode(sample.value)
            samples.append(["schema": sample.schema, "value": try JSONSerialization.jsonObject(with: data)])
        }
        let folder = try TemporaryDirectory()
        let file = folder.url.appendingPathComponent("samples.json")
        try JSONSerialization.data(withJSONObject: ["samples": samples, "enums": Self.enums]).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Repository.root.appendingPathComponent("scripts/openapi-check.py").path,
            Repository.root.appendingPathComponent("Sources/WindowServer/Resources/openapi.yaml").path, file.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\(samples.count + Self.enums.count) passed, 0 failed"), "\(text)")
    }

    @Test("every refusal code of the queue's core is an APIErrorCode")
    func coreCodesAreAPICodes() {
        for code in QueueError.Code.allCases {
            #expect(APIErrorCode(rawValue: code.rawValue) != nil, "the core refuses with \(code.rawValue), which APIErrorCode lacks")
        }
    }
}
