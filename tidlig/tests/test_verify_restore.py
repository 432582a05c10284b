"""manage.py verify_restore: the checks run after a restore (docs/operations.md).

The fixture's three children are enough: Emma, Noah and Oskar, created through
the models so auditlog has written their entries, and one archived quarterly
report whose PDF lies in a MEDIA_ROOT of the test's own.
"""

import shutil
import tempfile
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from followups.models import Reminder
from loeft.tests.factories import final_dialogue
from reports.models import QuarterlyReport
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
# The smallest file the check accepts: a PDF header and the end-of-file marker.
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def run(*args: str) -> str:
    out = StringIO()
    try:
        call_command("verify_restore", *args, stdout=out)
    except CommandError as exc:
        raise AssertionError(f"{exc}\n{out.getvalue()}") from None
    return out.getvalue()


def run_failing(*args: str) -> str:
    out = StringIO()
    with pytest.raises(CommandError, match="gendannelsen er ikke i orden"):
        call_command("verify_restore", *args, stdout=out)
    return out.getvalue()


class VerifyRestoreTestCase(BaseTestCase):
    @classmethod
    def setUpClass(cls):
        cls.media = tempfile.mkdtemp(prefix="tidlig-media-")
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))
        super().setUpClass()
        cls.addClassCleanup(shutil.rmtree, cls.media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report = QuarterlyReport(
            quarter="2026Q3",
            kind=QuarterlyReport.Kind.AUTOMATIC,
            status=QuarterlyReport.Status.DONE,
        )
        cls.report.pdf.save(cls.report.filename, ContentFile(PDF), save=False)
        cls.report.save()

    def setUp(self):
        # Each test may damage the file; every test starts with a whole one.
        Path(self.report.pdf.path).write_bytes(PDF)

    def test_it_passes_a_whole_database(self):
        out = run()
        assert "OK    Migreringer: alle" in out
        assert "OK    CPR: alle 3 CPR-numre dekrypteres" in out
        assert "OK    Auditlog:" in out
        assert "OK    Kvartalsrapporter: alle 1 arkiverede PDF'er findes og er hele." in out
        assert "INFO  Påmindelser: 0 i alt" in out
        assert out.rstrip().endswith("Gendannelsen er i orden.")

    def test_it_fails_on_a_cpr_number_that_does_not_decrypt(self):
        emmas_cpr = self.emma.reveal_cpr()
        bad = Fernet(Fernet.generate_key()).encrypt(emmas_cpr.encode()).decode()
        type(self.emma).objects.filter(pk=self.emma.pk).update(cpr_encrypted=bad)
        out = run_failing()
        assert "FEJL  CPR: 1 af 3 CPR-numre kan ikke dekrypteres" in out
        assert f"(barn-id {self.emma.pk})" in out
        assert emmas_cpr not in out and emmas_cpr[:6] not in out

    def test_it_fails_without_the_right_keys(self):
        with override_settings(CPR_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
            out = run_failing()
        assert "FEJL  CPR: 3 af 3 CPR-numre kan ikke dekrypteres" in out
        with override_settings(CPR_HASH_KEY="not-the-key-the-hashes-were-made-with"):
            out = run_failing()
        assert "FEJL  CPR: 3 af 3 CPR-numre passer ikke med deres opslagsnøgle" in out

    def test_it_fails_on_a_missing_pdf(self):
        Path(self.report.pdf.path).unlink()
        out = run_failing()
        assert f"rapport {self.report.pk} (2026Q3) filen {self.report.pdf.name} mangler" in out

    def test_it_fails_on_a_cut_off_pdf(self):
        Path(self.report.pdf.path).write_bytes(PDF[:40])
        out = run_failing()
        assert "er ikke en hel PDF (40 bytes)" in out

    def test_it_fails_without_an_audit_trail(self):
        LogEntry.objects.all().delete()
        out = run_failing()
        assert "FEJL  Auditlog: ingen poster, men 3 børn." in out

    @pytest.mark.postgres
    def test_it_fails_on_a_sequence_behind_its_table(self):
        if connection.vendor != "postgresql":
            pytest.skip("sequences are checked on PostgreSQL only")
        # setval is not undone with the test's transaction: put the sequence back
        # ahead of the table afterwards.
        self.addCleanup(self._setval, "(SELECT max(id) FROM children_child)")
        self._setval("1")
        out = run_failing()
        assert "FEJL  Sekvenser: 1 tabeller" in out
        assert "children_child" in out

    @staticmethod
    def _setval(value: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('children_child', 'id'), {value})"
            )


class MarkSentTestCase(BaseTestCase):
    """A dump of 5 December restored on the 10th; the old installation sent mail
    until the evening of the 8th. Pia's steps fall due on the 5th (its reminder
    written before the dump, sent after it), the 7th (written and sent after the
    dump: gone from the restored database) and the 9th (never sent)."""

    def setUp(self):
        self.pia.email = "pia@tidlig-kommune.example"
        self.pia.save()
        final_dialogue(
            self.emma,
            self.pia,
            steps=[
                ("Ringe til mor", self.pia, date(2026, 12, 5)),
                ("Tale med PPR", self.pia, date(2026, 12, 7)),
                ("Nyt møde", self.pia, date(2026, 12, 9)),
            ],
        )
        with time_machine.travel(datetime(2026, 12, 5, 5, tzinfo=CPH), tick=False):
            call_command("send_reminders", stdout=StringIO())
        Reminder.objects.update(sent_at=None)
        mail.outbox.clear()

    def test_it_marks_what_the_old_installation_sent(self):
        with time_machine.travel(datetime(2026, 12, 10, 9, tzinfo=CPH), tick=False):
            out = run()
            assert "1 venter på at blive sendt, heraf 1 med en dato før i dag" in out
            assert "--mark-sent-until" in out

            out = run("--mark-sent-until", "2026-12-08 21:00")
            assert "Markeret som sendt 2026-12-08 21:00: 2 påmindelser og 0 advarsler" in out
            assert "(1 påmindelser skrevet nu" in out
            call_command("send_reminders", stdout=StringIO())

        assert [m.subject for m in mail.outbox] == [
            Reminder.objects.get(due_on=date(2026, 12, 9)).subject
        ]
        assert set(Reminder.objects.values_list("due_on", "sent_at")) == {
            (date(2026, 12, 5), datetime(2026, 12, 8, 21, tzinfo=CPH)),
            (date(2026, 12, 7), datetime(2026, 12, 8, 21, tzinfo=CPH)),
            (date(2026, 12, 9), datetime(2026, 12, 10, 9, tzinfo=CPH)),
        }

    def test_it_refuses_a_time_in_the_future_or_not_a_time(self):
        with time_machine.travel(datetime(2026, 12, 10, 9, tzinfo=CPH), tick=False):
            with pytest.raises(CommandError, match="i fremtiden"):
                call_command("verify_restore", "--mark-sent-until", "2026-12-11 08:00")
            with pytest.raises(CommandError, match="ikke et tidspunkt"):
                call_command("verify_restore", "--mark-sent-until", "i går")
        assert not Reminder.objects.filter(sent_at__isnull=False).exists()
