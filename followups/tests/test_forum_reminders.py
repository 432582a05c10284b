"""The forum meeting's reminder (followups.reminders._forum_reminders) and a forum
step's (STEP_DUE): once, two hverdage before, naming no child.

Karen (PPR) takes part in Forum Nord's meeting on Thursday 12 March 2026; Pia
brought Emma anonymously. Sofie brought nothing.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail

from followups import reminders
from followups.models import Reminder
from forum.tests.factories import bring, make_forums, step
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")


class ForumReminderTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_forums(cls, meeting_on=date(2026, 3, 12))
        for user in (cls.karen, cls.pia, cls.sofie):
            user.email = f"{user.username}@example.dk"
            user.save()
        cls.case = bring(cls, by=cls.pia, unit=cls.solsikken, meeting=cls.nord_meeting)

    def test_it_reminds_the_participants_and_the_bringers_two_hverdage_before(self):
        with time_machine.travel(datetime(2026, 3, 9, 7, tzinfo=CPH), tick=False):
            assert not reminders.plan(date(2026, 3, 9))
            assert not Reminder.objects.filter(kind=Reminder.Kind.FORUM_MEETING).exists()
        with time_machine.travel(datetime(2026, 3, 10, 7, tzinfo=CPH), tick=False):
            reminders.sweep(date(2026, 3, 10))
            reminders.sweep(date(2026, 3, 10))
        rows = Reminder.objects.filter(kind=Reminder.Kind.FORUM_MEETING)
        assert {r.recipient for r in rows} == {self.karen, self.pia}
        assert rows.count() == 2
        karens = rows.get(recipient=self.karen)
        assert karens.url == self.nord_meeting.get_absolute_url()
        assert "Forum Nord" in karens.text and "1 sag" in karens.text
        sent = [m for m in mail.outbox if "Forum Nord" in m.subject]
        assert len(sent) == 2
        for message in sent:
            body = message.body + message.subject
            assert "Emma" not in body and "Holm" not in body

    def test_a_forum_steps_reminder_links_to_the_case_and_names_no_child(self):
        step(self.case, self.pia, date(2026, 3, 20))
        with time_machine.travel(datetime(2026, 3, 20, 7, tzinfo=CPH), tick=False):
            reminders.plan(date(2026, 3, 20))
        row = Reminder.objects.get(kind=Reminder.Kind.STEP_DUE)
        assert row.recipient == self.pia
        assert row.url == self.case.get_absolute_url()
        assert "tværfagligt forum" in row.text and "Emma" not in row.text
