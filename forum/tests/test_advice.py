"""The forum's advice and next steps on a case (forum.views.forum_case_advice).

Karen (PPR) advises in Forum Nord; Pia brought a case from Solsikken. Maja
advises in Forum Syd.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from forum.tests.factories import bring, make_forums
from loeft.models import NextStep
from tidlig.test import BaseTestCase


class AdviceTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_forums(cls, meeting_on=timezone.localdate() + timedelta(days=3))
        cls.case = bring(cls, by=cls.pia, unit=cls.solsikken, meeting=cls.nord_meeting)

    def _data(self, **kw) -> dict:
        due = (timezone.localdate() + timedelta(days=14)).isoformat()
        data = {
            "advice": "Leg i små grupper, og ros når hun tager initiativ.",
            "skridt-TOTAL_FORMS": "3",
            "skridt-INITIAL_FORMS": "0",
            "skridt-0-text": "Sæt en legegruppe med to børn",
            "skridt-0-owner": f"u{self.pia.pk}",
            "skridt-0-due": due,
        }
        return data | kw

    def test_it_records_the_advice_and_a_step_owned_by_the_bringer(self):
        self.login(self.karen)
        response = self.client.post(reverse("forum_case_advice", args=[self.case.pk]), self._data())
        self.assertRedirects(response, self.case.get_absolute_url())
        self.case.refresh_from_db()
        assert self.case.advice.startswith("Leg i små grupper")
        assert self.case.advice_by == self.karen
        step = NextStep.objects.get()
        assert step.forum_case == self.case and step.child is None
        assert step.owner_user == self.pia
        assert step.source_url == self.case.get_absolute_url()

    def test_it_returns_to_the_meeting_when_asked(self):
        self.login(self.karen)
        response = self.client.post(
            reverse("forum_case_advice", args=[self.case.pk]), self._data(tilbage="moede")
        )
        self.assertRedirects(response, self.nord_meeting.get_absolute_url())

    def test_it_offers_the_forums_consultants_and_the_bringer_as_owners(self):
        self.login(self.karen)
        response = self.client.get(reverse("forum_case_advice", args=[self.case.pk]))
        owners = dict(response.context["steps"].forms[0].fields["owner"].choices)
        assert set(owners) == {"", f"u{self.karen.pk}", f"u{self.pia.pk}"}

    def test_it_refuses_an_owner_outside_the_forum(self):
        self.login(self.karen)
        response = self.client.post(
            reverse("forum_case_advice", args=[self.case.pk]),
            self._data(**{"skridt-0-owner": f"u{self.sofie.pk}"}),
        )
        assert response.status_code == 400
        assert not NextStep.objects.exists()

    def test_the_bringer_and_another_forums_consultant_may_not_advise(self):
        for user in (self.pia, self.maja):
            self.login(user)
            url = reverse("forum_case_advice", args=[self.case.pk])
            assert self.client.post(url, self._data()).status_code == 404
        assert not NextStep.objects.exists()
