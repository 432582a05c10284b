"""Start real Tidlig processes (Celery worker, beat) from tests.

The child processes get the test database through DATABASE_URL/SQLITE_PATH so
that what they write is visible to a test running with `transaction=True`.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_env() -> dict[str, str]:
    """Environment that points a child process at the database the tests use."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"] or ""
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or 5432
        url = f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
        return {"DATABASE_URL": url}
    return {"SQLITE_PATH": str(settings_dict["NAME"])}


def child_env(*, var_dir: Path, redis_url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(test_database_env())
    env["TIDLIG_VAR_DIR"] = str(var_dir)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


@contextmanager
def celery(*args: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    command = [sys.executable, "-m", "celery", "-A", "tidlig", *args]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition: Callable[[], object], *, timeout: float, logs: list[Path]) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    output = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}" for p in logs)
    raise AssertionError(f"condition not met within {timeout}s\n{output}")
