"""`make load`: Locust against gunicorn on the 100,000-children municipality.

Starts gunicorn on 127.0.0.1 only, with DEBUG off and the Redis cache, against
tidlig_scale_100k (seeded when missing, as for `make bench`), writes the
synthetic logins with their TOTP keys to var/load/users.json for
tests/load/locustfile.py, then runs Locust headless at each number of users:
users start at 10 a second and log in; once all have started and LOGIN_SETTLE
seconds more have passed (the logins hash passwords), the statistics start
afresh and run for --minutes. Prints p50/p95/p99, errors and requests/s per
level with the CPU used, and with --write puts the tables into
docs/benchmarks.md ("Load test").

The server's settings are production's, with two exceptions a TLS proxy in front
would make: SECURE_SSL_REDIRECT is off (Locust says X-Forwarded-Proto: https
instead), and ALLOWED_HOSTS is 127.0.0.1. The CPR keys are the development
keys seed_scale encrypted the synthetic CPR numbers with.

    python -m tests.load.run [--users 50 200 500] [--minutes 2] [--write]
"""

import argparse
import csv
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import psutil

from tests.bench import ROOT, SERVER, database_name, prepare, write

SECTION = "## Load test"
VAR = ROOT / "var" / "load"
REDIS_URL = "redis://127.0.0.1:6379/15"
CHILDREN = 100_000
SPAWN_RATE = 10
WORKERS = 4


def settle(users: int) -> int:
    """Seconds after the last user has started before the statistics start:
    each login hashes the password (about a third of a second of CPU)."""
    return max(15, users // 5)


def dump_users(url: str) -> Path:
    """The synthetic logins by role, with their authenticator's TOTP settings."""
    code = """
import json, sys
import django
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import ENROLLING_KINDS, Membership, Role

def people(memberships):
    ids = list(dict.fromkeys(memberships.order_by("user_id").values_list("user_id", flat=True)))
    devices = TOTPDevice.objects.filter(user_id__in=ids, confirmed=True).select_related("user")
    by_user = {d.user_id: d for d in devices}
    return [
        {"username": by_user[i].user.username, "device": {"key": by_user[i].key,
         "step": by_user[i].step, "t0": by_user[i].t0, "digits": by_user[i].digits,
         "drift": by_user[i].drift}}
        for i in ids if i in by_user and by_user[i].user.is_active
    ]

m = Membership.objects
json.dump({
    "fagperson": people(m.filter(role=Role.FAGPERSON, unit__kind__in=ENROLLING_KINDS,
                                 groups__isnull=True)),
    "raadgiver": people(m.filter(role=Role.RAADGIVER)),
    "leder": people(m.filter(role=Role.LEDER, unit__kind__in=ENROLLING_KINDS)),
    "forvaltning": people(m.filter(role=Role.FORVALTNING)),
}, sys.stdout)
"""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tidlig.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, stdout=subprocess.PIPE, cwd=ROOT
    )
    path = VAR / "users.json"
    path.write_bytes(done.stdout)
    counts = {role: len(people) for role, people in json.loads(done.stdout).items()}
    print(f"Logins: {counts}", file=sys.stderr)
    return path


def server_env(url: str) -> dict[str, str]:
    # The keys the synthetic CPR numbers were encrypted with: the development ones,
    # as settings.py derives them with DEBUG on and no keys given.
    keys = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tidlig import settings as s; print(s.CPR_ENCRYPTION_KEYS[0]); "
            "print(s.CPR_HASH_KEY)",
        ],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("CPR_", "SECRET"))},
            "DEBUG": "1",
        },
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CPR_ENCRYPTION_KEYS": keys[0],
        "CPR_HASH_KEY": keys[1],
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": os.environ.get("LOAD_REDIS_URL", REDIS_URL),
        "TIDLIG_VAR_DIR": str(VAR),
    }


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "tidlig.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health/", headers={"X-Forwarded-Proto": "https"}
    )
    for _ in range(120):
        try:
            with urllib.request.urlopen(request, timeout=5):
                return server
        except urllib.error.HTTPError:
            return server  # 503 without a Celery worker's heartbeat: it answers
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("gunicorn did not answer on /health/")


class CPU:
    """System-wide CPU and the server's share, sampled while a level is measured."""

    def __init__(self, server: subprocess.Popen) -> None:
        self.server = psutil.Process(server.pid)
        self.samples: list[float] = []
        self.measuring = threading.Event()
        self.stopped = threading.Event()
        psutil.cpu_percent()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _server_seconds(self) -> float:
        total = 0.0
        for process in [self.server, *self.server.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def _run(self) -> None:
        while not self.stopped.wait(5):
            value = psutil.cpu_percent()
            if self.measuring.is_set():
                self.samples.append(value)

    def start(self) -> None:
        self.samples = []
        self.server_start = self._server_seconds()
        self.wall_start = time.monotonic()
        psutil.cpu_percent()
        self.measuring.set()

    def stop(self) -> dict[str, float]:
        self.measuring.clear()
        wall = time.monotonic() - self.wall_start
        return {
            "system": statistics.median(self.samples) if self.samples else 0.0,
            "server_cores": (self._server_seconds() - self.server_start) / wall,
        }


def run_level(users: int, minutes: float, port: int, offset: int, cpu: CPU, users_file) -> dict:
    ramp = users / SPAWN_RATE
    wait = ramp + settle(users)
    prefix = VAR / f"users_{users}"
    env = {
        **os.environ,
        "TIDLIG_LOAD_USERS": str(users_file),
        "TIDLIG_LOAD_OFFSET": str(offset),
        "TIDLIG_LOAD_SETTLE": str(settle(users)),
        "TIDLIG_LOAD_LOGINS": f"{prefix}_logins.json",
    }
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "tests" / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(SPAWN_RATE),
        "--run-time",
        f"{int(wait + minutes * 60)}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "15",
        "--loglevel",
        "WARNING",
    ]
    print(f"{users} users: {wait:.0f} s to log in, then {minutes:g} min", file=sys.stderr)
    locust = subprocess.Popen(command, env=env, cwd=ROOT)
    time.sleep(wait)
    cpu.start()
    locust.wait()
    used = cpu.stop()
    with open(f"{prefix}_stats.csv") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    with open(f"{prefix}_logins.json") as f:
        logins = json.load(f)
    return {"users": users, "rows": rows, "logins": logins, **used}


def table(levels: list[dict]) -> str:
    lines = [
        "| Users | requests | p50 ms | p95 ms | p99 ms | errors | requests/s "
        "| CPU, whole machine | CPU, gunicorn (cores) | logins ok / failed |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for level in levels:
        total = level["rows"]["Aggregated"]
        lines.append(
            f"| {level['users']} | {total['Request Count']} | {total['50%']} | {total['95%']} "
            f"| {total['99%']} | {total['Failure Count']} | {float(total['Requests/s']):.1f} "
            f"| {level['system']:.0f} % | {level['server_cores']:.2f} "
            f"| {level['logins']['ok']} / {level['logins']['failed']} |"
        )
    names = sorted(
        {
            name
            for level in levels
            for name, row in level["rows"].items()
            if name != "Aggregated" and int(row["Request Count"])
        },
        key=lambda n: -int(levels[-1]["rows"].get(n, {}).get("Request Count", 0)),
    )
    lines += [
        "",
        "| Request, p50 / p95 ms | " + " | ".join(f"{x['users']} users" for x in levels) + " |",
        "|---|" + "---|" * len(levels),
    ]
    for name in names:
        cells = []
        for level in levels:
            row = level["rows"].get(name)
            done = row and int(row["Request Count"])
            cells.append(f"{row['50%']} / {row['95%']}" if done else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", SERVER))
    parser.add_argument("--write", action="store_true", help="put the tables in docs")
    options = parser.parse_args()

    # Stopped from outside (timeout, Ctrl-C): still stop gunicorn on the way out.
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(1))
    VAR.mkdir(parents=True, exist_ok=True)
    url = prepare(options.server, CHILDREN)
    users_file = dump_users(url)
    load = os.getloadavg()[0]
    server = start_server(server_env(url), options.port)
    levels = []
    try:
        cpu = CPU(server)
        offset = 0
        for users in options.users:
            levels.append(run_level(users, options.minutes, options.port, offset, cpu, users_file))
            offset += users
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()

    command = "python -m tests.load.run " + " ".join(sys.argv[1:])
    text = f"""{SECTION}

{date.today().isoformat()}; {os.cpu_count()} cores shared with other work (load average
{load:.1f} before the run), PostgreSQL and Redis on the same machine, Locust too.
gunicorn with {WORKERS} sync workers on 127.0.0.1, DEBUG off, the Redis cache,
{database_name(CHILDREN)} ({CHILDREN:,} children). Each simulated person logs in with
the password and the authenticator's code and then waits 5-15 s between clicks; about
75 % pædagoger and lærere (front page, Mine børn, child page, assessment form,
search), 15 % socialrådgivere (Mine sager, intake, case page, Mine møder), 7 %
institution leaders (front page, unit overview, dashboard) and 3 % the forvaltning
(front page, dashboard). Users start at {SPAWN_RATE} a second; the statistics start
once all are logged in and cover {options.minutes:g} minutes. CPU: the median of the
whole machine's use (every 5 s), and the CPU seconds gunicorn used per second.

`{command.replace(" --write", "").strip()}` (make load)

{table(levels)}
"""
    print(text)
    if options.write:
        write(text, SECTION)


if __name__ == "__main__":
    main()
