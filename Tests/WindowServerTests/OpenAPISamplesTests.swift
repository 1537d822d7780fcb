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
            idNumberMasked: "1101**********002X", session: ticketSession)
        let offer = ClerkView.OfferInfo(
            ticket: 3, number: "R017", itemCode: "JZZ-001", category: "residence", priorityClass: .normal, priorityReason: nil,
            madeAt: date, expiresAt: date, waitedSeconds: 30)
        let clerkSession = ClerkView.SessionInfo(
            id: 4, ticket: 3, number: "R017", itemCode: "JZZ-001", state: .connecting, room: "session-4", startedAt: date, kioskPresent: true,
            priorityReason: .disabled, idNumberMasked: nil, consent: true,
            media: SessionMediaView(
                kiosk: .init(state: .connected, stats: MediaStats(rttMs: 3.5, lossPercent: 0, fps: 30, candidateType: .relay, freezes: 0, framesDecoded: 900)),
                clerk: .init(state: .disconnected, stats: nil)))
        let clerk = ClerkView(
            id: 2, displayName: "王敏", window: "07", skills: ["residence"], items: ["SB-001"], state: .inSession, stateSince: date,
            missedOffers: 0, wrapUpUntil: date, connected: true, offer: offer, session: clerkSession)
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
        ]
    }

    @Test("every view and request, encoded by the server's encoder, fits openapi.yaml; every enum there equals the Swift enum")
    func samplesFitTheDocument() throws {
        var samples: [[String: Any]] = []
        for sample in Self.samples {
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
