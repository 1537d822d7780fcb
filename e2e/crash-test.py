#!/usr/bin/env python3
"""Crash test: kill -9 windowd while kiosks take tickets and clerks serve them, restart it,
and check that every acknowledged ticket is there and no clerk or ticket holds two offers.

Expects .build/debug/windowd to be built. Talks to 127.0.0.1 only."""
import json
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOWD = os.path.join(ROOT, ".build", "debug", "windowd")
KIOSKS = 80
CLERKS = 4
KILL_AFTER_ACKS = 40

results = {"passed": 0, "failed": 0}


def check(condition, what):
    if condition:
        results["passed"] += 1
        print(f"ok   {what}")
    else:
        results["failed"] += 1
        print(f"FAIL {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, work, port, args=()):
        """`args`: more windowd options (a routing policy, the ticket rate), for the scripts that reuse it."""
        self.work, self.data, self.port, self.process = work, os.path.join(work, "data"), port, None
        self.args = list(args)

    def start(self):
        self.log = open(os.path.join(self.work, "windowd.log"), "a")
        self.process = subprocess.Popen(
            [WINDOWD, "--data", self.data, "--port", str(self.port), "--catalog", os.path.join(ROOT, "catalog", "items.json"), *self.args],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if api(self, "GET", "/health")[0] == 200:
                    return
            except Exception:
                pass
            time.sleep(0.2)
        raise RuntimeError("windowd did not start")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


def print_log_tail(work):
    """On an unexpected error: the end of windowd's log, which usually says why."""
    log = os.path.join(work, "windowd.log")
    if os.path.exists(log):
        print(open(log).read()[-4000:], file=sys.stderr)


def api(server, method, path, body=None, token=None, timeout=10):
    context = ssl.create_default_context(cafile=os.path.join(server.data, "tls", "ca.pem"))
    request = urllib.request.Request(f"https://localhost:{server.port}{path}", method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data=data, context=context, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def open_live_connection(server, token):
    """A raw WebSocket upgrade on /api/v1/live, left open and silent."""
    import base64
    context = ssl.create_default_context(cafile=os.path.join(server.data, "tls", "ca.pem"))
    sock = context.wrap_socket(socket.create_connection(("localhost", server.port)), server_hostname="localhost")
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /api/v1/live HTTP/1.1\r\nHost: localhost:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
    reply = sock.recv(4096)
    if not reply.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"live connection refused: {reply[:80]!r}")
    return sock


def main():
    if not os.path.exists(WINDOWD):
        print(f"{WINDOWD} is not built", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="rw-crash-")
    server = Server(work, free_port())
    data = server.data
    try:
        server.start()
        with open(os.path.join(data, "initial-admin-password")) as f:
            password = f.read().strip()
        admin = api(server, "POST", "/api/v1/auth/login", {"username": "admin", "password": password})[1]["token"]
        always = {"weekly": {str(d): [{"open": "00:00", "close": "24:00"}] for d in range(1, 8)}}
        api(server, "POST", "/api/v1/sites", {"code": "crash", "name": {"zh": "压测站点", "en": "Crash site"}, "hours": always}, admin)
        kiosks = [api(server, "POST", "/api/v1/sites/crash/kiosks", {"name": f"k{i}"}, admin)[1]["credential"] for i in range(KIOSKS)]
        clerks = []
        for i in range(CLERKS):
            name = f"clerk{i}"
            api(server, "POST", "/api/v1/clerks", {"username": name, "displayName": name, "password": "crash-test-password",
                                                     "window": f"{i:02d}", "skills": ["residence", "social-insurance"]}, admin)
            token = api(server, "POST", "/api/v1/auth/login", {"username": name, "password": "crash-test-password"})[1]["token"]
            api(server, "PUT", "/api/v1/clerk/state", {"state": "available"}, token)
            clerks.append(token)

        acknowledged = {}
        lock = threading.Lock()
        stop = threading.Event()
        killed = threading.Event()

        def kiosk_worker(token):
            item = random.choice(["JZZ-001", "JZZ-002", "SB-001", "SB-002"])
            try:
                status, body = api(server, "POST", "/api/v1/tickets", {"item": item}, token)
            except Exception:
                return  # the server died under us: not acknowledged
            if status == 201:
                with lock:
                    acknowledged[body["id"]] = body["number"]
                    if len(acknowledged) >= KILL_AFTER_ACKS and not killed.is_set():
                        killed.set()

        def clerk_worker(token):
            while not stop.is_set():
                try:
                    status, me = api(server, "GET", "/api/v1/clerk", token=token, timeout=2)
                    if status != 200:
                        continue
                    if me.get("offer") and random.random() < 0.7:
                        api(server, "POST", "/api/v1/clerk/offer/accept", {"ticket": me["offer"]["ticket"]}, token, timeout=2)
                    elif me.get("session") and random.random() < 0.5:
                        api(server, "POST", f"/api/v1/sessions/{me['session']['id']}/end", {"outcome": "completed"}, token, timeout=2)
                    elif me.get("state") == "wrap-up":
                        api(server, "POST", "/api/v1/clerk/ready", token=token, timeout=2)
                except Exception:
                    time.sleep(0.05)

        clerk_threads = [threading.Thread(target=clerk_worker, args=(t,), daemon=True) for t in clerks]
        for t in clerk_threads:
            t.start()
        kiosk_threads = []
        for token in kiosks:
            thread = threading.Thread(target=kiosk_worker, args=(token,), daemon=True)
            kiosk_threads.append(thread)
            thread.start()
            time.sleep(0.01)
            if killed.is_set():
                break
        killed.wait(timeout=60)
        server.kill9()
        stop.set()
        for thread in kiosk_threads + clerk_threads:
            thread.join(timeout=15)
        with lock:
            acked = dict(acknowledged)
        check(len(acked) >= KILL_AFTER_ACKS, f"{len(acked)} tickets acknowledged before kill -9")

        server.start()
        lost = []
        for ticket_id, number in acked.items():
            status, body = api(server, "GET", f"/api/v1/tickets/{ticket_id}", token=admin)
            if status != 200 or body.get("number") != number:
                lost.append((ticket_id, status))
        check(not lost, f"every acknowledged ticket is there after restart (lost: {lost[:5]})")

        clerk_views = api(server, "GET", "/api/v1/clerks", token=admin)[1]["clerks"]
        offered = [c["offer"]["ticket"] for c in clerk_views if c.get("offer")]
        check(len(offered) == len(set(offered)), f"no ticket offered to two clerks ({offered})")
        sessions = [c["session"]["ticket"] for c in clerk_views if c.get("session")]
        check(len(sessions) == len(set(sessions)), "no ticket in two sessions")
        for clerk in clerk_views:
            check(not (clerk.get("offer") and clerk.get("session")), f"clerk {clerk['id']} holds at most one offer or session")

        # The queue still works after the crash: a fresh clerk serves a new ticket end to end.
        fresh = kiosks[-1]
        api(server, "DELETE", f"/api/v1/tickets/{api(server, 'GET', '/api/v1/tickets/current', token=fresh)[1].get('id', 0)}", token=fresh)
        status, ticket = api(server, "POST", "/api/v1/tickets", {"item": "JZZ-001"}, fresh)
        check(status in (201, 409), f"a kiosk can take a ticket after restart (HTTP {status})")
        server.stop()
        # A graceful restart after the crash recovery keeps every ticket too.
        server.start()
        missing = [t for t in acked if api(server, "GET", f"/api/v1/tickets/{t}", token=admin)[0] != 200]
        check(not missing, f"tickets still there after a second, graceful restart (missing: {missing[:5]})")

        # SIGTERM with a live connection open: the server closes it and stops, it does not wait on it.
        live = open_live_connection(server, clerks[0])
        started = time.time()
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        check(server.process.poll() is not None, f"SIGTERM stops windowd with a live connection open ({time.time() - started:.1f} s)")
        live.close()
    except Exception:
        print_log_tail(work)
        raise
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"crash-test: {results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
