#!/usr/bin/env python3
"""Video-link benchmark (issue 10), run by hand, not in CI: calls between screen B and the clerk's
console in two headless Debian chromiums with fake media, through a real windowd on 127.0.0.1,
first with host candidates, then relay-only through a loopback coturn. Prints p50/p95 of:

  accept → connected     the clerk's click on 接件 to both peer connections `connected`
  accept → first frame   the same to the first remote frame shown on both sides (requestVideoFrameCallback)
  consent click          of which: how long the automation took to answer the consent notice
  consent → first frame  the same from the worker's click on 同意 (a person reads the notice first)
  frozen relay           coturn stopped (kill -STOP) for 10 s, then resumed: kill -CONT → frames again on both sides

Targets (issue 10): accept → first frame p95 < 500 ms; frames again < 3 s after the network returns.

  WINDOWD=/path/to/windowd python3 e2e/video-bench.py [--calls 20] [--freezes 5] [--freeze-seconds 10]

Times come from the pages' own clocks (Date.now(); both browsers run on this machine)."""
import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "browser"))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from rwkit import FRAMES, Server, Turn, chromium_args, go_available, sign_in, watched_context, y4m  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def line(name, values, unit="ms"):
    if not values:
        print(f"  {name:<24} no samples")
        return
    print(f"  {name:<24} p50 {percentile(values, 50):8.0f} {unit}   p95 {percentile(values, 95):8.0f} {unit}   "
          f"min {min(values):6.0f}   max {max(values):6.0f}   n={len(values)}")


def launch(playwright, capture):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                      args=chromium_args(f"--use-file-for-fake-video-capture={capture}"))


class Bench:
    def __init__(self, server, kiosk_browser, clerk_browser, label):
        self.server = server
        self.label = label
        server.clerk("bench-clerk", ["residence"], window="01", display="测试员")
        self.kiosk = server.kiosk()
        self.screen = watched_context(kiosk_browser).open_page()
        pairing = server.ok("POST", "/api/v1/kiosk/screen-b", token=self.kiosk, raw=b"")
        self.screen.goto(f"{server.base}/screen-b/#pair={pairing['code']}")
        expect(self.screen.locator("body")).to_have_attribute("data-view", "idle")
        self.clerk = watched_context(clerk_browser).open_page()
        sign_in(self.clerk, server, "bench-clerk")
        go_available(self.clerk)

    def call(self):
        """One call: returns (accept→connected, accept→first frame, consent click) in ms."""
        server, screen, clerk = self.server, self.screen, self.clerk
        while True:  # a kiosk may take a number only every few seconds
            status, ticket = server.api("POST", "/api/v1/tickets", {"item": "JZZ-001"}, self.kiosk)
            if status != 429:
                break
            time.sleep(0.5)
        assert status == 201 or status == 200, (status, ticket)
        expect(clerk.locator("#offer-number")).to_have_text(ticket["number"])
        accepted = clerk.evaluate("() => { const t = Date.now(); document.querySelector('#offer-accept').click(); return t; }")
        expect(screen.locator("body")).to_have_attribute("data-view", "consent")
        consented = screen.evaluate("() => { const t = Date.now(); document.querySelector('#consent-accept').click(); return t; }")
        marks = []
        for page in (screen, clerk):
            page.wait_for_function("() => window.rwCall && window.rwCall.marks.connected && window.rwCall.marks.firstFrame", timeout=30_000)
            marks.append(page.evaluate("() => window.rwCall.marks"))
        return (max(m["connected"] for m in marks) - accepted, max(m["firstFrame"] for m in marks) - accepted, consented - accepted)

    def end(self):
        clerk, screen = self.clerk, self.screen
        clerk.click("#outcomes [data-outcome='completed']")
        clerk.click("#end-session")
        expect(clerk.locator("#view-wrapup")).to_be_visible()
        expect(screen.locator("body")).to_have_attribute("data-view", "idle")
        clerk.click("#ready")
        expect(clerk.locator("#view-idle")).to_have_attribute("data-kind", "available")

    def frames_again(self, turn, seconds):
        """Freezes the relay for `seconds`, resumes it; ms from kill -CONT to frames growing on both sides."""
        screen, clerk = self.screen, self.clerk
        turn.freeze()
        time.sleep(seconds)
        base = (screen.evaluate(FRAMES), clerk.evaluate(FRAMES))
        turn.thaw()
        resumed = time.time()
        grown = [None, None]
        while time.time() - resumed < 60 and None in grown:
            for i, page in enumerate((screen, clerk)):
                if grown[i] is None and page.evaluate(FRAMES) > base[i] + 2:
                    grown[i] = time.time()
            time.sleep(0.05)
        if None in grown:
            return None
        return (max(grown) - resumed) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--freezes", type=int, default=5, help="frozen-relay rounds (each takes --freeze-seconds and more)")
    parser.add_argument("--freeze-seconds", type=float, default=10)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="rw-bench-")
    red = y4m(os.path.join(folder, "red.y4m"), (230, 20, 20))
    blue = y4m(os.path.join(folder, "blue.y4m"), (20, 20, 230))
    secret = os.urandom(12).hex()
    secret_path = os.path.join(folder, "turn-secret")
    with open(secret_path, "w") as f:
        f.write(secret + "\n")
    turn = Turn(secret).start()
    servers = []
    try:
        with sync_playwright() as playwright:
            kiosk_browser, clerk_browser = launch(playwright, red), launch(playwright, blue)
            for label, extra in (("host candidates", []),
                                 ("relay only (coturn)", ["--turn-url", turn.url, "--turn-secret-file", secret_path, "--ice-policy", "relay"])):
                server = Server(extra)
                servers.append(server)
                server.start()
                server.setup()
                bench = Bench(server, kiosk_browser, clerk_browser, label)
                connected, first_frame, consent, after_consent = [], [], [], []
                for index in range(args.calls):
                    c, f, k = bench.call()
                    connected.append(c)
                    first_frame.append(f)
                    consent.append(k)
                    after_consent.append(f - k)
                    if "relay" in label and index < args.freezes:
                        again = bench.frames_again(turn, args.freeze_seconds)
                        bench.frozen = getattr(bench, "frozen", []) + ([again] if again is not None else [])
                        if again is None:
                            print(f"  call {index + 1}: frames did not come back within 60 s", file=sys.stderr)
                    bench.end()
                    print(f"  {label}: call {index + 1}/{args.calls}: connected {c} ms, first frame {f} ms", file=sys.stderr)
                print(f"\n{label}, {args.calls} calls on loopback:")
                line("accept → connected", connected)
                line("accept → first frame", first_frame)
                line("  (consent click)", consent)
                line("consent → first frame", after_consent)
                if "relay" in label:
                    line(f"frozen {args.freeze_seconds:.0f} s → frames", getattr(bench, "frozen", []))
                server.stop()
                server.remove()
            kiosk_browser.close()
            clerk_browser.close()
    finally:
        for server in servers:
            if server.process and server.process.poll() is None:
                server.stop()
        turn.stop()


if __name__ == "__main__":
    main()
