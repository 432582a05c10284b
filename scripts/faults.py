"""Measure the fault table in docs/operations.md against real processes.

    .venv/bin/python scripts/faults.py [--trials N] [--only NAME]

Each fault is run --trials times (default 3) against real gunicorn, Celery workers
and beats, PostgreSQL and a redis-server of the script's own, and gives one Markdown
row: | fault | trials | lost | doubled | what the user saw |. The rows are printed
as each fault ends; progress goes to stderr. NAME is one of FAULTS below
(double-submit, worker-killed, redis-down, postgres-restart, two-workers-two-beats,
bad-input, dump-restore).

How each fault is made:

- double-submit: 20 threads let go at once POST the assessment form (then the
  concern form) with one one-time key to gunicorn (2 workers × 4 threads).
- worker-killed: 20 reminders due, the sweep sent to a worker, the worker's process
  group SIGKILLed a random moment after 3-15 mails (each takes the mail server
  0.2 s), a new worker runs the catch-up sweep.
- redis-down: the script's redis-server killed for REDIS_DOWN_SECONDS while concerns
  are saved and a report ordered through gunicorn; restarted, then the stale-report
  job (the order's time moved back past its 10 minutes) and the reminder sweep.
- postgres-restart: a cluster of the script's own, `pg_ctl restart -m fast` under
  a running gunicorn, 40 requests.
- two-workers-two-beats: 20 reminders due, two workers and two beats each sending
  the sweep every second, for the time it takes plus 4 s.
- bad-input: tests/test_no_5xx.py in a pytest of its own, its requests counted.
- dump-restore: the demo seeded (30 children), `pg_dump -Fc`, `pg_restore` into a
  new database, `manage.py verify_restore`, every table compared row by row.

FAULTS_KEEP_LOGS=1 keeps the processes' logs (the folder is named at the end).

Needs: PostgreSQL at FAULTS_PG_URL (default postgres://postgres@127.0.0.1:5432,
trust), the PostgreSQL binaries (pg_dump, pg_restore, initdb, pg_ctl: on the PATH or
in /usr/lib/postgresql/*/bin) and redis-server. The databases it makes are named
tidlig_faults_<pid>…, its folders tidlig-faults-…, and both are removed at the end;
the Redis it starts listens on a free port.

Mail is sent to a small SMTP server inside the script (SlowSMTP) that answers each
mail after a delay, the way a slow mail server does, and counts what it accepted:
a mail is delivered once the server has answered 250, whether or not the sender
lived to read the answer.
"""

# ruff: noqa: S603, S311 (the commands are the script's own; the randomness picks when to kill)

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("FAULTS_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
PID = os.getpid()
TEMPLATE = f"tidlig_faults_{PID}_template"
WORK = f"tidlig_faults_{PID}"
TMP = Path(tempfile.gettempdir())  # a folder of the run's own, made in main()
PARALLEL_POSTS = 20
REDIS_DOWN_SECONDS = 10
# Any 32 characters: Django takes the unmasked secret in the form as well.
CSRF = "f" * 32


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s")


def pg_bin(program: str) -> str:
    if found := shutil.which(program):
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{program}"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        raise FileNotFoundError(f"{program}: not on the PATH nor in /usr/lib/postgresql")
    return str(versions[-1])


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def drop(name: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- processes -------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DATABASE_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=f"{PG_URL}/{WORK}",
        TIDLIG_VAR_DIR=str(TMP / "var"),
        HEARTBEAT_INTERVAL_SECONDS="3600",
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="INFO",  # the workers' " ready." line
    )
    env.update(extra)
    return env


@contextmanager
def process(name: str, command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """A process in a session of its own, so that it and its children die together."""
    log = TMP / f"{name}.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    proc.log = log  # type: ignore[attr-defined]
    try:
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def log_has(proc: subprocess.Popen, text: str) -> bool:
    return text in proc.log.read_text(errors="replace")  # type: ignore[attr-defined]


@contextmanager
def web(env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "tidlig.wsgi:application", "--workers", "2"]
    command += ["--threads", "4", "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    with process(f"web-{port}", command, env):
        wait_for(lambda: get(port, "/login/")[0] == 200, timeout=60, what="gunicorn")
        yield port


def worker_command(name: str) -> list[str]:
    return [
        *(sys.executable, "-m", "celery", "-A", "tidlig", "worker", "-n", f"{name}@faults"),
        *("--concurrency=1", "--without-mingle", "--without-gossip", "-l", "INFO"),
    ]


@contextmanager
def worker(name: str, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    with process(name, worker_command(name), env) as proc:
        wait_for(lambda: log_has(proc, " ready."), timeout=90, what=f"worker {name}")
        yield proc


def beat_command() -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tidlig",
        "beat",
        "-l",
        "INFO",
        "--max-interval=1",
    ]


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(TMP)]
        log = (TMP / "redis.log").open("ab")
        self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.answers, timeout=10, what="redis-server")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()  # like a crash: nothing saved
            self.proc.wait()
            self.proc = None


# --- HTTP ------------------------------------------------------------------------


def request(
    port: int, method: str, path: str, *, cookies: dict[str, str] | None = None, form=None
) -> tuple[int, dict[str, str], str]:
    """(status, {cookie name: value set}, body); status 0 when nothing answered."""
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
    except OSError:
        return 0, {}, ""
    finally:
        connection.close()
    set_cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        set_cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
    location = response.getheader("Location", "")
    return response.status, set_cookies | {"__location__": location}, text


def get(port: int, path: str, cookies: dict[str, str] | None = None) -> tuple[int, dict, str]:
    return request(port, "GET", path, cookies=cookies)


def logged_in(user) -> dict[str, str]:
    """Cookies of a browser in which `user` has logged in (password and code)."""
    from django.test import Client

    from tidlig.test import log_in

    client = Client()
    log_in(client, user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


def form_key(html: str) -> str:
    found = re.search(r'name="submit_key" value="([0-9a-f-]{36})"', html)
    if not found:
        raise AssertionError("the form carries no one-time key")
    return found.group(1)


def messages_in(set_cookies: dict[str, str]) -> list[str]:
    """The messages a response left for the next page (Django's cookie storage)."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    if not set_cookies.get("messages"):
        return []
    return [str(m) for m in CookieStorage(HttpRequest())._decode(set_cookies["messages"]) or []]


def seen(answers: list[tuple[int, str]], *, done: str) -> str:
    """'19 × 302 to the assessment, told "Det var allerede gemt"; 1 × 302 …'."""
    counts = Counter(answers)
    parts = []
    for (status, what), n in counts.most_common():
        parts.append(f"{n} × {status}{' ' + what if what else ''}")
    return f"{done}: " + "; ".join(parts)


# --- the municipality ------------------------------------------------------------

_people = iter(range(1, 10**6))


def person(unit, role: str, *, email: str = ""):
    from accounts.models import Membership, User

    n = next(_people)
    user = User.objects.create_user(f"f{PID}_{n}", email=email, first_name=f"Pia{n}")
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def unit(kind: str):
    from accounts.models import District, Unit

    district, _ = District.objects.get_or_create(name="Nordby")
    return Unit.objects.create(name=f"{kind} {next(_people)}", kind=kind, district=district)


def child(at):
    from datetime import date

    from tidlig.test import make_child

    return make_child("Emma", "Holm", date(2021, 3, 4), unit=at, start=date(2025, 8, 1))


def due_meetings(n: int) -> list:
    """n open cases, each with its own coordinator and a meeting in 14 days: the
    sweep writes one reminder for each and emails it."""
    from django.utils import timezone

    from accounts.models import Role, UnitKind
    from followups.models import Case, Meeting

    raadgivning = unit(UnitKind.RAADGIVNING)
    boernehave = unit(UnitKind.BOERNEHAVE)
    today = timezone.localdate()
    coordinators = []
    for _ in range(n):
        coordinator = person(raadgivning, Role.RAADGIVER, email=f"r{PID}_{next(_people)}@k.example")
        case = Case.objects.create(
            child=child(boernehave), coordinator=coordinator, opened_on=today
        )
        Meeting.objects.create(case=case, scheduled_on=today + timedelta(days=14))
        coordinators.append(coordinator)
    return coordinators


def forget_reminders() -> None:
    from followups.models import Case, Meeting, Reminder

    Reminder.objects.all().delete()
    Meeting.objects.all().delete()
    Case.objects.all().delete()


# --- a slow mail server ----------------------------------------------------------


class SlowSMTP(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.delay = delay
        self.delivered: list[str] = []
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def handle_error(self, request, client_address) -> None:
        pass  # a sender killed mid-mail is what the script is about

    def env(self) -> dict[str, str]:
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "false"}

    def count(self) -> int:
        with self.lock:
            return len(self.delivered)

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(self.delivered)


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        recipients: list[str] = []
        self.answer("220 faults ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.answer("250 faults")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").lower())
                self.answer("250 ok")
            elif verb == "DATA":
                self.answer("354 go on")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                time.sleep(self.server.delay)
                try:
                    self.answer("250 queued")
                finally:
                    # Queued for delivery once answered, read by the sender or not.
                    with self.server.lock:
                        self.server.delivered.extend(recipients)
                recipients = []
            elif verb == "QUIT":
                self.answer("221 bye")
                return
            else:
                self.answer("250 ok")

    def answer(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()


@contextmanager
def smtp(delay: float) -> Iterator[SlowSMTP]:
    server = SlowSMTP(delay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def send_task(name: str) -> None:
    from tidlig.celery import app

    app.send_task(name)


# --- the faults ------------------------------------------------------------------


def at_once(port: int, path: str, form: dict, cookies: dict) -> list[tuple[int, dict]]:
    """PARALLEL_POSTS POSTs of `form`, let go at the same moment: [(status, cookies set)]."""
    start = threading.Barrier(PARALLEL_POSTS)
    results: list[tuple[int, dict]] = []

    def post() -> None:
        start.wait()
        status, set_cookies, _ = request(port, "POST", path, cookies=cookies, form=form)
        results.append((status, set_cookies))

    threads = [threading.Thread(target=post) for _ in range(PARALLEL_POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def double_submit(trials: int, redis: Redis) -> list[str]:
    """PARALLEL_POSTS identical POSTs at once, one one-time key: one record, and
    every user sent to it."""
    from django.utils import timezone

    from accounts.models import Role, UnitKind
    from children.models import Concern
    from ruler.models import Assessment
    from tests.test_submit_once import assessment_data

    forms = {
        # The one form for a concern and its zone, sent with a zone.
        "assessment": (
            "/boern/{pk}/bekymring/",
            "/boern/{pk}/bekymring/",
            lambda: assessment_data(),
            lambda c: Assessment.objects.filter(child=c).count(),
        ),
        "concern": (
            "/boern/{pk}/",
            "/boern/{pk}/bekymring/",
            lambda: {"observed_on": timezone.localdate().isoformat(), "text": "Emma græder."},
            lambda c: Concern.objects.filter(child=c).count(),
        ),
    }
    rows = []
    with web(child_env(REDIS_URL=redis.url)) as port:
        for name, (page, action, data, count) in forms.items():
            lost = doubled = 0
            answers: list[tuple[int, str]] = []
            for trial in range(trials):
                solsikken = unit(UnitKind.BOERNEHAVE)
                pia, emma = person(solsikken, Role.FAGPERSON), child(solsikken)
                cookies = logged_in(pia)
                status, _, html = get(port, page.format(pk=emma.pk), cookies)
                assert status == 200, f"{page}: {status}"
                form = data() | {"submit_key": form_key(html), "csrfmiddlewaretoken": CSRF}
                results = at_once(port, action.format(pk=emma.pk), form, cookies)
                made = count(emma)
                lost += made == 0
                doubled += max(made - 1, 0)
                places = Counter(r[1]["__location__"] for r in results if r[0] == 302)
                where = places.most_common(1)[0][0] if places else ""
                for status, set_cookies in results:
                    already = any("allerede gemt" in m for m in messages_in(set_cookies))
                    what = ""
                    if status == 302:
                        what = f"to the {name}" if set_cookies["__location__"] == where else "else"
                        what += ', told "Det var allerede gemt"' if already else ""
                    answers.append((status, what))
                statuses = Counter(r[0] for r in results)
                say(f"double submit {name} {trial + 1}: {made} made, {statuses}")
            rows.append(
                row(
                    f"Double submit: {PARALLEL_POSTS} identical POSTs of the {name} form "
                    "at once, one one-time key",
                    f"{trials} × {PARALLEL_POSTS} POSTs",
                    lost,
                    doubled,
                    seen(answers, done=f"{len(answers)} answers"),
                )
            )
    return rows


def worker_killed(trials: int, redis: Redis) -> list[str]:
    """The reminder sweep's worker is killed (SIGKILL, the whole process group) while
    it is sending; a new worker runs the catch-up sweep."""
    from followups.models import Reminder

    n = 20
    lost = doubled = 0
    notes = []
    for trial in range(trials):
        forget_reminders()
        coordinators = due_meetings(n)
        with smtp(delay=0.2) as mail:
            env = child_env(REDIS_URL=redis.url, **mail.env())
            with worker(f"doomed{trial}", env) as doomed:
                send_task("followups.tasks.send_reminders")
                kill_after = random.randint(3, n - 5)
                wait_for(
                    lambda k=kill_after: mail.count() >= k, timeout=60, what="mails before kill"
                )
                time.sleep(random.uniform(0, 0.25))  # anywhere in the next mail or its commit
                stop(doomed, signal.SIGKILL)
                before = mail.count()
            with worker(f"catchup{trial}", env):
                send_task("followups.tasks.send_reminders")
                with suppress(TimeoutError):
                    wait_for(
                        lambda: not Reminder.objects.filter(sent_at__isnull=True).exists(),
                        timeout=60,
                        what="catch-up sweep",
                    )
                time.sleep(1)  # a mail still on its way
            got = mail.per_recipient()
        emails = [c.email.lower() for c in coordinators]
        lost += sum(1 for e in emails if got[e] == 0)
        doubled += sum(got[e] - 1 for e in emails if got[e] > 1)
        notes.append(f"killed after {before} of {n}")
        say(f"worker killed {trial + 1}: killed after {before}, mails {sum(got.values())}")
    forget_reminders()
    return [
        row(
            "Worker killed (SIGKILL) mid-sweep, a new worker runs the catch-up sweep",
            f"{trials} × {n} reminders",
            lost,
            doubled,
            "Nothing on screen: each recipient gets the reminder; the one being handed to "
            f"the mail server when the worker died may come twice ({', '.join(notes)}).",
        )
    ]


def redis_down(trials: int, redis: Redis) -> list[str]:
    """Redis (cache and broker) is down for REDIS_DOWN_SECONDS while people save
    concerns and order a report; when it is back, the beat jobs pick up."""
    from django.utils import timezone

    from accounts.models import Role, UnitKind
    from children.models import Concern
    from reports.generate import STALE_AFTER
    from reports.models import QuarterlyReport
    from tidlig.lib.dates import Quarter

    concerns_each = 5
    lost = doubled = 0
    answers: list[tuple[int, str]] = []
    slowest: dict[str, float] = {}
    picked_up = []

    def timed(what: str, call, *args, **kwargs):
        started = time.monotonic()
        answer = call(*args, **kwargs)
        slowest[what] = max(slowest.get(what, 0.0), time.monotonic() - started)
        answers.append((answer[0], what))
        return answer

    with smtp(delay=0) as mail:
        env = child_env(REDIS_URL=redis.url, **mail.env())
        with web(env) as port, worker("survivor", env):
            for trial in range(trials):
                QuarterlyReport.objects.all().delete()
                forget_reminders()
                coordinator = due_meetings(1)[0]
                solsikken = unit(UnitKind.BOERNEHAVE)
                pia, emma = person(solsikken, Role.FAGPERSON), child(solsikken)
                frida = person(unit(UnitKind.FORVALTNING), Role.FORVALTNING)
                pia_cookies, frida_cookies = logged_in(pia), logged_in(frida)

                redis.stop()
                down_at = time.monotonic()
                saved = 0
                for i in range(concerns_each):
                    status, _, html = timed(
                        "the child's page", get, port, f"/boern/{emma.pk}/", pia_cookies
                    )
                    if status != 200:
                        continue
                    form = {
                        "observed_on": timezone.localdate().isoformat(),
                        "text": f"Bekymring {i} mens Redis er nede.",
                        "submit_key": form_key(html),
                        "csrfmiddlewaretoken": CSRF,
                    }
                    path = f"/boern/{emma.pk}/bekymring/"
                    status, _, _ = timed(
                        "saving a concern",
                        request,
                        port,
                        "POST",
                        path,
                        cookies=pia_cookies,
                        form=form,
                    )
                    saved += status == 302
                quarter = str(Quarter.containing(timezone.localdate()).previous())
                status, _, html = timed(
                    "the report archive", get, port, "/rapporter/arkiv/", frida_cookies
                )
                form = {"quarter": quarter, "csrfmiddlewaretoken": CSRF}
                if key := re.search(r'name="submit_key" value="([0-9a-f-]{36})"', html):
                    form["submit_key"] = key.group(1)
                path = "/rapporter/arkiv/bestil/"
                status, _, _ = timed(
                    "ordering a report",
                    request,
                    port,
                    "POST",
                    path,
                    cookies=frida_cookies,
                    form=form,
                )
                ordered = status == 302
                timed("the quarterly status", get, port, "/rapporter/status/", frida_cookies)
                time.sleep(max(0, REDIS_DOWN_SECONDS - (time.monotonic() - down_at)))
                redis.start()

                # The report waits STALE_AFTER for the 5-minute job; the time is skipped.
                QuarterlyReport.objects.update(created_at=timezone.now() - STALE_AFTER * 2)
                back_at = time.monotonic()
                send_task("reports.tasks.generate_stale_reports")
                send_task("followups.tasks.send_reminders")
                with suppress(TimeoutError):
                    wait_for(
                        lambda ordered=ordered, mails=trial + 1: (
                            QuarterlyReport.objects.filter(status="færdig").count() >= ordered
                            and mail.count() >= mails
                        ),
                        timeout=90,
                        what="the beat jobs after Redis",
                    )
                picked_up.append(time.monotonic() - back_at)
                time.sleep(1)
                made = Concern.objects.filter(child=emma).count()
                reports = QuarterlyReport.objects.filter(status="færdig").count()
                reminders = mail.per_recipient()[coordinator.email.lower()]
                lost += max(saved - made, 0) + max(ordered - reports, 0) + (reminders == 0)
                doubled += max(made - saved, 0) + max(reports - ordered, 0)
                doubled += max(reminders - 1, 0)
                say(
                    f"redis down {trial + 1}: {saved}/{concerns_each} saved, {made} in db, "
                    f"report ordered {ordered} made {reports}, reminder mails {reminders}"
                )
    forget_reminders()
    return [
        row(
            f"Redis (cache and broker) down {REDIS_DOWN_SECONDS} s while concerns are saved "
            "and a report is ordered; then the beat jobs (stale reports, reminder sweep)",
            f"{trials} × ({concerns_each} concerns, 1 report, 1 reminder)",
            lost,
            doubled,
            seen(answers, done=f"{len(answers)} requests while down")
            + "; slowest: "
            + ", ".join(f"{what} {t:.1f} s" for what, t in slowest.items())
            + "; after Redis was back the report and the reminder "
            f"were done within {max(picked_up):.0f} s of the beat jobs (the 10-minute wait "
            "for the stale-report job skipped)",
        )
    ]


def postgres_restart(trials: int, redis: Redis) -> list[str]:
    """A running gunicorn; PostgreSQL is restarted under it; 40 requests after."""
    from tests.processes import private_cluster

    requests_each = 40
    statuses: Counter = Counter()
    with private_cluster(prefix="tidlig-faults-pg-") as cluster:
        env = child_env(DATABASE_URL=cluster.url)
        # The tables the two pages read; all of them would double the time.
        migrate = "from django.core.management import call_command\n"
        migrate += (
            "for app in ('tidlig', 'sessions'):\n    call_command('migrate', app, verbosity=0)"
        )
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", migrate],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        # A fresh heartbeat, so that /health/ answers 200 with the database up.
        cluster.query(
            "INSERT INTO tidlig_heartbeat (name, last_run_at, runs, worker) "
            "VALUES ('worker', now(), 1, 'faults') RETURNING id"
        )
        # A session cookie makes the login page read the session table.
        cookies = {"sessionid": "x" * 32}
        pages = ["/health/", "/login/"]
        with web(env) as port:
            for trial in range(trials):
                # Connections the pools keep, which the restart kills.
                for i in range(10):
                    get(port, pages[i % 2], cookies)
                cluster.pg_ctl("restart", "-m", "fast")
                for i in range(requests_each):
                    statuses[get(port, pages[i % 2], cookies)[0]] += 1
                say(f"postgres restart {trial + 1}: {statuses}")
    from django.conf import settings

    failed = sum(n for status, n in statuses.items() if status >= 500 or status == 0)
    checked = settings.DATABASES["default"].get("CONN_HEALTH_CHECKS")
    shown = "; ".join(f"{n} × {status or 'no answer'}" for status, n in sorted(statuses.items()))
    return [
        row(
            f"PostgreSQL restarted (pg_ctl restart -m fast) under a running gunicorn; "
            f"{requests_each} requests right after",
            f"{trials} × {requests_each} requests",
            "–",
            "–",
            f"{failed} of {trials * requests_each} answers were a 5xx or none ({shown}; "
            "/health/ and /login/ with a session, both read the database; "
            f"CONN_HEALTH_CHECKS {'on' if checked else 'off'})",
        )
    ]


SWEEP_DONE = re.compile(r"send_reminders\[[^\]]+\] succeeded in [\d.]+s: \(\d+, (\d+)\)")


def two_workers_two_beats(trials: int, redis: Redis) -> list[str]:
    """Two workers and two beats, each beat sending the sweep every second."""
    from followups.models import Reminder

    n = 20
    lost = doubled = 0
    sweeps = 0
    # Sweeps that sent something, and how many of them ran on the same mails at once.
    sending: list[int] = []
    for trial in range(trials):
        forget_reminders()
        coordinators = due_meetings(n)
        with smtp(delay=0.05) as mail:
            env = child_env(REDIS_URL=redis.url, REMINDER_SWEEP_SECONDS="1", **mail.env())
            with ExitStack() as stack:
                workers = []
                for name in ("one", "two"):
                    command = worker_command(f"{name}{trial}")
                    command[command.index("--concurrency=1")] = "--concurrency=2"
                    workers.append(
                        stack.enter_context(process(f"worker-{name}{trial}", command, env))
                    )
                beats = [
                    stack.enter_context(process(f"beat-{name}{trial}", beat_command(), env))
                    for name in ("one", "two")
                ]
                with suppress(TimeoutError):
                    wait_for(
                        lambda: (
                            mail.count() >= n
                            and not Reminder.objects.filter(sent_at__isnull=True).exists()
                        ),
                        timeout=120,
                        what="the reminders",
                    )
                time.sleep(4)  # more sweeps from both beats, on what is already sent
                sweeps += sum(
                    b.log.read_text(errors="replace").count("Sending due task send-reminders")
                    for b in beats
                )
                for proc in workers:
                    log = proc.log.read_text(errors="replace")
                    sent = SWEEP_DONE.findall(log)
                    sending.append(sum(1 for count in sent if int(count) > 0))
            got = mail.per_recipient()
        emails = [c.email.lower() for c in coordinators]
        lost += sum(1 for e in emails if got[e] == 0)
        doubled += sum(got[e] - 1 for e in emails if got[e] > 1)
        say(f"two workers two beats {trial + 1}: mails {sum(got.values())} for {n}")
    forget_reminders()
    return [
        row(
            "Two workers and two beats at once (each beat sends the sweep every second)",
            f"{trials} × {n} reminders",
            lost,
            doubled,
            f"Nothing on screen: the beats sent {sweeps} sweeps; the mails went out in "
            f"{sum(sending)} of them (per trial, on worker one + worker two: "
            + ", ".join(f"{a} + {b}" for a, b in zip(sending[::2], sending[1::2], strict=True))
            + ")",
        )
    ]


def bad_input(trials: int, redis: Redis) -> list[str]:
    """The property test tests/test_no_5xx.py, in a pytest of its own that loads this
    file as a plugin to count the requests it makes (pytest_collection_finish)."""
    test = ROOT / "tests" / "test_no_5xx.py"
    fault = "Bad input: junk in every field and query parameter (tests/test_no_5xx.py)"
    if not test.exists():
        return [row(fault, 0, "–", "–", "Not measured: tests/test_no_5xx.py does not exist yet")]
    counts = TMP / "no_5xx.json"
    env = child_env(
        DATABASE_URL=f"{PG_URL}/tidlig",
        DATABASE_TEST_NAME=f"test_tidlig_faults_{PID}",
        REDIS_URL=redis.url.replace("/0", "/1"),
        TIDLIG_VAR_DIR=str(TMP / "pytest-var"),
        PYTHONPATH=os.pathsep.join([str(ROOT / "scripts"), os.environ.get("PYTHONPATH", "")]),
        FAULTS_COUNTS=str(counts),
    )
    command = [sys.executable, "-m", "pytest", "tests/test_no_5xx.py", "-q", "-p", "faults"]
    command += ["-p", "no:cacheprovider", "--create-db"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    (TMP / "no_5xx.log").write_text(done.stdout + done.stderr)
    summary = re.findall(r"^(.*\b(?:passed|failed|error)\b.*?) in [\d.]+s", done.stdout, re.M)
    found = json.loads(counts.read_text()) if counts.exists() else {}
    say(f"bad input: {summary}, {found.get('requests')} requests")
    errors = found.get("server_errors", [])
    return [
        row(
            fault,
            "1 (derandomised: another run sends the same)",
            "–",
            "–",
            f"{found.get('requests', '?')} requests to {found.get('urls', '?')} URLs; "
            f"{len(errors)} URLs answered 5xx{': ' + ', '.join(errors) if errors else ''} "
            f"(pytest: {summary[-1] if summary else 'exit ' + str(done.returncode)})",
        )
    ]


# With `-p faults` (scripts/ on PYTHONPATH) pytest loads this file as a plugin, which
# counts what tests/test_no_5xx.py sends and the URLs that answered 5xx.
_sent: dict[str, object] = {"requests": 0, "urls": set(), "server_errors": set()}


def pytest_collection_finish(session) -> None:
    module = sys.modules.get("tests.test_no_5xx")
    if not os.environ.get("FAULTS_COUNTS") or module is None:
        return
    cls = module.NoServerErrorTestCase
    original = cls.assert_no_5xx

    def counting(self, role: str, method: str, url: str, sent: dict) -> None:
        _sent["requests"] += 1  # type: ignore[operator]
        _sent["urls"].add(url)  # type: ignore[attr-defined]
        try:
            original(self, role, method, url, sent)
        except Exception:  # the 5xx's assertion, or the view's exception the client raises
            _sent["server_errors"].add(f"{method.upper()} {url}")  # type: ignore[attr-defined]
            raise

    cls.assert_no_5xx = counting


def pytest_sessionfinish(session, exitstatus) -> None:
    if path := os.environ.get("FAULTS_COUNTS"):
        found = {
            "requests": _sent["requests"],
            "urls": len(_sent["urls"]),  # type: ignore[arg-type]
            "server_errors": sorted(_sent["server_errors"]),  # type: ignore[call-overload]
        }
        Path(path).write_text(json.dumps(found))


def dump_restore(trials: int, redis: Redis) -> list[str]:
    """The seeded demo, dumped (pg_dump -Fc), restored into a new database and
    verified (manage.py verify_restore); every table compared row by row."""
    source = f"tidlig_faults_{PID}_demo"
    env = child_env(DATABASE_URL=f"{PG_URL}/{source}", MEDIA_ROOT=str(TMP / "media"))
    pg_env = {**env, "PGHOST": "127.0.0.1"}
    parts = urllib.parse.urlsplit(PG_URL)
    pg_env.update(PGHOST=parts.hostname or "127.0.0.1", PGPORT=str(parts.port or 5432))
    pg_env.update(PGUSER=parts.username or "postgres")
    if parts.password:
        pg_env["PGPASSWORD"] = parts.password

    def manage(*args: str, database: str) -> subprocess.CompletedProcess:
        run_env = env | {"DATABASE_URL": f"{PG_URL}/{database}"}
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    lost = verify_failed = 0
    tables = compared = 0
    admin(f'CREATE DATABASE "{source}" TEMPLATE "{TEMPLATE}"')
    try:
        # Migrations another engineer added since the template was made.
        migrated = manage("migrate", "--verbosity=0", database=source)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        seeded = manage("seed_demo", "--quiet", "--force", "--children", "30", database=source)
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
        manage("send_reminders", database=source)
        original = manage("verify_restore", database=source)
        assert original.returncode == 0, "the original fails: " + original.stdout[-2000:]
        for trial in range(trials):
            restored = f"tidlig_faults_{PID}_restored{trial}"
            dump = TMP / f"tidlig-{trial}.dump"
            try:
                subprocess.run(
                    [pg_bin("pg_dump"), "--format=custom", f"--file={dump}", source],
                    env=pg_env, check=True, capture_output=True, timeout=120,
                )  # fmt: skip
                admin(f'CREATE DATABASE "{restored}"')
                subprocess.run(
                    [pg_bin("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={restored}",
                     str(dump)],
                    env=pg_env, check=True, capture_output=True, timeout=120,
                )  # fmt: skip
                verified = manage("verify_restore", database=restored)
                same_checks = (
                    verified.stdout.strip().splitlines()[1:]
                    == original.stdout.strip().splitlines()[1:]
                )
                verify_failed += verified.returncode != 0 or not same_checks
                differing, tables, compared = rows_differing(source, restored)
                lost += differing
                say(f"dump restore {trial + 1}: verify {verified.returncode}, {differing} rows")
            finally:
                drop(restored)
    finally:
        drop(source)
    return [
        row(
            "Dump and restore: pg_dump -Fc of the seeded demo (30 children), pg_restore into "
            "a new database, manage.py verify_restore (the same media folder)",
            str(trials),
            lost,
            0,
            f"verify_restore passed {trials - verify_failed} of {trials} with the original's "
            f"counts; {compared} rows compared in all {tables} tables, {lost} differing",
        )
    ]


def rows_differing(a: str, b: str) -> tuple[int, int, int]:
    """Rows in one database and not the other, over every table; (rows, tables, rows
    compared)."""
    listing = (
        "SELECT quote_ident(table_name) FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    )
    with (
        psycopg.connect(f"{PG_URL}/{a}") as one,
        psycopg.connect(f"{PG_URL}/{b}") as other,
    ):
        tables = [t for (t,) in one.execute(listing).fetchall()]
        differing = compared = 0
        for table in tables:
            query = f"SELECT t::text FROM {table} t"  # noqa: S608 (names from the catalogue)
            rows = Counter(r for (r,) in one.execute(query).fetchall())
            again = Counter(r for (r,) in other.execute(query).fetchall())
            differing += sum(((rows - again) + (again - rows)).values())
            compared += rows.total()
    return differing, len(tables), compared


def row(fault: str, trials: str | int, lost, doubled, saw: str) -> str:
    cells = [fault, str(trials), str(lost), str(doubled), saw]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


FAULTS = {
    "double-submit": double_submit,
    "worker-killed": worker_killed,
    "redis-down": redis_down,
    "postgres-restart": postgres_restart,
    "two-workers-two-beats": two_workers_two_beats,
    "bad-input": bad_input,
    "dump-restore": dump_restore,
}
HEADER = "| fault | trials | lost | doubled | what the user saw |\n|---|---|---|---|---|"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--only", choices=sorted(FAULTS), action="append")
    args = parser.parse_args()

    global TMP
    TMP = Path(tempfile.mkdtemp(prefix="tidlig-faults-"))
    redis = Redis()
    os.environ.update(child_env(REDIS_URL=redis.url, LOG_LEVEL="WARNING"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")
    started = time.monotonic()
    try:
        say(f"migrating {TEMPLATE}")
        admin(f'CREATE DATABASE "{TEMPLATE}"')
        migrate = [sys.executable, "manage.py", "migrate", "--verbosity=0"]
        env = child_env(DATABASE_URL=f"{PG_URL}/{TEMPLATE}")
        subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
        admin(f'CREATE DATABASE "{WORK}" TEMPLATE "{TEMPLATE}"')
        redis.start()

        import django

        django.setup()
        print(HEADER, flush=True)
        failures = 0
        for name in args.only or FAULTS:
            say(f"fault {name}")
            try:
                for line in FAULTS[name](args.trials, redis):
                    print(line, flush=True)
            except Exception as error:  # one fault failing to run does not hide the others
                failures += 1
                say(f"fault {name} could not be measured: {error!r} (logs in {TMP})")
                print(row(name, 0, "–", "–", f"Not measured: {error!r}"), flush=True)
        say(f"done in {time.monotonic() - started:.0f} s")
        return 1 if failures else 0
    finally:
        from django.db import connections

        with suppress(Exception):
            connections.close_all()
        redis.stop()
        for name in (WORK, TEMPLATE):
            with suppress(Exception):
                drop(name)
        if failures_keep_logs := os.environ.get("FAULTS_KEEP_LOGS"):
            say(f"logs kept in {TMP} ({failures_keep_logs})")
        else:
            shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
