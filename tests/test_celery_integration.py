"""A real Celery worker and beat, on the real brokers.

These tests prove what the health page claims: beat schedules the heartbeat,
the broker carries it, and a worker runs it and writes to the database.
"""

import email
import os
from email.header import decode_header, make_header

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


@pytest.mark.redis
def test_beat_and_a_real_worker_send_a_reminder_email_over_redis(tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Membership, Role, Unit, UnitKind, User
    from children.models import Child
    from followups.models import Case, Meeting, Reminder

    unit = Unit.objects.create(name="Børn & Ungerådgivningen", kind=UnitKind.RAADGIVNING)
    rasmus = User.objects.create_user("rasmus", email="rasmus@k.example", first_name="Rasmus")
    Membership.objects.create(user=rasmus, unit=unit, role=Role.RAADGIVER)
    child = Child(first_name="Emma", last_name="Holm")
    child.set_cpr("0403214002")
    child.save()
    today = timezone.localdate()
    case = Case.objects.create(child=child, coordinator=rasmus, opened_on=today)
    Meeting.objects.create(case=case, scheduled_on=today + timedelta(days=14))

    outbox = tmp_path / "mail"
    env = child_env(
        var_dir=tmp_path / "var",
        redis_url=os.environ["REDIS_URL"],
        REMINDER_SWEEP_SECONDS="1",
        HEARTBEAT_INTERVAL_SECONDS="3600",
        EMAIL_FILE_PATH=str(outbox),
    )
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    with celery(*WORKER_ARGS, env=env, log=worker_log), celery(*BEAT_ARGS, env=env, log=beat_log):
        wait_for(
            lambda: Reminder.objects.filter(sent_at__isnull=False).exists(),
            timeout=90,
            logs=[worker_log, beat_log],
        )
    assert "Sending due task send-reminders" in beat_log.read_text()
    reminder = Reminder.objects.get()
    assert reminder.recipient == rasmus and reminder.due_on == today
    mails = [email.message_from_string(path.read_text()) for path in outbox.iterdir()]
    assert len(mails) == 1
    assert mails[0]["To"] == "rasmus@k.example"
    assert str(make_header(decode_header(mails[0]["Subject"]))) == "Opfølgningsmøde om 14 dage"


def test_a_real_worker_generates_an_ordered_quarterly_report(tmp_path):
    from django.utils import timezone

    from reports.models import QuarterlyReport
    from reports.tasks import generate_report
    from tidlig.lib.dates import Quarter

    quarter = Quarter.containing(timezone.localdate()).previous()
    report = QuarterlyReport.objects.create(quarter=str(quarter), kind="bestilt")
    env = child_env(var_dir=settings.VAR_DIR, redis_url=settings.REDIS_URL or None)
    log = tmp_path / "worker.log"
    with celery(*WORKER_ARGS, env=env, log=log):
        generate_report.delay(report.pk)
        wait_for(
            lambda: QuarterlyReport.objects.filter(pk=report.pk, status="færdig").exists(),
            timeout=90,
            logs=[log],
        )
    report.refresh_from_db()
    assert report.progress == 100 and report.generated_at is not None
    with report.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert "reports.tasks.generate_report" in log.read_text()
