"""Reminders about underretninger: to the intake 4 hours before the 24-hour assessment
is due and when it has passed, on the last hverdag before a receipt is due and the day
after it was; to a case's coordinator when a new underretning about the child arrives.

Rasmus is a caseworker in Børn & Ungerådgivningen and Lise leads it; Rikke, another
caseworker there, is on leave (her account is inactive). Pia, a pædagog at
Solsikken, made the underretninger about Emma. Beat runs the underretning sweep
every 15 minutes (followups.tasks.send_underretning_reminders); the tests call it at
the moments it would run, twice where a double run must change nothing.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail

from accounts.models import Role
from followups import reminders, underretninger
from followups.models import Case, Meeting, Reminder, Underretning
from followups.tasks import send_underretning_reminders
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")
K = Reminder.Kind
QUARTER = timedelta(minutes=15)


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH)


def run(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        send_underretning_reminders()


def run_every_quarter(start: datetime, end: datetime, *, twice: bool = False) -> None:
    moment = start
    while moment <= end:
        run(moment)
        if twice:
            run(moment)
        moment += QUARTER


def written() -> list[tuple[str, str, date]]:
    return sorted(
        (r.kind, r.recipient.username, r.due_on)
        for r in Reminder.objects.select_related("recipient")
    )


class UnderretningReminderTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rasmus.email = "rasmus@k.example"
        cls.rasmus.save()
        cls.lise = make_user(
            "lise", cls.raadgivningen, Role.LEDER, first_name="Lise", email="lise@k.example"
        )
        make_user("rikke", cls.raadgivningen, Role.RAADGIVER, is_active=False)

    def underretning(self, received_at: datetime, **kw) -> Underretning:
        kw.setdefault("made_by", self.pia)
        kw.setdefault("notifier", "Pia, pædagog")
        return Underretning.objects.create(
            child=self.emma, received_at=received_at, about="Emma har blå mærker.", **kw
        )

    def assert_no_child_named(self) -> None:
        cpr = self.emma.reveal_cpr()
        for reminder in Reminder.objects.all():
            for text in (reminder.subject, reminder.text):
                assert "Emma" not in text and "Holm" not in text and cpr not in text
        for message in mail.outbox:
            text = f"{message.subject} {message.body}"
            assert "Emma" not in text and "Holm" not in text and cpr not in text


class AssessmentReminderTestCase(UnderretningReminderTestCase):
    # Received on påskelørdag, Saturday 4 April 2026 at 21:30: the 24 hours run through
    # the weekend to Easter Sunday 21:30, and the 4-hour warning is due at 17:30.
    RECEIVED = at(date(2026, 4, 4), 21, 30)
    WARN = at(date(2026, 4, 5), 17, 30)
    DEADLINE = at(date(2026, 4, 5), 21, 30)

    def test_the_intake_is_warned_4_hours_before_and_told_when_it_passed_each_once(self):
        item = self.underretning(self.RECEIVED)
        assert item.assessment_deadline == self.DEADLINE
        run_every_quarter(self.RECEIVED, self.WARN - QUARTER, twice=True)
        assert written() == []
        run(self.WARN)
        run(self.WARN)
        assert written() == [
            (K.UNDERRETNING_24H_SOON, "lise", date(2026, 4, 5)),
            (K.UNDERRETNING_24H_SOON, "rasmus", date(2026, 4, 5)),
        ]
        assert sorted(m.to[0] for m in mail.outbox) == ["lise@k.example", "rasmus@k.example"]
        assert mail.outbox[0].subject == "En underretning skal vurderes inden for 4 timer"
        assert "Fristen på 24 timer udløber 5. april 2026 21:30." in mail.outbox[0].body
        assert f"http://localhost:8000/underretninger/{item.pk}/" in mail.outbox[0].body

        run_every_quarter(self.WARN + QUARTER, self.DEADLINE - QUARTER, twice=True)
        assert len(written()) == 2
        run_every_quarter(self.DEADLINE, at(date(2026, 4, 6), 23, 45), twice=True)
        assert written() == [
            (K.UNDERRETNING_24H, "lise", date(2026, 4, 5)),
            (K.UNDERRETNING_24H, "rasmus", date(2026, 4, 5)),
            (K.UNDERRETNING_24H_SOON, "lise", date(2026, 4, 5)),
            (K.UNDERRETNING_24H_SOON, "rasmus", date(2026, 4, 5)),
        ]
        assert len(mail.outbox) == 4
        passed = [m for m in mail.outbox if "er overskredet" in m.body]
        assert passed and passed[0].subject == "En underretning er ikke vurderet inden for 24 timer"
        self.assert_no_child_named()

    def test_a_warning_across_midnight_is_sent_once(self):
        # Received Sunday 5 April at 01:00: the warning is due at 21:00 on Sunday and
        # the sweeps after midnight (2. påskedag) must not send it again.
        self.underretning(at(date(2026, 4, 5), 1))
        run_every_quarter(at(date(2026, 4, 5), 20, 45), at(date(2026, 4, 6), 0, 45), twice=True)
        assert written() == [
            (K.UNDERRETNING_24H_SOON, "lise", date(2026, 4, 5)),
            (K.UNDERRETNING_24H_SOON, "rasmus", date(2026, 4, 5)),
        ]

    def test_a_sweep_that_missed_the_warning_sends_it_while_the_deadline_is_ahead(self):
        self.underretning(self.RECEIVED)
        run(self.WARN - timedelta(hours=5))
        run(self.DEADLINE - timedelta(minutes=30))  # beat was down for 4½ hours
        assert [kind for kind, _user, _day in written()] == [K.UNDERRETNING_24H_SOON] * 2

    def test_after_the_deadline_a_late_warning_is_not_sent_only_that_it_passed(self):
        self.underretning(self.RECEIVED)
        run(self.WARN - timedelta(hours=1))
        run(at(date(2026, 4, 6), 8))  # down from 16:30 on Sunday to 2. påskedag morning
        assert [kind for kind, _user, _day in written()] == [K.UNDERRETNING_24H] * 2

    def test_an_assessed_or_closed_underretning_gets_no_reminder(self):
        self.underretning(
            self.RECEIVED,
            assessed_at=self.RECEIVED + timedelta(hours=1),
            receipt_sent_on=date(2026, 4, 7),
        )
        self.underretning(
            self.RECEIVED,
            source=Underretning.Source.ANONYMOUS,
            made_by=None,
            closed_at=self.RECEIVED + timedelta(hours=2),
        )
        run_every_quarter(self.WARN - QUARTER, self.DEADLINE + QUARTER)
        run(at(date(2026, 4, 20), 6))
        assert written() == []

    def test_a_citizens_underretning_is_assessed_in_24_hours_too(self):
        self.underretning(self.RECEIVED, source=Underretning.Source.CITIZEN, made_by=None)
        run(self.WARN)
        run(self.DEADLINE)
        assert {kind for kind, _user, _day in written()} == {
            K.UNDERRETNING_24H_SOON,
            K.UNDERRETNING_24H,
        }


class ReceiptReminderTestCase(UnderretningReminderTestCase):
    def sweep_days(self, first: date, last: date, hours=(6, 12)) -> None:
        day = first
        while day <= last:
            for hour in hours:
                run(at(day, hour))
            day += timedelta(days=1)

    def test_across_easter_the_day_before_and_the_day_after_the_deadline(self):
        # Received on skærtorsdag; 6 hverdage skip langfredag, the weekend and
        # 2. påskedag: 7, 8, 9, 10, 13 and Tuesday 14 April.
        item = self.underretning(
            at(date(2026, 4, 2), 15), assessed_at=at(date(2026, 4, 2), 16), decision="ingen"
        )
        assert item.receipt_deadline == date(2026, 4, 14)
        self.sweep_days(date(2026, 4, 2), date(2026, 4, 12))
        assert written() == []
        self.sweep_days(date(2026, 4, 13), date(2026, 4, 25))
        assert written() == [
            (K.UNDERRETNING_RECEIPT_DUE, "lise", date(2026, 4, 13)),
            (K.UNDERRETNING_RECEIPT_DUE, "rasmus", date(2026, 4, 13)),
            (K.UNDERRETNING_RECEIPT, "lise", date(2026, 4, 15)),
            (K.UNDERRETNING_RECEIPT, "rasmus", date(2026, 4, 15)),
        ]
        assert len(mail.outbox) == 4
        due = next(m for m in mail.outbox if "senest" in m.subject)
        assert (
            due.subject == "Kvitteringen for en underretning skal sendes senest tirsdag 14. april"
        )
        self.assert_no_child_named()

    def test_a_monday_deadline_is_announced_on_the_friday(self):
        # Received Friday 24 April: 27, 28, 29, 30 April, 1 May (a hverdag) and Monday 4 May.
        item = self.underretning(at(date(2026, 4, 24), 9), assessed_at=at(date(2026, 4, 24), 11))
        assert item.receipt_deadline == date(2026, 5, 4)
        self.sweep_days(date(2026, 4, 30), date(2026, 5, 4))
        assert {(kind, day) for kind, _user, day in written()} == {
            (K.UNDERRETNING_RECEIPT_DUE, date(2026, 5, 1))
        }

    def test_a_missed_day_is_caught_up_once_and_not_after_the_deadline(self):
        self.underretning(at(date(2026, 4, 2), 15))
        run(at(date(2026, 4, 12), 6))
        run(at(date(2026, 4, 14), 6))  # beat was down on Monday 13 April
        run(at(date(2026, 4, 14), 6))
        assert written() == [
            (K.UNDERRETNING_RECEIPT_DUE, "lise", date(2026, 4, 13)),
            (K.UNDERRETNING_RECEIPT_DUE, "rasmus", date(2026, 4, 13)),
        ]
        Reminder.objects.all().delete()
        run(at(date(2026, 4, 15), 6))  # had it been down until after the deadline
        assert {kind for kind, _user, _day in written()} == {K.UNDERRETNING_RECEIPT}

    def test_none_once_the_receipt_is_sent_or_for_citizens_and_anonymous_notifiers(self):
        received = at(date(2026, 4, 2), 15)
        assessed = {"assessed_at": received + timedelta(hours=1)}
        self.underretning(received, receipt_sent_on=date(2026, 4, 7), **assessed)
        self.underretning(received, source=Underretning.Source.CITIZEN, made_by=None, **assessed)
        self.underretning(received, source=Underretning.Source.CHILD, made_by=None, **assessed)
        self.underretning(received, source=Underretning.Source.ANONYMOUS, made_by=None, **assessed)
        self.sweep_days(date(2026, 4, 2), date(2026, 4, 20))
        assert written() == []

    def test_handed_on_to_a_case_the_coordinator_is_reminded_of_the_receipt_owed(self):
        item = self.underretning(at(date(2026, 4, 2), 15))
        karl = make_user("karl", self.raadgivningen, Role.RAADGIVER, email="karl@k.example")
        underretninger.assess(
            item,
            user=karl,
            assessed_at=at(date(2026, 4, 2), 17),
            acute=False,
            decision=Underretning.Decision.UNDERSOEGELSE,
        )
        item.refresh_from_db()
        assert not item.is_open and item.case.coordinator == karl
        self.sweep_days(date(2026, 4, 13), date(2026, 4, 16))
        assert written() == [
            (K.UNDERRETNING_RECEIPT_DUE, "karl", date(2026, 4, 13)),
            (K.UNDERRETNING_RECEIPT, "karl", date(2026, 4, 15)),
        ]
        reminder = Reminder.objects.filter(kind=K.UNDERRETNING_RECEIPT).get()
        assert reminder.url == f"/underretninger/{item.pk}/"


class NewUnderretningTestCase(UnderretningReminderTestCase):
    @time_machine.travel(at(date(2026, 4, 8), 10), tick=False)
    def test_the_coordinator_of_the_childs_open_case_hears_of_a_new_one_once(self):
        karl = make_user("karl", self.raadgivningen, Role.RAADGIVER, email="karl@k.example")
        Case.objects.create(child=self.emma, coordinator=karl, opened_on=date(2026, 1, 5))
        item = underretninger.register(
            child=self.emma,
            about="Emma er faldet i søvn i garderoben igen.",
            received_at=at(date(2026, 4, 8), 9, 30),
            registered_by=self.pia,
            made_by=self.pia,
        )
        assert reminders.notify_coordinator(item)  # a second call writes nothing new
        [reminder] = Reminder.objects.all()
        assert (reminder.kind, reminder.recipient, reminder.due_on) == (
            K.UNDERRETNING_NEW,
            karl,
            date(2026, 4, 8),
        )
        assert reminder.subject == "Ny underretning om et barn i din sag"
        assert reminder.url == f"/underretninger/{item.pk}/"
        reminders.send_pending()
        [message] = mail.outbox
        assert message.to == ["karl@k.example"]
        self.assert_no_child_named()

    @time_machine.travel(at(date(2026, 4, 8), 10), tick=False)
    def test_no_one_is_told_about_a_child_without_an_open_case(self):
        Case.objects.create(
            child=self.emma,
            coordinator=self.rasmus,
            opened_on=date(2025, 1, 5),
            closed_on=date(2025, 12, 1),
        )
        underretninger.register(
            child=self.emma,
            about="x",
            received_at=at(date(2026, 4, 8), 9),
            registered_by=self.pia,
        )
        assert not Reminder.objects.exists()


class BeatTestCase(UnderretningReminderTestCase):
    def test_the_underretning_sweep_runs_every_15_minutes(self):
        from tidlig.celery import app

        assert send_underretning_reminders.name in app.tasks  # finalises the app
        entry = app.conf.beat_schedule["underretning-reminders"]
        assert entry["task"] == send_underretning_reminders.name
        assert entry["schedule"].minute == {0, 15, 30, 45}
        assert entry["schedule"].hour == set(range(24))

    def test_it_plans_no_meeting_reminder(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        Meeting.objects.create(case=case, scheduled_on=date(2026, 4, 22))
        run(at(date(2026, 4, 8), 10))  # 14 days before the meeting
        assert written() == []
        with time_machine.travel(at(date(2026, 4, 8), 10), tick=False):
            reminders.sweep()
        assert written() == [(K.MEETING_14, "rasmus", date(2026, 4, 8))]
