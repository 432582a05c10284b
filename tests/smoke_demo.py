"""Smoke run of `make demo` as a new user would do it (run by CI, not by pytest).

Starts `make demo` on a fresh var/ folder (SQLite + filesystem broker), reads the
printed logins, logs in as the pedagogue (password, then a printed recovery
code), checks the Danish layout, and waits for /health/ to report that beat and
the worker ran the heartbeat. Stops everything.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
PORT = os.environ.get("SMOKE_PORT", "8765")
BASE = f"http://127.0.0.1:{PORT}"


def fail(message: str, log: Path) -> NoReturn:
    print(log.read_text(errors="replace")[-6000:])
    print(f"SMOKE FAILED: {message}")
    sys.exit(1)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        raise AssertionError("no CSRF token in the page")
    return found.group(1)


def wait_until(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(1)
    return False


def port_taken() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", int(PORT))) == 0


def main() -> None:
    if port_taken():
        # Something else would answer the checks below: stop before starting the demo.
        print(f"SMOKE FAILED: port {PORT} is already in use (set SMOKE_PORT)")
        sys.exit(1)
    var_dir = Path(tempfile.mkdtemp(prefix="tidlig-demo-"))
    log = var_dir / "demo.log"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(TIDLIG_VAR_DIR=str(var_dir), HEARTBEAT_INTERVAL_SECONDS="5")
    with log.open("wb") as out:
        demo = subprocess.Popen(
            ["make", "demo", f"PORT={PORT}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        if not wait_until(lambda: opener.open(f"{BASE}/login/", timeout=5).status == 200, 180):
            fail("the login page never answered", log)
        print("login page answers")

        output = log.read_text(errors="replace")
        match = re.search(r"^Fagperson\s+.*?\s(\S+)\s+(tidlig-demo-\S+)\s*$", output, re.M)
        if not match:
            fail("no fagperson login printed", log)
        username, password = match.groups()
        print(f"demo login printed for {username}")

        page = opener.open(f"{BASE}/login/", timeout=10).read().decode()
        token = csrf_token(page)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(f"{BASE}/login/", data=data, headers={"Referer": BASE})
        code_page = opener.open(request, timeout=10).read().decode()
        if 'name="code"' not in code_page:
            fail("the password did not lead to the code page (tofaktor-login)", log)
        # The second factor as a tester without a phone gives it: a printed recovery code.
        codes = re.search(
            rf"^{re.escape(username)}\s+[A-Z2-7]{{32}}\s+([a-z2-7]{{8}})\b", output, re.M
        )
        if not codes:
            fail(f"no recovery code printed for {username}", log)
        token = csrf_token(code_page)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "code": codes.group(1)}
        ).encode()
        request = urllib.request.Request(
            f"{BASE}/login/kode/", data=data, headers={"Referer": BASE}
        )
        home = opener.open(request, timeout=10).read().decode()
        if 'lang="da"' not in home or "Log af" not in home or "Solsikken" not in home:
            fail("logged-in home page is not the Danish layout with the user's unit", log)
        print(f"{username} logged in and sees the Danish layout")

        def healthy() -> bool:
            try:
                return opener.open(f"{BASE}/health/", timeout=5).status == 200
            except urllib.error.HTTPError:
                return False

        if not wait_until(healthy, 120):
            fail("/health/ never reported a fresh heartbeat from beat + worker", log)
        print("heartbeat ran: web, worker and beat are up")
        print("SMOKE OK")
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        try:
            demo.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
