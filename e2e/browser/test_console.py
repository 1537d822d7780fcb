"""Browser tests of the agent console: Debian's chromium driven by Python playwright against a
real windowd (HTTPS + WSS on 127.0.0.1, a fresh data folder). Kiosks and setup go through the API.

Run with e2e/browser-test.sh (expects .build/debug/windowd). Screenshots go to
$RW_SCREENSHOTS (default /tmp/rw-console-screenshots)."""
import re
import time
import urllib.parse

from playwright.sync_api import expect

from rwkit import PASSWORD, go_available, png, shot, sign_in, totp, upload


# -------------------------------------------------------------------------------------- tests


def test_clerk_handles_a_case_from_offer_to_done(server, page):
    server.clerk("flow-clerk", ["residence"], window="03", display="王晓静")
    sign_in(page, server, "flow-clerk")
    expect(page.locator("#me-name")).to_have_text("王晓静")
    expect(page.locator("#conn")).to_have_attribute("data-state", "open")
    go_available(page)

    # A kiosk takes a number; the offer shows up without a reload.
    ticket, kiosk = server.ticket("JZZ-001")
    offer = page.locator("#view-offer")
    expect(offer).to_be_visible()
    expect(page.locator("#offer-number")).to_have_text(ticket["number"])
    expect(page.locator("#offer-item")).to_contain_text("居住证新办")
    seconds = int(page.locator("#offer-seconds").inner_text())
    assert 0 < seconds <= 30

    page.click("#offer-accept")
    case = page.locator("#view-case")
    expect(case).to_be_visible()
    expect(page.locator("#case-number")).to_have_text(ticket["number"])
    expect(page.locator("#case-item")).to_contain_text("居住证新办")
    expect(page.locator("#checklist li")).to_have_count(5)  # the item's materials from the catalog
    expect(page.locator("#guide")).to_contain_text("远程窗口工作人员")
    session = int(case.get_attribute("data-session"))

    # The worker hands over two scans; they appear live.
    first = upload(server, kiosk, session, "居住证申请表", png(360, 240, (210, 224, 240)))
    second = upload(server, kiosk, session, "身份证正面", png(320, 200, (236, 222, 200)))
    rows = page.locator("#material-list li.material")
    expect(rows).to_have_count(2)
    first_row = page.locator(f"#material-list li.material[data-id='{first['id']}']")
    second_row = page.locator(f"#material-list li.material[data-id='{second['id']}']")
    expect(first_row).to_have_attribute("data-status", "pending")

    # Each one can be looked at: the image inline, from the server's bytes.
    first_row.locator(".act-view").click()
    viewer = page.locator("#viewer")
    expect(viewer).to_be_visible()
    expect(page.locator("#viewer-name")).to_have_text("居住证申请表")
    image = page.locator("#viewer-body img.viewer-image")
    expect(image).to_be_visible()
    page.wait_for_function("() => { const i = document.querySelector('#viewer-body img'); return i && i.complete && i.naturalWidth === 360; }")
    assert image.get_attribute("src").startswith("blob:")
    shot(page, "clerk-material-viewer.png")
    page.click("#viewer-next")
    expect(page.locator("#viewer-name")).to_have_text("身份证正面")
    page.wait_for_function("() => { const i = document.querySelector('#viewer-body img'); return i && i.complete && i.naturalWidth === 320; }")
    page.click("#viewer-close")
    expect(viewer).to_be_hidden()

    # Reject the first with a reason (none given is refused on the page), accept the second.
    first_row.locator(".act-reject").click()
    first_row.locator(".act-confirm-reject").click()
    expect(first_row.locator(".reject-reason")).to_have_class("reject-reason is-invalid")
    expect(first_row).to_have_attribute("data-status", "pending")
    first_row.locator(".reason-chip").first.click()
    first_row.locator(".reject-reason").fill("图像不清晰，请重新拍摄")
    first_row.locator(".act-confirm-reject").click()
    expect(first_row).to_have_attribute("data-status", "rejected")
    expect(first_row.locator(".material-reason")).to_contain_text("图像不清晰，请重新拍摄")
    second_row.locator(".act-accept").click()
    expect(second_row).to_have_attribute("data-status", "accepted")
    expect(page.locator("#materials-count")).to_have_text("2/2")

    reviewed = {m["id"]: m for m in server.ok("GET", f"/api/v1/sessions/{session}", token=kiosk)["materials"]}
    assert reviewed[first["id"]]["status"] == "rejected"
    assert reviewed[first["id"]]["reason"] == "图像不清晰，请重新拍摄"
    assert reviewed[second["id"]]["status"] == "accepted"

    page.locator("#checklist input[type=checkbox]").first.check()
    page.fill("#notes", "材料齐全，当场受理。")
    page.click("#outcomes [data-outcome='completed']")
    shot(page, "clerk-case.png", full_page=True)

    # End with 办结: wrap-up shows the case number the kiosk also sees.
    page.click("#end-session")
    expect(page.locator("#view-wrapup")).to_be_visible()
    expect(page.locator("#state-badge")).to_contain_text("整理中")
    case_number = page.locator("#last-case-number")
    expect(case_number).to_have_text(re.compile(r"^RW\d{8}-\d+$"))
    shot(page, "clerk-wrapup.png")

    seen = server.ok("GET", f"/api/v1/tickets/{ticket['id']}", token=kiosk)
    assert seen["state"] == "done"
    assert seen["session"]["outcome"] == "completed"
    assert seen["session"]["caseNumber"] == case_number.inner_text()
    stored = server.ok("GET", f"/api/v1/sessions/{session}", token=kiosk)
    assert stored["notes"] == "材料齐全，当场受理。"

    page.click("#ready")
    expect(page.locator("#view-idle")).to_have_attribute("data-kind", "available")
    page.click("#state-control [data-choice='offline']")
    expect(page.locator("#view-idle")).to_have_attribute("data-kind", "offline")


def test_reload_brings_back_the_same_offer_and_case(server, page):
    server.clerk("reload-clerk", ["social-insurance"], window="04")
    sign_in(page, server, "reload-clerk")
    go_available(page)
    ticket, kiosk = server.ticket("SB-001")

    expect(page.locator("#offer-number")).to_have_text(ticket["number"])
    page.reload()
    expect(page.locator("#view-offer")).to_be_visible()
    expect(page.locator("#offer-number")).to_have_text(ticket["number"])

    page.click("#offer-accept")
    expect(page.locator("#case-number")).to_have_text(ticket["number"])
    session = page.locator("#view-case").get_attribute("data-session")
    upload(server, kiosk, int(session), "参保证明", png(200, 140, (220, 235, 220)))
    expect(page.locator("#material-list li.material")).to_have_count(1)
    page.fill("#notes", "等待办事人补充")

    page.reload()
    expect(page.locator("#view-case")).to_be_visible()
    expect(page.locator("#case-number")).to_have_text(ticket["number"])
    expect(page.locator("#view-case")).to_have_attribute("data-session", session)
    expect(page.locator("#material-list li.material")).to_have_count(1)
    expect(page.locator("#notes")).to_have_value("等待办事人补充")
    expect(page.locator("#conn")).to_have_attribute("data-state", "open")

    page.click("#outcomes [data-outcome='needs-materials']")
    page.click("#end-session")
    expect(page.locator("#view-wrapup")).to_be_visible()
    seen = server.ok("GET", f"/api/v1/tickets/{ticket['id']}", token=kiosk)
    assert seen["session"]["outcome"] == "needs-materials"
    page.click("#state-control [data-choice='offline']")
    expect(page.locator("#view-idle")).to_have_attribute("data-kind", "offline")


def test_an_answer_that_arrives_after_a_newer_push_does_not_hide_the_offer(server, page):
    """The clerk goes available and a ticket is offered at once: the offer's push can reach the page
    before the answer to 'available'. Here the answer is held until the offer shows, then let go."""
    server.clerk("race-clerk", ["maternity"], window="05")
    sign_in(page, server, "race-clerk")
    held = []

    def hold(route):
        held.append((route, route.fetch()))

    page.route("**/api/v1/clerk/state", hold)
    page.click("#state-control [data-choice='available']")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the answer to 'available' was not seen"
    route, answer = held[0]
    assert answer.json()["state"] == "available" and "offer" not in answer.json()

    ticket, _ = server.ticket("SY-001")
    expect(page.locator("#view-offer")).to_be_visible()
    expect(page.locator("#offer-number")).to_have_text(ticket["number"])
    route.fulfill(response=answer)
    page.unroute("**/api/v1/clerk/state")
    page.wait_for_timeout(500)  # the old answer is in; it must change nothing
    expect(page.locator("#view-offer")).to_be_visible()
    page.click("#offer-accept")
    expect(page.locator("#case-number")).to_have_text(ticket["number"])
    page.click("#outcomes [data-outcome='completed']")
    page.click("#end-session")
    expect(page.locator("#view-wrapup")).to_be_visible()
    page.click("#state-control [data-choice='offline']")
    expect(page.locator("#view-idle")).to_have_attribute("data-kind", "offline")


def test_a_clerk_cannot_open_the_board(server, context):
    # Not signed in: the board sends people to sign in.
    page = context.open_page()
    page.goto(f"{server.base}/console/board.html")
    page.wait_for_url("**/console/?next=*")
    expect(page.locator("#login-form")).to_be_visible()

    # Signed in as a clerk: refused, and no board data reaches the page.
    server.clerk("nosy-clerk", ["residence"], window="05")
    page.fill("#username", "nosy-clerk")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/console/clerk.html")  # a clerk is not sent on to the board
    expect(page.locator("#conn")).to_have_attribute("data-state", "open")
    status = page.evaluate("fetch('/api/v1/queue').then(r => r.status)")
    assert status == 403
    # And the cookie alone cannot change anything: the CSRF header is required.
    context.allowed_without_csrf.add(("PUT", "/api/v1/clerk/state"))
    refused = page.evaluate("fetch('/api/v1/clerk/state', {method: 'PUT', headers: {'Content-Type': 'application/json'},"
                            " body: JSON.stringify({state: 'available'})}).then(async r => [r.status, (await r.json()).error.code])")
    assert refused == [403, "csrf_failed"]

    response = page.goto(f"{server.base}/console/board.html")
    assert response.status == 403
    assert page.locator("#lines-body").count() == 0
    expect(page.locator("body")).to_contain_text("无权访问")


def test_five_wrong_passwords_lock_the_account(server, page):
    server.clerk("lock-clerk", ["residence"], window="06")
    page.goto(f"{server.base}/console/")
    message = page.locator("#login-message")
    codes = []
    for attempt in range(5):
        page.fill("#username", "lock-clerk")
        page.fill("#password", f"wrong-password-{attempt}")
        with page.expect_response("**/api/v1/auth/login", timeout=30_000) as answer:
            page.click("#login-submit")
        codes.append(answer.value.status)
        expect(page.locator("#login-submit")).to_be_enabled()
    assert codes[:4] == [401, 401, 401, 401], codes
    assert codes[4] == 423, codes
    expect(message).to_have_attribute("data-code", "account_locked")
    expect(message).to_contain_text("账户已锁定")
    expect(message).to_contain_text("Account locked until")

    # The right password is refused too while the lock lasts.
    page.fill("#password", PASSWORD)
    with page.expect_response("**/api/v1/auth/login") as answer:
        page.click("#login-submit")
    assert answer.value.status == 423
    expect(message).to_have_attribute("data-code", "account_locked")
    assert page.url.endswith("/console/")
    status, result = server.api("POST", "/api/v1/auth/login", {"username": "lock-clerk", "password": PASSWORD})
    assert status == 423 and result["error"]["code"] == "account_locked"
    shot(page, "login-locked.png")


def test_an_account_with_totp_is_asked_for_the_code(server, page):
    server.ok("POST", "/api/v1/accounts", {"username": "totp-manager", "displayName": "钱经理", "password": PASSWORD, "role": "manager"},
              server.admin)
    token = server.login_token("totp-manager")
    setup = server.ok("POST", "/api/v1/auth/totp/setup", {}, token)
    secret = urllib.parse.parse_qs(urllib.parse.urlsplit(setup["otpauthURL"]).query)["secret"][0]
    server.ok("POST", "/api/v1/auth/totp/enable", {"code": totp(secret)}, token)

    page.goto(f"{server.base}/console/")
    totp_field = page.locator("#totp-field")
    expect(totp_field).to_be_hidden()
    page.fill("#username", "totp-manager")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(totp_field).to_be_visible()
    expect(page.locator("#login-message")).to_have_attribute("data-code", "totp_required")
    expect(page.locator("#totp")).to_be_focused()

    page.fill("#totp", "12345")  # too short: checked on the page
    page.click("#login-submit")
    expect(page.locator("#login-message")).to_have_attribute("data-code", "totp_format")
    wrong = f"{(int(totp(secret)) + 500_000) % 1_000_000:06d}"
    page.fill("#totp", wrong)
    with page.expect_response("**/api/v1/auth/login") as answer:
        page.click("#login-submit")
    assert answer.value.status == 401
    expect(page.locator("#login-message")).to_contain_text("动态口令错误")

    page.fill("#totp", totp(secret))
    page.click("#login-submit")
    page.wait_for_url("**/console/board.html")
    expect(page.locator("#me-name")).to_have_text("钱经理")


def test_the_board_shows_queues_and_clerks_live(server, page):
    server.ok("POST", "/api/v1/accounts", {"username": "duty-manager", "displayName": "刘主任", "password": PASSWORD, "role": "manager"},
              server.admin)
    # A clerk in a case (driven through the API), and a line with nobody to serve it.
    server.clerk("board-clerk", ["housing-fund"], window="07", display="赵磊")
    clerk = server.login_token("board-clerk")
    server.ok("PUT", "/api/v1/clerk/state", {"state": "available"}, clerk)
    busy, _ = server.ticket("GJJ-001")
    server.ok("POST", "/api/v1/clerk/offer/accept", {"ticket": busy["id"]}, clerk)

    sign_in(page, server, "duty-manager", lands_on="board.html")
    row = page.locator("#clerks-body tr", has_text="赵磊")
    expect(row).to_have_attribute("data-state", "in-session")
    expect(row).to_contain_text(busy["number"])

    # Nobody serves maternity here: tickets wait, and the board shows them without a reload.
    line = page.locator("#lines-body tr[data-category='maternity']")
    expect(line).to_have_count(0)
    server.ticket("SY-001")
    expect(line.locator("td.waiting")).to_have_text("1")
    server.ticket("SY-002")
    expect(line.locator("td.waiting")).to_have_text("2")
    expect(page.locator("#today [data-key='waiting'] .stat-value")).not_to_have_text("0")
    expect(page.locator("#conn")).to_have_attribute("data-state", "open")
    shot(page, "board.png")

    # The case ends: the clerk's row follows.
    server.ok("POST", f"/api/v1/sessions/{server.ok('GET', '/api/v1/clerk', token=clerk)['session']['id']}/end",
              {"outcome": "completed"}, clerk)
    expect(row).to_have_attribute("data-state", "wrap-up")


def test_a_dropped_connection_shows_a_banner_and_comes_back_to_the_case(server, page):
    server.clerk("drop-clerk", ["medical-insurance"], window="08")
    sign_in(page, server, "drop-clerk")
    go_available(page)
    ticket, kiosk = server.ticket("YB-001")
    page.click("#offer-accept")
    expect(page.locator("#case-number")).to_have_text(ticket["number"])
    page.fill("#notes", "断线前写的备注")

    # The server goes away (and comes back on the same port, from its database).
    server.kill()
    banner = page.locator("#banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("连接已断开")
    expect(page.locator("#conn")).to_have_attribute("data-state", "closed")
    shot(page, "clerk-disconnected.png")
    server.start()

    expect(banner).to_be_hidden(timeout=30_000)
    expect(page.locator("#conn")).to_have_attribute("data-state", "open")
    expect(page.locator("#view-case")).to_be_visible()
    expect(page.locator("#case-number")).to_have_text(ticket["number"])
    expect(page.locator("#notes")).to_have_value("断线前写的备注")

    # And the page still works: a material uploaded now shows up, and the case can be ended.
    session = int(page.locator("#view-case").get_attribute("data-session"))
    upload(server, kiosk, session, "就医记录册", png(200, 140, (230, 230, 210)))
    expect(page.locator("#material-list li.material")).to_have_count(1)
    page.click("#outcomes [data-outcome='referred-offline']")
    page.click("#end-session")
    expect(page.locator("#view-wrapup")).to_be_visible()
    assert server.ok("GET", f"/api/v1/tickets/{ticket['id']}", token=kiosk)["session"]["outcome"] == "referred-offline"


def test_a_case_is_transferred_to_another_skill(server, page):
    server.clerk("first-clerk", ["employment"], window="09", display="孙浩")
    server.clerk("elderly-clerk", ["elderly"], window="10", display="周婷")
    sign_in(page, server, "first-clerk")
    go_available(page)
    ticket, kiosk = server.ticket("JY-001")
    page.click("#offer-accept")
    expect(page.locator("#case-number")).to_have_text(ticket["number"])

    page.click("#transfer summary")
    target = page.locator("#transfer-target")
    expect(target.locator("option[value='category:elderly']")).to_have_count(1)
    expect(target.locator("option", has_text="周婷")).to_have_count(1)  # colleagues are offered too
    page.fill("#notes", "需老年服务窗口办理")
    target.select_option("category:elderly")
    page.click("#transfer-go")
    expect(page.locator("#view-wrapup")).to_be_visible()
    expect(page.locator("#last-case")).to_contain_text("已转办")

    # The ticket is back in line for the new skill, and a clerk with it is offered the case.
    elderly = server.login_token("elderly-clerk")
    view = server.ok("PUT", "/api/v1/clerk/state", {"state": "available"}, elderly)
    deadline = time.time() + 10
    while not view.get("offer") and time.time() < deadline:
        time.sleep(0.2)
        view = server.ok("GET", "/api/v1/clerk", token=elderly)
    assert view["offer"]["ticket"] == ticket["id"]
    assert view["offer"]["category"] == "elderly"
    server.ok("POST", "/api/v1/clerk/offer/decline", {"ticket": ticket["id"]}, elderly)
    server.ok("PUT", "/api/v1/clerk/state", {"state": "offline"}, elderly)


def test_a_manager_creates_a_clerk_sets_skills_and_resets_the_password(server, page):
    server.ok("POST", "/api/v1/accounts", {"username": "staff-manager", "displayName": "钱经理", "password": PASSWORD, "role": "manager"},
              server.admin)
    sign_in(page, server, "staff-manager", lands_on="board.html")
    page.click("a[href='/console/clerks.html']")
    page.wait_for_url("**/console/clerks.html")

    # Create: a clerk with one skill.
    page.fill("#new-username", "new-clerk")
    page.fill("#new-name", "孙新")
    page.fill("#new-window", "12")
    page.fill("#new-password", "first password 1")
    page.check("#new-skills input[value='residence']")
    page.click("#create-button")
    row = page.locator("#clerks-body tr", has_text="孙新")
    expect(row).to_have_count(1)
    clerk_id = row.get_attribute("data-clerk")

    # A bad password is refused with the server's message, and nothing changes.
    row.locator("input[type=password]").fill("short")
    row.locator("button[data-action=reset]").click()
    expect(page.locator(".toast-error")).to_contain_text("10")

    # Skills: add social insurance, save; the server has it.
    row.locator("input[value='social-insurance']").check()
    # Wait for the save itself: the checkbox is checked by the click alone, before the server answers.
    with page.expect_response(lambda r: r.request.method == "PATCH" and "/api/v1/clerks/" in r.url) as saved:
        row.locator("button[data-action=save]").click()
    assert saved.value.status == 200
    expect(page.locator("#clerks-body tr", has_text="孙新").locator("input[value='social-insurance']")).to_be_checked()
    clerks = server.ok("GET", "/api/v1/clerks", token=server.admin)["clerks"]
    assert sorted(next(c for c in clerks if str(c["id"]) == clerk_id)["skills"]) == ["residence", "social-insurance"]

    # Reset the password: the new one signs in, the old one no longer does.
    row = page.locator("#clerks-body tr", has_text="孙新")
    row.locator("input[type=password]").fill("second password 2")
    row.locator("button[data-action=reset]").click()
    expect(page.locator(".toast").last).to_contain_text("Password reset")
    status, _ = server.api("POST", "/api/v1/auth/login", {"username": "new-clerk", "password": "second password 2"})
    assert status == 200
    status, _ = server.api("POST", "/api/v1/auth/login", {"username": "new-clerk", "password": "first password 1"})
    assert status == 401
    shot(page, "clerks.png")

    # A clerk may not open the page.
    other = page.context.new_page()
    other.context.clear_cookies()
    sign_in(other, server, "new-clerk", password="second password 2")
    response = other.goto(f"{server.base}/console/clerks.html")
    assert response.status == 403
