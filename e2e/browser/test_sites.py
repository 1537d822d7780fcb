"""Browser tests of sites and kiosks (sites.html): a manager creates a site, sets its hours with
several ranges a day, loads the national holidays, keeps them over a reload, sees an impossible
date refused with the server's own message; issues a kiosk whose credential is shown once and
works, watches its screen A connect, renames and revokes it; suspends and resumes a site while
its kiosk's ticket shows in the list.

Run like test_console.py (e2e/browser-test.sh)."""
import re

from playwright.sync_api import expect

from rwkit import ALWAYS_OPEN, shot, sign_in, wait_for

SITE = "xuhui-tianping"


def open_sites_page(page, server, username):
    sign_in(page, server, username, lands_on="board.html")
    page.click("header.topbar a[href='/console/sites.html']")
    page.wait_for_url("**/console/sites.html*")
    expect(page.locator("#conn")).to_have_attribute("data-state", "open")


def monday(page):
    return page.locator("#weekly .day[data-day='1'] .range")


def site_hours(server, code):
    return next(site for site in server.ok("GET", "/api/v1/sites", token=server.admin) if site["code"] == code)["hours"]


def test_a_manager_sets_up_a_site_and_its_kiosk(server, page):
    server.manager("sites-manager", display="周经理")
    open_sites_page(page, server, "sites-manager")

    # A new site, chosen at once (its code in the address, so a reload comes back to it).
    page.fill("#new-site-code", SITE)
    page.fill("#new-site-zh", "徐汇区天平路街道延伸点")
    page.fill("#new-site-en", "Xuhui Tianping extension point")
    page.click("#new-site-create")
    expect(page.locator(f"#sites-body tr[data-site='{SITE}']")).to_have_count(1)
    page.wait_for_url(f"**/console/sites.html#site={SITE}")
    expect(page.locator("#site-code")).to_have_text(SITE)
    expect(page.locator("#site-title")).to_contain_text("天平路")

    # Monday: two ranges (the default 09:00–17:00 becomes 09:00–12:00, and 13:00–17:00 is added).
    expect(monday(page)).to_have_count(1)
    expect(monday(page).first.locator(".range-open")).to_have_value("09:00")
    monday(page).first.locator(".range-close").fill("12:00")
    page.click("#weekly .day[data-day='1'] .range-add")
    expect(monday(page)).to_have_count(2)
    monday(page).nth(1).locator(".range-open").fill("13:00")
    monday(page).nth(1).locator(".range-close").fill("17:00")

    # The 2026 national schedule fills both lists; adjusted working days get Monday's hours.
    expect(page.locator("#load-holidays")).to_contain_text("2026")
    page.click("#load-holidays")
    expect(page.locator("#holidays li.date-chip")).to_have_count(33)
    expect(page.locator("#holidays li.date-chip[data-date='2026-10-01']")).to_have_count(1)
    workdays = page.locator("#workdays .workday")
    expect(workdays).to_have_count(6)
    national_day_workday = page.locator("#workdays .workday[data-date='2026-10-10'] .range")
    expect(national_day_workday).to_have_count(2)
    expect(national_day_workday.nth(1).locator(".range-open")).to_have_value("13:00")
    expect(page.locator("#hours-message")).to_contain_text("33")

    # One more holiday of the site's own.
    page.fill("#holiday-input", "2026-12-31")
    page.click("#holiday-add")
    expect(page.locator("#holidays li.date-chip[data-date='2026-12-31']")).to_have_count(1)
    page.click("#hours-save")
    expect(page.locator("#hours-message")).to_have_class(re.compile(r"form-message-ok"))
    hours = site_hours(server, SITE)
    assert hours["weekly"]["1"] == [{"open": "09:00", "close": "12:00"}, {"open": "13:00", "close": "17:00"}]
    assert len(hours["holidays"]) == 34 and "2026-12-31" in hours["holidays"] and "2026-02-17" in hours["holidays"]
    assert sorted(hours["workdays"]) == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    assert hours["workdays"]["2026-10-10"] == hours["weekly"]["1"]
    shot(page, "sites-hours.png", full_page=True)

    # Kept over a reload.
    page.reload()
    expect(page.locator("#site-code")).to_have_text(SITE)
    expect(monday(page)).to_have_count(2)
    expect(monday(page).nth(0).locator(".range-close")).to_have_value("12:00")
    expect(monday(page).nth(1).locator(".range-open")).to_have_value("13:00")
    expect(page.locator("#holidays li.date-chip")).to_have_count(34)
    expect(page.locator("#holidays li.date-chip[data-date='2026-12-31']")).to_have_count(1)
    expect(page.locator("#workdays .workday")).to_have_count(6)

    # An impossible date is refused by the server, whose message shows beside the form; nothing is stored.
    page.fill("#holiday-input", "2026-02-30")
    page.click("#holiday-add")
    page.click("#hours-save")
    message = page.locator("#hours-message")
    expect(message).to_have_class(re.compile(r"form-message-error"))
    expect(message).to_contain_text("2026-02-30")
    expect(message).to_contain_text("YYYY-MM-DD")
    assert "2026-02-30" not in site_hours(server, SITE)["holidays"]
    page.click("#holidays li.date-chip[data-date='2026-02-30'] .date-remove")
    expect(page.locator("#holidays li.date-chip")).to_have_count(34)

    # A kiosk: its credential is shown once, in a dialog with a copy button and a warning.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
    page.fill("#new-kiosk-name", "大厅一体机 1")
    page.click("#new-kiosk-issue")
    dialog = page.locator("#credential-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("只显示这一次")
    expect(dialog).to_contain_text("shown this once")
    credential = page.locator("#credential-value").input_value()
    assert credential.startswith("rwk_")
    page.click("#credential-copy")
    expect(page.locator("#credential-copied")).to_be_visible()
    expect(page.locator("#credential-copied")).to_contain_text("已复制")
    shot(page, "sites-credential.png")
    page.click("#credential-close")
    expect(dialog).to_be_hidden()
    expect(page.locator("#credential-value")).to_have_value("")

    # The credential works.
    status, own = server.api("GET", "/api/v1/kiosk/site", token=credential)
    assert status == 200 and own["code"] == SITE and own.get("suspended") is False
    kiosk_id = server.ok("GET", "/api/v1/auth/me", token=credential)["kiosk"]

    # Listed, never seen, screen A not connected; a live connection with its credential connects screen A.
    row = page.locator(f"#kiosks-body tr[data-kiosk='{kiosk_id}']")
    expect(row.locator(".kiosk-label")).to_have_text("大厅一体机 1")
    screen_a = row.locator(".screen-a .screen-badge")
    expect(screen_a).to_have_attribute("data-state", "disconnected")
    expect(row.locator(".last-seen")).to_contain_text("从未连接")
    live = server.live(token=credential)
    try:
        assert live.receive(timeout=10) is not None  # its snapshot: the kiosk is connected
        expect(screen_a).to_have_attribute("data-state", "connected")
        expect(row.locator(".last-seen")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"))
        expect(row.locator(".screen-b .screen-badge")).to_have_attribute("data-state", "disconnected")
        shot(page, "sites-kiosks.png", full_page=True)

        # Renamed.
        row.locator(".kiosk-rename").click()
        row.locator(".kiosk-rename-input").fill("大厅一体机 A")
        row.locator(".kiosk-rename-save").click()
        expect(row.locator(".kiosk-label")).to_have_text("大厅一体机 A")
        names = [kiosk["name"] for kiosk in server.ok("GET", f"/api/v1/sites/{SITE}/kiosks", token=server.admin)]
        assert names == ["大厅一体机 A"]

        # Revoked after a confirmation: the credential is refused from then on.
        row.locator(".kiosk-revoke").click()
        expect(row).to_have_attribute("data-revoked", "false")
        row.locator(".kiosk-revoke-confirm").click()
        expect(row).to_have_attribute("data-revoked", "true")
        expect(row).to_contain_text("已吊销")
        assert server.api("GET", "/api/v1/kiosk/site", token=credential)[0] == 401
        wait_for(lambda: live.receive(timeout=0.5) is None and live.closed, message="the revoked kiosk's socket to close")
    finally:
        live.close()


def test_a_manager_renames_suspends_and_resumes_a_site(server, page):
    server.manager("suspend-manager", display="吴经理")
    code = "jingan-suspend"
    server.ok("POST", "/api/v1/sites", {"code": code, "name": {"zh": "静安暂停测试点", "en": "Jing'an"}, "hours": ALWAYS_OPEN}, server.admin)
    first = server.ok("POST", f"/api/v1/sites/{code}/kiosks", {"name": "一号机"}, server.admin)
    second = server.ok("POST", f"/api/v1/sites/{code}/kiosks", {"name": "二号机"}, server.admin)
    ticket = server.ok("POST", "/api/v1/tickets", {"item": "SY-001"}, first["credential"])
    try:
        open_sites_page(page, server, "suspend-manager")
        page.click(f"#sites-body tr[data-site='{code}'] a.site-link")
        page.wait_for_url(f"**/console/sites.html#site={code}")
        expect(page.locator("#site-code")).to_have_text(code)

        # The kiosk's live ticket shows in the list.
        row = page.locator(f"#kiosks-body tr[data-kiosk='{first['id']}']")
        expect(row.locator(".kiosk-ticket")).to_contain_text(ticket["number"])
        expect(row.locator(".kiosk-ticket")).to_have_attribute("data-state", "waiting")

        # Renamed.
        page.fill("#rename-zh", "静安区暂停测试延伸点")
        page.click("#rename-save")
        expect(page.locator("#rename-message")).to_have_class(re.compile(r"form-message-ok"))
        expect(page.locator(f"#sites-body tr[data-site='{code}']")).to_contain_text("静安区暂停测试延伸点")
        expect(page.locator("#site-title")).to_contain_text("静安区暂停测试延伸点")

        # Suspended with a reason: the other kiosk is refused, with the reason; the waiting ticket stays.
        page.fill("#suspend-reason", "设备检修")
        page.click("#suspend-button")
        expect(page.locator(f"#sites-body tr[data-site='{code}']")).to_have_attribute("data-suspended", "true")
        expect(page.locator("#suspension-state")).to_contain_text("设备检修")
        expect(page.locator("#resume-button")).to_be_visible()
        status, refused = server.api("POST", "/api/v1/tickets", {"item": "SY-001"}, second["credential"])
        assert status == 409 and refused["error"]["code"] == "site_suspended"
        assert "设备检修" in refused["error"]["message"]
        assert server.ok("GET", "/api/v1/kiosk/site", token=second["credential"])["suspended"] is True
        assert server.ok("GET", f"/api/v1/tickets/{ticket['id']}", token=first["credential"])["state"] == "waiting"
        shot(page, "sites-suspended.png", full_page=True)

        # Resumed: tickets again.
        page.click("#resume-button")
        expect(page.locator(f"#sites-body tr[data-site='{code}']")).to_have_attribute("data-suspended", "false")
        expect(page.locator("#suspend-button")).to_be_visible()
        again = server.ok("POST", "/api/v1/tickets", {"item": "SY-001"}, second["credential"])
        server.ok("DELETE", f"/api/v1/tickets/{again['id']}", token=second["credential"])
    finally:
        # Nothing left behind for other tests: the site in service, no ticket waiting, no kiosk.
        server.api("PUT", f"/api/v1/sites/{code}/suspension", {"suspended": False}, server.admin)
        server.api("DELETE", f"/api/v1/tickets/{ticket['id']}", token=server.admin)
        for kiosk in (first, second):
            server.api("DELETE", f"/api/v1/kiosks/{kiosk['id']}", token=server.admin)
