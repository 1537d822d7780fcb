#!/usr/bin/env python3
"""windowctl against a real windowd: sign in, create and change a clerk, reset a password,
create a site, issue a kiosk credential, read the queue; and bad input gives a clear error.
Expects .build/debug/windowd and .build/debug/windowctl. Talks to 127.0.0.1 only."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

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

    def ctl(*args, password=None):
        return subprocess.run([os.path.join(BIN, "windowctl"), *args], input=(password + "\n") if password else "",
                              capture_output=True, text=True, timeout=60)

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


if __name__ == "__main__":
    sys.exit(main())
