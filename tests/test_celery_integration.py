"""A real Celery worker and beat, on the real brokers.

These tests prove what the health page claims: beat schedules the heartbeat,
the broker carries it, and a worker runs it and writes to the database.
"""

import os

import pytest
from django.conf import settings

from tests.processes import celery, child_env, wait_for
from tidlig.models import Heartbeat
from tidlig.tasks import heartbeat

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKER_ARGS = ("worker", "--pool=solo", "--without-mingle", "--without-gossip", "-l", "INFO")
BEAT_ARGS = ("beat", "-l", "INFO", "--max-interval=1")


def _heartbeat_runs() -> int:
    row = Heartbeat.objects.filter(name="worker").first()
    return row.runs if row else 0


def test_it_runs_a_task_sent_from_django_on_a_real_worker(tmp_path):
    # Uses the broker the settings chose: Redis when REDIS_URL is set, otherwise
    # the filesystem broker in the test's var folder.
    broker = "redis" if settings.REDIS_URL else "filesystem"
    env = child_env(var_dir=settings.VAR_DIR, redis_url=settings.REDIS_URL or None)
    log = tmp_path / "worker.log"
    with celery(*WORKER_ARGS, env=env, log=log):
        heartbeat.delay()
        wait_for(lambda: _heartbeat_runs() >= 1, timeout=60, logs=[log])
    print(f"task went through the {broker} broker to a real worker")
    assert "tidlig.tasks.heartbeat" in log.read_text()


def _beat_and_worker_run_heartbeat(tmp_path, redis_url: str | None) -> None:
    env = child_env(var_dir=tmp_path / "var", redis_url=redis_url, HEARTBEAT_INTERVAL_SECONDS="1")
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    with celery(*WORKER_ARGS, env=env, log=worker_log), celery(*BEAT_ARGS, env=env, log=beat_log):
        wait_for(lambda: _heartbeat_runs() >= 2, timeout=90, logs=[worker_log, beat_log])
    assert "Sending due task heartbeat" in beat_log.read_text()


def test_it_runs_the_heartbeat_from_beat_on_the_filesystem_broker(tmp_path):
    _beat_and_worker_run_heartbeat(tmp_path, redis_url=None)
    assert not any((tmp_path / "var" / "celery-broker" / "queue").iterdir()), "queue drained"


@pytest.mark.redis
def test_it_runs_the_heartbeat_from_beat_on_redis(tmp_path):
    _beat_and_worker_run_heartbeat(tmp_path, redis_url=os.environ["REDIS_URL"])
