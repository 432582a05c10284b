"""An anonymous forum case never reveals the child to the consultants: no page of
the forum, nor the minutes' PDF, shows the child's first name, last name or CPR
number, and no link leads to the child's page.

Pia (Solsikken) brought Emma Holm anonymously to Forum Nord, where Karen (PPR)
advises; the advice and a next step are recorded.
"""

import io
import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from forum.tests.factories import bring, make_forums, step
from tidlig.test import BaseTestCase


class AnonymityTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        make_forums(cls, meeting_on=today + timedelta(days=3))
        cls.case = bring(cls, by=cls.pia, unit=cls.solsikken, meeting=cls.nord_meeting)
        cls.case.advice = "Leg i små grupper."
        cls.case.advice_by, cls.case.advice_on = cls.karen, today
        cls.case.save()
        step(cls.case, cls.pia, today + timedelta(days=10))
        cls.waiting = bring(cls, by=cls.pia, unit=cls.solsikken)

    def _assert_anonymous(self, text: str, where: str) -> None:
        cpr = self.emma.reveal_cpr()
        for secret in ("Emma", "Holm", cpr, cpr.replace("-", "")):
            assert secret not in text, f"{secret!r} on {where}"
        links = re.findall(r'href="([^"]*)"', text)
        child_url = reverse("child", args=[self.emma.pk])
        assert not [link for link in links if link.startswith(child_url)], where

    def test_no_forum_page_or_pdf_reveals_the_child(self):
        self.login(self.karen)
        pages = [
            reverse("forum_home"),
            reverse("home"),
            reverse("forum_meeting", args=[self.nord_meeting.pk]),
            reverse("forum_meeting_edit", args=[self.nord_meeting.pk]),
            reverse("forum_case", args=[self.case.pk]),
            reverse("forum_case", args=[self.waiting.pk]),
            reverse("forum_case_advice", args=[self.case.pk]),
            reverse("my_tasks"),
        ]
        for url in pages:
            response = self.client.get(url)
            assert response.status_code == 200, url
            self._assert_anonymous(response.text, url)
        assert "Leg i små grupper." in self.client.get(pages[2]).text
        response = self.client.get(reverse("forum_meeting_pdf", args=[self.nord_meeting.pk]))
        text = "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        assert "Leg i små grupper." in text
        self._assert_anonymous(text, "the minutes")
        assert "Emma" not in response["Content-Disposition"]

    def test_the_bringers_pages_name_no_child_either(self):
        self.login(self.pia)
        for url in (reverse("forum_case", args=[self.case.pk]), reverse("my_tasks")):
            response = self.client.get(url)
            self._assert_anonymous(response.text, url)
            assert "Anonym sag" in response.text

    def test_the_step_of_an_anonymous_case_is_in_the_owners_tasks(self):
        self.login(self.pia)
        response = self.client.get(reverse("my_tasks"))
        assert [s.text for s in response.context["mine"]] == ["Observér legen i en uge"]
        self.assertContains(response, "Anonym sag i Forum Nord")
        self.assertContains(response, reverse("forum_case", args=[self.case.pk]))
        self.assertContains(
            response, reverse("forum_step_update", args=[self.case.next_steps.get().pk])
        )
        assert date.today()  # the page needs no child to show the step
