"""PostgreSQL restarts: the web and the worker carry on without an error.

The test starts a PostgreSQL cluster of its own (initdb in a temporary folder, a free
port), a real gunicorn and a real Celery worker on it, and restarts the cluster under
them. Every connection their pools kept is then dead; the pool must check one before
handing it out (CONN_HEALTH_CHECKS in tidlig/settings.py), or the first request or
task on each fails.
"""

import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from kombu import Connection

from tests.processes import (
    ROOT,
    Cluster,
    celery,
    child_env,
    cluster_missing,
    free_port,
    gunicorn,
    private_cluster,
    wait_for,
)
from tidlig.lib.filesystem_broker import Transport
from tidlig.tasks import heartbeat

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WORKER_ARGS = ("worker", "--pool=solo", "--without-mingle", "--without-gossip", "-l", "INFO")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if reason := cluster_missing():
        pytest.skip(reason)
    with private_cluster() as started:
        yield started


def _status(url: str) -> int:
    # A session cookie makes the login page read the session table (it sends a
    # logged-in user on), so that page needs the database too.
    request = urllib.request.Request(url, headers={"Cookie": "sessionid=" + "x" * 32})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # not listening yet


def _broker(var: Path) -> Connection:
    """The worker's filesystem broker, for sending it tasks from here."""
    folders = {
        "data_folder_in": str(var / "celery-broker" / "queue"),
        "data_folder_out": str(var / "celery-broker" / "queue"),
        "control_folder": str(var / "celery-broker" / "control"),
    }
    return Connection(transport=Transport, transport_options=folders)


# The tables the pages and the task below read; all of them would double the time.
MIGRATE = (
    "from django.core.management import call_command\n"
    "for app in ('tidlig', 'sessions'):\n"
    "    call_command('migrate', app, verbosity=0)"
)


def test_the_web_and_the_worker_carry_on_after_postgresql_restarts(cluster, tmp_path):
    var = tmp_path / "var"  # the filesystem broker and the file cache
    # A heartbeat is fresh for an hour, so the health page answers 200 after one.
    env = child_env(
        var_dir=var, redis_url=None, DATABASE_URL=cluster.url, HEARTBEAT_INTERVAL_SECONDS="3600"
    )
    # The web and the worker start meanwhile: neither touches the database until asked.
    migrate_log = tmp_path / "migrate.log"
    with migrate_log.open("wb") as out:
        migrate = [sys.executable, "manage.py", "shell", "-c", MIGRATE]
        migrating = subprocess.Popen(migrate, cwd=ROOT, env=env, stdout=out, stderr=out)

    def heartbeats() -> int:
        rows = cluster.query("SELECT runs FROM tidlig_heartbeat WHERE name = 'worker'")
        return rows[0][0] if rows else 0

    port = free_port()
    pages = [f"http://127.0.0.1:{port}/health/", f"http://127.0.0.1:{port}/login/"]
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    logs = [migrate_log, web_log, worker_log, cluster.folder / "postgres.log"]
    with (
        _broker(var) as broker,
        gunicorn(port, env=env, log=web_log),
        celery(*WORKER_ARGS, env=env, log=worker_log),
    ):
        assert migrating.wait(timeout=120) == 0, migrate_log.read_text()
        # Sent before the worker has bound its queue, a message would go nowhere.
        wait_for(lambda: " ready." in worker_log.read_text(), timeout=60, logs=logs)
        heartbeat.apply_async(connection=broker)
        wait_for(lambda: heartbeats() == 1, timeout=60, logs=logs)
        wait_for(lambda: _status(pages[0]) == 200, timeout=60, logs=logs)
        # Connections in the web's pool (and the worker's) that the restart kills.
        assert [_status(page) for page in pages * 5] == [200] * 10

        cluster.pg_ctl("restart", "-m", "fast")

        statuses = [_status(pages[i % 2]) for i in range(40)]
        failed = [status for status in statuses if status != 200]
        assert not failed, f"{len(failed)} of 40 requests failed after the restart: {statuses}"

        # One task: the worker's pool outlives a task (--pool=solo, as in the tests; a
        # prefork child closes it after each), so without the check it fails.
        heartbeat.apply_async(connection=broker)
        wait_for(
            lambda: heartbeats() == 2 or "OperationalError" in worker_log.read_text(),
            timeout=30,
            logs=logs,
        )
    assert "OperationalError" not in worker_log.read_text(), worker_log.read_text()[-3000:]
    assert heartbeats() == 2
