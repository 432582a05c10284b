"""The audit trail as CSV, e.g. for a parent's request for access: Adam, the
administrator, exports what Pia (pædagog) and Rasmus (caseworker) read."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from children import audit
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")


class AuditExportTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with time_machine.travel(datetime(2026, 3, 2, 9, 15, 30, tzinfo=CPH), tick=False):
            cls.read = audit.log_access(
                cls.pia, cls.emma, audit.Event.READ, what="/boern/1/", reason="=HYPERLINK(1)"
            )
            audit.log_access(cls.rasmus, cls.noah, audit.Event.READ)
            audit.log_search(cls.pia, "Emma Holm", [cls.emma.pk])

    def setUp(self):
        self.login(self.adam)

    def _export(self, **params):
        response = self.client.get(reverse("admin_audit_export"), params)
        assert response.status_code == 200
        return response, b"".join(response.streaming_content)

    def _rows(self, body: bytes) -> list[list[str]]:
        assert body.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))

    def test_it_exports_the_filtered_entries_as_semicolon_csv(self):
        response, body = self._export(child=self.emma.pk, action="read")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="revisionsspor-')
        header, *rows = self._rows(body)
        assert header == [
            "Tidspunkt",
            "Bruger",
            "Brugernavn",
            "Handling",
            "Barnets id",
            "Initialer",
            "Fødselsår",
            "Hvad",
            "Begrundelse",
        ]
        # A reason that looks like a formula is kept as text.
        assert rows == [
            [
                "02.03.2026 09:15:30",
                "Pia",
                "pia",
                "Læst",
                str(self.emma.pk),
                "E.H.",
                "2021",
                "/boern/1/",
                "'=HYPERLINK(1)",
            ]
        ]

    def test_it_shows_no_name_or_cpr_of_a_child(self):
        _, body = self._export()
        text = body.decode("utf-8-sig")
        assert len(self._rows(body)) > 10  # every entry, the fixtures' too
        for child in (self.emma, self.noah, self.oskar):
            cpr = child.reveal_cpr()
            for secret in (child.first_name, child.last_name, cpr, cpr.replace("-", "")):
                assert secret not in text, secret

    def test_it_logs_the_export_with_its_filter(self):
        self._export(user=self.pia.pk, end="2026-03-31")
        entry = LogEntry.objects.get(additional_data__event="audit")
        assert entry.actor == self.adam
        assert entry.additional_data["what"] == reverse("admin_audit_export")
        assert entry.additional_data["filters"] == {"user": self.pia.pk, "end": "2026-03-31"}

    def test_it_sends_an_invalid_filter_back_to_the_viewer(self):
        response = self.client.get(reverse("admin_audit_export"), {"start": "i går"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin_audit") + "?start=")
        assert not LogEntry.objects.filter(additional_data__event="audit").exists()
