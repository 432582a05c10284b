"""Decide, before Django loads its settings, which servers the tests run against.

Loaded as a pytest plugin (`-p tests.services` in pyproject.toml) so that it runs
before pytest-django reads tidlig.settings. Order of precedence:

1. DATABASE_URL / REDIS_URL in the environment are used as they are.
2. TIDLIG_TEST_EMBEDDED=1 forces the embedded default (SQLite + filesystem broker).
3. Otherwise a server answering on 127.0.0.1:5432 / :6379 is used.

Tests marked `postgres` or `redis` are skipped when that server is missing, with
a reason saying so; with TIDLIG_REQUIRE_SERVICES=1 (CI) they fail instead.

Under pytest-xdist (`make test` runs `-n`) each worker is a process of its own
("gw0", "gw1", …) that loads this plugin again: pytest-django gives it its own test
database, and here it gets its own var folder (SQLite file, file cache, Celery
filesystem broker) and its own Redis database (the URL's number plus the worker's),
so that a real Celery worker started by one never takes another's tasks.

The tests also hash passwords with MD5 instead of Django's deliberately slow
default (a quarter of a second each, for every test user and every login). That is
set here, after the settings are loaded, so tidlig/settings.py and every process
outside pytest keep the strong hasher (tidlig/tests/test_settings.py checks both).
"""

import os
import socket
from urllib.parse import urlsplit, urlunsplit

import pytest

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tidlig"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# "gw0", "gw1", … in a pytest-xdist worker; "" in a plain run (and in xdist's
# controller, which runs no test).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _for_this_worker(redis_url: str) -> str:
    parts = urlsplit(redis_url)
    number = int(parts.path.strip("/") or 0) + int(WORKER.removeprefix("gw") or 0)
    if number > 15:
        raise pytest.UsageError(
            f"{redis_url} for worker {WORKER}: Redis has databases 0-15 only; "
            "run fewer workers (-n) or give REDIS_URL a lower database number"
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


if os.environ.get("TIDLIG_TEST_EMBEDDED") == "1":
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
else:
    if not os.environ.get("DATABASE_URL") and _answers(5432):
        os.environ["DATABASE_URL"] = DEFAULT_DATABASE_URL
    if not os.environ.get("REDIS_URL") and _answers(6379):
        os.environ["REDIS_URL"] = DEFAULT_REDIS_URL
    if os.environ.get("REDIS_URL") and WORKER:
        os.environ["REDIS_URL"] = _for_this_worker(os.environ["REDIS_URL"])

# On PostgreSQL the suite runs with the read replica's alias, a mirror of the test
# database (tidlig.lib.replica); reads go to it only in the test that checks them,
# because a TestCase's data is in a transaction the second connection cannot see.
if os.environ.get("DATABASE_URL"):
    os.environ.setdefault("DATABASE_REPLICA_URL", os.environ["DATABASE_URL"])
    os.environ.setdefault("TIDLIG_REPLICA_READS", "0")

# Tests never send real mail and never share the developer's var/ folder.
os.environ.setdefault("TIDLIG_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))
if WORKER:
    os.environ["TIDLIG_VAR_DIR"] = os.path.join(os.environ["TIDLIG_VAR_DIR"], WORKER)
# Each test builds its own data: figures cached by an earlier test would be wrong.
os.environ.setdefault("REPORT_CACHE_SECONDS", "0")

HAS_POSTGRES = bool(os.environ.get("DATABASE_URL"))
HAS_REDIS = bool(os.environ.get("REDIS_URL"))
REQUIRE = os.environ.get("TIDLIG_REQUIRE_SERVICES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config: pytest.Config) -> list[str]:
    db = "PostgreSQL" if HAS_POSTGRES else "SQLite (embedded default)"
    broker = "Redis" if HAS_REDIS else "Celery filesystem broker (embedded default)"
    return [f"tidlig: database={db}, broker/cache={broker}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if REQUIRE and not (HAS_POSTGRES and HAS_REDIS):
        raise pytest.UsageError(
            "TIDLIG_REQUIRE_SERVICES=1 but PostgreSQL or Redis is not available"
        )
    skip_pg = pytest.mark.skip(
        reason="no PostgreSQL server: set DATABASE_URL or start one on 127.0.0.1:5432"
    )
    skip_redis = pytest.mark.skip(
        reason="no Redis server: set REDIS_URL or start one on 127.0.0.1:6379"
    )
    for item in items:
        if "postgres" in item.keywords and not HAS_POSTGRES:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not HAS_REDIS:
            item.add_marker(skip_redis)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = [
        r
        for r in terminalreporter.stats.get("skipped", [])
        if "no PostgreSQL" in str(r.longrepr) or "no Redis" in str(r.longrepr)
    ]
    db = "PostgreSQL" if HAS_POSTGRES else "SQLite"
    broker = "Redis" if HAS_REDIS else "filesystem broker"
    terminalreporter.write_sep("=", f"tidlig: ran on {db} + {broker}")
    # Name the tests that started real processes, so a CI log shows what ran where.
    for report in terminalreporter.stats.get("passed", []):
        if report.when == "call" and "slow" in report.keywords:
            where = f"database: {db}, configured broker: {broker}"
            terminalreporter.write_line(f"real processes: {report.nodeid} PASSED ({where})")
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} test(s) skipped for lack of a server (see the reasons above); "
            "CI runs them on PostgreSQL + Redis."
        )
