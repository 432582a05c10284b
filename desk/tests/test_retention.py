"""The nightly retention sweep (desk/retention.py: children, followups, audit, logins).

Today is 15 March 2031 in these tests. Emma left Solsikken 5 years and a day ago,
with a concern, a corrected assessment, a LØFT dialogue and an old closed case:
she is deleted. Noah left 4 years ago and is kept; Oskar left long ago but his
case is still open, so he is kept too.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta

from children import audit
from children.models import AbsenceRecord, Child, Concern, Enrollment, Guardian
from desk.retention import retention_sweep
from desk.tasks import retention_sweep as retention_task
from followups.models import Case, Meeting, Reminder, Underretning
from loeft.models import Dialogue, NextStep
from loeft.tests.factories import final_dialogue
from ruler.models import Assessment
from tidlig.celery import app
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2031, 3, 15)
NOW = datetime(2031, 3, 15, 3, 0, tzinfo=CPH)


def end_enrollments(child, on: date) -> None:
    Enrollment.objects.filter(child=child).update(end=on)


class RetentionSweepTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        five_years_and_a_day = TODAY - relativedelta(years=5, days=1)
        end_enrollments(cls.emma, five_years_and_a_day)
        end_enrollments(cls.noah, TODAY - relativedelta(years=4))
        end_enrollments(cls.oskar, date(2025, 12, 31))

        Guardian.objects.create(child=cls.emma, name="Maria Holm", relation="mor")
        AbsenceRecord.objects.create(
            child=cls.emma, unit=cls.solsikken, month=date(2025, 9, 1), absent=2, possible=20
        )
        Concern.objects.create(
            child=cls.emma, author=cls.pia, observed_on=date(2025, 9, 1), text="Emma græder."
        )
        first = Assessment.objects.create(
            child=cls.emma, author=cls.pia, assessed_on=date(2025, 9, 2), zone=3
        )
        first.correct(author=cls.pia, note="Forkert zone", zone=2)
        final_dialogue(cls.emma, cls.pia, steps=[("Ring til mor", cls.pia, date(2025, 9, 8))])
        case = Case.objects.create(
            child=cls.emma,
            coordinator=cls.rasmus,
            opened_on=date(2025, 9, 10),
            closed_on=date(2025, 12, 1),
        )
        Meeting.objects.create(
            case=case, scheduled_on=date(2025, 12, 1), held_on=date(2025, 12, 1), minutes="Slut."
        )
        Underretning.objects.create(
            child=cls.emma, received_at=datetime(2025, 9, 3, 10, tzinfo=CPH), about="Uro"
        )
        # A read within audit retention (a year before the sweep): kept, without her name.
        with time_machine.travel(NOW - relativedelta(years=1)):
            audit.log_access(cls.lars, cls.emma, audit.Event.READ, what="/boern/")

        Case.objects.create(child=cls.oskar, coordinator=cls.rasmus, opened_on=date(2025, 9, 1))

        cls.old_reminder = Reminder.objects.create(
            kind=Reminder.Kind.STEP_DUE,
            object_key="nextstep:1",
            recipient=cls.pia,
            due_on=TODAY - relativedelta(months=12, days=1),
            subject="Emma",
            text="",
        )
        cls.recent_reminder = Reminder.objects.create(
            kind=Reminder.Kind.STEP_DUE,
            object_key="nextstep:2",
            recipient=cls.pia,
            due_on=TODAY - relativedelta(months=11),
            subject="Noah",
            text="",
        )

    def sweep(self) -> dict[str, int]:
        with time_machine.travel(NOW):
            return retention_sweep()

    def test_it_deletes_a_child_five_years_after_the_last_enrollment_ended(self):
        counts = self.sweep()

        assert not Child.objects.filter(pk=self.emma.pk).exists()
        for model in (
            Guardian,
            Enrollment,
            AbsenceRecord,
            Concern,
            Assessment,
            Dialogue,
            NextStep,
            Case,
            Underretning,
        ):
            assert not model.objects.filter(child_id=self.emma.pk).exists(), model
        assert not Meeting.objects.filter(minutes="Slut.").exists()
        assert counts["children.Child"] == 1
        assert counts["ruler.Assessment"] == 2

    def test_it_keeps_a_child_that_left_four_years_ago(self):
        self.sweep()
        assert Child.objects.filter(pk=self.noah.pk).exists()

    def test_it_keeps_a_child_with_an_open_case(self):
        self.sweep()
        assert Child.objects.filter(pk=self.oskar.pk).exists()

    def test_it_keeps_a_child_whose_case_closed_recently(self):
        Case.objects.filter(child=self.emma).update(closed_on=TODAY - relativedelta(years=4))
        self.sweep()
        assert Child.objects.filter(pk=self.emma.pk).exists()

    def test_it_keeps_a_child_that_is_still_enrolled(self):
        Enrollment.objects.create(child=self.emma, unit=self.skolen, start=date(2026, 8, 1))
        self.sweep()
        assert Child.objects.filter(pk=self.emma.pk).exists()

    def test_it_follows_the_configured_years(self):
        with self.settings(RETENTION_CHILD_YEARS=3):
            self.sweep()
        assert not Child.objects.filter(pk=self.noah.pk).exists()

    def test_it_deletes_old_reminders(self):
        counts = self.sweep()
        assert counts["followups.Reminder"] == 1
        assert not Reminder.objects.filter(pk=self.old_reminder.pk).exists()
        assert Reminder.objects.filter(pk=self.recent_reminder.pk).exists()

    def test_it_is_idempotent(self):
        self.sweep()
        entries = LogEntry.objects.count()
        assert self.sweep() == {}
        assert LogEntry.objects.count() == entries

    def test_it_records_what_it_did_in_the_audit_trail(self):
        self.sweep()

        trail = list(LogEntry.objects.filter(audit.about_child(self.emma.pk)))
        # The entries with copies of Emma's data are gone; who looked at her is kept,
        # without her name, and one entry says she was deleted.
        assert {entry.action for entry in trail} == {LogEntry.Action.ACCESS}
        assert all(entry.object_repr == "" for entry in trail)
        events = [entry.additional_data["event"] for entry in trail]
        assert events.count(audit.Event.RETENTION) == 1
        assert audit.Event.READ in events
        deleted = next(e for e in trail if e.additional_data["event"] == audit.Event.RETENTION)
        assert deleted.additional_data["rows"]["children.Concern"] == 1

        summary = LogEntry.objects.get(
            additional_data__event=audit.Event.RETENTION, additional_data__what="sweep"
        )
        assert summary.additional_data["children"] == [self.emma.pk]
        assert summary.additional_data["rows"]["followups.Reminder"] == 1
        assert "Emma" not in str(summary.additional_data)
        assert not LogEntry.objects.filter(object_repr__contains="Emma Holm").exists()

    def test_it_is_scheduled_nightly_by_beat(self):
        entry = app.conf.beat_schedule["retention-sweep"]
        assert entry["task"] == retention_task.name
        with time_machine.travel(NOW):
            retention_task()
        assert not Child.objects.filter(pk=self.emma.pk).exists()
