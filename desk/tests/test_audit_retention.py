from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from axes.models import AccessFailureLog, AccessLog

from children import audit
from desk.tasks import retention_sweep
from tidlig.celery import app
from tidlig.test import PASSWORD, BaseTestCase, can_log_in

CPH = ZoneInfo("Europe/Copenhagen")


class AuditRetentionTestCase(BaseTestCase):
    def test_it_deletes_entries_older_than_the_retention_period(self):
        with time_machine.travel(datetime(2024, 1, 10, 9, 0, tzinfo=CPH)):
            old = audit.log_access(self.pia, self.emma, audit.Event.READ)
        with time_machine.travel(datetime(2024, 3, 1, 9, 0, tzinfo=CPH)):
            kept = audit.log_access(self.pia, self.emma, audit.Event.READ)

        with time_machine.travel(datetime(2026, 2, 15, 2, 30, tzinfo=CPH)):
            retention_sweep()

        remaining = set(LogEntry.objects.values_list("pk", flat=True))
        assert old.pk not in remaining
        assert kept.pk in remaining

    def test_it_follows_the_configured_retention(self):
        with time_machine.travel(datetime(2026, 1, 1, 9, 0, tzinfo=CPH)):
            entry = audit.log_access(self.pia, self.emma, audit.Event.READ)
        with (
            self.settings(AUDIT_RETENTION_MONTHS=6),
            time_machine.travel(datetime(2026, 7, 2, 9, 0, tzinfo=CPH)),
        ):
            assert audit.purge_expired() >= 1
        assert not LogEntry.objects.filter(pk=entry.pk).exists()

    def test_it_is_part_of_the_nightly_retention_sweep(self):
        entry = app.conf.beat_schedule["retention-sweep"]
        assert entry["task"] == retention_sweep.name


class LoginLogRetentionTestCase(BaseTestCase):
    def test_it_deletes_the_login_record_after_six_months(self):
        # One wrong password and one login in January, one login in May.
        with time_machine.travel(datetime(2026, 1, 10, 9, 0, tzinfo=CPH)):
            assert not can_log_in("pia", "forkert")
            assert can_log_in("pia", PASSWORD)
        with time_machine.travel(datetime(2026, 5, 10, 9, 0, tzinfo=CPH)):
            assert can_log_in("lars", PASSWORD)
        assert AccessLog.objects.count() == 2 and AccessFailureLog.objects.count() == 1

        with time_machine.travel(datetime(2026, 7, 15, 2, 30, tzinfo=CPH)):
            retention_sweep()

        assert list(AccessLog.objects.values_list("username", flat=True)) == ["lars"]
        assert not AccessFailureLog.objects.exists()
