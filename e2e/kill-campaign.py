#!/usr/bin/env python3
"""The kill -9 campaign (issue 13): windowd under load — kiosks take and leave tickets, clerks
accept, serve and end cases, workers upload scans and rate — is killed with SIGKILL at random
moments and restarted, again and again. After every restart:

  - every acknowledged ticket, upload and rating is there;
  - no clerk or ticket holds two offers or sessions, and the server's invariant monitor is clean;
  - no partial upload and no file without its material remains in the data folder;
  - the WAL is within its bound.

    python3 e2e/kill-campaign.py                      # the short version ./scripts/test runs
    python3 e2e/kill-campaign.py --kills 50 --min-tickets 10000   # the campaign, by hand

Expects .build/debug/windowd (or $WINDOWD). Talks to 127.0.0.1 only."""
import argparse
import glob
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module  # noqa: E402

crash = import_module("crash-test")  # its Server (start, kill9, stop) and api()
api = crash.api

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOWD = os.environ.get("WINDOWD", crash.WINDOWD)
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(2000)
WAL_LIMIT_MB = 64


class Campaign:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="rw-kill-")
        crash.WINDOWD = WINDOWD
        self.server = crash.Server(self.work, crash.free_port())
        self.tickets = {}  # id → number, acknowledged
        self.uploads = {}  # material id → session id, acknowledged
        self.ratings = {}  # session id → level, acknowledged
        self.lock = threading.Lock()
        self.failures = []
        self.verified = set()  # tickets already read back through the API

    def fail(self, what):
        self.failures.append(what)
        print(f"FAIL {what}", flush=True)

    # ------------------------------------------------------------------------------ set-up

    def setup(self):
        self.server.start()
        with open(os.path.join(self.server.data, "initial-admin-password")) as f:
            password = f.read().strip()
        self.admin = api(self.server, "POST", "/api/v1/auth/login", {"username": "admin", "password": password})[1]["token"]
        always = {"weekly": {str(d): [{"open": "00:00", "close": "24:00"}] for d in range(1, 8)}}
        api(self.server, "POST", "/api/v1/sites", {"code": "kill", "name": {"zh": "断电站点", "en": "Kill site"}, "hours": always}, self.admin)
        self.kiosks = [api(self.server, "POST", "/api/v1/sites/kill/kiosks", {"name": f"k{i}"}, self.admin)[1]["credential"]
                       for i in range(self.args.kiosks)]
        self.clerks = []
        for i in range(self.args.clerks):
            name = f"clerk{i}"
            api(self.server, "POST", "/api/v1/clerks", {"username": name, "displayName": name, "password": "kill-campaign-password",
                                                          "window": f"{i:02d}", "skills": ["residence", "social-insurance"]}, self.admin)
            self.clerks.append(name)

    def sign_in_clerks(self):
        tokens = []
        for name in self.clerks:
            status, body = api(self.server, "POST", "/api/v1/auth/login", {"username": name, "password": "kill-campaign-password"})
            if status == 200:
                tokens.append(body["token"])
        return tokens

    # ------------------------------------------------------------------------------- load

    def kiosk_worker(self, token, stop):
        server = self.server
        while not stop.is_set():
            try:
                status, ticket = api(server, "GET", "/api/v1/tickets/current", token=token, timeout=3)
                if status == 200 and ticket and ticket.get("id"):
                    session = ticket.get("session") or {}
                    if ticket["state"] == "in-session" and session.get("id") and random.random() < 0.3:
                        status, material = self.upload(token, session["id"])
                        if status == 201:
                            with self.lock:
                                self.uploads[material["id"]] = session["id"]
                    elif ticket["state"] == "waiting" and random.random() < 0.1:
                        api(server, "DELETE", f"/api/v1/tickets/{ticket['id']}", token=token, timeout=3)
                    time.sleep(0.05)
                    continue
                item = random.choice(["JZZ-001", "JZZ-002", "SB-001", "SB-002"])
                status, body = api(server, "POST", "/api/v1/tickets", {"item": item}, token, timeout=3)
                if status == 201:
                    with self.lock:
                        self.tickets[body["id"]] = body["number"]
            except Exception:
                time.sleep(0.05)  # the server is down: nothing was acknowledged

    def upload(self, token, session):
        import ssl
        import urllib.request
        context = ssl.create_default_context(cafile=os.path.join(self.server.data, "tls", "ca.pem"))
        request = urllib.request.Request(f"https://localhost:{self.server.port}/api/v1/sessions/{session}/materials?name=scan",
                                         data=PNG, method="POST", headers={"Authorization": f"Bearer {token}", "Content-Type": "image/png"})
        try:
            with urllib.request.urlopen(request, context=context, timeout=3) as response:
                import json
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, None

    def clerk_worker(self, token, stop):
        server = self.server
        api(server, "PUT", "/api/v1/clerk/state", {"state": "available"}, token, timeout=3)
        while not stop.is_set():
            try:
                status, me = api(server, "GET", "/api/v1/clerk", token=token, timeout=3)
                if status != 200:
                    time.sleep(0.05)
                    continue
                if me.get("offer"):
                    if random.random() < 0.85:
                        api(server, "POST", "/api/v1/clerk/offer/accept", {"ticket": me["offer"]["ticket"]}, token, timeout=3)
                    else:
                        api(server, "POST", "/api/v1/clerk/offer/decline", {"ticket": me["offer"]["ticket"]}, token, timeout=3)
                elif me.get("session") and random.random() < 0.4:
                    session = me["session"]["id"]
                    status, _ = api(server, "POST", f"/api/v1/sessions/{session}/end",
                                    {"outcome": random.choice(["completed", "needs-materials"])}, token, timeout=3)
                    if status == 200:
                        self.rate(session)
                elif me.get("state") == "wrap-up":
                    api(server, "POST", "/api/v1/clerk/ready", token=token, timeout=3)
                elif me.get("state") in ("offline", "away"):
                    api(server, "PUT", "/api/v1/clerk/state", {"state": "available"}, token, timeout=3)
                time.sleep(0.02)
            except Exception:
                time.sleep(0.05)

    def rate(self, session):
        # The session's kiosk rates it: find which one holds its ticket by asking as admin.
        status, view = api(self.server, "GET", f"/api/v1/sessions/{session}", token=self.admin, timeout=3)
        if status != 200 or not view.get("kiosk"):
            return
        token = self.kiosk_tokens_by_id.get(view["kiosk"])
        if token is None:
            return
        level = random.randint(1, 5)
        status, _ = api(self.server, "POST", f"/api/v1/sessions/{session}/rating", {"level": level}, token, timeout=3)
        if status == 201:
            with self.lock:
                self.ratings[session] = level

    # ------------------------------------------------------------------------------ checks

    def verify(self, round_number):
        """Every acknowledged ticket, upload and rating is in the restarted server's database; those of
        this round are also read back through the API."""
        server, admin = self.server, self.admin
        with self.lock:
            tickets, uploads, ratings = dict(self.tickets), dict(self.uploads), dict(self.ratings)
        with sqlite3.connect(f"file:{os.path.join(server.data, 'windowd.sqlite')}?mode=ro", uri=True) as db:
            stored_tickets = dict(db.execute("SELECT id, number FROM ticket"))
            stored_materials = dict(db.execute("SELECT id, sessionID FROM material"))
            stored_ratings = dict(db.execute("SELECT sessionID, level FROM rating"))
        lost = [t for t, number in tickets.items() if stored_tickets.get(t) != number]
        if lost:
            self.fail(f"round {round_number}: acknowledged tickets lost: {lost[:5]} of {len(lost)}")
        lost = [m for m, session in uploads.items() if stored_materials.get(m) != session]
        if lost:
            self.fail(f"round {round_number}: acknowledged uploads lost: {lost[:5]} of {len(lost)}")
        lost = [s for s, level in ratings.items() if stored_ratings.get(s) != level]
        if lost:
            self.fail(f"round {round_number}: acknowledged ratings lost: {lost[:5]} of {len(lost)}")
        for t in set(tickets) - self.verified:
            status, body = api(server, "GET", f"/api/v1/tickets/{t}", token=admin)
            if status != 200 or body.get("number") != tickets[t]:
                self.fail(f"round {round_number}: ticket {t} not served after restart ({status})")
        self.verified |= set(tickets)
        status, report = api(server, "GET", "/api/v1/queue/invariants", token=admin)
        if status != 200 or report["violations"]:
            self.fail(f"round {round_number}: invariants: {status} {report}")
        clerks = api(server, "GET", "/api/v1/clerks", token=admin)[1]["clerks"]
        offered = [c["offer"]["ticket"] for c in clerks if c.get("offer")]
        in_session = [c["session"]["ticket"] for c in clerks if c.get("session")]
        if len(offered) != len(set(offered)) or len(in_session) != len(set(in_session)):
            self.fail(f"round {round_number}: a ticket with two offers or sessions: {offered} {in_session}")
        if any(c.get("offer") and c.get("session") for c in clerks):
            self.fail(f"round {round_number}: a clerk with an offer and a session")
        folder = os.path.join(server.data, "materials")
        files = {os.path.realpath(p) for p in glob.glob(os.path.join(folder, "**", "*"), recursive=True) if os.path.isfile(p)}
        partial = [p for p in files if p.endswith(".part")]
        with sqlite3.connect(f"file:{os.path.join(server.data, 'windowd.sqlite')}?mode=ro", uri=True) as db:
            known = {os.path.realpath(row[0]) for row in db.execute("SELECT path FROM material")}
        orphans = files - known - set(partial)
        if partial or orphans:
            self.fail(f"round {round_number}: leftover files: partial {partial[:3]}, orphans {sorted(orphans)[:3]}")
        wal = os.path.join(server.data, "windowd.sqlite-wal")
        wal_mb = os.path.getsize(wal) / 2**20 if os.path.exists(wal) else 0
        if wal_mb > WAL_LIMIT_MB:
            self.fail(f"round {round_number}: WAL {wal_mb:.1f} MiB over {WAL_LIMIT_MB}")
        return len(tickets), len(uploads), len(ratings), wal_mb

    # -------------------------------------------------------------------------------- run

    def run(self):
        self.server_args()
        self.setup()
        ids = api(self.server, "GET", "/api/v1/sites/kill/kiosks", token=self.admin)[1]
        self.kiosk_tokens_by_id = {}
        # The kiosk list has ids in issue order, the same order as the credentials.
        for view, token in zip(sorted(ids, key=lambda k: k["id"]), self.kiosks):
            self.kiosk_tokens_by_id[view["id"]] = token
        started = time.time()
        kills = 0
        while kills < self.args.kills or len(self.tickets) < self.args.min_tickets:
            stop = threading.Event()
            threads = [threading.Thread(target=self.kiosk_worker, args=(t, stop), daemon=True) for t in self.kiosks]
            threads += [threading.Thread(target=self.clerk_worker, args=(t, stop), daemon=True) for t in self.sign_in_clerks()]
            for thread in threads:
                thread.start()
            time.sleep(random.uniform(self.args.min_seconds, self.args.max_seconds))
            self.server.kill9()
            kills += 1
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
            self.server.start()
            tickets, uploads, ratings, wal = self.verify(kills)
            print(f"kill {kills}: {tickets} tickets, {uploads} uploads, {ratings} ratings acknowledged so far; WAL {wal:.1f} MiB;"
                  f" failures {len(self.failures)}", flush=True)
            if self.failures and not self.args.keep_going:
                break
        self.server.stop()
        print(f"kill-campaign: {kills} kills in {time.time() - started:.0f} s; acknowledged {len(self.tickets)} tickets,"
              f" {len(self.uploads)} uploads, {len(self.ratings)} ratings; lost 0 unless listed; {len(self.failures)} failures")
        return 0 if not self.failures else 1

    def server_args(self):
        """windowd with tickets as fast as the load takes them (the rate limit is not what is tested here)."""
        server = self.server

        def start():
            server.log = open(os.path.join(server.work, "windowd.log"), "a")
            server.process = crash.subprocess.Popen(
                [WINDOWD, "--data", server.data, "--port", str(server.port), "--catalog", os.path.join(ROOT, "catalog", "items.json"),
                 "--ticket-burst", "1000", "--ticket-interval", "0.01", "--wal-limit-mb", str(WAL_LIMIT_MB)],
                stdout=server.log, stderr=crash.subprocess.STDOUT)
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    if api(server, "GET", "/health")[0] == 200:
                        return
                except Exception:
                    pass
                time.sleep(0.1)
            raise RuntimeError("windowd did not start")
        server.start = start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--min-tickets", type=int, default=100)
    parser.add_argument("--kiosks", type=int, default=40)
    parser.add_argument("--clerks", type=int, default=6)
    parser.add_argument("--min-seconds", type=float, default=0.5, help="least load before a kill")
    parser.add_argument("--max-seconds", type=float, default=3.0, help="most load before a kill")
    parser.add_argument("--keep-going", action="store_true", help="go on after a failure")
    args = parser.parse_args()
    if not os.path.exists(WINDOWD):
        print(f"{WINDOWD} is not built", file=sys.stderr)
        return 2
    campaign = Campaign(args)
    try:
        return campaign.run()
    except Exception:
        crash.print_log_tail(campaign.work)
        raise
    finally:
        campaign.server.stop()
        shutil.rmtree(campaign.work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
