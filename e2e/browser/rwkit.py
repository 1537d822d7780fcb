"""Shared helpers of the browser tests (and of e2e/video-bench.py): a real windowd on 127.0.0.1
with a fresh data folder, its API, a raw WebSocket client for the live connection, page watchers
and small image makers. Nothing here talks to any address but loopback."""
import base64
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WINDOWD = os.environ.get("WINDOWD", os.path.join(ROOT, ".build", "debug", "windowd"))
SHOTS = os.environ.get("RW_SCREENSHOTS", "/tmp/rw-console-screenshots")
CHROMIUM_ARGS = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
]
PASSWORD = "browser-test-password"
# framesDecoded of the main inbound video (the lowest mid; the document camera, if any, comes later).
FRAMES = """async () => {
  const call = window.rwCall;
  if (!call || !call.pc) return -1;
  const report = await call.pc.getStats();
  let best = null;
  report.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      const mid = Number(s.mid ?? 0);
      if (best === null || mid < best.mid) best = { mid, frames: s.framesDecoded || 0 };
    }
  });
  return best ? best.frames : 0;
}"""

ALWAYS_OPEN = {"weekly": {str(day): [{"open": "00:00", "close": "24:00"}] for day in range(1, 8)}}
LIVE = 15_000  # ms: how long a live update may take to show


def chromium_args(*extra):
    """The test flags, plus --no-sandbox when running as root (chromium refuses otherwise)."""
    args = list(CHROMIUM_ARGS) + list(extra)
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=15.0, interval=0.1, message="condition"):
    """Polls `condition` until it returns something truthy; returns it, or fails after `timeout` s."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message} (last: {last!r})")


class Server:
    """windowd on 127.0.0.1 with a fresh data folder. `args` are extra command-line options.
    The environment passes through (WINDOWD_CONSOLE_DIR serves the console from the source tree)."""

    def __init__(self, args=()):
        self.work = tempfile.mkdtemp(prefix="rw-browser-")
        self.data = os.path.join(self.work, "data")
        self.port = free_port()
        self.base = f"https://localhost:{self.port}"
        self.args = list(args)
        self.process = None
        self.log_path = os.path.join(self.work, "windowd.log")
        self.kiosks = 0

    def start(self):
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [WINDOWD, "--data", self.data, "--port", str(self.port), "--catalog", os.environ.get("RW_CATALOG", os.path.join(ROOT, "catalog", "items.json")), *self.args],
            stdout=self.log, stderr=subprocess.STDOUT, env=os.environ.copy())
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"windowd exited: {self.tail()}")
            try:
                if os.path.exists(os.path.join(self.data, "tls", "ca.pem")) and self.api("GET", "/health")[0] == 200:
                    return
            except (OSError, ssl.SSLError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"windowd did not start: {self.tail()}")

    def setup(self, site="browser-test"):
        """Signs the admin in and makes a site open around the clock."""
        with open(os.path.join(self.data, "initial-admin-password")) as f:
            admin_password = f.read().strip()
        self.admin = self.ok("POST", "/api/v1/auth/login", {"username": "admin", "password": admin_password})["token"]
        self.site = site
        self.ok("POST", "/api/v1/sites", {"code": site, "name": {"zh": "浏览器测试站点", "en": "Browser test site"}, "hours": ALWAYS_OPEN},
                self.admin)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def kill(self):
        """Like a crash (and quick: a graceful stop waits for open live connections)."""
        self.process.kill()
        self.process.wait()
        self.log.close()

    def remove(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def tail(self, lines=40):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def ssl_context(self):
        return ssl.create_default_context(cafile=os.path.join(self.data, "tls", "ca.pem"))

    def request(self, method, path, body=None, token=None, raw=None, content_type=None, timeout=30, headers=None):
        """(status, decoded body, response headers)."""
        request = urllib.request.Request(f"https://localhost:{self.port}{path}", method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            request.add_header("Content-Type", "application/json")
        elif raw is not None:
            request.add_header("Content-Type", content_type or "application/octet-stream")
        try:
            with urllib.request.urlopen(request, data=data, context=self.ssl_context(), timeout=timeout) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None, response.headers
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, json.loads(text) if text else None, error.headers
            except ValueError:
                return error.code, text.decode(errors="replace"), error.headers

    def api(self, method, path, body=None, token=None, **kwargs):
        status, result, _ = self.request(method, path, body, token, **kwargs)
        return status, result

    def ok(self, method, path, body=None, token=None, **kwargs):
        status, result = self.api(method, path, body, token, **kwargs)
        assert 200 <= status < 300, f"{method} {path} → {status} {result}"
        return result

    # Setup helpers (as admin, with a bearer token).

    def clerk(self, username, skills, window="01", display=None):
        self.ok("POST", "/api/v1/clerks", {"username": username, "displayName": display or username, "password": PASSWORD,
                                          "window": window, "skills": skills}, self.admin)
        return username

    def kiosk_view(self):
        """A new kiosk: its KioskView, with the credential."""
        self.kiosks += 1
        return self.ok("POST", f"/api/v1/sites/{self.site}/kiosks", {"name": f"kiosk-{self.kiosks}"}, self.admin)

    def kiosk(self):
        return self.kiosk_view()["credential"]

    def ticket(self, item, kiosk=None):
        kiosk = kiosk or self.kiosk()
        ticket = self.ok("POST", "/api/v1/tickets", {"item": item}, kiosk)
        return ticket, kiosk

    def login_token(self, username, password=PASSWORD):
        return self.ok("POST", "/api/v1/auth/login", {"username": username, "password": password})["token"]

    def manager(self, username, display="值班经理"):
        self.ok("POST", "/api/v1/accounts", {"username": username, "displayName": display, "password": PASSWORD, "role": "manager"},
                self.admin)
        return username

    def live(self, token=None, cookie=None):
        return LiveSocket(self, token=token, cookie=cookie)


class LiveRefused(Exception):
    def __init__(self, status, text):
        super().__init__(f"upgrade refused: {status} {text}")
        self.status = status


class LiveSocket:
    """A raw WebSocket client of /api/v1/live (TLS, masked frames, text messages), authenticated by a
    bearer token or a cookie. Enough for the tests; no extension, no fragmentation on send."""

    def __init__(self, server, token=None, cookie=None, timeout=10):
        raw = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
        self.sock = server.ssl_context().wrap_socket(raw, server_hostname="localhost")
        key = base64.b64encode(os.urandom(16)).decode()
        headers = [f"GET /api/v1/live HTTP/1.1", f"Host: localhost:{server.port}", "Upgrade: websocket", "Connection: Upgrade",
                   f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", f"Origin: https://localhost:{server.port}"]
        if token:
            headers.append(f"Authorization: Bearer {token}")
        if cookie:
            headers.append(f"Cookie: {cookie}")
        self.sock.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            response += chunk
        head, _, self.buffer = response.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode(errors="replace")
        status = int(status_line.split()[1]) if len(status_line.split()) > 1 else 0
        if status != 101:
            self.sock.close()
            raise LiveRefused(status, head.decode(errors="replace"))
        self.closed = None  # (code, reason) once the server closed
        self.messages = []

    def send(self, message):
        payload = json.dumps(message).encode()
        self._frame(0x1, payload)

    def _frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", length)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self, timeout=5.0):
        """The next text message as decoded JSON; None on timeout or once closed (see .closed)."""
        if self.closed:
            return None
        self.sock.settimeout(timeout)
        try:
            first, second = self._read(2)
            opcode = first & 0x0F
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
        except (socket.timeout, TimeoutError, ssl.SSLError) as error:
            if isinstance(error, ssl.SSLError) and "timed out" not in str(error):
                self.closed = (1006, str(error))
            return None
        except (EOFError, OSError) as error:
            self.closed = self.closed or (1006, str(error))
            return None
        if opcode == 0x8:
            code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
            self.closed = (code, payload[2:].decode(errors="replace"))
            return None
        if opcode == 0x9:
            self._frame(0xA, payload)
            return self.receive(timeout)
        if opcode != 0x1:
            return self.receive(timeout)
        message = json.loads(payload)
        self.messages.append(message)
        return message

    def drain(self, seconds):
        """Every message that arrives within `seconds`."""
        got = []
        deadline = time.time() + seconds
        while time.time() < deadline and not self.closed:
            message = self.receive(timeout=max(0.05, deadline - time.time()))
            if message is not None:
                got.append(message)
        return got

    def wait(self, predicate, timeout=10.0):
        """The first message (including ones already seen and kept) for which predicate holds."""
        deadline = time.time() + timeout
        while time.time() < deadline and not self.closed:
            message = self.receive(timeout=max(0.05, deadline - time.time()))
            if message is not None and predicate(message):
                return message
        return None

    def close(self):
        try:
            self._frame(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()


class Watch:
    """What a page did wrong: CSP violations, uncaught errors, state-changing calls without CSRF."""

    def __init__(self, page, allowed):
        self.problems = []
        self.allowed = allowed  # (method, path) a test sends without the header on purpose
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught error: {error}"))
        page.on("request", self.request)

    def console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.problems.append(f"CSP: {message.text}")

    def request(self, request):
        path = urllib.parse.urlsplit(request.url).path
        exempt = path in ("/api/v1/auth/login", "/api/v1/screen-b/pair")  # nothing to protect before there is a session
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and path.startswith("/api/") and not exempt:
            if not request.headers.get("x-csrf-token") and (request.method, path) not in self.allowed:
                self.problems.append(f"no X-CSRF-Token on {request.method} {path}")


def watched_context(browser, **options):
    """A context whose pages (from context.open_page()) are watched; call context.problems() at the end."""
    context = browser.new_context(ignore_https_errors=True, viewport=options.pop("viewport", {"width": 1440, "height": 900}),
                                  locale="zh-CN", **options)
    context.set_default_timeout(LIVE)
    watches = []
    context.allowed_without_csrf = set()

    def open_page():
        page = context.new_page()
        watches.append(Watch(page, context.allowed_without_csrf))
        return page

    context.open_page = open_page
    context.problems = lambda: [problem for watch in watches for problem in watch.problems]
    return context


def sign_in(page, server, username, password=PASSWORD, lands_on="clerk.html"):
    page.goto(f"{server.base}/console/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(f"**/console/{lands_on}")


def shot(page, name, full_page=False):
    os.makedirs(SHOTS, exist_ok=True)
    path = os.path.join(SHOTS, name)
    page.screenshot(path=path, full_page=full_page)
    return path


def png(width, height, rgb, stripe=(255, 255, 255)):
    """A small valid PNG: a coloured card with stripes, like a scan."""
    rows = []
    for y in range(height):
        color = stripe if (y // 12) % 5 == 0 else rgb
        rows.append(b"\x00" + bytes(color) * width)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")


def y4m(path, rgb, width=320, height=240, frames=2):
    """A solid-colour 4:2:0 .y4m for --use-file-for-fake-video-capture (BT.601, studio range)."""
    r, g, b = rgb
    y = round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255)
    u = round(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255)
    v = round(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255)
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode())
        plane = bytes([y]) * (width * height) + bytes([u]) * (width * height // 4) + bytes([v]) * (width * height // 4)
        for _ in range(frames):
            f.write(b"FRAME\n" + plane)
    return path


def totp(secret_base32, at=None):
    """RFC 6238 with SHA-1, 30-second steps, 6 digits (what authenticator apps do)."""
    key = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def upload(server, kiosk, session, name, data):
    return server.ok("POST", f"/api/v1/sessions/{session}/materials?name={urllib.parse.quote(name)}", token=kiosk, raw=data,
                     content_type="image/png")


def go_available(page):
    from playwright.sync_api import expect

    page.click("#state-control [data-choice='available']")
    expect(page.locator("#view-idle")).to_have_attribute("data-kind", "available")
    expect(page.locator("#state-control [data-choice='available']")).to_have_attribute("aria-pressed", "true")


class Turn:
    """coturn (Debian's `turnserver`) on 127.0.0.1 with the REST-API shared secret."""

    def __init__(self, secret):
        self.secret = secret
        self.port = free_port(socket.SOCK_DGRAM)
        self.work = tempfile.mkdtemp(prefix="rw-turn-")
        self.log_path = os.path.join(self.work, "turnserver.log")
        self.process = None

    def start(self):
        binary = shutil.which("turnserver")
        if not binary:
            raise RuntimeError("coturn is not installed (apt-get install coturn)")
        # A free UDP port may still be taken on TCP, or its neighbour (coturn's alternative port)
        # by another server of the run: then another port, a few times.
        for attempt in range(5):
            if attempt:
                self.port = free_port(socket.SOCK_DGRAM)
            if self._start_on_port(binary):
                return self
            if "Address already in use" not in self.tail():
                break
        raise RuntimeError(f"turnserver did not answer: {self.tail()}")

    def _start_on_port(self, binary):
        self.log = open(self.log_path, "w")  # each attempt's own log: an old bind failure must not count
        self.process = subprocess.Popen(
            [binary, "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls",
             "--use-auth-secret", f"--static-auth-secret={self.secret}", "--realm=test", "-p", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.work)
        # Ready when it answers a STUN binding request on its port.
        request = struct.pack(">HHI12s", 0x0001, 0, 0x2112A442, os.urandom(12))
        deadline = time.time() + 15
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.settimeout(0.3)
            while time.time() < deadline:
                if self.process.poll() is not None:
                    if "Address already in use" in self.tail():
                        return False
                    raise RuntimeError(f"turnserver exited: {self.tail()}")
                # Deaf for two seconds after a failed bind: no use waiting out the fifteen.
                if time.time() > deadline - 13 and "Address already in use" in self.tail():
                    break
                probe.sendto(request, ("127.0.0.1", self.port))
                try:
                    data, _ = probe.recvfrom(2048)
                    if data[:2] == b"\x01\x01":
                        return True
                except (socket.timeout, ConnectionRefusedError):
                    pass
        # Still running but deaf: a bind that failed without exiting.
        self.process.kill()
        self.process.wait()
        return False

    @property
    def url(self):
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def freeze(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def tail(self, lines=30):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""
