"""Browser tests of catalog management (catalog.html) and of what the clerk's page shows of a new
catalog version: a draft edited with live validation, four-eyes review, publishing, a ticket that
keeps its item version, an open clerk console that sees the new version without a reload, the
history's field diff, and export / import of the catalog file.

Run like test_console.py (e2e/browser-test.sh). Only item codes are relied on (JZZ-002 in
category `residence`), never item texts."""
import urllib.request

from playwright.sync_api import expect

from rwkit import go_available, shot, sign_in, watched_context

NEW_ZH = "浏览器测试新增材料"
NEW_EN = "Material added by the browser test"


def raw_get(server, path, token):
    """The answer's bytes, untouched (Server.request decodes JSON)."""
    request = urllib.request.Request(f"{server.base}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, context=server.ssl_context(), timeout=30) as response:
        return response.read()


def material_names(item):
    return [material["name"]["zh"] for material in item["materials"]]


def open_catalog_page(page, server, username):
    sign_in(page, server, username, lands_on="board.html")
    page.click("a[href='/console/catalog.html']")
    page.wait_for_url("**/console/catalog.html*")
    expect(page.locator("#conn")).to_have_attribute("data-state", "open")


def test_a_draft_is_edited_reviewed_published_and_kept_in_history(server, browser, page):
    server.manager("catalog-a", display="甲经理")
    server.manager("catalog-b", display="乙经理")
    server.clerk("catalog-clerk", ["residence"], window="21", display="目录测试员")
    first_version = server.ok("GET", "/api/v1/catalog/versions", token=server.admin)["current"]
    old_item = server.ok("GET", "/api/v1/catalog/items/JZZ-002")
    old_count = len(old_item["materials"])
    assert NEW_ZH not in material_names(old_item)

    # A clerk is signed in before the publish and takes a JZZ-002 case issued under the old version.
    clerk_context = watched_context(browser)
    other_context = watched_context(browser)
    try:
        clerk = clerk_context.open_page()
        sign_in(clerk, server, "catalog-clerk")
        go_available(clerk)
        before, kiosk = server.ticket("JZZ-002")
        expect(clerk.locator("#offer-number")).to_have_text(before["number"])
        expect(clerk.locator("#offer-materials li")).to_have_count(old_count)
        clerk.click("#offer-accept")
        expect(clerk.locator("#case-number")).to_have_text(before["number"])
        expect(clerk.locator("#checklist li")).to_have_count(old_count)
        expect(clerk.locator("#case-meta .case-handling")).to_be_visible()  # 办件类型 is shown

        # Manager A opens a draft and adds a material to JZZ-002; live validation flags the missing English name.
        open_catalog_page(page, server, "catalog-a")
        expect(page.locator("#catalog-version")).to_have_text(str(first_version))
        page.click("#new-draft")
        page.fill("#new-draft-note", "居住证签注增加材料 / a material for JZZ-002")
        page.click("#new-draft-create")
        draft = page.locator("#draft")
        expect(draft).to_have_attribute("data-state", "editing")
        draft_id = draft.get_attribute("data-draft")
        page.select_option("#edit-code", "JZZ-002")
        page.click("#edit-item")
        editor = page.locator("#editor")
        expect(editor).to_have_attribute("data-code", "JZZ-002")
        expect(page.locator("#editor-problems")).to_have_attribute("data-count", "0")

        page.click("#add-material")
        page.fill(f"input[data-path='materials[{old_count}].name.zh']", NEW_ZH)
        flagged = page.locator(f".ed-field[data-path='materials[{old_count}].name.en'] > .field-problems")
        expect(flagged).to_contain_text("English")
        expect(page.locator(f"#editor-problems .problem[data-field='materials[{old_count}].name.en']")).to_have_count(1)
        expect(page.locator(f"input[data-path='materials[{old_count}].name.en']")).to_have_class("is-invalid")
        shot(page, "catalog-live-validation.png")
        page.fill(f"input[data-path='materials[{old_count}].name.en']", NEW_EN)
        expect(page.locator("#editor-problems")).to_have_attribute("data-count", "0")
        expect(flagged).to_have_text("")

        page.click("#editor-save")
        expect(editor).to_have_attribute("data-revision", "1")
        expect(page.locator("#editor-message")).to_contain_text("已保存")
        change = page.locator("#draft-changes tr.change[data-item='JZZ-002'][data-field='materials']")
        expect(change.locator(".change-after .is-changed")).to_contain_text(NEW_ZH)
        page.fill("#submit-note", "居住证签注增加一项材料 / one more material for JZZ-002")
        page.click("#submit")
        expect(draft).to_have_attribute("data-state", "submitted")

        # Four eyes: A edited it, so A is not offered approval (and the server refuses it too).
        expect(page.locator("#approve")).to_have_count(0)
        expect(page.locator("#approve-refused")).to_be_visible()
        token_a = server.login_token("catalog-a")
        status, refused = server.api("POST", f"/api/v1/catalog/drafts/{draft_id}/approve", {}, token_a)
        assert (status, refused["error"]["code"]) == (403, "same_reviewer")

        # Manager B, in another browser context, approves and publishes (confirming if a category is left without a clerk).
        reviewer = other_context.open_page()
        open_catalog_page(reviewer, server, "catalog-b")
        reviewer.click(f"#drafts li[data-draft='{draft_id}'] .draft-open")
        theirs = reviewer.locator("#draft")
        expect(theirs).to_have_attribute("data-state", "submitted")
        expect(theirs.locator("#draft-changes tr.change[data-item='JZZ-002']")).to_have_count(1)
        reviewer.click("#approve")
        expect(theirs).to_have_attribute("data-state", "approved")
        expect(reviewer.locator("#impact-waiting li[data-item='JZZ-002']")).to_have_count(1)
        reviewer.click("#publish-now")
        confirm = reviewer.locator("#publish-confirm")
        expect(reviewer.locator("#draft[data-state='published'], #publish-confirm")).not_to_have_count(0)
        if confirm.count():
            expect(reviewer.locator("#strands-confirm")).to_be_visible()
            confirm.click()
        expect(theirs).to_have_attribute("data-state", "published")
        new_version = first_version + 1
        expect(reviewer.locator("#catalog-version")).to_have_text(str(new_version))
        shot(reviewer, "catalog-published.png")

        # The ticket taken before keeps its item version; today's item has the new material.
        issued = before["itemVersion"]
        assert server.ok("GET", f"/api/v1/tickets/{before['id']}", token=kiosk)["itemVersion"] == issued
        kept = server.ok("GET", f"/api/v1/catalog/items/JZZ-002?version={issued}")
        assert NEW_ZH not in material_names(kept) and len(kept["materials"]) == old_count
        current = server.ok("GET", "/api/v1/catalog/items/JZZ-002")
        assert NEW_ZH in material_names(current) and current["version"] > issued

        # The clerk's open console hears of the new version; the case in hand keeps its ticket's materials…
        expect(clerk.locator("#work")).to_have_attribute("data-catalog-version", str(new_version))
        expect(clerk.locator(".toast").filter(has_text=f"第 {new_version} 版")).not_to_have_count(0)
        expect(clerk.locator("#view-case")).to_have_attribute("data-item-version", str(issued))
        expect(clerk.locator("#checklist li")).to_have_count(old_count)
        expect(clerk.locator("#checklist")).not_to_contain_text(NEW_ZH)
        clerk.click("#outcomes [data-outcome='completed']")
        clerk.click("#end-session")
        expect(clerk.locator("#view-wrapup")).to_be_visible()
        clerk.click("#ready")
        expect(clerk.locator("#view-idle")).to_have_attribute("data-kind", "available")

        # …and the next offer and case of the item show the new material, without a reload.
        after, _ = server.ticket("JZZ-002")
        assert after["itemVersion"] == current["version"]
        expect(clerk.locator("#offer-number")).to_have_text(after["number"])
        expect(clerk.locator("#offer-materials")).to_contain_text(NEW_ZH)
        expect(clerk.locator("#offer-materials li")).to_have_count(old_count + 1)
        clerk.click("#offer-accept")
        expect(clerk.locator("#case-number")).to_have_text(after["number"])
        expect(clerk.locator("#checklist li")).to_have_count(old_count + 1)
        expect(clerk.locator("#checklist")).to_contain_text(NEW_ZH)
        shot(clerk, "catalog-clerk-new-material.png")
        clerk.click("#outcomes [data-outcome='completed']")
        clerk.click("#end-session")
        expect(clerk.locator("#view-wrapup")).to_be_visible()
        clerk.click("#state-control [data-choice='offline']")
        expect(clerk.locator("#view-idle")).to_have_attribute("data-kind", "offline")

        # History (on A's page, refreshed by the live message): the new version, and its diff lists the material.
        expect(page.locator("#catalog-version")).to_have_text(str(new_version))
        row = page.locator(f"#versions-body tr[data-version='{new_version}']")
        expect(row).to_contain_text("catalog-b")
        expect(row).to_contain_text("catalog-a")
        row.locator("[data-action='changes']").click()
        diff = page.locator("#diff")
        expect(diff).to_have_attribute("data-to", str(new_version))
        expect(diff.locator("tr.change[data-item='JZZ-002'][data-field='materials'] .change-after .is-changed")).to_contain_text(NEW_ZH)
        shot(page, "catalog-history.png")

        # Export: the file is the server's export byte for byte; importing it back changes nothing.
        with page.expect_download() as download:
            page.click("#export")
        path = download.value.path()
        with open(path, "rb") as f:
            exported = f.read()
        assert exported == raw_get(server, "/api/v1/catalog/export", token_a)
        open_drafts = len(server.ok("GET", "/api/v1/catalog/drafts", token=token_a)["drafts"])
        page.set_input_files("#import-file", path)
        page.click("#import-go")
        result = page.locator("#import-result")
        expect(result).to_have_attribute("data-outcome", "no-changes")
        expect(result).to_contain_text("No changes")
        assert len(server.ok("GET", "/api/v1/catalog/drafts", token=token_a)["drafts"]) == open_drafts
    finally:
        problems = clerk_context.problems() + other_context.problems()
        clerk_context.close()
        other_context.close()
    assert not problems, "\n".join(problems)


def publish_through_the_api(server, editor_token, reviewer_token, change):
    """A draft saved by one manager and approved and published by another; `change(item)` edits SB-001."""
    view = server.ok("POST", "/api/v1/catalog/drafts", {"note": "API draft"}, editor_token)
    draft = view["draft"]
    item = next(entry for entry in draft["document"]["items"] if entry["code"] == "SB-001")
    change(item)
    server.ok("PUT", f"/api/v1/catalog/drafts/{draft['id']}/items/SB-001", {"item": item, "revision": draft["revisions"].get("SB-001", 0)}, editor_token)
    server.ok("POST", f"/api/v1/catalog/drafts/{draft['id']}/submit", {"note": "API change"}, editor_token)
    server.ok("POST", f"/api/v1/catalog/drafts/{draft['id']}/approve", {}, reviewer_token)
    return server.ok("POST", f"/api/v1/catalog/drafts/{draft['id']}/publish", {"confirmStranding": True}, reviewer_token)


def test_an_edit_conflict_keeps_what_was_typed_and_a_rebase_asks_which_value_wins(server, page):
    server.manager("catalog-c", display="丙经理")
    server.manager("catalog-d", display="丁经理")
    token_d = server.login_token("catalog-d")
    original = server.ok("GET", "/api/v1/catalog/items/SB-001")["name"]["zh"]

    open_catalog_page(page, server, "catalog-c")
    page.click("#new-draft")
    page.click("#new-draft-create")  # a note is asked for
    expect(page.locator("#new-draft-message")).to_be_visible()
    page.fill("#new-draft-note", "社保事项名称 / SB-001's name")
    page.click("#new-draft-create")
    draft = page.locator("#draft")
    expect(draft).to_have_attribute("data-state", "editing")
    draft_id = draft.get_attribute("data-draft")
    page.select_option("#edit-code", "SB-001")
    page.click("#edit-item")
    expect(page.locator("#editor")).to_have_attribute("data-code", "SB-001")
    name = page.locator("input[data-path='name.zh']")
    mine = f"{original}（丙）"
    name.fill(mine)

    # Manager D saves the same item in the same draft first: C's save is refused, and C's typing stays.
    theirs = server.ok("GET", f"/api/v1/catalog/drafts/{draft_id}", token=token_d)["draft"]
    item = next(entry for entry in theirs["document"]["items"] if entry["code"] == "SB-001")
    item["expectedMinutes"] = item["expectedMinutes"] + 1
    server.ok("PUT", f"/api/v1/catalog/drafts/{draft_id}/items/SB-001", {"item": item, "revision": 0}, token_d)
    page.click("#editor-save")
    conflict = page.locator("#editor-conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator("tr.change[data-field='expectedMinutes']")).to_have_count(1)
    expect(name).to_have_value(mine)
    shot(page, "catalog-edit-conflict.png")
    page.click("#conflict-overwrite")
    expect(conflict).to_be_hidden()
    expect(page.locator("#editor")).to_have_attribute("data-revision", "2")
    saved = server.ok("GET", f"/api/v1/catalog/drafts/{draft_id}", token=token_d)["draft"]
    assert next(entry for entry in saved["document"]["items"] if entry["code"] == "SB-001")["name"]["zh"] == mine
    page.click("#editor-close")
    expect(page.locator("#editor")).to_be_hidden()

    # Another version changes the same field and goes out: C's draft needs a rebase, and the conflict is shown field by field.
    published = publish_through_the_api(server, token_d, server.admin, lambda entry: entry["name"].update(zh=f"{original}（丁）"))
    current = published["draft"]["publishedVersion"]
    expect(page.locator("#catalog-version")).to_have_text(str(current))
    expect(page.locator("#draft-rebase")).to_be_visible()
    page.click("#rebase")
    conflicts = page.locator("#rebase-conflicts")
    expect(conflicts.locator("tr.conflict[data-item='SB-001'][data-field='name.zh']")).to_have_count(1)
    page.click("#rebase-keep-draft")
    expect(page.locator("#draft-rebase")).to_be_hidden()
    expect(page.locator("#draft-base")).to_have_text(str(current))

    # Submitted by C, approved by an administrator (D edited it too); C schedules the publish at a Shanghai time, then sends it back with a comment.
    page.fill("#submit-note", "社保事项改名 / SB-001 renamed")
    page.click("#submit")
    expect(draft).to_have_attribute("data-state", "submitted")
    server.ok("POST", f"/api/v1/catalog/drafts/{draft_id}/approve", {}, server.admin)
    page.click(f"#drafts li[data-draft='{draft_id}'] .draft-open")
    expect(draft).to_have_attribute("data-state", "approved")
    page.fill("#publish-at", "2099-01-02T09:30")
    page.click("#publish-schedule")
    confirm = page.locator("#publish-confirm")
    expect(page.locator("#draft[data-state='scheduled'], #publish-confirm")).not_to_have_count(0)
    if confirm.count():
        confirm.click()
    expect(draft).to_have_attribute("data-state", "scheduled")
    expect(page.locator("#draft-facts")).to_contain_text("2099-01-02 09:30")
    scheduled = server.ok("GET", f"/api/v1/catalog/drafts/{draft_id}", token=token_d)["draft"]
    assert scheduled["publishAt"] == "2099-01-02T01:30:00Z"
    page.click("#send-back")  # a comment is required
    expect(page.locator("#draft-message")).to_be_visible()
    page.fill("#send-back-comment", "暂缓 / not yet")
    page.click("#send-back")
    expect(draft).to_have_attribute("data-state", "editing")
    expect(page.locator("#draft-comments")).to_contain_text("暂缓 / not yet")
    page.click("#discard")
    page.click("#discard")
    expect(draft).to_have_attribute("data-state", "discarded")

    # A bad file imports nothing and lists its problems; a rollback opens a draft restoring version 1.
    page.set_input_files("#import-file", files=[{"name": "bad.json", "mimeType": "application/json",
                                                 "buffer": b'{"format": 2, "departments": [], "categories": [], "items": []}'}])
    page.click("#import-go")
    result = page.locator("#import-result")
    expect(result).to_have_attribute("data-outcome", "error")
    expect(result).to_have_attribute("data-code", "catalog_invalid")
    expect(result.locator(".problem")).not_to_have_count(0)
    first = page.locator("#versions-body tr[data-version='1']")
    first.locator("[data-action='rollback']").click()
    first.locator(".rollback-note").fill("回到初始目录 / back to the seed")
    first.locator("[data-action='rollback-confirm']").click()
    expect(draft).not_to_have_attribute("data-draft", draft_id)
    expect(draft).to_have_attribute("data-state", "editing")
    expect(page.locator("#draft-facts")).to_contain_text("第 1 版")
    expect(page.locator("#draft-changes tr.change[data-item='SB-001']")).not_to_have_count(0)
    page.click("#discard")
    page.click("#discard")
    expect(draft).to_have_attribute("data-state", "discarded")
