from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from followups import reminders
from followups.models import Reminder
from reports import generate, tasks
from reports.models import FinishedReportError, QuarterlyReport
from reports.tests.archive_fixtures import ArchiveTestCase, pdf_text
from tidlig.lib.dates import Quarter

CPH = ZoneInfo("Europe/Copenhagen")
Q3 = Quarter(2026, 3)
Q4 = Quarter(2026, 4)
Status = QuarterlyReport.Status


def at(day: date, hour: int = 5, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CPH)


@time_machine.travel(at(date(2026, 10, 15), 10), tick=False)
class GenerateTestCase(ArchiveTestCase):
    def test_it_makes_a_real_pdf_with_the_quarter_the_zones_and_the_numbers(self):
        report = generate.report_request(quarter=Q3, user=self.frida)
        assert report.status == Status.WAITING and report.progress == 0

        report = generate.report_generate(report)

        assert report.status == Status.DONE and report.progress == 100
        assert report.generated_at is not None
        assert report.figures["zones"]["total"]["children"] == 10
        pdf = report.pdf.read()
        assert pdf.startswith(b"%PDF-")
        text = pdf_text(pdf)
        assert "Kvartalsstatus til Børne- og Skoleudvalget" in text
        assert "3. kvartal 2026" in text
        assert "Perioden 1. juli 2026 til 30. september 2026" in text
        for zone in ("Zone 1 Trivsel", "Moderat trivsel", "Zone 3 Sårbar", "Udsat", "Truet"):
            assert zone in text
        # 10 children: 7 in zone 1, Emma's zone 3 and the 2 not assessed are below
        # 5, so "<5" and no share of them. "Børn vurderet" (8) minus the 7 would
        # give Emma's 1 back, so the 7 and the 10 are hidden too ("x", issue 18).
        assert "Hele kommunen x 0 <5 0 0 <5 x" in text
        assert "88 %" not in text
        assert "13 %" not in text and "12 %" not in text
        assert "Sammenfatning" in text
        assert "Side 2 af" in text and "Antal fra 1 til 4 vises som “<5”" in text
        for name in ("Emma", "Holm", "Noah", "Oskar", "Villum", "Kragh"):
            assert name not in text

    def test_it_does_nothing_for_a_report_another_worker_has_claimed(self):
        report = generate.report_request(quarter=Q3)
        QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.RUNNING)
        with mock.patch("reports.generate.render_pdf") as render:
            again = generate.report_generate(report)
        render.assert_not_called()
        assert again.status == Status.RUNNING and not again.pdf

    def test_it_does_nothing_for_a_finished_report(self):
        report = generate.report_generate(generate.report_request(quarter=Q3))
        with mock.patch("reports.generate.render_pdf") as render:
            again = generate.report_generate(report)
        render.assert_not_called()
        assert again.generated_at == report.generated_at

    def test_it_marks_a_report_failed_with_a_danish_error(self):
        report = generate.report_request(quarter=Q3)
        with (
            mock.patch("reports.generate.render_pdf", side_effect=OSError("disk full")),
            pytest.raises(OSError),
        ):
            generate.report_generate(report)
        report.refresh_from_db()
        assert report.status == Status.FAILED
        assert report.error.startswith("Rapporten kunne ikke dannes")
        assert "disk full" not in report.error

    def test_it_refuses_a_quarter_that_has_not_ended(self):
        with pytest.raises(ValueError):
            generate.report_request(quarter=Q4)

    def test_a_finished_report_cannot_be_changed_or_deleted(self):
        report = generate.report_generate(generate.report_request(quarter=Q3))
        report.error = "rettet"
        with pytest.raises(FinishedReportError):
            report.save()
        with pytest.raises(FinishedReportError):
            report.delete()
        report.refresh_from_db()
        assert report.error == "" and report.is_done

    def test_an_unfinished_report_can_be_saved(self):
        report = generate.report_request(quarter=Q3)
        report.step = "Venter"
        report.save()

    def test_it_keeps_one_automatic_report_per_quarter(self):
        first = generate.report_request(quarter=Q3, automatic=True)
        second = generate.report_request(quarter=Q3, automatic=True)
        assert first.pk == second.pk
        ordered = generate.report_request(quarter=Q3)
        assert ordered.pk != first.pk
        assert QuarterlyReport.objects.filter(quarter="2026Q3").count() == 2


class DueQuarterTestCase(ArchiveTestCase):
    def test_it_waits_for_the_first_working_day_after_the_quarter(self):
        # 31 December 2026 is a Thursday; 1 January 2027 is a holiday and a Friday.
        assert generate.first_working_day_after(Q4) == date(2027, 1, 4)
        assert generate.due_quarter(date(2027, 1, 1)) == Q3
        assert generate.due_quarter(date(2027, 1, 3)) == Q3
        assert generate.due_quarter(date(2027, 1, 4)) == Q4
        assert generate.due_quarter(date(2027, 3, 31)) == Q4  # catching up all quarter
        # 30 September 2026 is a Wednesday: the next day is a working day.
        assert generate.due_quarter(date(2026, 9, 30)) == Quarter(2026, 2)
        assert generate.due_quarter(date(2026, 10, 1)) == Q3


class ScheduledGenerationTestCase(ArchiveTestCase):
    def beat(self, day: date, hour: int = 5) -> int:
        with time_machine.travel(at(day, hour), tick=False):
            return tasks.generate_due_report()

    def automatic(self):
        return QuarterlyReport.objects.filter(kind=QuarterlyReport.Kind.AUTOMATIC)

    def notified(self) -> list[tuple[str, str]]:
        return sorted(
            (r.recipient.username, r.object_key)
            for r in Reminder.objects.filter(kind=Reminder.Kind.QUARTERLY_REPORT)
        )

    def test_it_generates_once_on_the_first_working_day_after_the_quarter(self):
        q3 = self.automatic().get(pk=self.beat(date(2026, 10, 1)))
        Reminder.objects.all().delete()
        # Until the first working day of 2027 the due report is still Q3's, made.
        for day in (date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)):
            assert self.beat(day) == q3.pk
        assert self.automatic().count() == 1
        assert self.notified() == []  # told in October, not again

        with (
            mock.patch("followups.tasks.send_pending_reminders.delay") as send,
            self.captureOnCommitCallbacks(execute=True),
        ):
            first = self.beat(date(2027, 1, 4))
        report = self.automatic().exclude(pk=q3.pk).get()
        assert first == report.pk and report.quarter == "2026Q4" and report.is_done
        assert report.generated_at.astimezone(CPH).date() == date(2027, 1, 4)
        send.assert_called_once_with()
        key = f"quarterlyreport:{report.pk}"
        assert self.notified() == [("frida", key), ("gorm", key)]

        # The beat fires twice, and again the next days: nothing new.
        assert self.beat(date(2027, 1, 4)) == report.pk
        assert self.beat(date(2027, 1, 4), hour=9) == report.pk
        assert self.beat(date(2027, 1, 5)) == report.pk
        assert self.automatic().count() == 2
        assert self.notified() == [("frida", key), ("gorm", key)]
        reminder = Reminder.objects.get(recipient=self.frida)
        assert reminder.subject == "Kvartalsstatus for 4. kvartal 2026 er klar"
        assert reminder.url == "/rapporter/arkiv/"

        with time_machine.travel(at(date(2027, 1, 4), 6), tick=False):
            reminders.send_pending()
        assert sorted(m.to[0] for m in mail.outbox) == ["frida@k.example", "gorm@k.example"]
        assert "http://localhost:8000/rapporter/arkiv/" in mail.outbox[0].body

    def test_it_catches_up_after_a_missed_day(self):
        # Beat was down on Thursday 1 October 2026, the first working day after Q3.
        report_id = self.beat(date(2026, 10, 2))
        report = self.automatic().get()
        assert report_id == report.pk and report.quarter == "2026Q3" and report.is_done
        assert len(self.notified()) == 2

    def test_it_retries_a_failed_automatic_report(self):
        with mock.patch("reports.generate.render_pdf", side_effect=OSError), pytest.raises(OSError):
            self.beat(date(2026, 10, 1))
        assert self.automatic().get().status == Status.FAILED
        assert self.notified() == []
        self.beat(date(2026, 10, 2))
        assert self.automatic().get().is_done
        assert len(self.notified()) == 2

    def test_it_makes_an_ordered_report_no_worker_picked_up(self):
        with time_machine.travel(at(date(2026, 11, 2), 14), tick=False):
            waiting = generate.report_request(quarter=Q3, user=self.frida)
        self.beat(date(2026, 11, 3))
        waiting.refresh_from_db()
        assert waiting.is_done

    def abandon(self, report, *, at_: datetime) -> None:
        # What a worker that dies mid-report leaves: claimed, never finished.
        QuarterlyReport.objects.filter(pk=report.pk).update(
            status=Status.RUNNING, progress=60, step="Laver PDF", started_at=at_
        )

    def test_it_makes_an_ordered_report_whose_worker_died(self):
        with time_machine.travel(at(date(2026, 11, 2), 14), tick=False):
            ordered = generate.report_request(quarter=Q3, user=self.frida)
        self.abandon(ordered, at_=at(date(2026, 11, 2), 14))
        self.beat(date(2026, 11, 3))
        ordered.refresh_from_db()
        assert ordered.is_done and ordered.started_at is not None

    def test_it_leaves_a_report_that_is_still_being_made(self):
        with time_machine.travel(at(date(2026, 11, 3), 5, 0), tick=False):
            ordered = generate.report_request(quarter=Q3, user=self.frida)
        self.abandon(ordered, at_=at(date(2026, 11, 3), 5, 20))
        self.beat(date(2026, 11, 3))  # 05:30: ten minutes in
        ordered.refresh_from_db()
        assert ordered.status == Status.RUNNING and ordered.progress == 60

    def test_it_makes_and_announces_an_automatic_report_whose_worker_died(self):
        with time_machine.travel(at(date(2026, 10, 1)), tick=False):
            report = generate.report_request(quarter=Q3, automatic=True)
        self.abandon(report, at_=at(date(2026, 10, 1)))
        self.beat(date(2026, 10, 2))
        assert self.automatic().get().is_done
        assert len(self.notified()) == 2


class StaleReportsTestCase(ArchiveTestCase):
    """Every 5 minutes (reports.tasks.generate_stale_reports), not the next morning."""

    abandon = ScheduledGenerationTestCase.abandon

    def run_at(self, day: date, hour: int, minute: int) -> int:
        with time_machine.travel(at(day, hour, minute), tick=False):
            return tasks.generate_stale_reports()

    def test_a_report_ordered_while_the_broker_was_down_is_made_within_minutes(self):
        with time_machine.travel(at(date(2026, 11, 2), 14, 0), tick=False):
            ordered = generate.report_request(quarter=Q3, user=self.frida)
        assert self.run_at(date(2026, 11, 2), 14, 5) == 0  # perhaps a worker is on it
        ordered.refresh_from_db()
        assert ordered.status == Status.WAITING
        assert self.run_at(date(2026, 11, 2), 14, 15) == 1
        ordered.refresh_from_db()
        assert ordered.is_done

    def test_a_report_whose_worker_died_is_made_ten_minutes_later(self):
        with time_machine.travel(at(date(2026, 11, 2), 14, 0), tick=False):
            ordered = generate.report_request(quarter=Q3, user=self.frida)
        self.abandon(ordered, at_=at(date(2026, 11, 2), 14, 0))
        self.run_at(date(2026, 11, 2), 14, 5)
        ordered.refresh_from_db()
        assert ordered.status == Status.RUNNING  # five minutes in: still being made
        self.run_at(date(2026, 11, 2), 14, 11)
        ordered.refresh_from_db()
        assert ordered.is_done

    def test_it_is_on_the_beat_schedule_every_5_minutes_and_redelivered_if_a_worker_dies(self):
        from tidlig.celery import app

        assert tasks.generate_stale_reports.name in app.tasks
        entry = app.conf.beat_schedule["stale-reports"]
        assert entry["task"] == tasks.generate_stale_reports.name
        assert entry["schedule"].minute == set(range(0, 60, 5))
        assert tasks.generate_report.acks_late and tasks.generate_report.reject_on_worker_lost
