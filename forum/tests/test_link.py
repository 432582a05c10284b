"""Linking an anonymous case to the child with the parents' consent
(forum.views.forum_case_link).

Pia brought a child from Solsikken anonymously to Forum Nord (Karen, PPR); the
parents have since consented. Lars leads Solsikken; Sofie teaches at the school.
"""

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from children.models import Guardian, Relation
from children.sharing import Purpose
from forum.models import ForumCase
from forum.tests.factories import bring, make_forums, step
from loeft.models import NextStep
from tidlig.test import BaseTestCase


class LinkTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        make_forums(cls, meeting_on=today + timedelta(days=3))
        cls.case = bring(cls, by=cls.pia, unit=cls.solsikken, meeting=cls.nord_meeting)
        cls.step = step(cls.case, cls.karen, today + timedelta(days=5))
        cls.mother = Guardian.objects.create(
            child=cls.emma, name="Mette Holm", relation=Relation.MOTHER
        )
        cls.oskars_father = Guardian.objects.create(
            child=cls.oskar, name="Ole Berg", relation=Relation.FATHER
        )

    def _link(self, **kw):
        data = {"child": self.emma.pk, "guardian": self.mother.pk}
        data["given_on"] = timezone.localdate().isoformat()
        return self.client.post(reverse("forum_case_link", args=[self.case.pk]), data | kw)

    def test_it_links_the_case_and_its_steps_to_the_child(self):
        self.login(self.pia)
        response = self._link()
        self.assertRedirects(response, self.case.get_absolute_url())
        self.case.refresh_from_db()
        self.step.refresh_from_db()
        assert self.case.child == self.emma and self.step.child == self.emma
        assert self.case.consent.purpose == Purpose.MEETING
        assert self.case.consent.guardian == self.mother

    def test_the_consultant_then_sees_the_name_but_not_the_child_page(self):
        self.login(self.pia)
        self._link()
        self.login(self.karen)
        response = self.client.get(reverse("forum_case", args=[self.case.pk]))
        self.assertContains(response, "Emma Holm")
        self.assertNotContains(response, self.emma.reveal_cpr())
        self.assertNotContains(response, reverse("child", args=[self.emma.pk]))
        # The consent for a meeting gives no access to the child's page.
        assert self.client.get(reverse("child", args=[self.emma.pk])).status_code == 404

    def test_the_leader_of_the_unit_may_link_it(self):
        self.login(self.lars)
        assert self._link().status_code == 302

    def test_it_offers_only_the_bringing_units_children(self):
        self.login(self.pia)
        response = self._link(child=self.oskar.pk, guardian=self.oskars_father.pk)
        assert response.status_code == 400
        self.case.refresh_from_db()
        assert self.case.child is None

    def test_it_refuses_a_guardian_of_another_child(self):
        noahs = Guardian.objects.create(child=self.noah, name="Nina Lund", relation="mor")
        self.login(self.pia)
        response = self._link(guardian=noahs.pk)
        self.assertContains(response, "Forælderen hører ikke til det valgte barn.", status_code=400)

    def test_the_consultant_may_not_link_it(self):
        self.login(self.karen)
        assert self._link().status_code == 404

    def test_a_linked_case_cannot_be_linked_again(self):
        self.login(self.pia)
        self._link()
        assert self._link().status_code == 404

    def test_a_linked_case_is_in_the_parents_access_request_export(self):
        self.login(self.pia)
        self._link()
        self.login(self.lars)
        response = self.client.get(reverse("child_export_pdf", args=[self.emma.pk]))
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Drøftelser i tværfagligt forum" in text and "Forum Nord" in text
        assert "Hvordan støtter vi legen?" in text

    def test_a_linked_case_goes_with_the_child_when_it_is_deleted(self):
        self.login(self.pia)
        self._link()
        self.emma.delete()
        assert not ForumCase.objects.exists() and not NextStep.objects.exists()
