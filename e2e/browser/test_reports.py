"""Browser tests of the report page (reports.html): a manager opens it from the board (the last 7
days, by default), sees the server's refusal of a period that ends before it starts, then asks for
today at one site: the volume table shows the tickets issued there, its chart has bars, seconds
show as m:ss and percentages with %, each table's definition is its footnote, and the volume CSV
downloads with the server's name and exactly the server's bytes (UTF-8 with a BOM). The tickets,
and a session served, ended and rated, are made through the API at a site of this test's own, in
a category (certificates) no other browser test serves.

Run like test_console.py (e2e/browser-test.sh)."""
import datetime
import re
import urllib.parse
import urllib.request

from playwright.sync_api import expect

from rwkit import ALWAYS_OPEN, shot, sign_in, wait_for

SITE = "reports-test"


def shanghai_day(days_ago=0):
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8) - datetime.timedelta(days=days_ago)).strftime("%Y-%m-%d")


def raw_get(server, path, token):
    """The answer's bytes and headers, untouched (Server.request decodes JSON)."""
    request = urllib.request.Request(f"{server.base}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, context=server.ssl_context(), timeout=30) as response:
        return response.read(), response.headers


def kiosk_at(server, site):
    server.kiosks += 1
    return server.ok("POST", f"/api/v1/sites/{site}/kiosks", {"name": f"kiosk-{server.kiosks}"}, server.admin)["credential"]


def make_the_day(server):
    """At SITE: one ticket answered, ended 办结 and rated 5; two tickets cancelled before anyone answered."""
    server.ok("POST", "/api/v1/sites", {"code": SITE, "name": {"zh": "报表测试站点", "en": "Report test site"}, "hours": ALWAYS_OPEN}, server.admin)
    server.clerk("reports-clerk", ["certificates"], window="31", display="报表测试员")
    clerk = server.login_token("reports-clerk")
    server.ok("PUT", "/api/v1/clerk/state", {"state": "available"}, clerk)

    kiosk = kiosk_at(server, SITE)
    served = server.ok("POST", "/api/v1/tickets", {"item": "ZM-001"}, kiosk)

    def offered():
        view = server.ok("GET", "/api/v1/clerk", token=clerk)
        return view if view.get("offer") else None

    assert wait_for(offered, message="the offer")["offer"]["ticket"] == served["id"]
    server.ok("POST", "/api/v1/clerk/offer/accept", {"ticket": served["id"]}, clerk)
    session = server.ok("GET", "/api/v1/clerk", token=clerk)["session"]["id"]
    server.ok("POST", f"/api/v1/sessions/{session}/end", {"outcome": "completed"}, clerk)
    server.ok("POST", f"/api/v1/sessions/{session}/rating", {"level": 5, "comment": "很好"}, kiosk)
    server.ok("POST", "/api/v1/clerk/ready", {}, clerk)
    server.ok("PUT", "/api/v1/clerk/state", {"state": "offline"}, clerk)

    for _ in range(2):
        kiosk = kiosk_at(server, SITE)
        ticket = server.ok("POST", "/api/v1/tickets", {"item": "ZM-004"}, kiosk)
        server.ok("DELETE", f"/api/v1/tickets/{ticket['id']}", token=kiosk)


def test_a_manager_reads_todays_report_and_downloads_the_csv(server, page):
    server.manager("reports-manager", display="孙经理")
    make_the_day(server)
    today = shanghai_day()
    query = urllib.parse.urlencode({"from": today, "to": today, "bucket": "day", "site": SITE, "threshold": "5"})

    def volume_row():
        report = server.ok("GET", f"/api/v1/reports?{query}", token=server.admin)
        rows = next(table for table in report["tables"] if table["id"] == "volume")["rows"]
        return report if rows == [[today, 3, 1, 0, 2]] else None

    expected = wait_for(volume_row, message="the day in the report")
    volume_json = next(table for table in expected["tables"] if table["id"] == "volume")

    # From the board's top bar; on opening, the last 7 days in Shanghai.
    sign_in(page, server, "reports-manager", lands_on="board.html")
    page.click("header.topbar a[href='/console/reports.html']")
    page.wait_for_url("**/console/reports.html*")
    report = page.locator("#report")
    expect(report).to_have_attribute("data-state", "ready")
    expect(page.locator("#from")).to_have_value(shanghai_day(6))
    expect(page.locator("#to")).to_have_value(today)
    expect(page.locator("#item-version")).to_be_disabled()
    expect(page.locator("#site option[value='reports-test']")).to_have_count(1)
    expect(page.locator("#clerk option", has_text="报表测试员")).to_have_count(1)

    # A period that ends before it starts: the server's own message, in both languages.
    page.fill("#from", today)
    page.fill("#to", shanghai_day(1))
    page.click("#run")
    expect(report).to_have_attribute("data-state", "error")
    expect(page.locator("#report-message")).to_be_visible()
    expect(page.locator("#report-message")).to_contain_text("to 不能早于 from")
    expect(page.locator("#report-message")).to_contain_text("to is before from")
    expect(page.locator("#tables .report-table")).to_have_count(0)

    # Today at the test's site.
    page.fill("#to", today)
    page.select_option("#site", SITE)
    page.click("#run")
    expect(report).to_have_attribute("data-query", re.compile(rf"(^|&)site={SITE}(&|$)"))
    expect(report).to_have_attribute("data-state", "ready")
    expect(page.locator("#report-message")).to_be_hidden()
    expect(page.locator("#tables .report-table")).to_have_count(len(expected["tables"]))
    expect(page.locator("#events-read")).to_have_text(re.compile(r"^[1-9]\d*$"))
    expect(page.locator("#summary-period")).to_have_text(today)

    volume = page.locator("#table-volume")
    expect(volume.locator(".panel-title")).to_contain_text(volume_json["title"]["zh"])
    row = volume.locator("table.report-data tbody tr", has_text=today)
    expect(row).to_have_count(1)
    issued = row.locator("td[data-key='issued']")
    expect(issued).to_have_text("3")
    expect(issued).to_have_class(re.compile(r"\bnum\b"))
    expect(row.locator("td[data-key='answered']")).to_have_text("1")
    expect(row.locator("td[data-key='cancelled']")).to_have_text("2")

    # The chart: issued and answered for the one day, drawn as SVG bars.
    bars = volume.locator("figure.chart svg.chart-svg rect.bar")
    expect(bars).to_have_count(2)
    assert bars.nth(0).get_attribute("data-key") == "issued" and bars.nth(0).get_attribute("data-value") == "3"
    assert bars.nth(1).get_attribute("data-key") == "answered" and bars.nth(1).get_attribute("data-value") == "1"
    assert float(bars.nth(0).get_attribute("height")) > float(bars.nth(1).get_attribute("height")) > 0

    # Seconds also as m:ss, percentages with %.
    expect(page.locator("#table-waiting tbody td[data-key='average'] .clock")).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(page.locator("#table-serviceLevel tbody td[data-key='serviceLevel']")).to_have_text(re.compile(r"^\d+(\.\d+)?%$"))
    expect(page.locator("#table-ratings-site tbody td[data-key='level5']")).to_have_text("1")
    for table in ("waiting", "serviceLevel", "ratings-clerk"):
        expect(page.locator(f"#table-{table} svg.chart-svg rect.bar").first).to_be_attached()

    # The definition as the footnote.
    definition = volume.locator(".definition")
    expect(definition).to_contain_text(volume_json["definition"]["zh"])
    expect(definition).to_contain_text(volume_json["definition"]["en"])
    shot(page, "reports.png", full_page=True)

    # The CSV: the server's file name and exactly the server's bytes.
    with page.expect_download() as info:
        volume.locator("a.csv-link").click()
    download = info.value
    assert download.suggested_filename == f"volume-{today.replace('-', '')}.csv"
    with open(download.path(), "rb") as f:
        data = f.read()
    assert data.startswith(b"\xef\xbb\xbf")
    served, headers = raw_get(server, f"/api/v1/reports/volume.csv?{query}", server.admin)
    assert data == served
    assert f"{today},3,1,0,2\r\n".encode() in data
    assert headers["Content-Disposition"] == f'attachment; filename="volume-{today.replace("-", "")}.csv"'

    # The query is in the address: a reload shows the same report; by hour, the same three tickets.
    page.reload()
    expect(page.locator("#site")).to_have_value(SITE)
    expect(page.locator("#from")).to_have_value(today)
    expect(report).to_have_attribute("data-state", "ready")
    page.select_option("#bucket", "hour")
    page.click("#run")
    expect(report).to_have_attribute("data-query", re.compile(r"bucket=hour"))
    expect(report).to_have_attribute("data-state", "ready")
    hours = page.locator("#table-volume table.report-data tbody tr")
    expect(hours.first).to_contain_text(re.compile(rf"{today} \d\d:00"))
    assert sum(int(cell) for cell in page.locator("#table-volume tbody td[data-key='issued']").all_inner_texts()) == 3
