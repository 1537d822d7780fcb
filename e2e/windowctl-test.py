#!/usr/bin/env python3
"""windowctl against a real windowd: sign in, create and change a clerk, reset a password,
create a site, issue a kiosk credential, read the queue; manage the catalog (draft, edit in
$EDITOR, review by a second manager, publish, history, export/import, rollback, an edit
conflict); read today's report and write a table's CSV byte for byte as the server sends it;
and bad input gives a clear error.
Expects .build/debug/windowd and .build/debug/windowctl. Talks to 127.0.0.1 only."""
import datetime
import json
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "debug")
results = {"passed": 0, "failed": 0}


def check(condition, what, detail=""):
    results["passed" if condition else "failed"] += 1
    print(("ok   " if condition else "FAIL ") + what + ("" if condition else f"\n     {detail}"))


def main():
    work = tempfile.mkdtemp(prefix="rw-ctl-")
    data = os.path.join(work, "data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([os.path.join(BIN, "windowd"), "--data", data, "--port", str(port), "--catalog", os.path.join(ROOT, "catalog", "items.json")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    session = os.path.join(work, "ctl.json")

    def ctl(*args, password=None, env=None):
        return subprocess.run([os.path.join(BIN, "windowctl"), *args], input=(password + "\n") if password else "",
                              capture_output=True, text=True, timeout=60, env=env)

    try:
        password_file = os.path.join(data, "initial-admin-password")
        for _ in range(300):
            if os.path.exists(password_file) and os.path.exists(os.path.join(data, "tls", "ca.pem")):
                break
            time.sleep(0.1)
        time.sleep(1)
        admin_password = open(password_file).read().strip()
        server_url = f"https://localhost:{port}"
        ca = os.path.join(data, "tls", "ca.pem")

        wrong = ctl("login", "--server", server_url, "--ca", ca, "--username", "admin", "--session", session, password="not the password")
        check(wrong.returncode != 0 and "wrong username or password" in wrong.stderr, "a wrong password is refused clearly", wrong.stderr)
        login = ctl("login", "--server", server_url, "--ca", ca, "--username", "admin", "--session", session, password=admin_password)
        check(login.returncode == 0, "admin signs in", login.stderr)
        check(oct(os.stat(session).st_mode & 0o777) == "0o600", "the saved sign-in is mode 0600")

        site = ctl("site", "create", "huayang", "--zh", "华阳延伸点", "--en", "Huayang", "--hours", "1-7=00:00-24:00", "--session", session)
        check(site.returncode == 0 and "huayang" in site.stdout, "creates a site", site.stderr)
        kiosk = ctl("kiosk", "issue", "huayang", "一体机 1", "--session", session, "--json")
        check(kiosk.returncode == 0 and json.loads(kiosk.stdout).get("credential", "").startswith("rwk_"), "issues a kiosk credential", kiosk.stderr)

        created = ctl("clerk", "create", "wangmin", "--name", "王敏", "--window", "07", "--skills", "residence", "--session", session, "--json",
                      password="clerk password 1")
        check(created.returncode == 0, "creates a clerk", created.stderr)
        clerk_id = str(json.loads(created.stdout)["id"]) if created.returncode == 0 else "0"
        updated = ctl("clerk", "update", clerk_id, "--skills", "residence", "social-insurance", "--session", session, "--json")
        check(updated.returncode == 0 and json.loads(updated.stdout)["skills"] == ["residence", "social-insurance"], "changes a clerk's skills", updated.stderr + updated.stdout)
        listed = ctl("clerk", "list", "--session", session)
        check(listed.returncode == 0 and "王敏" in listed.stdout and "social-insurance" in listed.stdout, "lists clerks with skills", listed.stdout)
        bad_skill = ctl("clerk", "update", clerk_id, "--skills", "astrology", "--session", session)
        check(bad_skill.returncode != 0 and "unknown skill category" in bad_skill.stderr, "an unknown skill is refused clearly", bad_skill.stderr)
        reset = ctl("clerk", "reset-password", clerk_id, "--session", session, password="another password 2")
        check(reset.returncode == 0, "resets a clerk's password", reset.stderr)
        clerk_session = os.path.join(work, "clerk.json")
        clerk_login = ctl("login", "--server", server_url, "--ca", ca, "--username", "wangmin", "--session", clerk_session, password="another password 2")
        check(clerk_login.returncode == 0, "the clerk signs in with the new password", clerk_login.stderr)
        forbidden = ctl("clerk", "list", "--session", clerk_session)
        check(forbidden.returncode != 0 and "forbidden" in forbidden.stderr, "a clerk may not manage clerks", forbidden.stderr)
        setup = ctl("totp", "setup", "--session", clerk_session, "--json")
        check(setup.returncode == 0 and json.loads(setup.stdout)["otpauthURL"].startswith("otpauth://totp/"), "starts TOTP set-up", setup.stderr)
        bad_code = ctl("totp", "enable", "000000x", "--session", clerk_session)
        check(bad_code.returncode != 0 and "TOTP" in bad_code.stderr, "a wrong TOTP code is refused clearly", bad_code.stderr)
        queue = ctl("queue", "--session", session)
        check(queue.returncode == 0 and "王敏" in queue.stdout, "reads the live queue", queue.stderr)
        catalog_tests(ctl, session, server_url, ca, work)
        report_tests(ctl, session, server_url, ca, work)
        logout = ctl("logout", "--session", session)
        check(logout.returncode == 0 and not os.path.exists(session), "signs out")
        after = ctl("queue", "--session", session)
        check(after.returncode != 0 and "not signed in" in after.stderr, "signed out means not signed in", after.stderr)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"windowctl: {results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


# The editor `windowctl catalog edit` opens: sets the item's expectedMinutes to $RW_MINUTES. With
# $RW_FIRST (a JSON argv) it first runs that command, another manager saving the same item, so
# that the edit it is part of meets an edit conflict.
EDITOR_SCRIPT = r'''
import json, os, subprocess, sys
path = sys.argv[1]
first = os.environ.get("RW_FIRST")
if first:
    env = dict(os.environ, RW_FIRST="", RW_MINUTES=os.environ["RW_FIRST_MINUTES"])
    subprocess.run(json.loads(first), env=env, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
with open(path, encoding="utf-8") as f:
    item = json.load(f)
item["expectedMinutes"] = int(os.environ["RW_MINUTES"])
with open(path, "w", encoding="utf-8") as f:
    json.dump(item, f, ensure_ascii=False, indent=2)
'''


def catalog_tests(ctl, admin, server_url, ca, work):
    """Two managers: one drafts and edits, the other approves; publish, history, export, import, rollback."""
    sessions = {}
    for username, name in [("lina", "李娜"), ("zhaoyu", "赵宇")]:
        made = ctl("account", "create", username, "--name", name, "--role", "manager", "--session", admin, password="manager password 1")
        check(made.returncode == 0, f"creates manager {username}", made.stderr)
        sessions[username] = os.path.join(work, f"{username}.json")
        signed = ctl("login", "--server", server_url, "--ca", ca, "--username", username, "--session", sessions[username], password="manager password 1")
        check(signed.returncode == 0, f"manager {username} signs in", signed.stderr)
    editor, reviewer = sessions["lina"], sessions["zhaoyu"]

    script = os.path.join(work, "edit-item.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(EDITOR_SCRIPT)
    temporary = os.path.join(work, "tmp")
    os.makedirs(temporary, exist_ok=True)

    def editing(minutes, editor_command=None, **extra):
        env = dict(os.environ, EDITOR=editor_command or f"{shlex.quote(sys.executable)} {shlex.quote(script)}", RW_MINUTES=str(minutes), TMPDIR=temporary)
        env.pop("VISUAL", None)
        env.update(extra)
        return env

    listed = ctl("catalog", "list", "--category", "residence", "--session", editor)
    check(listed.returncode == 0 and "JZZ-002" in listed.stdout and "catalog version 1" in listed.stdout, "lists the residence items", listed.stderr + listed.stdout)
    shown = ctl("catalog", "show", "JZZ-002", "--session", editor, "--json")
    check(shown.returncode == 0, "shows an item as JSON", shown.stderr)
    before = json.loads(shown.stdout)["expectedMinutes"] if shown.returncode == 0 else 5
    after = 9 if before != 9 else 10
    policy = ctl("catalog", "policy", "--session", editor)
    check(policy.returncode == 0 and "one-person publish: off" in policy.stdout, "four eyes by default", policy.stderr + policy.stdout)

    created = ctl("catalog", "draft", "new", "--note", "JZZ-002 办理时间调整 / JZZ-002 takes longer", "--session", editor, "--json")
    check(created.returncode == 0, "opens a draft", created.stderr)
    draft = str(json.loads(created.stdout)["draft"]["id"]) if created.returncode == 0 else "0"
    drafts = ctl("catalog", "draft", "list", "--session", editor)
    check(drafts.returncode == 0 and f"#{draft}" in drafts.stdout, "lists the open draft", drafts.stderr + drafts.stdout)

    unchanged = ctl("catalog", "edit", "JZZ-002", "--draft", draft, "--session", editor, env=editing(after, editor_command="true"))
    check(unchanged.returncode == 0 and "unchanged" in unchanged.stdout, "an edit that changes nothing saves nothing", unchanged.stderr + unchanged.stdout)
    invalid = ctl("catalog", "edit", "JZZ-002", "--draft", draft, "--session", editor, env=editing(999))
    kept = re.search(r"kept in (\S+\.json)", invalid.stderr)
    check(invalid.returncode != 0 and "expectedMinutes" in invalid.stderr and kept is not None and os.path.exists(kept.group(1)),
          "an invalid edit is refused with its problems and the file kept (no terminal: no second try)", invalid.stderr)
    edited = ctl("catalog", "edit", "JZZ-002", "--draft", draft, "--session", editor, env=editing(after))
    check(edited.returncode == 0 and "saved JZZ-002" in edited.stdout, "edits JZZ-002 in $EDITOR and saves it", edited.stderr + edited.stdout)

    diff = ctl("catalog", "diff", "--draft", draft, "--session", editor)
    check(diff.returncode == 0 and "JZZ-002" in diff.stdout and "expectedMinutes" in diff.stdout and f"{before} → {after}" in diff.stdout,
          "the draft's diff shows the field, before and after", diff.stderr + diff.stdout)
    submitted = ctl("catalog", "submit", draft, "--session", editor)
    check(submitted.returncode == 0 and "submitted" in submitted.stdout, "submits the draft", submitted.stderr)
    own = ctl("catalog", "approve", draft, "--session", editor)
    check(own.returncode != 0 and "second manager" in own.stderr, "the editor may not approve their own draft", own.stderr)
    approved = ctl("catalog", "approve", draft, "--session", reviewer)
    check(approved.returncode == 0 and "approved by zhaoyu" in approved.stdout, "a second manager approves", approved.stderr + approved.stdout)

    impact = ctl("catalog", "impact", draft, "--session", editor)
    check(impact.returncode == 0 and "JZZ-002" in impact.stdout, "shows the impact of publishing", impact.stderr)
    # Only residence and social-insurance have a clerk: other categories would be left without one.
    stranding = ctl("catalog", "publish", draft, "--session", editor)
    check(stranding.returncode != 0 and "--confirm-stranding" in stranding.stderr, "publishing that strands a category asks for confirmation", stranding.stderr)
    published = ctl("catalog", "publish", draft, "--confirm-stranding", "--session", editor)
    check(published.returncode == 0 and "catalog version 2" in published.stdout, "publishes version 2", published.stderr + published.stdout)
    now = ctl("catalog", "show", "JZZ-002", "--session", editor)
    check(now.returncode == 0 and f"expected: {after} min" in now.stdout, "the published item has the new time", now.stderr + now.stdout)
    history = ctl("catalog", "history", "--session", editor)
    check(history.returncode == 0 and "current version: 2" in history.stdout and "v2" in history.stdout and "v1" in history.stdout,
          "the history shows version 2 over version 1", history.stderr + history.stdout)
    versions = ctl("catalog", "diff", "--from", "1", "--to", "2", "--session", editor)
    check(versions.returncode == 0 and f"{before} → {after}" in versions.stdout, "diffs two versions", versions.stderr + versions.stdout)

    exported_file = os.path.join(work, "catalog-v2.json")
    exported = ctl("catalog", "export", "--output", exported_file, "--session", editor)
    check(exported.returncode == 0 and os.path.exists(exported_file), "exports the catalog to a file", exported.stderr)
    again = ctl("catalog", "export", "--version", "2", "--session", editor)
    content = open(exported_file, encoding="utf-8").read() if os.path.exists(exported_file) else ""
    check(again.returncode == 0 and again.stdout == content and content != "", "the same version exports the same bytes", again.stderr)
    document = json.loads(content) if content else {"items": []}
    check(any(item["code"] == "JZZ-002" and item["expectedMinutes"] == after for item in document["items"]), "the export carries the edit")
    same = ctl("catalog", "import", exported_file, "--session", editor)
    check(same.returncode == 0 and "no changes" in same.stdout, "importing the published catalog changes nothing", same.stderr + same.stdout)
    for item in document["items"]:
        if item["code"] == "JZZ-002":
            item["expectedMinutes"] = 0
    bad_file = os.path.join(work, "catalog-bad.json")
    with open(bad_file, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=2)
    bad = ctl("catalog", "import", bad_file, "--note", "bad", "--session", editor)
    check(bad.returncode != 0 and "JZZ-002" in bad.stderr and "expectedMinutes" in bad.stderr, "a bad file is refused with every problem", bad.stderr)

    rollback = ctl("catalog", "rollback", "1", "--note", "回滚测试 / rollback test", "--session", editor, "--json")
    check(rollback.returncode == 0, "rolls back to version 1", rollback.stderr)
    if rollback.returncode == 0:
        view = json.loads(rollback.stdout)
        check(view["draft"]["rollbackOf"] == 1 and view["draft"]["state"] == "editing"
              and any(c.get("item") == "JZZ-002" and c["field"] == "expectedMinutes" for c in view["changes"]),
              "the rollback is a new draft restoring version 1", rollback.stdout)
        rolled = str(view["draft"]["id"])
        shown_draft = ctl("catalog", "draft", "show", rolled, "--session", editor)
        check(shown_draft.returncode == 0 and "restores: v1" in shown_draft.stdout, "shows the rollback draft", shown_draft.stderr + shown_draft.stdout)

    # An edit conflict: while lina's editor is open, zhaoyu saves the same item in the same draft.
    other = ctl("catalog", "draft", "new", "--note", "冲突测试 / conflict test", "--session", editor, "--json")
    check(other.returncode == 0, "opens another draft", other.stderr)
    other_id = str(json.loads(other.stdout)["draft"]["id"]) if other.returncode == 0 else "0"
    first = json.dumps([os.path.join(BIN, "windowctl"), "catalog", "edit", "JZZ-003", "--draft", other_id, "--session", reviewer])
    conflict = ctl("catalog", "edit", "JZZ-003", "--draft", other_id, "--session", editor, env=editing(11, RW_FIRST=first, RW_FIRST_MINUTES="7"))
    kept = re.search(r"kept in (\S+\.json)", conflict.stderr)
    check(conflict.returncode != 0 and "zhaoyu" in conflict.stderr and "expectedMinutes" in conflict.stderr,
          "a save over someone else's shows what they changed", conflict.stderr)
    check(kept is not None and os.path.exists(kept.group(1)) and json.load(open(kept.group(1), encoding="utf-8"))["expectedMinutes"] == 11,
          "the refused edit is kept in its file", conflict.stderr)
    events = ctl("catalog", "events", "--draft", other_id, "--session", editor)
    check(events.returncode == 0 and "draft.item-saved" in events.stdout and "zhaoyu" in events.stdout, "the draft's audit log shows the save", events.stderr + events.stdout)
    discarded = ctl("catalog", "discard", other_id, "--session", editor)
    check(discarded.returncode == 0 and "discarded" in discarded.stdout, "discards a draft", discarded.stderr)


def https(server_url, ca, method, path, token, body=None):
    """The answer's status and bytes (a bearer token, the server's CA)."""
    request = urllib.request.Request(server_url + path, method=method, headers={"Authorization": f"Bearer {token}"})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data=data, context=ssl.create_default_context(cafile=ca), timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def report_tests(ctl, admin, server_url, ca, work):
    """Two tickets at huayang today; `windowctl report` prints them and writes the server's CSV."""
    token = json.load(open(admin, encoding="utf-8"))["token"]
    for number in range(2):
        issued = ctl("kiosk", "issue", "huayang", f"报表终端 {number + 1}", "--session", admin, "--json")
        check(issued.returncode == 0, f"issues report kiosk {number + 1}", issued.stderr)
        kiosk = json.loads(issued.stdout)["credential"] if issued.returncode == 0 else ""
        status, body = https(server_url, ca, "POST", "/api/v1/tickets", kiosk, {"item": "ZM-001"})
        check(status == 201 or status == 200, f"a kiosk takes ticket {number + 1}", body[:300])
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")
    folder = os.path.join(work, "reports")
    printed = ctl("report", "--from", today, "--to", today, "--site", "huayang", "--table", "volume", "--csv", folder, "--session", admin)
    check(printed.returncode == 0, "windowctl report runs", printed.stderr + printed.stdout)
    check("取号量 / Volume" in printed.stdout and "events read" in printed.stdout, "the report names the table and the events read", printed.stdout)
    rows = [line.split() for line in printed.stdout.splitlines() if line.startswith(today)]
    check(rows == [[today, "2", "0", "0", "0"]], "the printed volume shows today's 2 tickets issued", printed.stdout)
    check("Waiting time" not in printed.stdout, "--table volume prints only that table", printed.stdout)
    path = os.path.join(folder, f"volume-{today.replace('-', '')}.csv")
    written = open(path, "rb").read() if os.path.exists(path) else b""
    query = urllib.parse.urlencode({"from": today, "to": today, "site": "huayang"})
    status, served = https(server_url, ca, "GET", f"/api/v1/reports/volume.csv?{query}", token)
    check(status == 200 and served.startswith(b"\xef\xbb\xbf"), "the server answers the CSV with a BOM", served[:200])
    check(written != b"" and written == served, f"{os.path.basename(path)} holds exactly the server's bytes", f"{written[:200]!r} vs {served[:200]!r}")
    check(f"{today},2,0,0,0\r\n".encode() in written, "the CSV row has the 2 tickets", written[:300])
    check(os.listdir(folder) == [os.path.basename(path)] if os.path.isdir(folder) else False, "only the volume table's CSV is written",
          os.listdir(folder) if os.path.isdir(folder) else folder)

    as_json = ctl("report", "--site", "huayang", "--table", "volume", "--table", "waiting", "--json", "--session", admin)
    check(as_json.returncode == 0 and [table["id"] for table in json.loads(as_json.stdout)["tables"]] == ["volume", "waiting"],
          "--json gives the tables asked for", as_json.stderr + as_json.stdout)
    unknown = ctl("report", "--table", "nosuch", "--session", admin)
    check(unknown.returncode != 0 and "no table nosuch" in unknown.stderr and "volume" in unknown.stderr, "an unknown table is refused with the list", unknown.stderr)
    bad_day = ctl("report", "--from", "2026-13-01", "--session", admin)
    check(bad_day.returncode != 0 and "must be a date" in bad_day.stderr, "a bad date is refused with the server's message", bad_day.stderr)
    backwards = ctl("report", "--from", today, "--to", "2000-01-01", "--session", admin)
    check(backwards.returncode != 0 and "to is before from" in backwards.stderr, "a period ending before it starts is refused", backwards.stderr)
    bucket = ctl("report", "--bucket", "week", "--session", admin)
    check(bucket.returncode != 0 and "day or hour" in bucket.stderr, "a bad bucket is refused", bucket.stderr)


if __name__ == "__main__":
    sys.exit(main())
