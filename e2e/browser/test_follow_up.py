"""Browser tests of 差评 and 补正 follow-up (docs/follow-up.md).

差评: sessions are served and rated through the API (a rating of 1 with a call-back number and
consent, and a rating of 2 without). In the console, manager A signs the first case and sees the
full number while manager B sees it masked; a step without a note and B's step on A's case are
refused with the server's reason shown; A contacts the applicant and classifies the rating as
mistaken (申诉复核); A cannot decide the appeal (same_manager shown); B upholds it and the case
closes, its steps listing who did each. The second case, left unsigned, shows its next step and
deadline in Shanghai time; then A takes it through every step (complex, with a plan date) to closed. Nothing can be overdue yet (the server's clock is real and the first
deadline is a working day away), so the board's 超期回访 badge shows 0 and is not highlighted; how
red looks is checked with the server's list answers changed on their way to the page.

补正: a clerk ends a case as 补正 on the clerk page with one material not ticked; the wrap-up shows
the reference; a kiosk takes a ticket with it (API); the same clerk, ready again, is offered the
return (补正回来) and, on accepting, sees the banner with the earlier notes, the missing material
and the material handed over the first time (viewable).

Everything runs in the certificates category (ZM-…), whose clerks here end offline.
Run like test_console.py (e2e/browser-test.sh)."""
import datetime
import re

from playwright.sync_api import expect

from rwkit import go_available, png, shot, sign_in, upload, wait_for, watched_context

PHONE = "13812345678"
MASKED = "138****5678"


def shanghai_deadline(iso):
    """A deadline as the page shows it: one that ends at midnight is "2026-11-30 24:00" (its last day)."""
    moment = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return (moment - datetime.timedelta(days=1)).strftime("%Y-%m-%d") + " 24:00"
    return moment.strftime("%Y-%m-%d %H:%M")


def offered(server, token, ticket):
    def check():
        view = server.ok("GET", "/api/v1/clerk", token=token)
        return view if (view.get("offer") or {}).get("ticket") == ticket else None

    return wait_for(check, message=f"the offer of ticket {ticket}")


def serve_and_rate(server, clerk, item, rating, before_rating=None):
    """A ticket served by `clerk` (a token), ended 办结 and rated by its kiosk; the session's view.
    `before_rating(session, kiosk)` runs between the end and the rating."""
    ticket, kiosk = server.ticket(item)
    offered(server, clerk, ticket["id"])
    server.ok("POST", "/api/v1/clerk/offer/accept", {"ticket": ticket["id"]}, clerk)
    session = server.ok("GET", "/api/v1/clerk", token=clerk)["session"]["id"]
    server.ok("POST", f"/api/v1/sessions/{session}/end", {"outcome": "completed", "notes": "已办结"}, clerk)
    if before_rating:
        before_rating(session, kiosk)
    server.ok("POST", f"/api/v1/sessions/{session}/rating", rating, kiosk)
    server.ok("POST", "/api/v1/clerk/ready", {}, clerk)
    return server.ok("GET", f"/api/v1/sessions/{session}", token=kiosk)


def case_of(server, case_number):
    cases = server.ok("GET", "/api/v1/follow-ups?kind=rating&state=all", token=server.admin)["cases"]
    return next(c for c in cases if c["caseNumber"] == case_number)


def test_a_low_rating_is_signed_contacted_appealed_and_closed_by_another_manager(server, page, browser):
    server.manager("fu-manager-a", display="张经理")
    server.manager("fu-manager-b", display="李经理")
    server.clerk("fu-rated-clerk", ["certificates"], window="41", display="评价测试员")
    clerk = server.login_token("fu-rated-clerk")
    server.ok("PUT", "/api/v1/clerk/state", {"state": "available"}, clerk)

    def refusals(session, kiosk):
        """A bad number, and a number without consent, are refused (and nothing is rated)."""
        for body, code in (({"level": 1, "callbackPhone": "12345", "phoneConsent": True}, "invalid_phone"),
                           ({"level": 1, "callbackPhone": PHONE}, "consent_required")):
            status, answer = server.api("POST", f"/api/v1/sessions/{session}/rating", body, kiosk)
            assert (status, answer["error"]["code"]) == (400, code), (status, answer)

    rated = serve_and_rate(server, clerk, "ZM-001", {"level": 1, "comment": "等了很久，态度不好", "callbackPhone": PHONE, "phoneConsent": True},
                           before_rating=refusals)
    unsigned = serve_and_rate(server, clerk, "ZM-004", {"level": 2})
    server.ok("PUT", "/api/v1/clerk/state", {"state": "offline"}, clerk)
    first = case_of(server, rated["caseNumber"])
    second = case_of(server, unsigned["caseNumber"])
    assert first["level"] == 1 and first["state"] == "open" and first.get("owner") is None
    assert second["nextStep"] == "contact" and second["nextDue"] and not second["overdue"]

    # The board: nothing overdue (the first deadline is a working day away), so no red badge.
    sign_in(page, server, "fu-manager-a", lands_on="board.html")
    badge = page.locator("#overdue-follow-ups")
    expect(badge).to_be_visible()
    expect(badge).to_have_attribute("data-count", "0")
    expect(badge).to_contain_text("超期回访")
    expect(badge).to_contain_text("Overdue follow-ups")
    assert "is-alert" not in (badge.get_attribute("class") or "")
    shot(page, "board-follow-ups.png")

    # The badge leads to the overdue list: empty, the count 0 and not red.
    badge.click()
    page.wait_for_url("**/console/follow-ups.html#state=overdue")
    expect(page.locator("#state-filter [data-state='overdue']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#cases-body")).to_contain_text("没有超期的跟进件")
    expect(page.locator("#overdue-count")).to_have_attribute("data-count", "0")
    assert "is-alert" not in (page.locator("#overdue-count").get_attribute("class") or "")

    # Open 差评: both cases, the unsigned one with its next step and deadline in Shanghai time.
    page.click("#kind-filter [data-kind='rating']")
    page.click("#state-filter [data-state='open']")
    row = page.locator(f"#cases-body tr[data-id='{second['id']}']")
    expect(row).to_be_visible()
    expect(row).to_have_attribute("data-overdue", "false")
    expect(row.locator(".fu-next")).to_contain_text("联系办事人")
    expect(row.locator(".fu-due")).to_have_text(shanghai_deadline(second["nextDue"]))
    expect(row.locator(".fu-owner")).to_contain_text("未签收")
    expect(row).to_contain_text("评价测试员")
    expect(row).to_contain_text("不满意")
    assert "is-overdue" not in (row.get_attribute("class") or "")
    shot(page, "follow-ups-list.png")

    # A opens the first case: masked until signed for.
    page.locator(f"#cases-body tr[data-id='{first['id']}'] a.case-link").click()
    case = page.locator("#case")
    expect(case).to_have_attribute("data-id", str(first["id"]))
    expect(case.locator("[data-fact='comment']")).to_contain_text("等了很久，态度不好")
    expect(case.locator("[data-fact='clerk']")).to_contain_text("评价测试员")
    expect(case.locator("[data-fact='item']")).to_contain_text("ZM-001")
    expect(case.locator("[data-fact='site']")).to_contain_text("浏览器测试站点")
    expect(page.locator("#phone")).to_have_text(MASKED)
    expect(page.locator("#phone-note")).to_contain_text("仅签收人可见完整号码")
    expect(page.locator("#deadlines-body tr")).to_have_count(3)
    expect(page.locator("#deadlines-body tr[data-step='contact']")).to_have_attribute("data-status", "pending")

    page.click("#case-actions [data-action='sign']")
    expect(case).to_have_attribute("data-owner", "fu-manager-a")
    expect(page.locator("#phone")).to_have_text(PHONE)
    expect(page.locator("#phone-note")).to_contain_text("您是签收人")

    # The contact needs a note: the server's refusal is shown, with the field marked.
    page.click("#case-actions [data-action='contact']")
    message = page.locator("#case-message")
    expect(message).to_have_attribute("data-code", "note_required")
    expect(message).to_contain_text("请填写说明")
    expect(page.locator("#action-note")).to_have_class(re.compile("is-invalid"))

    # Manager B: the number masked, and B cannot take A's case's steps.
    other = watched_context(browser)
    try:
        b = other.open_page()
        sign_in(b, server, "fu-manager-b", lands_on="board.html")
        b.goto(f"{server.base}/console/follow-ups.html#kind=rating&state=open&case={first['id']}")
        expect(b.locator("#case")).to_have_attribute("data-owner", "fu-manager-a")
        expect(b.locator("#phone")).to_have_text(MASKED)
        expect(b.locator("#phone-note")).to_contain_text("Only the case owner sees the full number")
        expect(b.locator("#owner-hint")).to_contain_text("fu-manager-a")
        b.fill("#action-note", "我来联系")
        b.click("#case-actions [data-action='contact']")
        expect(b.locator("#case-message")).to_have_attribute("data-code", "not_case_owner")
        expect(b.locator("#case-message")).to_contain_text("只有签收此件的管理员")
        shot(b, "follow-up-other-manager.png", full_page=True)

        # A contacts the applicant and holds the rating mistaken: 申诉复核.
        page.fill("#action-note", "已电话联系办事人，办事人表示误点了评价")
        page.click("#case-actions [data-action='contact']")
        expect(case).to_have_attribute("data-state", "contacted")
        expect(message).to_be_hidden()
        expect(page.locator("#deadlines-body tr[data-step='contact']")).to_have_attribute("data-status", "done")
        page.check("#case-actions input[name='classification'][value='mistaken']")
        page.fill("#action-note", "办事人误评，申请复核")
        page.click("#case-actions [data-action='classify']")
        expect(case).to_have_attribute("data-state", "appealing")

        # The owner cannot decide the appeal.
        page.fill("#action-note", "同意")
        page.click("#case-actions [data-action='appeal-upheld']")
        expect(message).to_have_attribute("data-code", "same_manager")
        expect(message).to_contain_text("另一位管理员")
        expect(message).to_contain_text("must be decided by another manager")
        expect(case).to_have_attribute("data-state", "appealing")
        shot(page, "follow-up-same-manager.png", full_page=True)

        # B decides: upheld; the case closes.
        b.reload()
        expect(b.locator("#case")).to_have_attribute("data-state", "appealing")
        b.fill("#action-note", "核实通话记录，确为误评")
        b.click("#case-actions [data-action='appeal-upheld']")
        expect(b.locator("#case")).to_have_attribute("data-state", "closed")
        expect(b.locator("#closed-hint")).to_contain_text("申诉成立")
        steps = b.locator("#steps-body tr").evaluate_all("rows => rows.map(r => [r.dataset.action, r.dataset.by])")
        assert steps == [["opened", "system"], ["signed", "fu-manager-a"], ["contacted", "fu-manager-a"],
                         ["appeal-requested", "fu-manager-a"], ["appeal-upheld", "fu-manager-b"]], steps
        expect(b.locator("#steps-body tr[data-action='appeal-upheld']")).to_contain_text("核实通话记录，确为误评")
        expect(b.locator("#steps-body tr[data-action='contacted']")).to_contain_text("已电话联系办事人")
        for step in ("contact", "rectify", "close"):
            expect(b.locator(f"#deadlines-body tr[data-step='{step}']")).to_have_attribute("data-status", "done")
        shot(b, "follow-up-closed.png", full_page=True)
        assert not other.problems(), other.problems()
    finally:
        other.close()

    stored = server.ok("GET", f"/api/v1/follow-ups/{first['id']}", token=server.login_token("fu-manager-a"))
    assert stored["detail"]["state"] == "closed" and stored["detail"]["appealUpheld"] is True
    assert stored["phone"] == PHONE

    # A's list: the closed case under 全部, the other still open and unsigned.
    page.click("#state-filter [data-state='all']")
    expect(page.locator(f"#cases-body tr[data-id='{first['id']}']")).to_have_attribute("data-state", "closed")
    expect(page.locator(f"#cases-body tr[data-id='{second['id']}']")).to_have_attribute("data-state", "open")

    # The second case, all the way: contacted (which signs too), complex with a plan date, rectified, revisited, closed.
    page.locator(f"#cases-body tr[data-id='{second['id']}'] a.case-link").click()
    case = page.locator("#case")
    expect(case).to_have_attribute("data-id", str(second["id"]))
    expect(page.locator("#phone")).to_contain_text("办事人未留电话")
    page.fill("#action-note", "已联系，办事人反映等候时间长")
    page.click("#case-actions [data-action='contact']")
    expect(case).to_have_attribute("data-state", "contacted")
    expect(case).to_have_attribute("data-owner", "fu-manager-a")
    page.check("#case-actions input[name='classification'][value='complex']")
    expect(page.locator("#plan-date")).to_be_visible()
    page.fill("#action-note", "需调整排班")
    page.click("#case-actions [data-action='classify']")
    expect(page.locator("#case-message")).to_have_attribute("data-code", "plan_date_required")
    page.fill("#plan-date", "2030-01-15")
    page.click("#case-actions [data-action='classify']")
    expect(case).to_have_attribute("data-state", "classified")
    expect(case.locator("[data-fact='classification']")).to_contain_text("2030-01-15")
    page.fill("#action-note", "已增加午间窗口")
    page.click("#case-actions [data-action='rectify']")
    expect(case).to_have_attribute("data-state", "rectified")
    page.fill("#action-note", "回访办事人，表示满意")
    page.click("#case-actions [data-action='revisit-satisfied']")
    expect(case).to_have_attribute("data-state", "revisited")
    page.fill("#action-note", "办结")
    page.click("#case-actions [data-action='close']")
    expect(case).to_have_attribute("data-state", "closed")
    steps = page.locator("#steps-body tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
    assert steps == ["opened", "signed", "contacted", "classified:complex", "rectified", "revisited:satisfied", "closed"], steps
    for step in ("contact", "rectify", "close"):
        expect(page.locator(f"#deadlines-body tr[data-step='{step}']")).to_have_attribute("data-status", "done")

    # What red looks like. Nothing can be overdue for real yet (the clock is real and the first
    # deadline is a working day away), so the server's list answers are changed on their way to
    # the page: one case marked overdue and the count 1. The board's badge turns red, and so do
    # the row and the count on the list.
    def one_overdue(route):
        response = route.fetch()
        body = response.json()
        for entry in body["cases"]:
            entry["overdue"] = entry["id"] == second["id"]
        body["overdue"] = 1
        route.fulfill(response=response, json=body)

    listing = re.compile(r"/api/v1/follow-ups\?")
    page.route(listing, one_overdue)
    page.goto(f"{server.base}/console/board.html")
    expect(badge).to_have_attribute("data-count", "1")
    expect(badge).to_have_class(re.compile(r"\bis-alert\b"))
    shot(page, "board-overdue-badge.png")
    page.goto(f"{server.base}/console/follow-ups.html#kind=rating&state=all")
    red = page.locator(f"#cases-body tr[data-id='{second['id']}']")
    expect(red).to_have_class(re.compile(r"\bis-overdue\b"))
    expect(red.locator(".fu-overdue-mark")).to_contain_text("已超期")
    expect(page.locator(f"#cases-body tr[data-id='{first['id']}']")).not_to_have_class(re.compile(r"\bis-overdue\b"))
    expect(page.locator("#overdue-count")).to_have_attribute("data-count", "1")
    expect(page.locator("#overdue-count")).to_have_class(re.compile(r"\bis-alert\b"))
    shot(page, "follow-ups-overdue-red.png")
    page.unroute(listing)


def test_a_correction_gets_a_reference_and_comes_back_to_the_same_clerk(server, page, browser):
    server.clerk("fu-desk-clerk", ["certificates"], window="42", display="补正测试员")
    sign_in(page, server, "fu-desk-clerk")
    go_available(page)

    # 住房租赁合同登记备案: 4 materials (居民身份证, 住房租赁合同, 房屋权属证明, 出租人身份证明).
    ticket, kiosk = server.ticket("ZM-007")
    expect(page.locator("#offer-number")).to_have_text(ticket["number"])
    page.click("#offer-accept")
    expect(page.locator("#case-number")).to_have_text(ticket["number"])
    session = int(page.locator("#view-case").get_attribute("data-session"))
    handed = upload(server, kiosk, session, "住房租赁合同", png(300, 200, (225, 232, 245)))
    expect(page.locator("#material-list li.material")).to_have_count(1)
    page.locator(f"#material-list li.material[data-id='{handed['id']}'] .act-accept").click()

    checklist = page.locator("#checklist input[type=checkbox]")
    expect(checklist).to_have_count(4)
    for index in (0, 1, 3):  # 房屋权属证明 is not there
        checklist.nth(index).check()
    page.fill("#notes", "房屋权属证明未带，请补交复印件")
    page.click("#outcomes [data-outcome='needs-materials']")
    missing = page.locator("#missing-box")
    expect(missing).to_be_visible()
    expect(missing.locator("label.is-missing")).to_have_count(1)
    expect(missing.locator("label.is-missing")).to_have_attribute("data-name", "房屋权属证明")
    shot(page, "clerk-needs-materials.png", full_page=True)

    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith(f"/api/v1/sessions/{session}/end")) as sent:
        page.click("#end-session")
    assert sent.value.post_data_json == {"outcome": "needs-materials", "notes": "房屋权属证明未带，请补交复印件",
                                         "missingMaterials": ["房屋权属证明"]}

    # The wrap-up shows the reference to read to the applicant.
    expect(page.locator("#view-wrapup")).to_be_visible()
    reference = page.locator("#correction-reference")
    expect(reference).to_have_text(re.compile(r"^RW\d{8}-\d+$"))
    ref = reference.inner_text()
    expect(page.locator("#last-case-number")).to_have_text(ref)
    expect(page.locator("#correction-missing")).to_contain_text("房屋权属证明")
    expect(page.locator("#correction-return-by")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
    shot(page, "clerk-wrapup-correction.png")
    stored = server.ok("GET", f"/api/v1/sessions/{session}", token=kiosk)
    assert stored["correction"]["reference"] == ref and stored["correction"]["missing"] == ["房屋权属证明"]
    assert page.locator("#correction-return-by").inner_text() == shanghai_deadline(stored["correction"]["returnBy"])

    # The applicant comes back at another kiosk with the reference.
    back_kiosk = server.kiosk()
    looked_up = server.ok("GET", f"/api/v1/kiosk/corrections/{ref}", token=back_kiosk)
    assert looked_up["item"] == "ZM-007" and looked_up["missing"] == ["房屋权属证明"]
    back = server.ok("POST", "/api/v1/tickets", {"item": "ZM-007", "reference": ref}, back_kiosk)
    assert back["priorityReason"] == "returning" and back["returnOf"] == session

    # The same clerk, ready again, is offered the return and sees the earlier session.
    if page.locator("#view-wrapup").is_visible():
        page.click("#ready")
    expect(page.locator("#view-offer")).to_be_visible()
    expect(page.locator("#offer-number")).to_have_text(back["number"])
    expect(page.locator("#offer-meta")).to_contain_text("补正回来")
    expect(page.locator("#offer-meta")).to_contain_text("Back with materials")
    page.click("#offer-accept")
    expect(page.locator("#case-number")).to_have_text(back["number"])
    banner = page.locator("#return-banner")
    expect(banner).to_be_visible()
    expect(banner.locator(".return-title")).to_contain_text(f"补正回来：原编号 {ref}")
    expect(banner.locator(".return-title")).to_contain_text(f"Back with materials for {ref}")
    expect(page.locator("#return-notes")).to_have_text("房屋权属证明未带，请补交复印件")
    expect(page.locator("#return-missing")).to_contain_text("房屋权属证明")
    expect(page.locator("#case-meta")).to_contain_text("补正回来")
    earlier = page.locator(f"#return-materials li[data-id='{handed['id']}']")
    expect(earlier).to_contain_text("住房租赁合同")
    expect(earlier).to_have_attribute("data-status", "accepted")
    earlier.locator(".act-view-earlier").click()
    page.wait_for_function("() => { const i = document.querySelector('#return-preview img'); return i && i.complete && i.naturalWidth === 300; }")
    shot(page, "clerk-return-banner.png", full_page=True)

    cases = server.ok("GET", "/api/v1/follow-ups?kind=correction&state=all", token=server.admin)["cases"]
    assert next(c for c in cases if c["caseNumber"] == ref)["state"] == "returned"

    # The return is served; the banner goes with the case.
    page.click("#outcomes [data-outcome='completed']")
    page.click("#end-session")
    expect(page.locator("#view-wrapup")).to_be_visible()
    expect(banner).to_be_hidden()
    expect(page.locator("#last-correction")).to_be_hidden()
    page.click("#ready")
    expect(page.locator("#view-idle")).to_have_attribute("data-kind", "available")
    page.click("#state-control [data-choice='offline']")
    expect(page.locator("#view-idle")).to_have_attribute("data-kind", "offline")

    # A manager sees the 补正 on the follow-up page: came back in time, with what was missing.
    server.manager("fu-manager-c", display="王经理")
    other = watched_context(browser)
    try:
        manager = other.open_page()
        sign_in(manager, server, "fu-manager-c", lands_on="board.html")
        manager.goto(f"{server.base}/console/follow-ups.html#kind=correction&state=all")
        row = manager.locator("#cases-body tr", has_text=ref)
        expect(row).to_have_attribute("data-state", "returned")
        expect(row).to_contain_text("已补正回来")
        row.locator("a.case-link").click()
        case = manager.locator("#case")
        expect(case).to_have_attribute("data-kind", "correction")
        expect(case.locator("[data-fact='reference']")).to_contain_text(ref)
        expect(case.locator("[data-fact='missing']")).to_contain_text("房屋权属证明")
        expect(case.locator("[data-fact='note']")).to_contain_text("房屋权属证明未带")
        expect(manager.locator("#deadlines-body tr[data-step='return']")).to_have_attribute("data-status", "done")
        expect(manager.locator("#steps-body tr[data-action='returned']")).to_have_count(1)
        expect(manager.locator("#case-phone")).to_be_hidden()
        shot(manager, "follow-up-correction.png", full_page=True)
        assert not other.problems(), other.problems()
    finally:
        other.close()
