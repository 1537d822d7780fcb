"""Browser tests of the video link (issue 10): screen B and the clerk's console in two headless
Debian chromiums with fake media fed from solid-colour .y4m files (red for the kiosk, blue for the
clerk), signaled through a real windowd on 127.0.0.1, relayed through a real coturn on loopback
where the test says so. Each test has its own windowd (and data folder).

What is measured is media, not only states: decoded frames that grow, and the remote <video>'s
centre pixel, which must show the *other* side's colour."""
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import tempfile
import time
import urllib.parse

import pytest
from playwright.sync_api import expect

from rwkit import (FRAMES, WINDOWD, LiveRefused, Server, Turn, go_available, shot, sign_in, wait_for, watched_context, y4m)

ITEM = "JZZ-001"  # residence
CALL = 30_000  # ms: from the clerk's accept to a connected call, with room for a slow machine

# ----------------------------------------------------------------------------- page probes

STATE = "() => window.rwCall && window.rwCall.pc ? window.rwCall.pc.connectionState : null"
CONNECTED = "() => !!(window.rwCall && window.rwCall.pc && window.rwCall.pc.connectionState === 'connected')"
# The centre pixel of a <video>, drawn on a canvas.
PIXEL = """(selector) => {
  const video = document.querySelector(selector);
  if (!video || !video.videoWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(video, 0, 0);
  return Array.from(g.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data.slice(0, 3));
}"""
# [local candidateType, remote candidateType] of the selected pair.
PAIR = """async () => {
  const pc = window.rwCall && window.rwCall.pc;
  if (!pc) return null;
  const report = await pc.getStats();
  let pair = null;
  report.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId); });
  if (!pair) return null;
  return [report.get(pair.localCandidateId).candidateType, report.get(pair.remoteCandidateId).candidateType];
}"""
LOCAL_CANDIDATES = """async () => {
  const pc = window.rwCall && window.rwCall.pc;
  if (!pc) return null;
  const report = await pc.getStats();
  const types = [];
  report.forEach((s) => { if (s.type === 'local-candidate') types.push(s.candidateType); });
  return types;
}"""


def is_red(rgb):
    return bool(rgb) and rgb[0] > 150 and rgb[1] < 90 and rgb[2] < 90


def is_blue(rgb):
    return bool(rgb) and rgb[2] > 150 and rgb[0] < 90 and rgb[1] < 90


def frames(page):
    return page.evaluate(FRAMES)


def frames_grow(page, by=10, timeout=15.0, what="frames"):
    """Waits until the main inbound video has decoded `by` more frames than now."""
    start = frames(page)
    wait_for(lambda: frames(page) >= max(start, 0) + by, timeout=timeout, message=f"{what} to grow from {start}")
    return frames(page)


def sees(page, selector, test, what, timeout=15.0):
    return wait_for(lambda: test(page.evaluate(PIXEL, selector)), timeout=timeout, message=f"{what} at the centre of {selector}")


# ------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def media():
    folder = tempfile.mkdtemp(prefix="rw-media-")
    yield {"red": y4m(os.path.join(folder, "red.y4m"), (230, 20, 20)), "blue": y4m(os.path.join(folder, "blue.y4m"), (20, 20, 230))}
    shutil.rmtree(folder, ignore_errors=True)


def launch(playwright_instance, chromium_path, capture_file=None, device_count=1):
    args = ["--use-fake-ui-for-media-stream", f"--use-fake-device-for-media-stream=device-count={device_count}",
            "--allow-loopback-in-peer-connection"]
    if capture_file:
        args.append(f"--use-file-for-fake-video-capture={capture_file}")  # one camera: the file
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    return playwright_instance.chromium.launch(executable_path=chromium_path, headless=True, args=args)


@pytest.fixture(scope="module")
def kiosk_browser(playwright_instance, chromium_path, media):
    """Screen B's browser: a red camera."""
    browser = launch(playwright_instance, chromium_path, media["red"])
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def document_kiosk_browser(playwright_instance, chromium_path):
    """Screen B's browser with two cameras, the second the document camera (高拍仪). Chrome's own
    fake pictures: a capture file replaces the fake devices with a single camera."""
    browser = launch(playwright_instance, chromium_path, device_count=2)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def clerk_browser(playwright_instance, chromium_path, media):
    browser = launch(playwright_instance, chromium_path, media["blue"], 1)
    yield browser
    browser.close()


@pytest.fixture
def contexts(request, kiosk_browser, clerk_browser):
    """One watched context per side; their pages must end with no CSP violation or uncaught error.
    A test marked `document_camera` gets the two-camera kiosk browser."""
    made = []
    kiosk = request.getfixturevalue("document_kiosk_browser") if request.node.get_closest_marker("document_camera") else kiosk_browser

    def make(side):
        context = watched_context(kiosk if side == "kiosk" else clerk_browser, viewport={"width": 1280, "height": 800})
        made.append(context)
        return context

    yield make
    problems = []
    for context in made:
        problems += context.problems()
        try:
            context.close()
        except Exception:  # closed by the test already
            pass
    assert not problems, "\n".join(problems)


@pytest.fixture
def servers(request):
    """Starts windowd with extra options: servers(args) → a set-up Server. Stopped after the test."""
    started = []

    def start(args=()):
        if not os.access(WINDOWD, os.X_OK):
            pytest.exit(f"{WINDOWD} is not built: run `swift build` first", returncode=2)
        server = Server(args)
        started.append(server)
        server.start()
        return server.setup()

    yield start
    failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else True
    for server in started:
        server.stop()
        if failed:
            print(f"\n--- windowd log (last lines) ---\n{server.tail(60)}")
        server.remove()


@pytest.fixture
def turns():
    started = []

    def start(secret):
        turn = Turn(secret)
        started.append(turn)
        return turn.start()

    yield start
    for turn in started:
        turn.stop()


def turn_server(servers, turn, secret, policy="relay"):
    """windowd configured for the given coturn, with its own copy of `secret`."""
    path = os.path.join(turn.work, "windowd-turn-secret")
    with open(path, "w") as f:
        f.write(secret + "\n")
    return servers(["--turn-url", turn.url, "--turn-secret-file", path, "--ice-policy", policy])


# ---------------------------------------------------------------------------- the call


class Call:
    """Screen B paired with a kiosk, a clerk signed in, a ticket taken and accepted."""

    def __init__(self, server, screen, clerk, kiosk, kiosk_id, ticket, session, username):
        self.server, self.screen, self.clerk = server, screen, clerk
        self.kiosk, self.kiosk_id, self.ticket, self.session, self.username = kiosk, kiosk_id, ticket, session, username
        self._clerk_token = None

    @property
    def clerk_token(self):
        if not self._clerk_token:
            self._clerk_token = self.server.login_token(self.username)
        return self._clerk_token

    def session_state(self):
        return self.server.ok("GET", f"/api/v1/sessions/{self.session}", token=self.clerk_token)["state"]

    def connected(self, timeout=CALL):
        for page in (self.screen, self.clerk):
            page.wait_for_function(CONNECTED, timeout=timeout)

    def media_flows(self, what="", kiosk_red=True):
        """Frames grow on both sides and each sees the other's colour."""
        frames_grow(self.screen, what=f"screen B's decoded frames {what}")
        frames_grow(self.clerk, what=f"the clerk's decoded frames {what}")
        sees(self.screen, "#remote-video", is_blue, "the clerk's blue")
        if kiosk_red:
            sees(self.clerk, "#video-remote", is_red, "the kiosk's red")


def pair_screen(server, context, kiosk):
    pairing = server.ok("POST", "/api/v1/kiosk/screen-b", token=kiosk, raw=b"")
    assert re.fullmatch(r"https://[^/]+/screen-b/#pair=" + re.escape(pairing["code"]), pairing["url"]), pairing
    screen = context.open_page()
    screen.goto(f"{server.base}/screen-b/#pair={urllib.parse.quote(pairing['code'])}")
    expect(screen.locator("body")).to_have_attribute("data-view", "idle")
    assert "pair=" not in screen.url  # the code leaves the address bar (and the history)
    expect(screen.locator("#conn")).to_have_attribute("data-state", "open")
    return screen, pairing


def start_call(server, contexts, username="video-clerk", display="李娜", window="05", accept_consent=True):
    server.clerk(username, ["residence"], window=window, display=display)
    kiosk_view = server.kiosk_view()
    kiosk = kiosk_view["credential"]
    screen, _ = pair_screen(server, contexts("kiosk"), kiosk)
    expect(screen.locator("#no-ticket")).to_be_visible()

    clerk = contexts("clerk").open_page()
    sign_in(clerk, server, username)
    go_available(clerk)

    ticket, _ = server.ticket(ITEM, kiosk)
    expect(clerk.locator("#offer-number")).to_have_text(ticket["number"])
    expect(screen.locator("#ticket-number")).to_have_text(ticket["number"])
    clerk.click("#offer-accept")
    expect(clerk.locator("#view-case")).to_be_visible()
    session = int(clerk.locator("#view-case").get_attribute("data-session"))

    # Before the camera opens: the notice, and the clerk sees that consent is awaited.
    expect(screen.locator("body")).to_have_attribute("data-view", "consent")
    expect(clerk.locator("#video-panel")).to_have_attribute("data-call", "waiting-consent")
    assert screen.evaluate("window.rwCall") is None  # no camera before the answer
    call = Call(server, screen, clerk, kiosk, kiosk_view["id"], ticket, session, username)
    if accept_consent:
        screen.click("#consent-accept")
    return call


# --------------------------------------------------------------------------------- tests


def test_a_call_connects_both_ways_and_ends_back_to_idle(servers, contexts):
    server = servers()
    call = start_call(server, contexts, display="李娜", window="05")
    screen, clerk = call.screen, call.clerk

    # The notice was there and was answered; the answer is the server's now.
    call.connected()
    expect(screen.locator("body")).to_have_attribute("data-view", "call")
    expect(screen.locator("#clerk-name")).to_have_text("李娜")
    expect(screen.locator("#clerk-window")).to_have_text("05")
    expect(screen.locator(".sb-clerk-card .sb-badge")).to_contain_text("政府工作人员")
    expect(screen.locator(".sb-clerk-card .sb-badge")).to_contain_text("Government clerk")
    expect(screen.locator("#call-state")).to_have_attribute("data-state", "connected")
    expect(screen.locator("#call-state")).to_contain_text("已接通")
    expect(clerk.locator("#video-panel")).to_have_attribute("data-call", "connected")

    call.media_flows()
    # The local previews show each side's own colour.
    sees(screen, "#local-video", is_red, "screen B's own red preview")
    sees(clerk, "#video-local", is_blue, "the clerk's own blue preview")

    # The session follows the media: active once both report connected.
    wait_for(lambda: call.session_state() == "active", message="the session to be active")
    # The quality indicator comes from the stats.
    expect(clerk.locator("#call-quality")).to_have_attribute("data-grade", re.compile(r"^(good|fair|poor)$"))
    shot(screen, "screen-b-call.png")
    shot(clerk, "clerk-video.png", full_page=True)

    # The manager's board shows both sides connected, with a quality, and the consent.
    server.manager("video-manager")
    board = contexts("clerk").open_page()
    sign_in(board, server, "video-manager", lands_on="board.html")
    cell = board.locator("#clerks-body tr", has_text="李娜").locator("td.media-cell")
    expect(cell).to_have_attribute("data-session-state", "active")
    expect(cell).to_have_attribute("data-consent", "true")
    for side in ("kiosk", "clerk"):
        expect(cell.locator(f".media-side[data-side='{side}']")).to_have_attribute("data-state", "connected")
        expect(cell.locator(f".media-side[data-side='{side}']")).to_have_attribute("data-grade", re.compile(r"^(good|fair|poor)$"),
                                                                                  timeout=CALL)
    shot(board, "board-video.png")

    # Mute and camera off act on the clerk's own tracks.
    clerk.click("#call-mute")
    expect(clerk.locator("#call-mute")).to_have_attribute("aria-pressed", "true")
    assert clerk.evaluate("window.rwCall.stream.getAudioTracks().every((t) => !t.enabled)")
    clerk.click("#call-mute")
    clerk.click("#call-camera")
    expect(clerk.locator("#call-camera")).to_have_attribute("aria-pressed", "true")
    assert clerk.evaluate("window.rwCall.stream.getVideoTracks().every((t) => !t.enabled)")
    clerk.click("#call-camera")
    assert clerk.evaluate("window.rwCall.stream.getTracks().every((t) => t.enabled)")

    # The clerk ends the case: screen B goes back to idle and keeps nothing.
    clerk.click("#outcomes [data-outcome='completed']")
    clerk.click("#end-session")
    expect(clerk.locator("#view-wrapup")).to_be_visible()
    expect(screen.locator("body")).to_have_attribute("data-view", "idle")
    expect(screen.locator("#no-ticket")).to_be_visible()
    assert screen.evaluate("window.rwCall") is None
    assert screen.evaluate("[...document.querySelectorAll('video')].every((v) => v.srcObject === null)")
    assert screen.locator("#clerk-name").inner_text() == ""
    assert clerk.evaluate("window.rwCall") is None
    assert clerk.evaluate("[...document.querySelectorAll('video')].every((v) => v.srcObject === null)")
    ticket = server.ok("GET", f"/api/v1/tickets/{call.ticket['id']}", token=call.kiosk)
    assert ticket["state"] == "done"


def test_the_relay_carries_the_call_through_coturn(servers, contexts, turns):
    secret = "relay-secret-" + os.urandom(4).hex()
    turn = turns(secret)
    server = turn_server(servers, turn, secret)
    call = start_call(server, contexts)

    # Each side has its own short-lived credential in the coturn REST scheme.
    ice = server.ok("GET", f"/api/v1/sessions/{call.session}/ice", token=call.clerk_token)
    assert ice["iceTransportPolicy"] == "relay"
    entry = next(s for s in ice["iceServers"] if any(u.startswith("turn:") for u in s["urls"]))
    assert turn.url in entry["urls"]
    expiry, who = entry["username"].split(":", 1)
    assert who == f"{call.session}-clerk"
    assert 600 - 5 <= int(expiry) - time.time() <= 1800 + 5
    assert entry["credential"] == base64.b64encode(hmac.new(secret.encode(), entry["username"].encode(), hashlib.sha1).digest()).decode()

    call.connected()
    for page in (call.screen, call.clerk):
        assert wait_for(lambda: page.evaluate(PAIR), message="a selected pair") == ["relay", "relay"]
        assert set(page.evaluate(LOCAL_CANDIDATES)) == {"relay"}
    call.media_flows("through the relay")
    wait_for(lambda: call.session_state() == "active", message="the session to be active")


def test_a_wrong_turn_secret_gathers_no_relay_and_does_not_connect(servers, contexts, turns):
    turn = turns("the-right-secret")
    server = turn_server(servers, turn, "a-wrong-secret")
    call = start_call(server, contexts)

    # Both pages made their peer connection (the offer went out and was answered) …
    for page in (call.screen, call.clerk):
        page.wait_for_function("() => !!(window.rwCall && window.rwCall.pc && window.rwCall.pc.remoteDescription)", timeout=CALL)
    # … but coturn refuses the allocation: no relay candidate, and no connection, for 12 s.
    deadline = time.time() + 12
    while time.time() < deadline:
        for page in (call.screen, call.clerk):
            assert page.evaluate(STATE) != "connected"
            assert "relay" not in (page.evaluate(LOCAL_CANDIDATES) or [])
        time.sleep(0.5)
    assert call.session_state() == "connecting"
    expect(call.clerk.locator("#video-panel")).not_to_have_attribute("data-call", "connected")


def test_a_lost_live_connection_does_not_lose_the_call(servers, contexts):
    server = servers()
    call = start_call(server, contexts)
    call.connected()
    call.media_flows()
    wait_for(lambda: call.session_state() == "active", message="the session to be active")

    for page, side in ((call.screen, "screen B"), (call.clerk, "the clerk")):
        page.evaluate("window.rwLive.stop()")  # the live WSS goes away
        wait_for(lambda: call.session_state() == "reconnecting", message=f"reconnecting while {side}'s WSS is gone")
        frames_grow(call.screen, what="screen B's frames with a WSS down")
        frames_grow(call.clerk, what="the clerk's frames with a WSS down")
        page.evaluate("window.rwLive.start()")
        wait_for(lambda: call.session_state() == "active", timeout=20, message=f"active again once {side}'s WSS is back")
        call.media_flows(f"after {side}'s WSS came back")

    # Signaling works again too: the clerk can still ask for an ICE restart and the call holds.
    restarts = call.clerk.evaluate("window.rwCall.iceRestarts")
    call.clerk.evaluate("window.rwCall.restartIce()")
    wait_for(lambda: call.clerk.evaluate("window.rwCall.iceRestarts") == restarts + 1)
    call.connected()
    call.media_flows("after an ICE restart")


def test_a_frozen_relay_reconnects_after_an_ice_restart(servers, contexts, turns):
    secret = "freeze-secret"
    turn = turns(secret)
    server = turn_server(servers, turn, secret)
    call = start_call(server, contexts)
    call.connected()
    call.media_flows("through the relay")
    wait_for(lambda: call.session_state() == "active", message="the session to be active")

    turn.freeze()  # kill -STOP
    try:
        wait_for(lambda: call.session_state() == "reconnecting", timeout=30, message="the session to go reconnecting")
        expect(call.clerk.locator("#video-panel")).to_have_attribute("data-call", "reconnecting")
        expect(call.clerk.locator("#call-state")).to_contain_text("重新连接中")
        expect(call.screen.locator("#call-state")).to_contain_text("重新连接中")
        # The frames have stopped.
        before = (frames(call.screen), frames(call.clerk))
        time.sleep(1.5)
        assert (frames(call.screen), frames(call.clerk)) == before, "frames flowed through a frozen relay"
    finally:
        turn.thaw()  # kill -CONT
    thawed = time.time()
    frames_grow(call.screen, timeout=30, what="screen B's frames after the relay came back")
    frames_grow(call.clerk, timeout=30, what="the clerk's frames after the relay came back")
    print(f"frames again {time.time() - thawed:.1f} s after kill -CONT")
    assert call.clerk.evaluate("window.rwCall.iceRestarts") >= 1
    call.media_flows("after the relay came back")
    wait_for(lambda: call.session_state() == "active", timeout=20, message="active again")


def test_past_the_grace_with_the_clerk_gone_the_ticket_is_back_at_the_head(servers, contexts):
    folder = tempfile.mkdtemp(prefix="rw-policy-")
    policy = os.path.join(folder, "policy.json")
    with open(policy, "w") as f:
        json.dump({"rejoinGrace": 3, "clerkGrace": 3}, f)
    server = servers(["--policy", policy])
    call = start_call(server, contexts)
    call.connected()
    call.media_flows()
    # Someone else is in line behind (the only clerk is busy).
    later, later_kiosk = server.ticket(ITEM)
    assert server.ok("GET", f"/api/v1/tickets/{later['id']}", token=later_kiosk)["position"] == 1

    call.clerk.context.close()  # the clerk's page is gone, and with it its live connection and media
    ticket = wait_for(lambda: (lambda t: t if t["state"] == "waiting" else None)(
        server.ok("GET", f"/api/v1/tickets/{call.ticket['id']}", token=call.kiosk)), timeout=30, message="the ticket back in line")
    assert ticket["position"] == 1, ticket
    assert server.ok("GET", f"/api/v1/tickets/{later['id']}", token=later_kiosk)["position"] == 2
    # Screen B drops the call and shows the ticket again, at the head.
    expect(call.screen.locator("body")).to_have_attribute("data-view", "idle")
    expect(call.screen.locator("#ticket-number")).to_have_text(call.ticket["number"])
    expect(call.screen.locator("#ticket-position")).to_have_attribute("data-position", "1")
    assert call.screen.evaluate("window.rwCall") is None
    assert call.screen.evaluate("[...document.querySelectorAll('video')].every((v) => v.srcObject === null)")
    shutil.rmtree(folder, ignore_errors=True)


def test_third_parties_get_no_signaling(servers, contexts):
    server = servers()
    # Listeners that are not in the session, connected before it starts.
    server.clerk("other-clerk", ["residence"], window="09")
    server.manager("signal-manager")
    others = {
        "another kiosk": server.live(token=server.kiosk()),
        "another clerk": server.live(token=server.login_token("other-clerk")),
        "a manager": server.live(token=server.login_token("signal-manager")),
    }
    call = start_call(server, contexts)
    others["its own kiosk's screen A"] = server.live(token=call.kiosk)
    call.connected()
    call.media_flows()
    call.clerk.click("#call-capture")  # a capture goes to screen B only, too

    for who, socket in others.items():
        seen = socket.drain(1.0)
        assert not [m for m in seen if m["type"] in ("signal", "capture")], f"{who} received {seen}"
        for attempt in ({"hello": True}, {"pc": "0f7c3c1e-aaaa-bbbb-cccc-000000000001", "candidate": {"candidate": "", "sdpMid": "0"}},
                        {"pc": "0f7c3c1e-aaaa-bbbb-cccc-000000000001", "description": {"type": "offer", "sdp": "v=0\r\n"}}):
            socket.send({"type": "signal", "data": {"session": call.session, **attempt}})
            error = socket.wait(lambda m: m["type"] == "error", timeout=5)
            assert error and error["data"]["code"] == "not_in_session", f"{who} sent {attempt}: {error} / {socket.messages[-3:]}"
        socket.close()
    # The participants' call is untouched.
    call.media_flows("after the third parties tried")


def assert_gets_nothing(server, **credential):
    """The live connection is refused, or upgraded and closed with 4401 before any message."""
    try:
        socket = server.live(**credential)
    except LiveRefused as refused:
        assert refused.status in (401, 403), refused
        return
    message = socket.receive(timeout=5)
    assert message is None, f"got {message}"
    assert socket.closed and socket.closed[0] == 4401, socket.closed


def test_an_unpaired_or_revoked_screen_b_gets_nothing(servers, contexts):
    server = servers()
    context = contexts("kiosk")

    # No pairing: the page says so, /me is 401, and the live connection is refused.
    page = context.open_page()
    page.goto(f"{server.base}/screen-b/")
    expect(page.locator("body")).to_have_attribute("data-view", "unpaired")
    expect(page.locator("#view-unpaired")).to_have_attribute("data-reason", "unpaired")
    expect(page.locator("#unpaired-title")).to_contain_text("未配对")
    assert page.evaluate("fetch('/api/v1/screen-b/me').then((r) => r.status)") == 401
    assert_gets_nothing(server)

    # A code that does not exist, and one used already.
    page.goto(f"{server.base}/screen-b/#pair=not-a-code")
    expect(page.locator("#view-unpaired")).to_have_attribute("data-reason", "invalid")
    expect(page.locator("#unpaired-title")).to_contain_text("配对链接无效或已过期")
    kiosk_view = server.kiosk_view()
    kiosk = kiosk_view["credential"]
    pairing = server.ok("POST", "/api/v1/kiosk/screen-b", token=kiosk, raw=b"")
    status, me, headers = server.request("POST", "/api/v1/screen-b/pair", {"code": pairing["code"]})
    assert status == 200 and me["kiosk"]["id"] == kiosk_view["id"] and me["csrf"], me
    cookie = headers.get("Set-Cookie", "")
    assert cookie.startswith("rw_screen=") and "httponly" in cookie.lower() and "secure" in cookie.lower(), cookie
    status, body, _ = server.request("POST", "/api/v1/screen-b/pair", {"code": pairing["code"]})
    assert status == 404 and body["error"]["code"] == "pairing_invalid", body
    fresh = contexts("kiosk").open_page()
    fresh.goto(f"{server.base}/screen-b/#pair={pairing['code']}")
    expect(fresh.locator("#view-unpaired")).to_have_attribute("data-reason", "invalid")

    # A raw connection with that cookie is screen B: it hears the kiosk's state.
    cookie = cookie.split(";", 1)[0]
    raw = server.live(cookie=cookie)
    first = raw.wait(lambda m: m["type"] in ("idle", "ticket"), timeout=5)
    assert first and first["type"] == "idle", raw.messages
    # A new pairing replaces it: its connection ends (4401) and its cookie is worth nothing.
    screen, _ = pair_screen(server, contexts("kiosk"), kiosk)
    wait_for(lambda: raw.receive(timeout=0.5) is None and raw.closed, timeout=10, message="the replaced screen's connection to close")
    assert raw.closed[0] == 4401, raw.closed
    assert_gets_nothing(server, cookie=cookie)
    status, _, _ = server.request("GET", "/api/v1/screen-b/me", headers={"Cookie": cookie})
    assert status == 401

    # Revoking the kiosk ends the paired page's access at once.
    server.ok("DELETE", f"/api/v1/kiosks/{kiosk_view['id']}", token=server.admin)
    expect(screen.locator("body")).to_have_attribute("data-view", "unpaired")
    expect(screen.locator("#view-unpaired")).to_have_attribute("data-reason", "revoked")
    expect(screen.locator("#unpaired-title")).to_contain_text("未配对")
    assert screen.evaluate("window.rwLive.stopped") is True
    assert screen.evaluate("fetch('/api/v1/screen-b/me').then((r) => r.status)") == 401
    screen.reload()
    expect(screen.locator("#view-unpaired")).to_have_attribute("data-reason", "unpaired")


def test_leaving_at_the_consent_notice_ends_the_session(servers, contexts):
    server = servers()
    call = start_call(server, contexts, accept_consent=False)
    screen = call.screen
    notice = screen.locator("#view-consent")
    expect(notice).to_contain_text("政府工作人员")
    expect(notice).to_contain_text("government clerk")
    expect(notice).to_contain_text("摄像头和麦克风仅用于本次办理")
    expect(notice).to_contain_text("used for this case only")
    expect(screen.locator("#consent-clerk")).to_have_text("李娜")
    # Chinese first, English beside.
    text = notice.inner_text()
    assert text.index("政府工作人员") < text.index("government clerk")
    shot(screen, "screen-b-consent.png")

    screen.click("#consent-leave")
    expect(screen.locator("body")).to_have_attribute("data-view", "idle")
    assert screen.evaluate("window.rwCall") is None
    stored = wait_for(lambda: (lambda s: s if s.get("outcome") else None)(
        server.ok("GET", f"/api/v1/sessions/{call.session}", token=call.clerk_token)), message="the session to end")
    assert stored["outcome"] == "dropped"
    ticket = server.ok("GET", f"/api/v1/tickets/{call.ticket['id']}", token=call.kiosk)
    assert ticket["state"] in ("done", "abandoned", "cancelled"), ticket
    expect(call.clerk.locator("#view-case")).to_be_hidden()
    assert call.clerk.evaluate("window.rwCall") is None


@pytest.mark.document_camera
def test_the_document_camera_photo_arrives_as_a_material_the_clerk_reviews(servers, contexts):
    server = servers()
    call = start_call(server, contexts)
    call.connected()
    call.media_flows(kiosk_red=False)  # Chrome's fake cameras here, not the red file
    # Screen B has a second camera: it is offered as the document camera, sendonly, as text, by a
    # renegotiation screen B (the polite side) starts. (Chrome's second fake camera is a Y16 depth
    # camera whose pictures WebRTC does not encode, so here no frames of it arrive; the still does.)
    assert call.screen.evaluate("navigator.mediaDevices.enumerateDevices().then((d) => d.filter((x) => x.kind === 'videoinput').length)") == 2
    call.clerk.wait_for_function("() => window.rwCall && window.rwCall.pc && window.rwCall.pc.getTransceivers().length === 3 && "
                                 "window.rwCall.pc.getTransceivers()[2].currentDirection === 'recvonly'", timeout=CALL)
    assert call.screen.evaluate("window.rwCall.documentTrack.contentHint") == "text"
    assert call.screen.evaluate("window.rwCall.pc.getTransceivers()[2].currentDirection") == "sendonly"
    call.connected()

    call.clerk.click("#call-capture")
    expect(call.screen.locator("#capture-note")).to_have_attribute("data-kind", "done", timeout=CALL)
    row = call.clerk.locator("#material-list li.material", has_text="高拍仪拍摄")
    expect(row).to_have_count(1)
    row.locator(".act-view").click()
    call.clerk.wait_for_function(
        "() => { const i = document.querySelector('#viewer-body img'); return i && i.complete && i.naturalWidth >= 1280; }")
    size = call.clerk.evaluate("(() => { const i = document.querySelector('#viewer-body img'); return [i.naturalWidth, i.naturalHeight]; })()")
    assert size[0] >= 1280 and size[1] >= 720, size  # a full-resolution still, not a video frame of the call
    call.clerk.locator("#viewer-review .act-accept").click()
    expect(row).to_have_attribute("data-status", "accepted")
    call.clerk.click("#viewer-close")
    materials = server.ok("GET", f"/api/v1/sessions/{call.session}", token=call.clerk_token)["materials"]
    photo = next(m for m in materials if m["name"] == "高拍仪拍摄")
    assert photo["status"] == "accepted" and photo["contentType"] in ("image/png", "image/jpeg"), photo
    # The call went on through it all.
    call.media_flows("after the capture", kiosk_red=False)


# Gathers relay candidates for one credential, with nothing else allowed: the types gathered.
GATHER = """async ([url, username, credential]) => {
  const pc = new RTCPeerConnection({iceServers: [{urls: [url], username, credential}], iceTransportPolicy: 'relay'});
  const types = [];
  pc.onicecandidate = (e) => { if (e.candidate && e.candidate.type) types.push(e.candidate.type); };
  pc.createDataChannel('probe');
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((done) => {
    if (pc.iceGatheringState === 'complete') return done();
    pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') done(); };
    setTimeout(done, 8000);
  });
  pc.close();
  return types;
}"""


# Every stream getUserMedia gave the page, to see which cameras are open when.
STREAMS = """(() => {
  const devices = navigator.mediaDevices;
  const open = devices.getUserMedia.bind(devices);
  window.rwStreams = [];
  devices.getUserMedia = async (constraints) => {
    const stream = await open(constraints);
    window.rwStreams.push(stream);
    return stream;
  };
})()"""
LIVE_STREAMS = "() => (window.rwStreams || []).filter((s) => s.getTracks().some((t) => t.readyState === 'live')).length"


def test_the_clerks_camera_opens_with_an_offer_and_closes_when_it_goes(servers, contexts):
    """Accepting starts the call with a camera already open (a real one takes up to a second to
    start); an offer that goes without a case (here the worker leaves) leaves no camera open."""
    server = servers()
    server.clerk("ready-clerk", ["residence"], window="06", display="周敏")
    clerk = contexts("clerk").open_page()
    clerk.add_init_script(STREAMS)
    sign_in(clerk, server, "ready-clerk")
    go_available(clerk)
    assert clerk.evaluate("window.rwStreams.length") == 0  # no camera while only available

    first, kiosk = server.ticket(ITEM)
    expect(clerk.locator("#offer-number")).to_have_text(first["number"])
    wait_for(lambda: clerk.evaluate(LIVE_STREAMS) == 1, message="the camera to open with the offer")
    server.ok("DELETE", f"/api/v1/tickets/{first['id']}", token=kiosk)  # the worker leaves: the offer goes
    expect(clerk.locator("#view-idle")).to_be_visible()
    wait_for(lambda: clerk.evaluate(LIVE_STREAMS) == 0, message="the camera to close with the offer")

    second, _ = server.ticket(ITEM)
    expect(clerk.locator("#offer-number")).to_have_text(second["number"])
    wait_for(lambda: clerk.evaluate(LIVE_STREAMS) == 1, message="the camera to open with the second offer")
    clerk.click("#offer-accept")
    expect(clerk.locator("#view-case")).to_be_visible()
    wait_for(lambda: clerk.evaluate("!!(window.rwCall && window.rwCall.stream)"), message="the call to have its camera")
    # The call took the camera opened for the offer: no second one was asked for.
    assert clerk.evaluate("window.rwStreams.length") == 2
    assert clerk.evaluate("window.rwCall.stream === window.rwStreams[1]")
    clerk.click("#outcomes [data-outcome='completed']")
    clerk.click("#end-session")
    expect(clerk.locator("#view-wrapup")).to_be_visible()
    wait_for(lambda: clerk.evaluate(LIVE_STREAMS) == 0, message="the camera to close with the case")


def test_an_expired_turn_username_gathers_no_relay(contexts, turns):
    """The coturn REST scheme carries its own expiry: a credential past it (even with the right
    MAC) gets no allocation, while the same one with a future expiry does."""
    secret = "expiry-secret-" + os.urandom(4).hex()
    turn = turns(secret)
    page = contexts("kiosk").open_page()

    def credential(expiry):
        username = f"{int(expiry)}:7-kiosk"
        return username, base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()).decode()

    fresh = page.evaluate(GATHER, [turn.url, *credential(time.time() + 600)])
    assert "relay" in fresh, f"a valid credential gathers a relay candidate: {fresh}"
    expired = page.evaluate(GATHER, [turn.url, *credential(time.time() - 60)])
    assert "relay" not in expired, f"an expired credential must not: {expired}"
