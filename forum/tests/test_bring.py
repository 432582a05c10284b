"""Bringing a child to the tværfaglige forum (forum.views.forum_bring).

Pia is a pædagog at Solsikken, where Emma goes; Sofie teaches at Nordby Skole.
Karen (PPR) advises in Forum Nord, which Solsikken brings its cases to.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from children.models import Concern, Consent, Guardian, Relation
from children.sharing import Purpose
from forum.models import Forum, ForumCase, ForumMeeting
from forum.tests.factories import make_forums
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase

NOW = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))


@time_machine.travel(NOW, tick=False)
class BringTestCase(BaseTestCase):
    forum_nord: Forum
    forum_syd: Forum
    nord_meeting: ForumMeeting

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_forums(cls, meeting_on=date(2026, 3, 10))
        assess(cls.emma, cls.pia, 3, on=date(2026, 2, 1))
        Concern.objects.create(
            child=cls.emma,
            author=cls.pia,
            observed_on=date(2026, 2, 20),
            text="Meget fravær. Emma leger alene.",
        )
        cls.mother = Guardian.objects.create(
            child=cls.emma, name="Mette Holm", relation=Relation.MOTHER
        )

    def _data(self, **kw) -> dict:
        data = {
            "forum": self.forum_nord.pk,
            "mode": "anonym",
            "age_years": 4,
            "unit_kind": "boernehave",
            "seen": "Meget fravær og leger alene.",
            "zone": 3,
            "what_works": "",
            "what_worries": "",
            "what_must_happen": "",
            "question": "Hvordan får vi hende med i legen?",
        }
        return data | kw

    def test_it_prefills_the_description_from_the_child(self):
        self.login(self.pia)
        response = self.client.get(reverse("forum_bring", args=[self.emma.pk]))
        form = response.context["form"]
        assert form["age_years"].value() == self.emma.age()
        assert form["unit_kind"].value() == "boernehave"
        assert form["zone"].value() == 3
        # Her name is taken out of what the forum reads.
        assert form["seen"].value() == "Meget fravær. barnet leger alene."
        assert form["mode"].value() == "anonym"

    def test_it_brings_the_child_anonymously_and_stores_no_link_to_it(self):
        self.login(self.pia)
        response = self.client.post(reverse("forum_bring", args=[self.emma.pk]), self._data())
        case = ForumCase.objects.get()
        self.assertRedirects(response, case.get_absolute_url())
        assert case.child is None and case.consent is None
        assert case.meeting == self.nord_meeting
        assert case.unit == self.solsikken and case.brought_by == self.pia
        entry = LogEntry.objects.get_for_object(case).get()
        assert "child" not in (entry.additional_data or {})
        assert entry.changes_dict["child"] == ["None", "None"]
        assert entry.changes_dict["consent"] == ["None", "None"]
        assert not Consent.objects.exists()

    def test_it_links_the_child_with_the_parents_consent(self):
        self.login(self.pia)
        data = self._data(mode="samtykke", guardian=self.mother.pk, given_on="2026-03-01")
        self.client.post(reverse("forum_bring", args=[self.emma.pk]), data)
        case = ForumCase.objects.get()
        assert case.child == self.emma
        consent = case.consent
        assert consent.purpose == Purpose.MEETING and consent.guardian == self.mother
        assert list(consent.units.all()) == [self.ppr]

    def test_it_asks_for_the_guardian_and_date_with_consent(self):
        self.login(self.pia)
        response = self.client.post(
            reverse("forum_bring", args=[self.emma.pk]), self._data(mode="samtykke")
        )
        assert response.status_code == 400
        assert "Vælg den forælder, der har givet samtykke." in response.text
        assert not ForumCase.objects.exists()

    def test_it_refuses_an_anonymous_description_that_names_the_child(self):
        self.login(self.pia)
        data = self._data(question="Hvordan hjælper vi emma holm?")
        response = self.client.post(reverse("forum_bring", args=[self.emma.pk]), data)
        self.assertContains(response, "Teksten nævner barnets navn.", status_code=400)
        assert not ForumCase.objects.exists()

    def test_it_offers_only_the_forums_of_the_users_units(self):
        self.forum_syd.units.set([])
        self.login(self.pia)
        response = self.client.post(
            reverse("forum_bring", args=[self.emma.pk]), self._data(forum=self.forum_syd.pk)
        )
        assert response.status_code == 400
        assert not ForumCase.objects.exists()

    def test_it_says_so_when_the_unit_brings_to_no_forum(self):
        self.forum_nord.units.set([])
        self.login(self.pia)
        response = self.client.get(reverse("forum_bring", args=[self.emma.pk]))
        self.assertContains(response, "ikke knyttet til et tværfagligt forum")

    def test_it_is_404_for_another_units_child(self):
        self.login(self.sofie)
        response = self.client.get(reverse("forum_bring", args=[self.emma.pk]))
        assert response.status_code == 404
