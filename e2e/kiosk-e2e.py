#!/usr/bin/env python3
"""End-to-end test of the terminal kiosk against a real windowd.

Runs `kiosk run` inside tmux (a private server socket, 100x30), drives it with send-keys and
reads the screen with capture-pane, while a clerk is driven through the HTTPS API. Needs
.build/debug/windowd and .build/debug/kiosk (this script builds nothing) and tmux
(`./scripts/setup tmux`). Talks only to 127.0.0.1/localhost. Prints `N passed, M failed`.

    python3 e2e/kiosk-e2e.py [--keep]   # --keep leaves the temp folder for a look
"""
import datetime
import json
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOWD = os.path.join(ROOT, ".build", "debug", "windowd")
KIOSK = os.path.join(ROOT, ".build", "debug", "kiosk")
CATALOG = os.path.join(ROOT, "catalog", "items.json")

passed = 0
failed = 0
failures = []


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"  ok    {name}")
    else:
        failed += 1
        failures.append(name)
        print(f"  FAIL  {name}" + (f"\n        {detail}" if detail else ""))
    return condition


# ---------------------------------------------------------------- test data

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(first17):
    """A valid GB 11643 number from its first 17 digits."""
    return first17 + CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def png(width=4, height=4, shade=128):
    """A small, valid PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def last_day(iso):
    """The Shanghai date of a deadline that ends at 24:00 (the server gives the next midnight)."""
    when = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")) - datetime.timedelta(seconds=1)
    return when.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m-%d")


def accept_offer(server, clerk_token):
    """Waits for the clerk's offer and accepts it; returns the clerk's view (None without an offer)."""
    offer = None
    clerk_view = None
    deadline = time.time() + 10
    while time.time() < deadline and offer is None:
        status, clerk_view = server.call("GET", "/api/v1/clerk", token=clerk_token)
        offer = clerk_view.get("offer") if isinstance(clerk_view, dict) else None
        time.sleep(0.2)
    if offer is None:
        return None
    status, clerk_view = server.call("POST", "/api/v1/clerk/offer/accept", {"ticket": offer["ticket"]}, token=clerk_token)
    return clerk_view if status == 200 else None


# ---------------------------------------------------------------- server

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data, port):
        self.data = data
        self.port = port
        self.process = None
        self.log = open(os.path.join(data, "..", "windowd.log"), "ab")

    def start(self, timeout=60):
        self.process = subprocess.Popen(
            [WINDOWD, "--data", self.data, "--port", str(self.port), "--catalog", CATALOG, "--log-level", "warning"],
            stdout=self.log, stderr=self.log, cwd=ROOT)
        deadline = time.time() + timeout
        ca = os.path.join(self.data, "tls", "ca.pem")
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("windowd exited during start; see windowd.log")
            if os.path.exists(ca):
                try:
                    status, _ = self.call("GET", "/health")
                    if status == 200:
                        return
                except (OSError, ssl.SSLError):
                    pass
            time.sleep(0.2)
        raise RuntimeError("windowd did not answer in time")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def url(self):
        return f"https://localhost:{self.port}"

    def context(self):
        return ssl.create_default_context(cafile=os.path.join(self.data, "tls", "ca.pem"))

    def call(self, method, path, body=None, token=None, raw=None, content_type=None):
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if raw is not None:
            data = raw
            headers["Content-Type"] = content_type or "application/octet-stream"
        if token:
            headers["Authorization"] = "Bearer " + token
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, context=self.context(), timeout=15) as response:
                text = response.read()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, text.decode(errors="replace")


# ---------------------------------------------------------------- tmux

class Pane:
    def __init__(self, name, width=100, height=30):
        self.socket = name
        self.width = width
        self.height = height

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-u", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, check=check, env=dict(os.environ, LANG="C.UTF-8"))

    def start(self, command):
        self.tmux("new-session", "-d", "-s", "k", "-x", str(self.width), "-y", str(self.height), command)

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "k", *keys)
        time.sleep(0.15)

    def type(self, text):
        self.tmux("send-keys", "-t", "k", "-l", text)
        time.sleep(0.15)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "k", check=False).stdout

    def wait_for(self, *texts, timeout=15, absent=()):
        """Waits until every text is on screen (and none of `absent`); returns the screen."""
        deadline = time.time() + timeout
        screen = ""
        while time.time() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts) and not any(a in screen for a in absent):
                return screen
            time.sleep(0.1)
        return screen

    def resize(self, width, height):
        self.tmux("resize-window", "-t", "k", "-x", str(width), "-y", str(height), check=False)
        time.sleep(0.5)

    def kill(self):
        self.tmux("kill-server", check=False)


def shows(pane, name, *texts, timeout=15, absent=()):
    screen = pane.wait_for(*texts, timeout=timeout, absent=absent)
    ok = all(t in screen for t in texts) and not any(a in screen for a in absent)
    return check(name, ok, "screen was:\n" + screen)


def open_row(pane, number):
    """Presses a row's number; with ten or more rows a short number waits for Enter."""
    pane.type(number)
    if "申请材料" not in pane.wait_for("申请材料", timeout=1.5):
        pane.keys("Enter")


def kiosk(config, *args, stdin=None):
    result = subprocess.run([KIOSK, *args, "--config", config], capture_output=True, text=True, input=stdin, timeout=60)
    return result


# ---------------------------------------------------------------- the test

def main():
    keep = "--keep" in sys.argv
    for binary in (WINDOWD, KIOSK):
        if not os.path.exists(binary):
            print(f"missing {binary}: run `swift build` first")
            print("0 passed, 1 failed")
            return 1
    if shutil.which("tmux") is None:
        print("tmux is missing: run ./scripts/setup tmux")
        print("0 passed, 1 failed")
        return 1

    work = tempfile.mkdtemp(prefix="kiosk-e2e-")
    data = os.path.join(work, "data")
    scans = os.path.join(work, "scans")
    os.makedirs(data)
    os.makedirs(scans)
    config = os.path.join(work, "config", "kiosk.json")
    port = free_port()
    server = Server(data, port)
    pane = Pane(f"kiosk-e2e-{os.getpid()}")
    try:
        run(server, pane, config, scans, work)
    except Exception as error:  # a broken step fails the run, with its reason
        check("the test ran to the end", False, f"{type(error).__name__}: {error}")
        print(pane.screen())
    finally:
        pane.kill()
        server.stop()
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def run(server, pane, config, scans, work):
    print("== windowd")
    server.start()
    admin_password = open(os.path.join(server.data, "initial-admin-password")).read().strip()
    status, login = server.call("POST", "/api/v1/auth/login", {"username": "admin", "password": admin_password})
    check("admin signs in", status == 200, f"{status} {login}")
    admin = login["token"]
    always = {str(day): [{"open": "00:00", "close": "24:00"}] for day in range(1, 8)}
    status, site = server.call("POST", "/api/v1/sites", {
        "code": "huayang", "name": {"zh": "华阳路街道翡悦里延伸点", "en": "Huayang Feiyueli extension point"},
        "hours": {"weekly": always}}, token=admin)
    check("site created", status == 201, f"{status} {site}")
    status, made = server.call("POST", "/api/v1/sites/huayang/kiosks", {"name": "一体机 1"}, token=admin)
    check("kiosk created", status == 201, f"{status} {made}")
    credential = made["credential"]
    status, clerk = server.call("POST", "/api/v1/clerks", {
        "username": "wang", "displayName": "王小明", "password": "correct horse battery", "window": "07",
        "skills": ["residence"]}, token=admin)
    check("clerk created", status == 201, f"{status} {clerk}")
    status, login = server.call("POST", "/api/v1/auth/login", {"username": "wang", "password": "correct horse battery"})
    clerk_token = login["token"]

    print("== kiosk setup")
    ca = os.path.join(server.data, "tls", "ca.pem")
    wrong_ca = os.path.join(work, "wrong-ca.pem")
    shutil.copy("/etc/ssl/certs/ca-certificates.crt" if os.path.exists("/etc/ssl/certs/ca-certificates.crt") else ca, wrong_ca)
    result = kiosk(config, "setup", "--server", server.url, "--credential", credential, "--ca", wrong_ca)
    check("setup refuses a server it cannot verify", result.returncode != 0 and "证书" in result.stderr and "certificate" in result.stderr
          and not os.path.exists(config), result.stderr)
    result = kiosk(config, "setup", "--server", server.url, "--credential", "rwk_wrongwrongwrong", "--ca", ca)
    check("setup refuses a wrong credential", result.returncode != 0 and "error" in result.stderr, result.stderr)
    result = kiosk(config, "setup", "--server", server.url, "--credential", credential, "--ca", ca, "--materials-dir", scans)
    check("setup verifies and saves", result.returncode == 0 and "华阳" in result.stdout, result.stdout + result.stderr)
    check("config is private (0600)", os.path.exists(config) and (os.stat(config).st_mode & 0o777) == 0o600)

    print("== scriptable subcommands")
    result = kiosk(config, "catalog", "--json")
    listing = json.loads(result.stdout) if result.returncode == 0 else {}
    check("catalog --json lists 70 items", len(listing.get("items", [])) == 70, result.stderr)
    result = kiosk(config, "item", "JZZ-001")
    check("item shows the guide", result.returncode == 0 and "居住证新办" in result.stdout and "Materials" in result.stdout, result.stderr)
    result = kiosk(config, "item", "NOPE-999")
    check("unknown item code: clear message, exit != 0",
          result.returncode != 0 and "不存在" in result.stderr and "not found" in result.stderr and "Traceback" not in result.stderr
          and len(result.stderr.strip().splitlines()) == 1, f"rc={result.returncode} {result.stderr!r}")
    result = kiosk(config, "ticket", "take", "NOPE-999")
    check("ticket take of an unknown item: clear message", result.returncode != 0 and "not found" in result.stderr, result.stderr)
    result = kiosk(config, "ticket", "take", "JZZ-001", "--id-number", "110101199001011230")
    check("ticket take with a bad ID number: refused before sending", result.returncode != 0 and "校验" in result.stderr, result.stderr)
    bad = os.path.join(work, "notes.txt")
    with open(bad, "w") as f:
        f.write("this is not a scan\n")
    result = kiosk(config, "upload", "1", bad, "--name", "居民身份证")
    check("upload of a non-image file: clear message", result.returncode != 0 and "JPEG" in result.stderr and "PNG" in result.stderr, result.stderr)
    broken = os.path.join(work, "broken.png")
    with open(broken, "wb") as f:
        f.write(b"\x89PNX garbage")
    result = kiosk(config, "upload", "1", broken, "--name", "x")
    check("upload of a malformed PNG: clear message", result.returncode != 0 and "PDF" in result.stderr, result.stderr)
    result = kiosk(config, "rate", "1", "9")
    check("rate with a bad level: refused", result.returncode != 0, result.stderr)

    print("== kiosk run: browse, read the guide, check the ID, take a ticket")
    with open(os.path.join(scans, "photo-blurry.png"), "wb") as f:
        f.write(png(shade=40))
    with open(os.path.join(scans, "photo-sharp.png"), "wb") as f:
        f.write(png(shade=200))
    with open(os.path.join(scans, "readme.txt"), "w") as f:
        f.write("not a scan")
    command = f"{KIOSK} run --config {config} --idle-timeout 300; echo KIOSK-EXIT $?; sleep 60"
    pane.start(command)
    shows(pane, "home shows categories, hours and open state", "居住证与居住登记", "服务时间", "每天 00:00-24:00", "窗口开放中", "华阳路街道翡悦里延伸点", "已连接")
    pane.keys("l")
    shows(pane, "L switches to English", "Residence permit and registration", "Service hours", "L 中文")
    pane.keys("l")
    shows(pane, "L switches back to Chinese", "居住证与居住登记", "L English")
    pane.type("居住证")
    pane.keys("Enter")
    shows(pane, "search in Chinese finds the item", "JZZ-001", "居住证新办")
    pane.keys("Escape")
    pane.keys("Escape")
    pane.keys("Escape")
    pane.keys("1")
    shows(pane, "category 1 lists its items", "类别：居住证与居住登记", "JZZ-001")
    screen = pane.screen()
    number = None
    for line in screen.splitlines():
        if "JZZ-001" in line:
            digits = line.replace(">", " ").split()
            if digits and digits[0].isdigit():
                number = digits[0]
    check("the item has a number to press", number is not None, screen)
    open_row(pane, number or "1")
    shows(pane, "the guide shows materials, conditions, fee and time", "居住证新办", "申请材料", "居民身份证", "原件", "受理条件", "预计办理时间", "承诺件", "邮寄送达", "免提交")
    pane.keys("Enter")
    shows(pane, "the ID screen asks for the card", "身份证号码", "读卡")
    pane.type("11010519491231002")
    pane.type("9")
    pane.keys("Enter")
    shows(pane, "a wrong check digit is refused", "校验位不符")
    for _ in range(18):
        pane.keys("BSpace")
    elderly_id = id_number("11010519491231002")
    pane.type(elderly_id)
    pane.keys("Enter")
    shows(pane, "age offers the elderly lane", "老年人优先通道", "年满60周岁", "*" * 14 + elderly_id[-4:])
    check("the ID number is not shown in full after entry", elderly_id not in pane.screen(), pane.screen())
    pane.keys("Enter")
    screen = shows(pane, "the ticket shows number, position and ETA", "您的号票", "R0", "排队位置：第 1 位", "优先通道", "暂无工作人员在岗")
    screen = pane.screen()
    check("the ticket screen hides the ID number", elderly_id not in screen, screen)

    status, clerk_view = server.call("PUT", "/api/v1/clerk/state", {"state": "available"}, token=clerk_token)
    check("clerk goes available", status == 200, f"{status} {clerk_view}")
    offer = None
    deadline = time.time() + 10
    while time.time() < deadline and offer is None:
        status, clerk_view = server.call("GET", "/api/v1/clerk", token=clerk_token)
        offer = clerk_view.get("offer") if isinstance(clerk_view, dict) else None
        time.sleep(0.2)
    check("clerk is offered the ticket", offer is not None, f"{clerk_view}")
    status, clerk_view = server.call("POST", "/api/v1/clerk/offer/accept", {"ticket": offer["ticket"]}, token=clerk_token)
    check("clerk accepts", status == 200, f"{status} {clerk_view}")
    session_id = clerk_view["session"]["id"]

    print("== kiosk run: the session")
    shows(pane, "the session screen shows the clerk's name and window", "视频办理", "王小明", "窗口：07")
    pane.keys("u")
    shows(pane, "U lists the scans folder", "photo-blurry.png", "photo-sharp.png", "readme.txt", "不是 JPEG/PNG/PDF")
    pane.keys("1")
    pane.keys("Enter")
    shows(pane, "the material is named from the item's list", "这份文件是哪项材料", "数码照片回执")
    pane.keys("2")
    pane.keys("Enter")
    shows(pane, "the upload shows as waiting for review", "数码照片回执", "待审核")
    status, session = server.call("GET", f"/api/v1/sessions/{session_id}", token=clerk_token)
    materials = session.get("materials", []) if isinstance(session, dict) else []
    check("the clerk sees the PNG", len(materials) == 1 and materials[0]["contentType"] == "image/png", f"{session}")
    reason = "照片模糊，请重新扫描"
    status, _ = server.call("POST", f"/api/v1/sessions/{session_id}/materials/{materials[0]['id']}/review",
                            {"status": "rejected", "reason": reason}, token=clerk_token)
    check("clerk rejects with a reason", status == 200)
    shows(pane, "the rejection and its reason show on screen", "已退回", reason)
    pane.keys("u")
    pane.wait_for("photo-sharp.png")
    pane.keys("2")
    pane.keys("Enter")
    pane.wait_for("这份文件是哪项材料")
    pane.keys("2")
    pane.keys("Enter")
    deadline = time.time() + 10
    materials = []
    while time.time() < deadline and len(materials) < 2:
        status, session = server.call("GET", f"/api/v1/sessions/{session_id}", token=clerk_token)
        materials = session.get("materials", [])
        time.sleep(0.2)
    check("the second scan arrives", len(materials) == 2, f"{session}")
    status, _ = server.call("POST", f"/api/v1/sessions/{session_id}/materials/{materials[-1]['id']}/review",
                            {"status": "accepted"}, token=clerk_token)
    shows(pane, "the acceptance shows on screen", "已通过", reason)
    pane.keys("l")
    shows(pane, "the session screen in English", "In session", "accepted", "rejected", "Clerk: ")
    pane.keys("l")
    status, _ = server.call("POST", f"/api/v1/sessions/{session_id}/end",
                            {"outcome": "needs-materials", "notes": "缺数码照片回执", "missingMaterials": ["数码照片回执"]}, token=clerk_token)
    check("clerk ends with needs-materials (补正), naming the missing material", status == 200)
    status, session = server.call("GET", f"/api/v1/sessions/{session_id}", token=clerk_token)
    case_number = session.get("caseNumber") or "?"
    correction = session.get("correction") or {}
    check("the session carries the 补正: its reference, what is missing, until when",
          correction.get("reference") == case_number and correction.get("missing") == ["数码照片回执"] and bool(correction.get("returnBy")),
          f"{session}")
    return_by = last_day(correction["returnBy"]) if correction.get("returnBy") else "?"
    shows(pane, "the result shows the 补正 and its reference to note down",
          "办理结果", "补正（需补充材料）", "补正编号", case_number, "请记下，带齐材料后凭此编号回来")
    shows(pane, "the result shows what is missing and the deadline", "需补齐的材料", "1. 数码照片回执", "补正期限：" + return_by)
    pane.keys("Enter")
    shows(pane, "the rating offers the five levels", "非常满意", "满意", "基本满意", "不满意", "非常不满意")
    pane.keys("Tab")
    pane.type("很好，效率高")
    pane.keys("Enter")
    shows(pane, "the rating is thanked", "感谢您的评价")
    # Ratings never go back to the clerk rated: read as admin.
    status, session = server.call("GET", f"/api/v1/sessions/{session_id}", token=admin)
    rating = session.get("rating") or {}
    check("the server has 非常满意 with the comment", rating.get("level") == 5 and rating.get("comment") == "很好，效率高", f"{session}")
    pane.keys("Enter")
    shows(pane, "back home", "按类别浏览", "搜索事项", "补正回来")

    print("== kiosk run: back with the materials (补正回来)")
    pane.keys("b")
    shows(pane, "B on home asks for the reference", "补正回来", "请输入补正编号")
    pane.type("rw20000101-999999")
    pane.keys("Enter")
    shows(pane, "an unknown reference is refused in plain words, with the server's message",
          "没有找到这个补正编号", "RW20000101-999999 不存在")
    pane.keys("Escape")
    pane.wait_for("按类别浏览")
    pane.keys("b")
    pane.wait_for("请输入补正编号")
    pane.type(case_number)
    pane.keys("Enter")
    shows(pane, "the reference finds the item and what was missing, to check",
          "居住证新办", "JZZ-001", "请确认已带齐", "1. 数码照片回执", "补正期限：" + return_by, "按 Enter 取号")
    pane.keys("Enter")
    shows(pane, "the return ticket shows the returning lane", "您的号票", "[补正回来]")
    result = kiosk(config, "ticket", "current", "--json")
    returning = json.loads(result.stdout) if result.returncode == 0 else {}
    check("the server has the return ticket, back for the earlier session",
          returning.get("priorityReason") == "returning" and returning.get("returnOf") == session_id, result.stdout + result.stderr)
    status, again = server.call("GET", f"/api/v1/kiosk/corrections/{case_number}", token=credential)
    check("the reference cannot be used twice (409 correction_closed)",
          status == 409 and isinstance(again, dict) and again.get("error", {}).get("code") == "correction_closed", f"{status} {again}")

    print("== kiosk run: a low rating with a call-back number")
    server.call("PUT", "/api/v1/clerk/state", {"state": "available"}, token=clerk_token)
    clerk_view = accept_offer(server, clerk_token)
    check("the clerk is offered the return ticket and accepts", clerk_view is not None and clerk_view.get("session") is not None, f"{clerk_view}")
    second_session = (clerk_view or {}).get("session", {}).get("id", 0)
    shows(pane, "the return session starts", "视频办理", "王小明")
    status, _ = server.call("POST", f"/api/v1/sessions/{second_session}/end", {"outcome": "completed", "notes": "材料已补齐，已办结"}, token=clerk_token)
    check("clerk ends the return session with completed", status == 200)
    shows(pane, "the return session's result shows", "办理结果", "办结")
    pane.keys("Enter")
    pane.wait_for("非常不满意")
    pane.keys("4")
    pane.keys("Enter")
    shows(pane, "a rating of 2 asks for a call-back number, the consent stated first",
          "您的评价：不满意", "如需工作人员回访，可留下电话。电话仅用于本次回访，不作他用。", "回访电话（可不填）", "直接按 Enter 或 Esc")
    screen = pane.screen()
    check("the consent comes before the input",
          0 <= screen.find("电话仅用于本次回访") < screen.find("回访电话（可不填）"), screen)
    pane.type("12345")
    pane.keys("Enter")
    shows(pane, "a number the server refuses comes back to be corrected, with its reason", "电话号码格式不正确", "[12345_")
    for _ in range(5):
        pane.keys("BSpace")
    pane.type("13812345678")
    pane.keys("Enter")
    shows(pane, "the rating is thanked and the number shows masked but for its last 4 digits", "感谢您的评价", "已留下回访电话 *******5678")
    screen = pane.screen()
    check("the full call-back number is not on screen", "13812345678" not in screen, screen)
    status, session = server.call("GET", f"/api/v1/sessions/{second_session}", token=admin)
    rating = (session.get("rating") or {}) if isinstance(session, dict) else {}
    check("the server has the rating 不满意", rating.get("level") == 2, f"{session}")
    status, listing = server.call("GET", "/api/v1/follow-ups?kind=rating", token=admin)
    cases = listing.get("cases", []) if isinstance(listing, dict) else []
    low = [case for case in cases if case.get("level") == 2]
    check("the 差评 opened a follow-up case", status == 200 and len(low) == 1, f"{status} {listing}")
    status, case = server.call("GET", f"/api/v1/follow-ups/{low[0]['id'] if low else 0}", token=admin)
    detail = case.get("detail", {}) if isinstance(case, dict) else {}
    check("the case has the call-back number (hasPhone), masked to a manager who does not own it",
          status == 200 and detail.get("hasPhone") is True and case.get("phone") == "138****5678", f"{status} {case}")
    if "感谢您的评价" in pane.screen():  # else the thank-you screen already timed out
        pane.keys("Enter")
    shows(pane, "back home after the low rating", "按类别浏览", "搜索事项", absent=("已留下回访电话",))

    print("== a dropped connection keeps the ticket")
    server.call("PUT", "/api/v1/clerk/state", {"state": "offline"}, token=clerk_token)
    pane.keys("1")
    pane.wait_for("JZZ-001")
    open_row(pane, number or "1")
    pane.wait_for("申请材料")
    pane.keys("Enter")
    pane.wait_for("身份证号码")
    pane.type(id_number("31010119900307123"))
    pane.keys("Enter")
    pane.wait_for("普通取号")
    pane.keys("Enter")
    screen = pane.wait_for("排队位置：第 1 位")
    ticket_number = None
    for token in screen.split():
        if token.startswith("R0") and len(token) == 4:
            ticket_number = token
    check("a second ticket is taken", ticket_number is not None, screen)
    result = kiosk(config, "ticket", "current", "--json")
    second = json.loads(result.stdout) if result.returncode == 0 else {}
    watcher = subprocess.Popen([KIOSK, "ticket", "watch", str(second.get("id", 0)), "--json", "--timeout", "120", "--config", config],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    server.kill()
    shows(pane, "killing windowd: the screen says it is reconnecting and the ticket is kept", "重连", "仍然保留", ticket_number or "R0", timeout=15)
    time.sleep(2)
    server.start()
    shows(pane, "after restart the screen recovers with the same ticket", "已连接", ticket_number or "R0", "排队位置", timeout=20, absent=("仍然保留",))
    result = kiosk(config, "ticket", "current", "--json")
    current = json.loads(result.stdout) if result.returncode == 0 else {}
    check("the server still has the ticket, waiting", current.get("number") == ticket_number and current.get("state") == "waiting", result.stdout + result.stderr)
    pane.keys("Escape")
    shows(pane, "Esc asks before leaving the queue", "确定离开队列")
    pane.keys("y")
    shows(pane, "leaving returns home and says so", "已离开队列", "按类别浏览")
    result = kiosk(config, "ticket", "show", str(current.get("id", 0)), "--json")
    shown = json.loads(result.stdout) if result.returncode == 0 else {}
    check("the ticket is cancelled on the server", shown.get("state") == "cancelled", result.stdout + result.stderr)
    try:
        out, err = watcher.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        watcher.kill()
        out, err = watcher.communicate()
    states = [json.loads(line).get("state") for line in out.splitlines() if line.startswith("{")]
    check("`ticket watch` printed the changes through the restart and ended with the ticket",
          watcher.returncode == 0 and states[:1] == ["waiting"] and states[-1:] == ["cancelled"] and "reconnecting" in err,
          f"rc={watcher.returncode} states={states} stderr={err[-300:]!r}")

    print("== 80x24")
    pane.resize(80, 24)
    pane.keys("1")
    screen = pane.wait_for("JZZ-001")
    lines = screen.splitlines()
    check("the list fits 80x24", len(lines) <= 24 and "L English" in screen and "JZZ-001" in screen, screen)
    pane.keys("Escape")

    print("== a server that goes away, for a subcommand")
    server.kill()
    result = kiosk(config, "catalog")
    check("catalog without a server: clear message, exit != 0",
          result.returncode != 0 and "无法连接服务器" in result.stderr and "cannot reach" in result.stderr, result.stderr)
    server.start()

    print("== Ctrl-C restores the terminal")
    pane.keys("C-c")
    screen = pane.wait_for("KIOSK-EXIT")
    check("kiosk exits on Ctrl-C and leaves the alternate screen", "KIOSK-EXIT" in screen and "按类别浏览" not in screen, screen)


if __name__ == "__main__":
    sys.exit(main())
