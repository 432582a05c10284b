"""Locust users for `make load` (tests/load/run.py starts the server and Locust).

Each simulated person logs in as the pages ask a real one to: the login form with
the password, then the code of their authenticator app, computed here from the
TOTP key seed_scale gave their device (the users file written by run.py). Then
they click around with 5-15 s between clicks:

- pædagoger and lærere (most of the traffic): the front page, Mine børn, a
  child's page, the assessment form, now and then a search;
- socialrådgivere: Mine sager, the intake, a case page, Mine møder;
- institution leaders: the front page, the unit overview, their dashboard;
- the forvaltning: the front page and the municipal dashboard.

The server runs with DEBUG off behind an imagined TLS proxy: every request says
X-Forwarded-Proto: https, and the session and CSRF cookies (Secure) are sent over
the plain connection to 127.0.0.1 by hand.
"""

import json
import os
import random
import re
from binascii import unhexlify
from itertools import count

import gevent
from django_otp.oath import TOTP
from gevent.lock import Semaphore
from locust import HttpUser, between, events, task

USERS_FILE = os.environ.get("TIDLIG_LOAD_USERS", "var/load/users.json")
PASSWORD = "tidlig-scale"  # seed_scale's published password
CHILD_LINK = re.compile(r'href="/boern/(\d+)/"')
CASE_LINK = re.compile(r'href="/sager/(\d+)/"')

people: dict[str, list[dict]] = {}
# Each level of run.py starts at another offset, so that nobody logs in twice in
# one 30-second step (django-otp takes each code once).
_next: dict[str, count] = {}
_sessions: dict[str, dict[str, str]] = {}
_logging_in: dict[str, Semaphore] = {}
_environment: list = []
logins = {"ok": 0, "failed": 0}
pick = random.Random().choice  # noqa: S311 - which child to click, not a secret


@events.init.add_listener
def _load_people(environment, **_kw) -> None:
    _environment.append(environment)
    with open(USERS_FILE) as f:
        people.update(json.load(f))
    offset = int(os.environ.get("TIDLIG_LOAD_OFFSET", "0"))
    _next.clear()
    _next.update({role: count(offset) for role in people})


@events.spawning_complete.add_listener
def _reset_after_logins(user_count, **_kw) -> None:
    # The statistics cover the clicking, not the logins (run.py waits as long).
    environment = _environment[0]
    settle = float(os.environ.get("TIDLIG_LOAD_SETTLE", "0"))
    gevent.spawn_later(settle, environment.runner.stats.reset_all)


@events.quitting.add_listener
def _count_logins(**_kw) -> None:
    # The statistics were reset after the logins; run.py reports these beside them.
    if path := os.environ.get("TIDLIG_LOAD_LOGINS"):
        with open(path, "w") as f:
            json.dump(logins, f)


def code(device: dict) -> str:
    totp = TOTP(unhexlify(device["key"]), device["step"], device["t0"], device["digits"])
    totp.drift = device["drift"]
    return f"{totp.token():0{device['digits']}d}"


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(5, 15)

    def on_start(self) -> None:
        pool = people[self.role]
        self.person = pool[next(_next[self.role]) % len(pool)]
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Referer": f"https://{self._host()}/"}
        )
        name = self.person["username"]
        # More simulated people than accounts (one forvaltning): they share the
        # session, as one person's browser tabs do.
        lock = _logging_in.setdefault(name, Semaphore())
        with lock:
            if name not in _sessions:
                self.log_in()
                _sessions[name] = dict(self.client.cookies)
            else:
                self.client.cookies.update(_sessions[name])
        self._insecure_cookies()

    def _host(self) -> str:
        return self.host.split("://", 1)[1].rstrip("/")

    def _insecure_cookies(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def log_in(self) -> None:
        self.client.get("/login/", name="login form")
        self._insecure_cookies()
        with self.client.post(
            "/login/",
            {
                "username": self.person["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": self._csrf(),
            },
            name="login: password",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"password refused ({response.status_code})")
                logins["failed"] += 1
                return
        self._insecure_cookies()
        with self.client.post(
            "/login/kode/",
            {"code": code(self.person["device"]), "csrfmiddlewaretoken": self._csrf()},
            name="login: code",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/login/" in response.headers.get("Location", ""):
                response.failure(f"code refused ({response.status_code})")
                logins["failed"] += 1
            else:
                logins["ok"] += 1
        self._insecure_cookies()

    def get(self, path: str, name: str | None = None):
        with self.client.get(
            path, name=name or path, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {where}".strip())
        self._insecure_cookies()
        return response

    def post(self, path: str, data: dict, name: str):
        data = {**data, "csrfmiddlewaretoken": self._csrf()}
        with self.client.post(
            path, data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
        self._insecure_cookies()
        return response


class Fagperson(Person):
    role = "fagperson"
    weight = 75

    children: list[str] = []

    @task(3)
    def front_page(self) -> None:
        self.get("/", "front page (fagperson)")

    @task(4)
    def mine_boern(self) -> None:
        response = self.get("/boern/", "Mine børn")
        self.children = CHILD_LINK.findall(response.text or "") or self.children

    @task(4)
    def child_page(self) -> None:
        if not self.children:
            return self.mine_boern()
        self.get(f"/boern/{pick(self.children)}/", "child page")

    @task(2)
    def assessment_form(self) -> None:
        if not self.children:
            return self.mine_boern()
        # The one form for a concern and its zone.
        self.get(f"/boern/{pick(self.children)}/bekymring/", "assessment form")

    @task(1)
    def search(self) -> None:
        self.post("/boern/", {"q": pick(["Emma", "Noah", "Ida", "an"])}, "search")


class Caseworker(Person):
    role = "raadgiver"
    weight = 15

    cases: list[str] = []

    @task(2)
    def front_page(self) -> None:
        self.get("/", "front page (rådgiver)")

    @task(3)
    def my_cases(self) -> None:
        response = self.get("/mine-sager/", "Mine sager")
        self.cases = CASE_LINK.findall(response.text or "") or self.cases

    @task(2)
    def intake(self) -> None:
        self.get("/raadgivning/indgang/", "intake")

    @task(3)
    def case_page(self) -> None:
        if not self.cases:
            return self.my_cases()
        self.get(f"/sager/{pick(self.cases)}/", "case page")

    @task(1)
    def my_meetings(self) -> None:
        self.get("/mine-moeder/", "Mine møder")


class Leader(Person):
    role = "leder"
    weight = 7

    @task(2)
    def front_page(self) -> None:
        self.get("/", "front page (leder)")

    @task(2)
    def overview(self) -> None:
        self.get("/oversigt/", "unit overview")

    @task(1)
    def dashboard(self) -> None:
        self.get("/rapporter/status/", "dashboard (leder)")


class Forvaltning(Person):
    role = "forvaltning"
    weight = 3

    @task(1)
    def front_page(self) -> None:
        self.get("/", "front page (forvaltning)")

    @task(2)
    def dashboard(self) -> None:
        self.get("/rapporter/status/", "dashboard (forvaltning)")
