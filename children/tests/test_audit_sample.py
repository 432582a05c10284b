"""The spot-check: Adam, the administrator, draws random reads of children from
the last 30 days and asks whether each had a purpose."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from children import audit, audit_views
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 3, 31, 12, 0, tzinfo=CPH)


class AuditSampleTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with time_machine.travel(NOW - timedelta(days=31), tick=False):
            cls.too_old = audit.log_access(cls.pia, cls.emma, audit.Event.READ)
        with time_machine.travel(NOW - timedelta(days=2), tick=False):
            cls.recent = [
                audit.log_access(cls.pia, child, audit.Event.READ)
                for child in (cls.emma, cls.noah) * 15
            ]
            # A search with several hits names no child: not a read of one.
            cls.search = audit.log_search(cls.pia, "a", [cls.emma.pk, cls.noah.pk])

    def setUp(self):
        self.login(self.adam)

    def _sample(self, **params):
        with time_machine.travel(NOW, tick=False):
            response = self.client.get(reverse("admin_audit_sample"), params)
        assert response.status_code == 200
        return response

    def test_it_draws_20_reads_of_the_last_30_days(self):
        rows = self._sample().context["rows"]
        assert len(rows) == 20
        assert {row.entry.pk for row in rows} <= {entry.pk for entry in self.recent}

    def test_it_draws_as_many_as_asked(self):
        assert len(self._sample(antal=5).context["rows"]) == 5
        assert len(self._sample(antal=500).context["rows"]) == 30  # all there are
        assert len(self._sample(antal="mange").context["rows"]) == 20

    def test_it_shows_who_when_which_child_and_no_name_or_cpr(self):
        html = self._sample(antal=30).content.decode()
        assert "E.H. · født 2021" in html
        assert "Pia" in html
        assert "31.03.2026" not in html and "29.03.2026" in html
        for child in (self.emma, self.noah):
            cpr = child.reveal_cpr()
            for secret in (child.first_name, child.last_name, cpr, cpr.replace("-", "")):
                assert secret not in html, secret
        assert 'name="antal" id="id_antal" value="30"' in html

    def test_it_logs_the_entries_drawn(self):
        rows = self._sample(antal=3).context["rows"]
        entry = LogEntry.objects.get(additional_data__event="audit")
        assert entry.actor == self.adam
        assert entry.additional_data["what"] == reverse("admin_audit_sample")
        assert sorted(entry.additional_data["sample"]) == sorted(row.entry.pk for row in rows)
        assert "child" not in entry.additional_data

    def test_it_draws_by_random_ids_in_a_big_log(self):
        # SAMPLE_SORT_MAX 0: this log counts as big, so ids are drawn, not sorted.
        with mock.patch.object(audit_views, "SAMPLE_SORT_MAX", 0):
            rows = self._sample(antal=10).context["rows"]
            assert len({row.entry.pk for row in rows}) == 10
            assert {row.entry.pk for row in rows} <= {entry.pk for entry in self.recent}
            everything = self._sample(antal=100).context["rows"]
            assert {row.entry.pk for row in everything} == {entry.pk for entry in self.recent}
