"""The reminder to the sending unit's leaders that an overleveringsnotat is missing
(followups.reminders._transition_reminders).

Emma leaves Børnehaven Solsikken (Lars leads it, Pia is a pædagog there) on 31
July 2026 and starts at Nordby Skole on 10 August: REMIND_DAYS (30) before is 11
July. Noah starts at Nordby Skole the same day, registered late (on 1 August).
"""

from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from children.models import Enrollment, TransitionNote
from followups import reminders
from followups.models import Reminder
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")
START = date(2026, 8, 10)


def sweep(day: date) -> None:
    with time_machine.travel(datetime.combine(day, time(6), tzinfo=CPH), tick=False):
        call_command("send_reminders", stdout=StringIO())


def written() -> list[tuple[str, date]]:
    rows = Reminder.objects.filter(kind=Reminder.Kind.TRANSITION_NOTE)
    return sorted(rows.values_list("recipient__username", "due_on"))


class TransitionReminderTestCase(BaseTestCase):
    def setUp(self):
        self.lars.email = "lars@tidlig-kommune.example"
        self.lars.save()
        self.sending = Enrollment.objects.get(child=self.emma, unit=self.solsikken)
        self.sending.end = date(2026, 7, 31)
        self.sending.save()
        self.receiving = Enrollment.objects.create(child=self.emma, unit=self.skolen, start=START)

    def test_the_sending_leader_is_reminded_once_30_days_before_the_start(self):
        day = date(2026, 7, 1)
        while day <= START + timedelta(days=5):
            sweep(day)
            sweep(day)  # twice a day: nothing twice
            day += timedelta(days=1)
        # Lars, Solsikken's leader; not Pia, nor anyone at the school.
        assert written() == [("lars", date(2026, 7, 11))]
        reminder = Reminder.objects.get(kind=Reminder.Kind.TRANSITION_NOTE)
        assert reminder.url == reverse(
            "transition_note_edit", args=[self.sending.pk, self.receiving.pk]
        )
        assert reminder.subject == "Et overleveringsnotat mangler"
        assert "Et barn fra Børnehaven Solsikken starter i Nordby Skole den 10. august 2026" in (
            reminder.text
        )
        assert "Emma" not in reminder.text
        (message,) = mail.outbox
        assert message.to == ["lars@tidlig-kommune.example"]

    def test_a_finished_note_needs_no_reminder_but_a_draft_does(self):
        note = TransitionNote.objects.create(
            from_enrollment=self.sending,
            to_enrollment=self.receiving,
            author=self.pia,
            needs="Ro",
            finished_at=datetime(2026, 7, 1, 12, tzinfo=CPH),
        )
        sweep(date(2026, 7, 11))
        assert written() == []
        TransitionNote.objects.filter(pk=note.pk).update(finished_at=None)
        sweep(date(2026, 7, 12))
        assert written() == [("lars", date(2026, 7, 12))]

    def test_a_transition_registered_late_is_reminded_of_on_the_day_of_the_sweep(self):
        noahs = Enrollment.objects.get(child=self.noah, unit=self.solsikken)
        noahs.end = date(2026, 8, 7)
        noahs.save()
        Enrollment.objects.create(child=self.noah, unit=self.skolen, start=START)
        # Emma's enrollment at school is not registered until 1 August either.
        self.receiving.delete()
        sweep(date(2026, 8, 1))
        sweep(date(2026, 8, 2))
        assert written() == [("lars", date(2026, 8, 1))]

    def test_every_leader_of_the_sending_unit_once_and_no_inactive_one(self):
        second = make_user("maja", self.solsikken, Role.LEDER, first_name="Maja")
        gone = make_user("ole", self.solsikken, Role.LEDER, first_name="Ole", is_active=False)
        make_user("bo", self.skolen, Role.LEDER, first_name="Bo")  # the receiving unit's
        with time_machine.travel(datetime(2026, 7, 11, 6, tzinfo=CPH), tick=False):
            assert reminders.plan() == 2
            assert reminders.plan() == 0
        assert written() == [("lars", date(2026, 7, 11)), ("maja", date(2026, 7, 11))]
        assert gone.reminders.count() == 0 and second.reminders.count() == 1
