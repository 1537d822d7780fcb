import Foundation
import Testing
import WindowAPITypes
import WindowCore

@testable import WindowServer

/// Managers running their sites from the console: renaming, suspending and resuming a site, the
/// kiosks' state (last seen, screens, ticket), renaming kiosks, the national calendar, and hours
/// that contradict themselves.
@Suite("site operations over TLS")
struct SiteOperationsTests {
    static let site = "huayang-feiyueli"

    static func kiosks(_ fixture: QueueFixture) async throws -> [KioskView] {
        let reply = try await fixture.server.call(.GET, "/api/v1/sites/\(site)/kiosks", token: fixture.adminToken)
        #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
        return try reply.decode([KioskView].self)
    }

    /// Asks the kiosk list until `kiosk` satisfies `match` (the live connection's end is seen a moment after the client's).
    static func waitForKiosk(_ fixture: QueueFixture, _ kiosk: Int64, _ match: @Sendable (KioskView) -> Bool) async throws -> KioskView {
        let deadline = ContinuousClock.now + .seconds(15)
        var last: KioskView?
        while ContinuousClock.now < deadline {
            last = try await kiosks(fixture).first { $0.id == kiosk }
            if let last, match(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("kiosk \(kiosk) never matched; last seen as \(String(describing: last))")
        return try #require(last)
    }

    @Test("a manager renames a site, by the same rules as a new one")
    func renameSite() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let renamed = try await server.call(
                .PUT, "/api/v1/sites/\(Self.site)", token: fixture.adminToken,
                json: RenameSiteRequest(name: LocalizedText(zh: "华阳路街道翡悦里延伸点（新）", en: "Huayang Feiyueli (new)")))
            #expect(renamed.status == 200, "\(String(decoding: renamed.body, as: UTF8.self))")
            #expect(try renamed.decode(SiteView.self).name.zh == "华阳路街道翡悦里延伸点（新）")
            let listed = try await server.call(.GET, "/api/v1/sites", token: fixture.adminToken).decode([SiteView].self)
            #expect(listed.first { $0.code == Self.site }?.name.en == "Huayang Feiyueli (new)")
            // The kiosk reads the new name at once (the sites are held in memory).
            let own = try await server.call(.GET, "/api/v1/kiosk/site", token: fixture.kioskTokens[0]).decode(SiteView.self)
            #expect(own.name.zh == "华阳路街道翡悦里延伸点（新）")
            #expect(own.suspended == false)

            let empty = try await server.call(.PUT, "/api/v1/sites/\(Self.site)", token: fixture.adminToken, json: RenameSiteRequest(name: LocalizedText(zh: " ", en: "x")))
            #expect(empty.status == 400)
            #expect(try empty.decode(ErrorReply.self).error.code == "invalid_site")
            let control = try await server.call(.PUT, "/api/v1/sites/\(Self.site)", token: fixture.adminToken, json: RenameSiteRequest(name: LocalizedText(zh: "名\u{202E}", en: "x")))
            #expect(try control.decode(ErrorReply.self).error.code == "invalid_text")
            let missing = try await server.call(.PUT, "/api/v1/sites/nowhere", token: fixture.adminToken, json: RenameSiteRequest(name: LocalizedText(zh: "无", en: "")))
            #expect(missing.status == 404)
            let byKiosk = try await server.call(.PUT, "/api/v1/sites/\(Self.site)", token: fixture.kioskTokens[0], json: RenameSiteRequest(name: LocalizedText(zh: "无", en: "")))
            #expect(byKiosk.status == 403)
        }
    }

    @Test("a suspended site refuses new tickets with site_suspended and its reason; a waiting ticket is still offered; resumed, it takes tickets again")
    func suspendAndResume() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2)
            let before = try await fixture.takeTicket(kiosk: 0)
            #expect(before.status == 201, "\(String(decoding: before.body, as: UTF8.self))")
            let waiting = try #require(int64(before.json["id"]))

            let suspended = try await server.call(
                .PUT, "/api/v1/sites/\(Self.site)/suspension", token: fixture.adminToken, json: SiteSuspensionRequest(suspended: true, reason: "设备检修 / maintenance"))
            #expect(suspended.status == 200, "\(String(decoding: suspended.body, as: UTF8.self))")
            let view = try suspended.decode(SiteView.self)
            #expect(view.suspended == true && view.suspendedReason == "设备检修 / maintenance" && view.suspendedAt != nil)

            let refused = try await fixture.takeTicket(kiosk: 1)
            #expect(refused.status == 409)
            let error = try refused.decode(ErrorReply.self).error
            #expect(error.code == "site_suspended")
            #expect(error.message == "本延伸点暂停服务：设备检修 / maintenance / this site is suspended: 设备检修 / maintenance")
            let own = try await server.call(.GET, "/api/v1/kiosk/site", token: fixture.kioskTokens[1]).decode(SiteView.self)
            #expect(own.suspended == true && own.suspendedReason == "设备检修 / maintenance")

            // The ticket taken before is served all the same.
            #expect(try await fixture.clerk("wang", .put, "/api/v1/clerk/state", json: ["state": "available"]).status == 200)
            let offered = try await fixture.clerk("wang", .get, "/api/v1/clerk")
            #expect(int64((offered.json["offer"] as? [String: Any])?["ticket"]) == waiting)

            let resumed = try await server.call(.PUT, "/api/v1/sites/\(Self.site)/suspension", token: fixture.adminToken, json: SiteSuspensionRequest(suspended: false))
            #expect(resumed.status == 200)
            let back = try resumed.decode(SiteView.self)
            #expect(back.suspended == false && back.suspendedReason == nil && back.suspendedAt == nil)
            let taken = try await fixture.takeTicket(kiosk: 1)
            #expect(taken.status == 201, "\(String(decoding: taken.body, as: UTF8.self))")

            // Without a reason the refusal says only that the site is suspended.
            #expect(try await server.call(.PUT, "/api/v1/sites/\(Self.site)/suspension", token: fixture.adminToken, json: SiteSuspensionRequest(suspended: true)).status == 200)
            let second = try #require(int64(taken.json["id"]))
            #expect(try await server.call(.DELETE, "/api/v1/tickets/\(second)", token: fixture.kioskTokens[1]).status == 200)
            let plain = try await fixture.takeTicket(kiosk: 1)
            #expect(try plain.decode(ErrorReply.self).error.message == "本延伸点暂停服务 / this site is suspended")
            let badReason = try await server.call(
                .PUT, "/api/v1/sites/\(Self.site)/suspension", token: fixture.adminToken, json: SiteSuspensionRequest(suspended: true, reason: "a\u{0}b"))
            #expect(try badReason.decode(ErrorReply.self).error.code == "invalid_text")
            let unknown = try await server.call(.PUT, "/api/v1/sites/nowhere/suspension", token: fixture.adminToken, json: SiteSuspensionRequest(suspended: true))
            #expect(unknown.status == 404)
        }
    }

    @Test("the kiosk list shows when a kiosk was last seen, screen A while its live connection is open, its ticket, and revoked kiosks")
    func kioskState() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2)
            let kiosk = fixture.kioskIDs[0]
            let before = try await Self.kiosks(fixture)
            let fresh = try #require(before.first { $0.id == kiosk })
            #expect(fresh.lastSeenAt == nil && fresh.screenA == false && fresh.screenB == false && fresh.screenBPaired == false && fresh.ticket == nil)

            let live = LiveClient(server: server, token: fixture.kioskTokens[0])
            _ = try await live.next("idle")
            let connected = try await Self.waitForKiosk(fixture, kiosk) { $0.screenA == true && $0.lastSeenAt != nil }
            #expect(connected.screenB == false)
            let openedAt = try #require(connected.lastSeenAt)

            let taken = try await fixture.takeTicket(kiosk: 0)
            #expect(taken.status == 201)
            let during = try await Self.kiosks(fixture)
            let withTicket = try #require(during.first { $0.id == kiosk })
            #expect(withTicket.ticket?.number == taken.json["number"] as? String)
            #expect(withTicket.ticket?.id == int64(taken.json["id"]))
            #expect(withTicket.ticket?.state == .waiting)
            #expect(withTicket.ticket?.itemCode == "JZZ-001")

            await live.close()
            let gone = try await Self.waitForKiosk(fixture, kiosk) { $0.screenA == false }
            let closedAt = try #require(gone.lastSeenAt)
            #expect(closedAt >= openedAt)
            // The other kiosk was never connected.
            let other = fixture.kioskIDs[1]
            let never = try await Self.kiosks(fixture).first { $0.id == other }
            #expect(never?.lastSeenAt == nil)

            // Revoked kiosks stay in the list, marked.
            #expect(try await server.call(.DELETE, "/api/v1/kiosks/\(fixture.kioskIDs[1])", token: fixture.adminToken).status == 204)
            let listed = try await Self.kiosks(fixture)
            let revoked = try #require(listed.first { $0.id == other })
            #expect(revoked.revoked && revoked.screenA == false && revoked.credential == nil)
        }
    }

    @Test("a manager renames a kiosk; an empty name and a revoked kiosk are refused")
    func renameKiosk() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server, kiosks: 2)
            let kiosk = fixture.kioskIDs[0]
            let renamed = try await server.call(.PUT, "/api/v1/kiosks/\(kiosk)", token: fixture.adminToken, json: RenameKioskRequest(name: "  大厅一体机  "))
            #expect(renamed.status == 200, "\(String(decoding: renamed.body, as: UTF8.self))")
            let view = try renamed.decode(KioskView.self)
            #expect(view.name == "大厅一体机" && view.site == Self.site && view.credential == nil)
            #expect(try await Self.kiosks(fixture).first { $0.id == kiosk }?.name == "大厅一体机")
            // The credential still works after a rename.
            #expect(try await server.call(.GET, "/api/v1/kiosk/site", token: fixture.kioskTokens[0]).status == 200)

            let empty = try await server.call(.PUT, "/api/v1/kiosks/\(kiosk)", token: fixture.adminToken, json: RenameKioskRequest(name: "   "))
            #expect(empty.status == 400)
            #expect(try empty.decode(ErrorReply.self).error.code == "invalid_kiosk")
            #expect(try await server.call(.DELETE, "/api/v1/kiosks/\(fixture.kioskIDs[1])", token: fixture.adminToken).status == 204)
            let revoked = try await server.call(.PUT, "/api/v1/kiosks/\(fixture.kioskIDs[1])", token: fixture.adminToken, json: RenameKioskRequest(name: "旧机"))
            #expect(revoked.status == 404)
            let missing = try await server.call(.PUT, "/api/v1/kiosks/999999", token: fixture.adminToken, json: RenameKioskRequest(name: "无"))
            #expect(missing.status == 404)
        }
    }

    @Test("the 2026 national calendar is served to managers; a year the server lacks is 404")
    func calendar() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let reply = try await server.call(.GET, "/api/v1/calendar/2026", token: fixture.adminToken)
            #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            let calendar = try reply.decode(CalendarView.self)
            #expect(calendar.year == 2026 && calendar.source.contains("国务院办公厅"))
            #expect(calendar.holidays.count == 33)
            #expect(calendar.holidays.first == "2026-01-01" && calendar.holidays.contains("2026-02-17") && calendar.holidays.last == "2026-10-07")
            #expect(calendar.adjustedWorkdays == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"])
            #expect(Set(calendar.holidays).isDisjoint(with: calendar.adjustedWorkdays))

            let missing = try await server.call(.GET, "/api/v1/calendar/2031", token: fixture.adminToken)
            #expect(missing.status == 404)
            #expect(try missing.decode(ErrorReply.self).error.code == "not_found")
            #expect(try await server.call(.GET, "/api/v1/calendar/2026", token: fixture.kioskTokens[0]).status == 403)
            #expect(try await server.call(.GET, "/api/v1/calendar/2026", token: fixture.clerkTokens["wang"]!).status == 403)

            // The whole schedule, as the console loads it, is valid hours for a site.
            var workdays: [String: [HoursView.Interval]] = [:]
            for day in calendar.adjustedWorkdays { workdays[day] = [.init(open: "09:00", close: "17:00")] }
            let hours = HoursView(weekly: ["1": [.init(open: "09:00", close: "17:00")]], holidays: calendar.holidays, workdays: workdays)
            let saved = try await server.call(.PUT, "/api/v1/sites/\(Self.site)/hours", token: fixture.adminToken, json: hours)
            #expect(saved.status == 200, "\(String(decoding: saved.body, as: UTF8.self))")
            #expect(try saved.decode(SiteView.self).hours.holidays?.count == 33)
        }
    }

    @Test("hours with a date both a holiday and an adjusted working day are refused with invalid_hours")
    func holidayAndWorkday() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let both = HoursView(
                weekly: ["1": [.init(open: "09:00", close: "12:00"), .init(open: "13:00", close: "17:00")]],
                holidays: ["2026-10-01", "2026-10-10"], workdays: ["2026-10-10": [.init(open: "09:00", close: "17:00")]])
            let reply = try await server.call(.PUT, "/api/v1/sites/\(Self.site)/hours", token: fixture.adminToken, json: both)
            #expect(reply.status == 400)
            let error = try reply.decode(ErrorReply.self).error
            #expect(error.code == "invalid_hours")
            #expect(error.message.contains("2026-10-10"))
            let impossible = HoursView(weekly: [:], holidays: ["2026-02-30"])
            #expect(try await server.call(.PUT, "/api/v1/sites/\(Self.site)/hours", token: fixture.adminToken, json: impossible).decode(ErrorReply.self).error.code == "invalid_hours")
        }
    }
}
