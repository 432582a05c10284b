"""The audit trail across the app: one entry per read, search and edit, and the
CPR number never in the audit data, the logs or a URL."""

import logging

from auditlog.models import LogEntry

from children.audit import trail
from tidlig.test import BaseTestCase


class AuditTrailTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.pia)
        self.cpr = self.emma.reveal_cpr()
        self.digits = self.cpr.replace("-", "")

    def _new_entries(self, action):
        before = set(LogEntry.objects.values_list("pk", flat=True))
        response = action()
        return response, list(LogEntry.objects.exclude(pk__in=before))

    def test_it_logs_one_entry_for_a_read(self):
        _, entries = self._new_entries(lambda: self.client.get(f"/boern/{self.emma.pk}/"))
        assert len(entries) == 1
        assert entries[0].actor == self.pia
        assert entries[0].additional_data["child"] == self.emma.pk
        assert entries[0].additional_data["event"] == "read"

    def test_it_logs_one_entry_for_a_search_with_the_term(self):
        _, entries = self._new_entries(lambda: self.client.post("/boern/", {"q": "Emma"}))
        assert len(entries) == 1
        assert entries[0].actor == self.pia
        assert entries[0].additional_data["term"] == "Emma"
        assert entries[0].additional_data["child"] == self.emma.pk

    def test_it_logs_one_entry_for_an_edit(self):
        data = {"observed_on": "2025-10-01", "text": "Emma sidder alene i frikvarteret."}
        response, entries = self._new_entries(
            lambda: self.client.post(f"/boern/{self.emma.pk}/bekymring/", data)
        )
        assert response.status_code == 302
        assert len(entries) == 1
        assert entries[0].action == LogEntry.Action.CREATE
        assert entries[0].actor == self.pia
        assert entries[0].additional_data["child"] == self.emma.pk
        assert entries[0] in trail(self.emma)

    def test_it_keeps_the_cpr_out_of_audit_data_logs_and_urls(self):
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("tidlig.test").debug("capture everything")
            search = self.client.post("/boern/", {"q": self.cpr}, follow=True)
            page = self.client.get(f"/boern/{self.emma.pk}/")
            reveal = self.client.post(f"/boern/{self.emma.pk}/cpr/")
        assert self.cpr in reveal.content.decode(), "the reveal shows the number"

        for entry in LogEntry.objects.all():
            stored = " ".join(
                str(v)
                for v in (
                    entry.object_pk,
                    entry.object_repr,
                    entry.changes,
                    entry.changes_text,
                    entry.additional_data,
                    entry.serialized_data,
                )
            )
            assert self.digits not in stored.replace("-", ""), entry.pk
        for line in logs.output:
            assert self.digits not in line.replace("-", ""), line
        for response in (search, page, reveal):
            assert self.digits not in response.request["PATH_INFO"]
            assert self.digits not in response.request.get("QUERY_STRING", "")
        assert self.digits[:6] + "-xxxx" in str(
            LogEntry.objects.filter(additional_data__event="search").first().additional_data
        )
