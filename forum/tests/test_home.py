"""The forum's front page (forum.views.forum_home) and the consultant's panel of
upcoming forum meetings on the front page (desk.front.forum_meetings).

Karen (PPR) advises in Forum Nord; Pia (Solsikken) brought a case there; Sofie
(Nordby Skole) brought none; Rasmus is a caseworker.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from forum.tests.factories import bring, make_forums
from tidlig.test import BaseTestCase


class ForumHomeTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_forums(cls, meeting_on=timezone.localdate() + timedelta(days=3))
        cls.case = bring(cls, by=cls.pia, unit=cls.solsikken, meeting=cls.nord_meeting)

    def test_a_consultant_sees_the_upcoming_meetings_and_their_agendas(self):
        self.login(self.karen)
        response = self.client.get(reverse("forum_home"))
        assert response.context["meetings"] == [self.nord_meeting]
        self.assertContains(response, self.case.get_absolute_url())

    def test_the_bringer_sees_the_units_cases(self):
        self.login(self.pia)
        response = self.client.get(reverse("forum_home"))
        assert response.context["brought"] == [self.case]
        assert response.context["meetings"] == []

    def test_a_teacher_at_another_unit_sees_none_of_them(self):
        self.login(self.sofie)
        response = self.client.get(reverse("forum_home"))
        assert response.context["brought"] == []
        self.assertNotContains(response, self.case.get_absolute_url())

    def test_the_menu_shows_the_forum_to_consultants_and_units_not_caseworkers(self):
        for user, shown in ((self.karen, True), (self.pia, True), (self.rasmus, False)):
            self.login(user)
            names = [entry["name"] for entry in self.client.get("/").context["menu"]]
            assert ("forum_home" in names) == shown, user

    def test_the_consultants_front_page_lists_upcoming_forum_meetings(self):
        self.login(self.karen)
        response = self.client.get("/")
        panel = next(p for p in response.context["panels"] if p.key == "forummoeder")
        assert [item.url for item in panel.items] == [self.nord_meeting.get_absolute_url()]
        assert panel.items[0].meta == "1 sag"
