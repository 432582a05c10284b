from datetime import date, datetime, time, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from followups import reminders
from followups.models import Case, CaseMember, Decision, Meeting, Reminder, Underretning
from loeft.models import NextStep
from loeft.tests.factories import final_dialogue, guardian
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")
K = Reminder.Kind


def at(day: date, hour: int = 6) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CPH)


def sweep(day: date) -> str:
    out = StringIO()
    with time_machine.travel(at(day), tick=False):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def sent() -> list[tuple[str, str, date]]:
    return sorted(
        (r.kind, r.recipient.username, r.due_on)
        for r in Reminder.objects.select_related("recipient")
    )


class ReminderTestCase(BaseTestCase):
    def setUp(self):
        for user in (self.rasmus, self.karen, self.pia):
            user.email = f"{user.username}@tidlig-kommune.example"
            user.save()
        self.lise = make_user(
            "lise", self.raadgivningen, Role.LEDER, first_name="Lise", email="lise@k.example"
        )
        self.case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 15)
        )
        CaseMember.objects.create(case=self.case, user=self.karen, profession="Psykolog")

    def test_a_case_walks_through_a_year_of_meetings(self):
        first = self.case.schedule_first_meeting()
        assert first.scheduled_on == date(2026, 4, 15)
        day = date(2026, 1, 15)
        while day <= date(2027, 1, 31):
            sweep(day)
            sweep(day)  # twice a day: nothing is written or sent twice
            for meeting in Meeting.objects.filter(scheduled_on=day, held_on__isnull=True):
                with time_machine.travel(at(day, 10), tick=False):
                    meeting.hold(on=day, decision=Decision.CONTINUE)
            day += timedelta(days=1)

        held = list(Meeting.objects.filter(held_on__isnull=False).values_list("held_on", flat=True))
        assert held == [date(2026, 4, 15), date(2026, 7, 15), date(2026, 10, 15), date(2027, 1, 15)]
        assert Meeting.objects.get(held_on__isnull=True).scheduled_on == date(2027, 4, 15)
        expected = []
        for meeting_day in held:
            for user in ("karen", "rasmus"):
                expected.append((K.MEETING_14, user, meeting_day - timedelta(days=14)))
                expected.append((K.MEETING_2, user, meeting_day - timedelta(days=2)))
        assert sent() == sorted(expected)
        assert len(mail.outbox) == len(expected) == 16
        assert all(r.sent_at for r in Reminder.objects.all())
        subjects = {m.subject for m in mail.outbox}
        assert subjects == {"Opfølgningsmøde om 14 dage", "Opfølgningsmøde om 2 dage"}
        message = mail.outbox[0]
        assert "Emma" not in message.body and "Holm" not in message.body
        assert f"http://localhost:8000/moeder/{first.pk}/" in message.body
        assert message.alternatives and "Åbn i Tidlig" in message.alternatives[0][0]

    def test_a_missed_meeting_tells_the_coordinator_and_the_leader_the_day_after(self):
        meeting = Meeting.objects.create(case=self.case, scheduled_on=date(2026, 4, 15))
        for day in (date(2026, 4, 15), date(2026, 4, 16), date(2026, 4, 17)):
            sweep(day)
        assert sent() == [
            (K.MEETING_MISSED, "lise", date(2026, 4, 16)),
            (K.MEETING_MISSED, "rasmus", date(2026, 4, 16)),
        ]
        assert {m.to[0] for m in mail.outbox} == {"lise@k.example", "rasmus@tidlig-kommune.example"}
        meeting.hold(on=date(2026, 4, 17), decision=Decision.CONTINUE)
        sweep(date(2026, 4, 18))
        assert len(sent()) == 2

    def test_more_missed_meetings_take_no_more_queries(self):
        # Mads is another caseworker of the rådgivning, which Lise leads.
        mads = make_user("mads", self.raadgivningen, Role.RAADGIVER)
        Meeting.objects.create(case=self.case, scheduled_on=date(2026, 4, 15))
        with CaptureQueriesContext(connection) as one:
            assert reminders.plan(date(2026, 4, 16)) == 2
        Reminder.objects.all().delete()
        for child in (self.noah, self.oskar):
            case = Case.objects.create(child=child, coordinator=mads, opened_on=date(2026, 1, 15))
            Meeting.objects.create(case=case, scheduled_on=date(2026, 4, 15))
        with CaptureQueriesContext(connection) as three:
            assert reminders.plan(date(2026, 4, 16)) == 6
        assert len(three) == len(one)
        missed = Reminder.objects.filter(kind=K.MEETING_MISSED)
        assert sorted(missed.values_list("recipient__username", flat=True)) == [
            *["lise"] * 3,
            "mads",
            "mads",
            "rasmus",
        ]

    def test_a_two_day_outage_is_caught_up_once(self):
        Meeting.objects.create(case=self.case, scheduled_on=date(2026, 4, 15))
        # The 14-day reminders fall on 1 April; the sweep is down on 1 and 2 April.
        sweep(date(2026, 3, 31))
        assert sent() == []
        out = sweep(date(2026, 4, 3))
        assert "2 nye påmindelser, 2 sendt." in out
        assert sent() == [
            (K.MEETING_14, "karen", date(2026, 4, 1)),
            (K.MEETING_14, "rasmus", date(2026, 4, 1)),
        ]
        assert "0 nye påmindelser, 0 sendt." in sweep(date(2026, 4, 3))
        assert len(mail.outbox) == 2

    def test_a_failed_send_is_retried_on_the_next_run(self):
        Meeting.objects.create(case=self.case, scheduled_on=date(2026, 4, 15))
        with (
            time_machine.travel(at(date(2026, 4, 1)), tick=False),
            mock.patch.object(reminders, "_send", side_effect=ConnectionError("smtp down")),
            self.assertRaises(ConnectionError),
        ):
            reminders.sweep()
        assert Reminder.objects.count() == 2
        assert not Reminder.objects.filter(sent_at__isnull=False).exists()
        sweep(date(2026, 4, 2))
        assert len(mail.outbox) == 2
        assert not Reminder.objects.filter(sent_at__isnull=True).exists()

    def test_a_next_step_reminds_its_owner_on_the_due_date(self):
        mother = guardian(self.emma)
        dialogue = final_dialogue(
            self.emma, self.pia, steps=[("Ring til mor", self.pia, date(2026, 5, 4))]
        )
        NextStep.objects.create(
            dialogue=dialogue,
            child=self.emma,
            text="Læser godnathistorie",
            owner_kind="forælder",
            owner_guardian=mother,
            due=date(2026, 5, 6),
        )
        for day in (date(2026, 5, 3), date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6)):
            sweep(day)
        # A parent's step reminds the professional who wrote the dialogue.
        keys = [
            (r.kind, r.recipient.username, r.due_on) for r in Reminder.objects.order_by("due_on")
        ]
        assert keys == [
            (K.STEP_DUE, "pia", date(2026, 5, 4)),
            (K.STEP_DUE, "pia", date(2026, 5, 6)),
        ]
        done = NextStep.objects.create(
            dialogue=dialogue,
            child=self.emma,
            text="Allerede gjort",
            owner_kind="fagperson",
            owner_user=self.pia,
            due=date(2026, 5, 8),
            done_on=date(2026, 5, 7),
        )
        sweep(date(2026, 5, 8))
        assert not Reminder.objects.filter(object_key=f"step:{done.pk}").exists()

    def test_a_meeting_step_reminds_its_owner_or_the_recorder_and_links_the_meeting(self):
        meeting = Meeting.objects.create(case=self.case, scheduled_on=date(2026, 4, 15))
        meeting.hold(on=date(2026, 4, 15), decision=Decision.CONTINUE, by=self.rasmus)
        for text, user in (("Observér i børnehaven", self.karen), ("Far følger Emma", None)):
            NextStep.objects.create(
                meeting=meeting,
                child=self.emma,
                text=text,
                owner_kind="fagperson" if user else "barn",
                owner_user=user,
                due=date(2026, 5, 4),
            )
        sweep(date(2026, 5, 4))
        reminders_sent = Reminder.objects.order_by("recipient__username")
        assert [(r.kind, r.recipient.username) for r in reminders_sent] == [
            (K.STEP_DUE, "karen"),
            (K.STEP_DUE, "rasmus"),
        ]
        assert {r.url for r in reminders_sent} == {meeting.get_absolute_url()}
        assert "fra et opfølgningsmøde" in mail.outbox[0].body

    def test_an_underretning_past_its_deadlines_reminds_the_raadgivning(self):
        # Received Thursday 2 April 2026 at 15:00, before Easter: 24 hours run to
        # Friday 3 April 15:00; 6 working days (skipping Easter) end Tuesday 14 April.
        item = Underretning.objects.create(
            child=self.emma, made_by=self.pia, received_at=at(date(2026, 4, 2), 15), about="x"
        )
        assert item.receipt_deadline == date(2026, 4, 14)
        day = date(2026, 4, 2)
        while day <= date(2026, 4, 20):
            sweep(day)
            day += timedelta(days=1)
        # The leader and the caseworker; the 4-hour warning needs the 15-minute sweep
        # (followups/tests/test_underretning_reminders.py).
        assert sent() == [
            (K.UNDERRETNING_RECEIPT_DUE, "lise", date(2026, 4, 13)),
            (K.UNDERRETNING_RECEIPT_DUE, "rasmus", date(2026, 4, 13)),
            (K.UNDERRETNING_24H, "lise", date(2026, 4, 3)),
            (K.UNDERRETNING_24H, "rasmus", date(2026, 4, 3)),
            (K.UNDERRETNING_RECEIPT, "lise", date(2026, 4, 15)),
            (K.UNDERRETNING_RECEIPT, "rasmus", date(2026, 4, 15)),
        ]

    def test_the_sweep_is_on_the_beat_schedule(self):
        from followups.tasks import send_reminders
        from tidlig.celery import app

        assert send_reminders.name in app.tasks  # finalises the app, which sets the schedule
        entry = app.conf.beat_schedule["send-reminders"]
        assert entry["task"] == send_reminders.name
        # Hourly through the working day: later runs catch up a killed or late one.
        assert entry["schedule"].hour == set(range(6, 21)) and entry["schedule"].minute == {0}


def test_a_sweep_killed_mid_run_is_delivered_again():
    # acks_late + reject_on_worker_lost: safe, as planning and the outbox write and
    # send each reminder once (followups.tasks).
    from followups.tasks import send_reminders, send_underretning_reminders

    for task in (send_reminders, send_underretning_reminders):
        assert task.acks_late and task.reject_on_worker_lost
