"""The bulk-read alert, with frozen time. Pia, a pædagog, opens many children;
Adam and Alma administer Tidlig and are told; Otto is a former administrator."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail

from accounts.models import Role
from children import audit
from children.alerts import first_burst
from children.models import BulkReadAlert
from children.tasks import bulk_read_alerts
from tidlig.celery import app
from tidlig.test import BaseTestCase, make_child, make_user

CPH = ZoneInfo("Europe/Copenhagen")
TEN = datetime(2026, 3, 2, 10, 0, tzinfo=CPH)


class BulkReadAlertTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.adam.email = "adam@kommune.dk"
        cls.adam.save()
        cls.alma = make_user(
            "alma", cls.forvaltningen, Role.ADMINISTRATOR, first_name="Alma", email="alma@k.dk"
        )
        make_user("otto", cls.forvaltningen, Role.ADMINISTRATOR, email="otto@k.dk", is_active=False)
        cls.pia.last_name = "Pedersen"
        cls.pia.save()
        cls.children = [
            make_child("Barn", f"Nummer{n:02d}", datetime(2020, 1, 1 + n % 28).date())
            for n in range(40)
        ]

    def _read(self, start: datetime, children, every: timedelta, user=None) -> None:
        with time_machine.travel(start, tick=False) as traveller:
            for n, child in enumerate(children):
                traveller.move_to(start + n * every)
                audit.log_access(user or self.pia, child, audit.Event.READ)

    def _run(self, when: datetime) -> None:
        with time_machine.travel(when, tick=False):
            bulk_read_alerts()

    def test_it_emails_each_administrator_once_for_31_children_in_10_minutes(self):
        self._read(TEN, self.children[:31], timedelta(seconds=15))
        self._run(TEN + timedelta(minutes=10))

        assert sorted(message.to[0] for message in mail.outbox) == [
            "adam@kommune.dk",
            "alma@k.dk",
        ]
        message = mail.outbox[0]
        assert message.subject == "Pia Pedersen har åbnet usædvanligt mange børn i Tidlig"
        assert "Pia Pedersen (pia) har åbnet 31 forskellige børn på under 10 minutter" in (
            message.body
        )
        assert "fra kl. 10:00 den 2. marts 2026" in message.body
        link = f"/administration/log/?user={self.pia.pk}&start=2026-03-02&end=2026-03-02"
        assert link in message.body
        html = message.alternatives[0][0]
        assert link.replace("&", "&amp;") in html
        for text in (message.subject, message.body, html):
            assert "Barn" not in text and "Nummer" not in text
        alert = BulkReadAlert.objects.get()
        assert (alert.user, alert.window_start, alert.children_count) == (self.pia, TEN, 31)
        assert alert.sent_at == TEN + timedelta(minutes=10)

        # The next runs, within the hour they look back, send nothing more.
        self._run(TEN + timedelta(minutes=15))
        self._run(TEN + timedelta(minutes=55))
        assert len(mail.outbox) == 2
        assert BulkReadAlert.objects.count() == 1

    def test_it_warns_while_the_burst_is_still_going_on(self):
        self._read(TEN, self.children[:31], timedelta(seconds=5))
        self._run(TEN + timedelta(minutes=3))
        assert len(mail.outbox) == 2

    def test_it_ignores_31_children_spread_over_an_hour(self):
        self._read(TEN, self.children[:31], timedelta(minutes=2))
        for minutes in range(5, 66, 5):
            self._run(TEN + timedelta(minutes=minutes))
        assert mail.outbox == []
        assert not BulkReadAlert.objects.exists()

    def test_it_counts_distinct_children(self):
        self._read(TEN, [self.emma] * 50, timedelta(seconds=5))
        self._read(TEN, self.children[:30], timedelta(seconds=5), user=self.lars)
        self._run(TEN + timedelta(minutes=5))
        assert mail.outbox == []

    def test_it_warns_again_for_a_second_burst_later(self):
        self._read(TEN, self.children[:31], timedelta(seconds=10))
        self._run(TEN + timedelta(minutes=10))
        later = TEN + timedelta(hours=2)
        self._read(later, self.children[5:40], timedelta(seconds=10))
        self._run(later + timedelta(minutes=10))

        assert len(mail.outbox) == 4
        assert list(BulkReadAlert.objects.values_list("window_start", "children_count")) == [
            (later, 35),
            (TEN, 31),
        ]

    def test_it_catches_a_burst_across_the_hour_and_a_missed_run_up(self):
        # 09:55 to 10:05, and beat was down until 10:50.
        start = TEN - timedelta(minutes=5)
        self._read(start, self.children[:31], timedelta(seconds=19))
        self._run(TEN + timedelta(minutes=50))
        assert len(mail.outbox) == 2
        assert BulkReadAlert.objects.get().window_start == start

    def test_it_follows_the_configured_limit_and_window(self):
        self._read(TEN, self.children[:6], timedelta(minutes=5))
        with self.settings(AUDIT_BULK_READ_LIMIT=5, AUDIT_BULK_READ_MINUTES=30):
            self._run(TEN + timedelta(minutes=30))
        assert BulkReadAlert.objects.get().children_count == 6

    def test_the_window_rule(self):
        minute = timedelta(minutes=1)
        reads = [(TEN + n * minute, n) for n in range(12)]
        # Reads 0..9 lie within 9 minutes, 0..10 span a full 10: not "within 10".
        assert first_burst(reads, 10 * minute, 9) == (TEN, 10)
        assert first_burst(reads, 10 * minute, 10) is None
        assert first_burst([(TEN, 1)] * 20, 10 * minute, 1) is None

    def test_it_is_on_the_beat_schedule_every_5_minutes(self):
        entry = app.conf.beat_schedule["bulk-read-alerts"]
        assert entry["task"] == "children.tasks.bulk_read_alerts"
        assert entry["schedule"].minute == set(range(0, 60, 5))
