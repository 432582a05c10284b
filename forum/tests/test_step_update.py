"""Marking a forum step done (forum.views.forum_step_update), from Mine opgaver.

Karen (PPR) advised on Pia's anonymous case in Forum Nord: Pia owns the step.
Sofie (Nordby Skole) has nothing to do with it.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from forum.tests.factories import bring, make_forums, step
from tidlig.test import BaseTestCase


class StepUpdateTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_forums(cls, meeting_on=timezone.localdate() + timedelta(days=3))
        cls.case = bring(cls, by=cls.pia, unit=cls.solsikken, meeting=cls.nord_meeting)
        cls.step = step(cls.case, cls.pia, timezone.localdate() + timedelta(days=3))

    def test_the_owner_marks_it_done_from_mine_opgaver(self):
        self.login(self.pia)
        url = reverse("forum_step_update", args=[self.step.pk])
        response = self.client.post(url, {"comment": "Gruppen er i gang", "next": "/opgaver/"})
        self.assertRedirects(response, "/opgaver/", fetch_redirect_response=False)
        self.step.refresh_from_db()
        assert self.step.done_on == timezone.localdate() and self.step.done_by == self.pia
        assert self.client.get(reverse("my_tasks")).context["mine"] == []

    def test_it_opens_it_again(self):
        self.step.mark_done(on=timezone.localdate(), comment="", by=self.pia)
        self.login(self.pia)
        self.client.post(reverse("forum_step_update", args=[self.step.pk]), {"genaabn": "1"})
        self.step.refresh_from_db()
        assert self.step.done_on is None

    def test_it_refuses_a_day_in_the_future(self):
        self.login(self.pia)
        later = (timezone.localdate() + timedelta(days=2)).isoformat()
        self.client.post(reverse("forum_step_update", args=[self.step.pk]), {"done_on": later})
        self.step.refresh_from_db()
        assert self.step.done_on is None

    def test_someone_outside_the_case_is_refused(self):
        self.login(self.sofie)
        response = self.client.post(reverse("forum_step_update", args=[self.step.pk]), {})
        assert response.status_code == 404

    def test_the_loeft_address_does_not_take_a_forum_step(self):
        self.login(self.pia)
        response = self.client.post(reverse("next_step_update", args=[self.step.pk]), {})
        assert response.status_code == 404
