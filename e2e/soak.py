#!/usr/bin/env python3
"""The soak (issue 13): one windowd with short routing timers, kiosks and clerks on live WSS
connections that randomly drop and rejoin (within their grace and beyond it), leave the queue,
miss offers, decline them, accept them too late, take too long, transfer cases, go on a break
and come back; the server's invariant monitor is read throughout. Then no new tickets: the
clerks serve what is left, everyone leaves, and the server must be left with

  - 0 tickets that never end: every ticket issued is done, cancelled or abandoned;
  - 0 stuck offers: none outlives its timeout (checked live), none is left at the end;
  - 0 stuck sessions: none outlives its rejoin deadline, none waits longer than the rejoin grace
    for a side that never came (checked live), none is open at the end;
  - no ticket outlives its kiosk grace (by the server's clock, and by the time the kiosk was last
    heard from); every clerk is offline once nobody is connected;
  - 0 invariant violations (GET /api/v1/queue/invariants every few seconds, the metric
    rw_queue_invariant_violations), no 5xx, windowd alive and answering /health.

    python3 e2e/soak.py                         # two minutes: what ./scripts/test runs
    python3 e2e/soak.py --minutes 60            # the hour, for the figures of the closing note
    python3 e2e/soak.py --seed 7 --kiosks 60 --clerks 12

The seed is printed; the timings of a live server make a run repeat its choices, not its
interleavings. On a failure the data folder (database, windowd.log) is kept and named.
Needs the websockets package (./scripts/setup). Expects .build/debug/windowd (or $WINDOWD).
Talks to 127.0.0.1 only."""
import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import shutil
import sqlite3
import ssl
import sys
import tempfile
import time
import traceback
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

try:
    import websockets.asyncio.client
    import websockets.exceptions
except ImportError:  # main() says how to get it
    websockets = None

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module  # noqa: E402

crash = import_module("crash-test")  # its Server (start, stop), api() and free_port()
api = crash.api

WINDOWD = os.environ.get("WINDOWD", crash.WINDOWD)
# Short timers, so that each path (offer timeout, exclusion, kiosk grace, rejoin, clerk grace,
# wrap-up, aging) runs many times in two minutes.
POLICY = {"offerTimeout": 3, "maxMissedOffers": 2, "exclusionPeriod": 5, "wrapUp": 2, "kioskGrace": 8,
          "rejoinGrace": 6, "clerkGrace": 6, "agingBound": 20}
# How late a timer may fire under load before what it should have ended counts as stuck.
SLACK = 5
# Every category here has clerks (clerk i serves category i % 3), so every ticket can be served.
ITEMS = {"residence": ["JZZ-001", "JZZ-002", "JZDJ-001"], "social-insurance": ["SB-001", "SB-002", "SB-003"],
         "medical-insurance": ["YB-001", "YB-002"]}
CATEGORY_OF = {item: category for category, items in ITEMS.items() for item in items}
FINAL = ("done", "cancelled", "abandoned")
# A kiosk's chance of losing its connection in each state of its ticket, and within how many seconds of entering it.
DROPS = {"waiting": (0.2, 10), "offered": (0.15, 2), "in-session": (0.25, 4)}
PASSWORD = "soak-test-password"
# How long a clerk waits for the kiosk of a case before ending it without the person.
PATIENCE = 20


def parse_time(text):
    """An API date (ISO 8601, Z) or a database one (UTC, no zone) as seconds since 1970."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def resident_id(rng):
    """A valid ID number of someone born 1930–1960 (the elderly lane needs one)."""
    body = f"310101{rng.randint(1930, 1960)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


class Live:
    """One live connection (WSS /api/v1/live): hands each pushed message to its owner and wakes it.
    Closing it is how a kiosk or clerk drops; the server closing it on its own is noted."""

    def __init__(self, soak, token, who, on_message, state_types):
        self.soak, self.token, self.who, self.on_message = soak, token, who, on_message
        self.state_types = state_types  # the messages that carry the owner's state
        self.ws = None
        self.reader = None
        self.snapshot = None  # the first of those since connecting: the current state
        self.changed = asyncio.Event()

    @property
    def connected(self):
        return self.ws is not None

    async def connect(self):
        last = None
        for _ in range(5):
            try:
                self.snapshot = None
                self.ws = await websockets.asyncio.client.connect(
                    f"wss://localhost:{self.soak.server.port}/api/v1/live", ssl=self.soak.tls, host="127.0.0.1",
                    port=self.soak.server.port, additional_headers={"Authorization": f"Bearer {self.token}"}, proxy=None,
                    open_timeout=20, ping_interval=None, close_timeout=5, max_size=2**20)
            except Exception as error:  # noqa: BLE001 — refused, reset, timed out: tried again, then a failure
                last = error
                await asyncio.sleep(0.5)
                continue
            self.reader = asyncio.create_task(self.read(self.ws))
            # The current state comes first: wait for it, so that the owner acts on what is, not on what was.
            deadline = time.monotonic() + 20
            while self.snapshot is None and self.ws is not None and time.monotonic() < deadline:
                self.changed.clear()
                await self.wait(1)
            if self.snapshot is None:
                self.soak.fail(f"{self.who}: no current state on a new live connection")
            return self.connected
        self.soak.fail(f"{self.who}: live connection failed: {last!r}")
        return False

    async def read(self, ws):
        try:
            async for text in ws:
                message = json.loads(text)
                if self.snapshot is None and message["type"] in self.state_types:
                    self.snapshot = message
                self.on_message(message)
                self.changed.set()
        except websockets.exceptions.ConnectionClosed:
            pass
        finally:
            if self.ws is ws:  # not closed by us
                self.ws = None
                self.soak.server_closed(self.who, ws.close_code, ws.close_reason)
            self.changed.set()

    async def close(self):
        ws, self.ws = self.ws, None
        if ws is not None:
            try:
                await ws.close()
            except Exception:  # noqa: BLE001 — the connection may be gone already: a drop either way
                pass
            await self.reader

    async def send(self, message):
        if self.ws is not None:
            try:
                await self.ws.send(json.dumps(message))
            except websockets.exceptions.ConnectionClosed:
                pass

    async def wait(self, seconds):
        """Until the next message, or `seconds`. Callers clear `changed` before they read the state."""
        try:
            await asyncio.wait_for(self.changed.wait(), max(0.01, seconds))
        except asyncio.TimeoutError:
            pass


class Kiosk:
    """A kiosk and the people at it: takes a ticket, waits, sometimes leaves, sometimes loses its
    connection (for less than its grace, or for longer), rates the session after."""

    def __init__(self, soak, index, token, rng):
        self.soak, self.index, self.token, self.rng = soak, index, token, rng
        self.who = f"kiosk {index}"
        self.ticket = None
        self.views = {}  # ticket id → its latest TicketView (a push may come before the 201)
        self.gone_since = None  # while dropped: when the server last heard from it (time.time())
        self.live = Live(soak, token, self.who, self.on_message, ("ticket", "idle"))

    def on_message(self, message):
        if message["type"] == "ticket":
            self.views[message["data"]["id"]] = message["data"]

    async def run(self):
        soak = self.soak
        await self.live.connect()
        while soak.phase == "run":
            await asyncio.sleep(self.rng.uniform(0.3, 6))  # the next person walks up
            if soak.phase != "run":
                break
            if await self.take():
                await self.follow()
        await soak.leaving.wait()
        await self.live.close()

    async def take(self):
        item = self.rng.choice(ITEMS[self.rng.choice(list(ITEMS))])
        body, lane = {"item": item}, self.rng.random()
        if lane < 0.04:
            body.update(priorityReason="elderly", idNumber=resident_id(self.rng))
        elif lane < 0.09:
            body["priorityReason"] = "disabled"
        elif lane < 0.13:
            body["priorityReason"] = "appointment"
        status, view = await self.soak.call("POST", "/api/v1/tickets", body, self.token)
        if status == 201:
            self.ticket = view["id"]
            self.views.setdefault(view["id"], view)
            self.soak.issued[view["id"]] = self.index
            return True
        if status == 409 and view["error"]["code"] == "kiosk_has_ticket":
            # This kiosk saw its last ticket end: the server holding one still is a stuck ticket.
            self.soak.fail(f"{self.who}: 409 kiosk_has_ticket after its ticket {self.ticket} was pushed as ended")
        return False

    async def follow(self):
        """Until the ticket ends: leave it, or drop and rejoin, when the dice say so."""
        soak, rng, now = self.soak, self.rng, time.monotonic()
        leave_at = now + rng.uniform(0.5, 12) if rng.random() < 0.12 else None
        drop_at, drop_state, planned = None, None, set()
        while soak.phase != "leave":
            self.live.changed.clear()
            view = self.views.get(self.ticket)
            if view["state"] in FINAL:
                return await self.ended(view)
            if not self.live.connected:
                await self.live.connect()  # the server closed it: reconnect, as the kiosk program does
                await self.check_snapshot()
                continue
            now = time.monotonic()
            if view["state"] not in planned and soak.phase == "run":
                # Each state the ticket reaches may see the connection lost (once per state).
                planned.add(view["state"])
                chance, within = DROPS.get(view["state"], (0, 0))
                if rng.random() < chance:
                    drop_at, drop_state = now + rng.uniform(0, within), view["state"]
            if soak.phase == "run" and leave_at and now >= leave_at:
                leave_at = None
                if view["state"] in ("waiting", "offered"):
                    status, _ = await soak.call("DELETE", f"/api/v1/tickets/{self.ticket}", token=self.token)
                    soak.stats["kiosk leaves" if status == 200 else "kiosk leaves too late"] += 1
                continue
            if soak.phase == "run" and drop_at and now >= drop_at:
                drop_at = None
                if view["state"] == drop_state:  # else that moment has passed
                    await self.drop(view["state"])
                continue
            soon = [t for t in (leave_at, drop_at) if t and soak.phase == "run"]
            await self.live.wait(min(soon) - now if soon else 5)

    async def drop(self, state):
        """The connection is lost for a while; the kiosk program restarts, asks for its ticket, reconnects."""
        soak, rng = self.soak, self.rng
        beyond = rng.random() < 0.4
        if beyond:
            # Past its grace (in a session: past the rejoin grace, and then past the kiosk grace too, mostly).
            seconds = rng.uniform(POLICY["kioskGrace"] + 1, POLICY["rejoinGrace"] + POLICY["kioskGrace"] + 6)
        else:
            seconds = rng.uniform(0.3, min(POLICY["kioskGrace"], POLICY["rejoinGrace"]) - 1.5)
        await self.live.close()
        self.gone_since = time.time()
        soak.stats[f"kiosk drops ({'beyond' if beyond else 'within'} grace)"] += 1
        soak.stats[f"kiosk drops in {state}"] += 1
        await asyncio.sleep(seconds)
        if soak.phase == "leave":
            return
        if rng.random() < 0.5:
            status, view = await soak.call("GET", "/api/v1/tickets/current", token=self.token)
            self.gone_since = time.time()  # a request is a sign of the kiosk: its grace may start again from here
            if status == 200:
                self.views[view["id"]] = view
            if rng.random() < 0.2 and soak.phase == "run":
                # The request got through, the live connection does not (yet): the network is still flaky.
                soak.stats["kiosk rejoins over HTTP only, for a while"] += 1
                await asyncio.sleep(rng.uniform(POLICY["kioskGrace"] + 1, POLICY["kioskGrace"] + POLICY["rejoinGrace"] + 16))
        if soak.phase != "leave" and await self.live.connect():
            self.gone_since = None
            soak.stats["kiosk rejoins"] += 1
            await self.check_snapshot()

    async def check_snapshot(self):
        """`idle` after a reconnection: the ticket ended meanwhile, and the server must say so."""
        if not self.live.snapshot or self.live.snapshot["type"] != "idle" or self.views[self.ticket]["state"] in FINAL:
            return
        status, view = await self.soak.call("GET", f"/api/v1/tickets/{self.ticket}", token=self.token)
        if status == 200 and view["state"] in FINAL:
            self.views[self.ticket] = view
        else:
            self.soak.fail(f"{self.who}: told idle on reconnecting, but ticket {self.ticket} is {view}")

    async def ended(self, view):
        soak = self.soak
        soak.stats[f"tickets seen {view['state']}"] += 1
        session = view.get("session")
        if view["state"] == "done" and session and soak.phase != "leave" and self.rng.random() < 0.6:
            status, _ = await soak.call("POST", f"/api/v1/sessions/{session['id']}/rating",
                                        {"level": self.rng.randint(1, 5)}, self.token)
            if status == 201:
                soak.stats["ratings"] += 1


class Clerk:
    """A clerk at the console: follows the state the server pushes (an offer, a session, wrap-up,
    set away or offline by the server) and acts on it, with the dice deciding how well."""

    def __init__(self, soak, index, clerk_id, skills, token, rng):
        self.soak, self.index, self.id, self.skills, self.token, self.rng = soak, index, clerk_id, skills, token, rng
        self.who = f"clerk {index}"
        self.view = None
        self.handled = None  # the last offer, wrap-up or off-duty spell acted on (each once)
        self.session_plan = None
        self.category = None  # of the last ticket offered
        self.back_at = None  # the end of a break or absence the clerk chose
        self.whim_at = time.monotonic() + rng.uniform(3, 20)
        self.live = Live(soak, token, self.who, self.on_message, ("clerk",))

    def on_message(self, message):
        if message["type"] == "clerk":
            self.view = message["data"]

    async def run(self):
        soak = self.soak
        await self.live.connect()
        await self.set_state("available")
        while soak.phase != "leave":
            self.live.changed.clear()
            if not self.live.connected:
                await self.live.connect()  # the server closed it: the console reconnects
                continue
            state = self.view["state"]
            if state == "offered":
                await self.on_offer(self.view["offer"])
            elif state == "in-session":
                await self.on_session(self.view["session"])
            elif state == "wrap-up":
                await self.on_wrap_up()
            elif state in ("away", "offline"):
                await self.on_off_duty(state)
            else:
                await self.on_available()
        if self.rng.random() < 0.5 and self.view and self.view["state"] != "in-session":
            await self.set_state("offline")  # signs off; the others just close the console
        await self.live.close()

    @property
    def draining(self):
        return self.soak.phase != "run"

    async def set_state(self, state):
        return (await self.soak.call("PUT", "/api/v1/clerk/state", {"state": state}, self.token))[0]

    async def on_offer(self, offer):
        soak, rng = self.soak, self.rng
        key = ("offer", offer["ticket"], offer["madeAt"])
        if self.handled == key:
            return await self.live.wait(1)
        self.handled = key
        self.category = offer["category"]  # the ticket's skill now (a transfer may have changed its item's)
        roll = rng.random()
        if self.draining:
            action, delay = "accept", rng.uniform(0.1, 0.5)
        elif roll < 0.04:
            return await self.drop(POLICY["clerkGrace"], "offered")  # the console is gone with the offer on screen
        elif roll < 0.07:
            # The console's connection drops as the clerk clicks accept: the click still gets through.
            await self.live.close()
            status, _ = await soak.call("POST", "/api/v1/clerk/offer/accept", {"ticket": offer["ticket"]}, self.token)
            soak.stats["offers accepted while the console was disconnected" + ("" if status == 200 else " (gone)")] += 1
            return await self.drop(POLICY["rejoinGrace"], "offered, accepting over HTTP", closed=True)
        elif roll < 0.72:
            action, delay = "accept", rng.uniform(0.1, 1.5)
        elif roll < 0.84:
            action, delay = "decline", rng.uniform(0.1, 1.5)
        elif roll < 0.95:
            soak.stats["offers ignored"] += 1  # the server times it out: a missed offer
            return
        else:
            action, delay = "accept", POLICY["offerTimeout"] + rng.uniform(0.3, 1.5)  # too late: 409
            soak.stats["offers accepted too late"] += 1
        await asyncio.sleep(delay)
        status, _ = await soak.call("POST", f"/api/v1/clerk/offer/{action}", {"ticket": offer["ticket"]}, self.token)
        soak.stats[f"offers {action}{'ed' if action == 'accept' else 'd'}" + ("" if status == 200 else " (gone)")] += 1

    async def on_session(self, session):
        soak, rng, now = self.soak, self.rng, time.monotonic()
        plan = self.session_plan
        if plan is None or plan["id"] != session["id"]:
            long = not self.draining and rng.random() < 0.1
            duration = rng.uniform(0.3, 1.5) if self.draining else rng.uniform(12, 25) if long else rng.uniform(1, 7)
            soak.stats["sessions taking too long"] += long
            plan = self.session_plan = {"id": session["id"], "end_at": now + duration, "drop_at": None, "kiosk_gone": None}
            if not self.draining and rng.random() < 0.12:
                plan["drop_at"] = now + rng.uniform(0.2, duration * 0.8)
            if rng.random() < 0.6:
                # The console's video page reports its side of the call (the kiosk's side is screen B, not simulated).
                await self.live.send({"type": "media", "data": {"session": session["id"], "pc": f"soak-{session['id']}",
                                                                 "state": rng.choice(["connecting", "connected"])}})
        if self.draining and plan["end_at"] and plan["end_at"] > now + 1.5:
            plan["end_at"] = now + rng.uniform(0.3, 1.5)  # the last cases are quick ones
        if plan["drop_at"] and now >= plan["drop_at"] and not self.draining:
            plan["drop_at"] = None
            return await self.drop(POLICY["rejoinGrace"], "in-session")
        # A case needs the person: with the kiosk not there, the clerk waits for it, up to a patience.
        plan["kiosk_gone"] = None if session["kioskPresent"] else plan["kiosk_gone"] or now
        if plan["end_at"] and now >= plan["end_at"]:
            if plan["kiosk_gone"] and now < plan["kiosk_gone"] + PATIENCE:
                plan["end_at"] = now + 1
            else:
                plan["end_at"] = now + 5  # again, should the session still be there then (an answer lost)
                return await self.end(session, no_show=bool(plan["kiosk_gone"]))
        soon = [t for t in (plan["end_at"], plan["drop_at"]) if t]
        await self.live.wait(min(soon) - now if soon else 1)

    async def end(self, session, no_show=False):
        soak, rng = self.soak, self.rng
        category = self.category or CATEGORY_OF[session["itemCode"]]
        if no_show:
            # No outcome says "nobody came" (dropped is the server's): referred to the service hall.
            status, _ = await soak.call("POST", f"/api/v1/sessions/{session['id']}/end",
                                        {"outcome": "referred-offline", "notes": "soak: the kiosk did not come back"}, self.token)
            soak.stats["sessions ended by clerks after waiting for the kiosk" if status == 200 else "sessions gone before the end"] += 1
            return
        if not self.draining and rng.random() < 0.08:
            colleagues = [c for c in soak.clerks if c is not self and category in c.skills]
            if not colleagues or rng.random() < 0.5:
                body = {"category": rng.choice([c for c in ITEMS if c != category]), "notes": "soak: another skill"}
            else:
                body = {"clerk": rng.choice(colleagues).id, "notes": "soak: a colleague"}
            status, _ = await soak.call("POST", f"/api/v1/sessions/{session['id']}/transfer", body, self.token)
            soak.stats["sessions transferred" if status == 200 else "sessions gone before transfer"] += 1
            return
        outcome = rng.choices(["completed", "needs-materials", "referred-offline"], [70, 18, 12])[0]
        status, _ = await soak.call("POST", f"/api/v1/sessions/{session['id']}/end", {"outcome": outcome, "notes": "soak"}, self.token)
        soak.stats["sessions ended by clerks" if status == 200 else "sessions gone before the end"] += 1

    async def on_wrap_up(self):
        key = ("wrap-up", self.view["stateSince"])
        if self.handled == key:
            return await self.live.wait(1)
        self.handled = key
        if await self.whim("wrap-up"):
            return
        if self.draining or self.rng.random() < 0.65:
            await asyncio.sleep(self.rng.uniform(0.1, 1.2))
            status, _ = await self.soak.call("POST", "/api/v1/clerk/ready", token=self.token)
            self.soak.stats["ready" if status == 200 else "ready too late"] += 1
        # else the wrap-up runs out on the server's timer

    async def on_off_duty(self, state):
        soak, rng, now = self.soak, self.rng, time.monotonic()
        key = ("off", state, self.view["stateSince"])
        if self.handled != key:
            self.handled = key
            if self.back_at is None:
                # The server put the clerk there (missed offers: away; grace over: offline).
                soak.stats[f"clerks set {state} by the server"] += 1
                self.back_at = now + rng.uniform(0.3, 3)
        if self.back_at is None:
            return await self.live.wait(1)  # asked to be available: the push is on its way
        if self.draining:
            self.back_at = min(self.back_at, now + 0.5)
        if now >= self.back_at:
            self.back_at = None
            await self.set_state("available")
            return
        await self.live.wait(self.back_at - now)

    async def on_available(self):
        if not await self.whim("available"):
            await self.live.wait(2 if self.draining else min(2, self.whim_at - time.monotonic()))

    async def whim(self, state):
        """Between cases, now and then: a break, signing off for a while, or the console's connection lost."""
        soak, rng, now = self.soak, self.rng, time.monotonic()
        if self.draining or now < self.whim_at:
            return False
        self.whim_at = now + rng.uniform(5, 25)
        roll = rng.random()
        if roll < 0.3:
            self.back_at = now + rng.uniform(1, 8)
            await self.set_state("away")
            soak.stats["clerk breaks"] += 1
        elif roll < 0.45:
            self.back_at = now + rng.uniform(1, 8)
            await self.set_state("offline")
            soak.stats["clerks off and back"] += 1
        elif roll < 0.75:
            await self.drop(POLICY["clerkGrace"], state)
        else:
            return False
        return True

    async def drop(self, grace, state, closed=False):
        """The console loses its connection for a while (within the grace or beyond it) and reconnects."""
        soak, rng = self.soak, self.rng
        beyond = rng.random() < 0.4
        seconds = rng.uniform(grace + 1, grace + 8) if beyond else rng.uniform(0.3, grace - 1.5)
        if not closed:
            await self.live.close()
        soak.stats[f"clerk drops ({'beyond' if beyond else 'within'} grace)"] += 1
        soak.stats[f"clerk drops in {state}"] += 1
        await asyncio.sleep(seconds)
        if soak.phase != "leave" and await self.live.connect():
            soak.stats["clerk rejoins"] += 1


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.work = tempfile.mkdtemp(prefix="rw-soak-")
        crash.WINDOWD = WINDOWD
        policy = os.path.join(self.work, "policy.json")
        with open(policy, "w") as f:
            json.dump(POLICY, f)
        # Tickets as fast as people take them: the rate limit is not what is soaked here.
        self.server = crash.Server(self.work, crash.free_port(),
                                   ["--policy", policy, "--ticket-burst", "1000000", "--ticket-interval", "0.01"])
        self.phase = "run"  # then "drain" (no new tickets), then "leave" (everyone goes)
        self.stats = collections.Counter()
        self.refusals = collections.Counter()
        self.failures = []
        self.issued = {}  # ticket id → kiosk index, acknowledged with 201
        self.seen = set()  # violations and stuck items already reported
        self.found = collections.Counter()  # … by kind

    def fail(self, what):
        self.failures.append(what)
        print(f"FAIL {what}", flush=True)

    def fail_once(self, key, what):
        if key not in self.seen:
            self.seen.add(key)
            self.found[key[0]] += 1
            self.fail(what)

    def server_closed(self, who, code, reason):
        # Only a client that fell behind (1008) is closed by the server on its own; it reconnects.
        self.stats["live connections closed by the server"] += 1
        if code != 1008:
            self.fail(f"{who}: the server closed the live connection: {code} {reason!r}")

    async def call(self, method, path, body=None, token=None):
        """One API request on a worker thread. A 5xx, a malformed or unauthorised request, or no answer
        is a failure; 404, 409 and 429 are the races of a live queue (an offer that just expired,
        a session the rejoin timer ended), counted."""
        try:
            status, answer = await asyncio.to_thread(api, self.server, method, path, body, token, 20)
        except Exception as error:  # noqa: BLE001
            self.fail(f"{method} {path}: no answer: {error!r}")
            return None, None
        if status >= 500 or status in (400, 401, 403, 405, 413):
            self.fail(f"{method} {path} {json.dumps(body)}: HTTP {status} {answer}")
        elif status >= 300:
            code = answer.get("error", {}).get("code") if isinstance(answer, dict) else None
            route = "/".join("{id}" if part.isdigit() else part for part in path.split("/"))
            self.refusals[f"{method} {route} {status} {code}"] += 1
        return status, answer

    def fetch_text(self, path):
        request = urllib.request.Request(f"https://localhost:{self.server.port}{path}", headers={"Authorization": f"Bearer {self.admin}"})
        with urllib.request.urlopen(request, context=self.tls, timeout=20) as response:
            return response.read().decode()

    def database(self):
        """The server's database, read-only (in WAL mode: the server goes on writing meanwhile)."""
        return contextlib.closing(sqlite3.connect(f"file:{os.path.join(self.server.data, 'windowd.sqlite')}?mode=ro", uri=True, timeout=10))

    # ------------------------------------------------------------------------------ set-up

    async def setup(self):
        self.server.start()
        self.tls = ssl.create_default_context(cafile=os.path.join(self.server.data, "tls", "ca.pem"))
        with open(os.path.join(self.server.data, "initial-admin-password")) as f:
            password = f.read().strip()
        self.admin = (await self.call("POST", "/api/v1/auth/login", {"username": "admin", "password": password}))[1]["token"]
        always = {"weekly": {str(d): [{"open": "00:00", "close": "24:00"}] for d in range(1, 8)}}
        await self.call("POST", "/api/v1/sites", {"code": "soak", "name": {"zh": "浸泡测试站点", "en": "Soak site"}, "hours": always}, self.admin)
        self.kiosks = []
        for i in range(self.args.kiosks):
            view = (await self.call("POST", "/api/v1/sites/soak/kiosks", {"name": f"k{i}"}, self.admin))[1]
            self.kiosks.append(Kiosk(self, i, view["credential"], random.Random(self.rng.random())))
        self.clerks = []
        categories = list(ITEMS)
        for i in range(self.args.clerks):
            skills = [categories[i % 3]] + [c for c in categories if c != categories[i % 3] and self.rng.random() < 0.4]
            name = f"clerk{i}"
            view = (await self.call("POST", "/api/v1/clerks", {"username": name, "displayName": name, "password": PASSWORD,
                                                                "window": f"{i:02d}", "skills": skills}, self.admin))[1]
            token = (await self.call("POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD}))[1]["token"]
            self.clerks.append(Clerk(self, i, view["id"], skills, token, random.Random(self.rng.random())))

    # ---------------------------------------------------------------------------- watching

    async def monitor(self, stop):
        """The invariant monitor every 3 s; every 9 s the metric, overdue offers, sessions and graces."""
        rounds = 0
        report_every = 15 if self.args.minutes <= 5 else 60
        next_report = time.monotonic() + report_every
        while not stop.is_set():
            rounds += 1
            if self.server.process.poll() is not None:
                self.fail(f"windowd exited with {self.server.process.returncode}")
                self.aborted.set()
                return
            await self.check_invariants()
            if rounds % 3 == 0:
                await self.check_metric()
                await self.check_offers()
                await asyncio.to_thread(self.check_deadlines)
            if time.monotonic() >= next_report:
                next_report += report_every
                await self.progress()
            try:
                await asyncio.wait_for(stop.wait(), 3)
            except asyncio.TimeoutError:
                pass

    async def check_invariants(self):
        status, report = await self.call("GET", "/api/v1/queue/invariants", token=self.admin)
        self.stats["invariant checks"] += 1
        if status != 200:
            return self.fail(f"invariant monitor: HTTP {status} {report}")
        for violation in report["violations"]:
            self.stats["invariant violations"] += 1
            self.fail_once(("violation", violation), f"invariant violated at {report['checkedAt']}: {violation}")

    async def check_metric(self):
        try:
            text = await asyncio.to_thread(self.fetch_text, "/metrics")
        except Exception as error:  # noqa: BLE001
            return self.fail(f"/metrics: {error!r}")
        self.stats["metric scrapes"] += 1
        values = [float(line.split()[-1]) for line in text.splitlines() if line.startswith("rw_queue_invariant_violations")]
        if not values:
            self.fail("/metrics has no rw_queue_invariant_violations")
        elif any(values):
            self.fail_once(("metric", tuple(values)), f"rw_queue_invariant_violations = {values}")

    async def check_offers(self):
        """No offer outlives its timeout by more than the slack, and each lasts the policy's timeout."""
        status, answer = await self.call("GET", "/api/v1/clerks", token=self.admin)
        if status != 200:
            return
        now = time.time()
        for clerk in answer["clerks"]:
            offer = clerk.get("offer")
            if not offer:
                continue
            made, expires = parse_time(offer["madeAt"]), parse_time(offer["expiresAt"])
            if abs(expires - made - POLICY["offerTimeout"]) > 0.01:
                self.fail_once(("offer length", offer["ticket"]), f"offer of ticket {offer['ticket']} lasts {expires - made:.2f} s")
            if now > expires + SLACK:
                self.fail_once(("offer", offer["ticket"], offer["madeAt"]),
                               f"stuck offer: ticket {offer['ticket']} to clerk {clerk['id']}, expired {now - expires:.1f} s ago")

    def check_deadlines(self):
        """No live ticket past its kiosk grace, no open session past its rejoin deadline or waiting
        longer than the rejoin grace for a side that never came (from the database, and the kiosks)."""
        now = time.time()
        with self.database() as db:
            graces = db.execute("SELECT id, state, kioskGraceUntil FROM ticket WHERE state IN ('waiting', 'offered') AND kioskGraceUntil IS NOT NULL").fetchall()
            rejoins = db.execute("SELECT id, ticketID, state, rejoinUntil FROM session WHERE endedAt IS NULL AND rejoinUntil IS NOT NULL").fetchall()
            live = dict(db.execute(f"SELECT id, state FROM ticket WHERE state NOT IN {FINAL}").fetchall())
            absent = db.execute("SELECT id, ticketID, state, kioskPresent, clerkPresent, startedAt FROM session"
                                " WHERE endedAt IS NULL AND rejoinUntil IS NULL AND NOT (kioskPresent AND clerkPresent)").fetchall()
        for ticket, state, until in graces:
            if now > parse_time(until) + SLACK:
                self.fail_once(("ticket", ticket, until), f"stuck ticket: {ticket} still {state} {now - parse_time(until):.1f} s after its kiosk grace")
        for session, ticket, state, until in rejoins:
            if now > parse_time(until) + SLACK:
                self.fail_once(("session", session, until),
                               f"stuck session: {session} (ticket {ticket}) still {state} {now - parse_time(until):.1f} s after its rejoin deadline")
        for kiosk in self.kiosks:
            # What the kiosk knows of itself: silent for longer than the kiosk grace (and the rejoin
            # grace before it, in a session), its ticket must have ended.
            gone, ticket = kiosk.gone_since, kiosk.ticket
            if gone and ticket in live and now > gone + POLICY["kioskGrace"] + POLICY["rejoinGrace"] + SLACK:
                self.fail_once(("ticket", ticket), f"stuck ticket: {ticket} still {live[ticket]} {now - gone:.0f} s after its kiosk"
                                                   f" ({kiosk.who}) was last heard from")
        for session, ticket, state, kiosk, clerk, started in absent:
            # A side that is not there has the rejoin grace to come (or come back); no deadline means none is kept.
            if now > parse_time(started) + POLICY["rejoinGrace"] + SLACK:
                missing = " and ".join(side for side, present in (("kiosk", kiosk), ("clerk", clerk)) if not present)
                self.fail_once(("session", session), f"stuck session: {session} (ticket {ticket}) {state} {now - parse_time(started):.0f} s"
                                                    f" after it started, the {missing} never there, and no rejoin deadline")

    async def progress(self):
        def counts():
            with self.database() as db:
                return dict(db.execute("SELECT state, COUNT(*) FROM ticket GROUP BY state").fetchall())
        tickets = await asyncio.to_thread(counts)
        print(f"{time.monotonic() - self.started:5.0f} s  {self.phase:5}  tickets {tickets}  invariant checks {self.stats['invariant checks']}"
              f"  kiosk drops {sum(v for k, v in self.stats.items() if k.startswith('kiosk drops ('))}"
              f"  clerk drops {sum(v for k, v in self.stats.items() if k.startswith('clerk drops ('))}  failures {len(self.failures)}", flush=True)

    # --------------------------------------------------------------------------------- run

    async def run(self):
        await self.setup()
        self.aborted = asyncio.Event()
        self.leaving = asyncio.Event()
        stop_monitor = asyncio.Event()
        self.started = time.monotonic()
        print(f"soak: seed {self.args.seed}, {self.args.minutes} min, {self.args.kiosks} kiosks, {self.args.clerks} clerks,"
              f" policy {POLICY}, data {self.server.data}", flush=True)
        monitor = asyncio.create_task(self.monitor(stop_monitor))
        actors = [asyncio.create_task(self.guard(actor)) for actor in self.clerks + self.kiosks]
        try:
            await asyncio.wait_for(self.aborted.wait(), self.args.minutes * 60)
        except asyncio.TimeoutError:
            pass
        soaked = time.monotonic() - self.started

        # No new tickets: the clerks serve what is left (no declining, no drops), the kiosks stay.
        self.phase = "drain"
        print(f"{soaked:5.0f} s  no new tickets; draining", flush=True)
        timers = sum(POLICY[k] for k in ("offerTimeout", "exclusionPeriod", "wrapUp", "kioskGrace", "rejoinGrace", "clerkGrace"))
        live = await self.wait_for(self.live_tickets, 60 + timers)
        if live:
            self.fail(f"{len(live)} tickets not served {60 + timers} s after the last was issued, with clerks serving: {live[:10]}")

        # Everyone leaves: whatever is left must be ended by the server's timers.
        self.phase = "leave"
        self.leaving.set()
        await asyncio.wait(actors, timeout=60)
        settle = POLICY["clerkGrace"] + POLICY["rejoinGrace"] + POLICY["kioskGrace"] + POLICY["wrapUp"] + 2 * SLACK
        await self.wait_for(lambda: self.live_tickets() + self.open_sessions() + self.clerks_not_offline(), settle)
        stop_monitor.set()
        await monitor
        self.duration = time.monotonic() - self.started
        self.soaked = soaked
        await self.final_checks()

    async def guard(self, actor):
        try:
            await actor.run()
        except Exception:  # noqa: BLE001 — a bug of this script: reported, the others go on
            self.fail(f"{actor.who} crashed:\n{traceback.format_exc()}")
            await actor.live.close()

    async def wait_for(self, leftovers, seconds):
        """Polls until `leftovers()` is empty or `seconds` pass; returns what is left."""
        deadline = time.monotonic() + seconds
        while True:
            left = await asyncio.to_thread(leftovers)
            if not left or time.monotonic() >= deadline:
                return left
            await asyncio.sleep(1)

    def live_tickets(self):
        with self.database() as db:
            return db.execute(f"SELECT id, state FROM ticket WHERE state NOT IN {FINAL}").fetchall()

    def open_sessions(self):
        with self.database() as db:
            return db.execute("SELECT id, state, kioskPresent, clerkPresent, rejoinUntil FROM session WHERE endedAt IS NULL OR state != 'ended'").fetchall()

    def clerks_not_offline(self):
        status, answer = api(self.server, "GET", "/api/v1/clerks", token=self.admin)
        if status != 200:
            return [("GET /api/v1/clerks", status)]
        return [(c["id"], c["state"], c["connected"]) for c in answer["clerks"] if c["state"] != "offline" or c["connected"]]

    # ------------------------------------------------------------------------------ checks

    async def final_checks(self):
        live = self.live_tickets()
        if live:
            self.fail(f"tickets that never end: {len(live)} still live with nobody connected: {live[:10]}")
        with self.database() as db:
            unended = db.execute(f"SELECT id, state FROM ticket WHERE state IN {FINAL} AND endedAt IS NULL").fetchall()
            offers = db.execute("SELECT id, state, offer FROM ticket WHERE offer IS NOT NULL").fetchall()
            stored = {row[0] for row in db.execute("SELECT id FROM ticket")}
            tickets = dict(db.execute("SELECT state, COUNT(*) FROM ticket GROUP BY state").fetchall())
            outcomes = dict(db.execute("SELECT outcome, COUNT(*) FROM session GROUP BY outcome").fetchall())
            events = dict(db.execute("SELECT kind, COUNT(*) FROM queueEvent GROUP BY kind").fetchall())
        if unended:
            self.fail(f"ended tickets without an end time: {unended[:10]}")
        if offers:
            self.fail(f"stuck offers: tickets still holding an offer at the end: {offers[:10]}")
        lost = set(self.issued) - stored
        if lost:
            self.fail(f"acknowledged tickets missing from the database: {sorted(lost)[:10]}")
        sessions = self.open_sessions()
        if sessions:
            self.fail(f"stuck sessions: {len(sessions)} open with nobody connected (id, state, kiosk, clerk, rejoinUntil): {sessions[:10]}")
        clerks = await asyncio.to_thread(self.clerks_not_offline)
        if clerks:
            self.fail(f"clerks not offline with nobody connected (id, state, connected): {clerks}")
        await self.check_invariants()
        await self.check_metric()
        alive = self.server.process.poll() is None
        health = (await self.call("GET", "/health"))[0] if alive else None
        if not alive or health != 200:
            self.fail(f"windowd alive {alive}, /health {health}")
        with open(os.path.join(self.work, "windowd.log"), errors="replace") as f:
            complaints = [line.strip() for line in f if "invariants violated" in line or "commit failed" in line]
        if complaints:
            self.fail(f"windowd logged {len(complaints)} violations or failed commits: {complaints[:3]}")
        peak = "?"
        if alive:
            with open(f"/proc/{self.server.process.pid}/status") as f:
                peak = next((line.split()[1] for line in f if line.startswith("VmHWM:")), "?")
            peak = f"{int(peak) / 1024:.0f} MiB" if peak != "?" else peak

        s = self.stats
        drops = lambda who: sum(v for k, v in s.items() if k.startswith(f"{who} drops ("))  # noqa: E731
        print("refusals (races of a live queue, not failures): " + ", ".join(f"{k} ×{v}" for k, v in sorted(self.refusals.items())))
        print("client: " + ", ".join(f"{k} {v}" for k, v in sorted(s.items())))
        print(f"server: tickets {tickets}; session outcomes {outcomes}; events {dict(sorted(events.items()))}")
        print(f"soak: seed {self.args.seed}; {self.soaked / 60:.1f} min + {self.duration - self.soaked:.0f} s drain and leave;"
              f" {self.args.kiosks} kiosks, {self.args.clerks} clerks; tickets {len(stored)} issued, {tickets.get('done', 0)} served,"
              f" {tickets.get('cancelled', 0)} left, {tickets.get('abandoned', 0)} expired by grace, {len(live)} never ended;"
              f" offers {events.get('offer.made', 0)} made, {events.get('offer.accepted', 0)} accepted, {events.get('offer.declined', 0)} declined,"
              f" {events.get('offer.expired', 0)} missed; sessions {sum(outcomes.values())} ({outcomes.get('dropped', 0)} dropped, {outcomes.get('transferred', 0)} transferred);"
              f" kiosk drops {drops('kiosk')}, rejoins {s['kiosk rejoins']}; clerk drops {drops('clerk')}, rejoins {s['clerk rejoins']};"
              f" invariant checks {s['invariant checks']}, violations {s['invariant violations']};"
              f" stuck offers {self.found['offer'] + len(offers)}, stuck sessions {self.found['session'] + len(sessions)},"
              f" tickets past their grace {self.found['ticket']}; windowd peak RSS {peak}; {len(self.failures)} failures", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=2, help="how long kiosks take tickets (then the drain and the leaving)")
    parser.add_argument("--kiosks", type=int, default=40)
    parser.add_argument("--clerks", type=int, default=10)
    parser.add_argument("--seed", type=int, default=None, help="for the dice (default: a random one, printed)")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1_000_000)
    if args.clerks < 3:
        parser.error("--clerks: at least 3, one for each category the kiosks use")
    if not os.path.exists(WINDOWD):
        print(f"{WINDOWD} is not built", file=sys.stderr)
        return 2
    if websockets is None:
        print("the websockets package is missing: ./scripts/setup installs it", file=sys.stderr)
        return 2
    soak = Soak(args)

    async def run():
        # Every request is a blocking urllib call on a thread: enough threads for every kiosk and clerk at once.
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=args.kiosks + args.clerks + 8))
        await soak.run()

    try:
        asyncio.run(run())
    except Exception:
        crash.print_log_tail(soak.work)
        raise
    finally:
        soak.server.stop()
        if soak.failures:
            print(f"soak: data kept in {soak.work}", file=sys.stderr)
        else:
            shutil.rmtree(soak.work, ignore_errors=True)
    return 0 if not soak.failures else 1


if __name__ == "__main__":
    sys.exit(main())
