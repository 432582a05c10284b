"""A forum meeting: its page, planning one and marking it held, the minutes PDF
(forum.views). Karen (PPR) advises in Forum Nord; Maja in Forum Syd; Pia brought
a case from Solsikken and waits for the meeting.
"""

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from forum.models import ForumMeeting
from forum.tests.factories import bring, make_forums
from tidlig.test import BaseTestCase


class MeetingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        make_forums(cls, meeting_on=cls.today + timedelta(days=3))
        cls.case = bring(cls, by=cls.pia, unit=cls.solsikken, meeting=cls.nord_meeting)

    def test_the_agenda_shows_each_case_with_its_description(self):
        self.login(self.karen)
        response = self.client.get(reverse("forum_meeting", args=[self.nord_meeting.pk]))
        self.assertContains(response, "Anonym sag: børnehave, 4 år")
        self.assertContains(response, "Hvordan støtter vi legen?")
        self.assertContains(response, reverse("forum_case_advice", args=[self.case.pk]))

    def test_another_forums_consultant_and_the_bringer_do_not_see_it(self):
        for user in (self.maja, self.pia):
            self.login(user)
            url = reverse("forum_meeting", args=[self.nord_meeting.pk])
            assert self.client.get(url).status_code == 404

    def test_a_new_meeting_takes_the_waiting_cases_and_the_consultants(self):
        waiting = bring(self, by=self.pia, unit=self.solsikken)
        self.login(self.karen)
        day = (self.today + timedelta(days=30)).isoformat()
        url = reverse("forum_meeting_create", args=[self.forum_nord.pk])
        response = self.client.get(url)
        assert list(response.context["form"].initial["participants"]) == [self.karen]
        response = self.client.post(
            url, {"date": day, "starts_at": "13:00", "participants": [self.karen.pk]}
        )
        meeting = ForumMeeting.objects.get(date=day)
        self.assertRedirects(response, meeting.get_absolute_url())
        waiting.refresh_from_db()
        assert waiting.meeting == meeting

    def test_it_marks_the_meeting_held_with_its_minutes(self):
        self.login(self.karen)
        response = self.client.post(
            reverse("forum_meeting_edit", args=[self.nord_meeting.pk]),
            {
                "date": self.nord_meeting.date.isoformat(),
                "starts_at": "13:00",
                "participants": [self.karen.pk],
                "minutes": "Tre sager drøftet.",
                "held": "on",
            },
        )
        assert response.status_code == 302
        self.nord_meeting.refresh_from_db()
        assert self.nord_meeting.is_held and self.nord_meeting.held_by == self.karen
        assert self.nord_meeting.minutes == "Tre sager drøftet."

    def test_the_minutes_download_with_a_name_that_names_no_child(self):
        self.login(self.karen)
        response = self.client.get(reverse("forum_meeting_pdf", args=[self.nord_meeting.pk]))
        day = self.nord_meeting.date
        assert response["Content-Disposition"] == (
            f'attachment; filename="referat-tvaerfagligt-forum-{day:%Y-%m-%d}.pdf"'
        )
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "Hvordan støtter vi legen?" in text
