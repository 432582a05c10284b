from datetime import date, timedelta

from django.utils import timezone

from loeft.models import NextStep
from loeft.tests.factories import final_dialogue, guardian
from tidlig.test import BaseTestCase


class NextStepTestCase(BaseTestCase):
    def setUp(self):
        self.dialogue = final_dialogue(
            self.emma,
            self.pia,
            steps=[
                ("Ring til mor", self.pia, date(2025, 9, 8)),
                ("Tal med PPR", self.lars, date(2025, 9, 20)),
            ],
        )
        self.step = NextStep.objects.get(text="Ring til mor")

    def test_marking_a_step_done_and_open_again(self):
        self.login(self.lars)
        response = self.client.post(
            f"/skridt/{self.step.pk}/", {"comment": "Mor var glad", "next": "/mine-opgaver/"}
        )
        assert response.status_code == 302 and response["Location"] == "/mine-opgaver/"
        self.step.refresh_from_db()
        assert self.step.done_on == timezone.localdate()
        assert self.step.done_comment == "Mor var glad" and self.step.done_by == self.lars
        assert list(NextStep.objects.open()) == [NextStep.objects.get(text="Tal med PPR")]

        response = self.client.post(f"/skridt/{self.step.pk}/", {"genaabn": "1"})
        assert response["Location"] == f"/loeft/{self.dialogue.pk}/"
        self.step.refresh_from_db()
        assert self.step.done_on is None and self.step.done_by is None

    def test_a_date_in_the_future_is_refused(self):
        self.login(self.pia)
        future = (timezone.localdate() + timedelta(days=2)).isoformat()
        response = self.client.post(f"/skridt/{self.step.pk}/", {"done_on": future})
        assert response.status_code == 400
        assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()
        self.step.refresh_from_db()
        assert self.step.done_on is None

    def test_an_unsafe_return_address_is_ignored(self):
        self.login(self.pia)
        response = self.client.post(f"/skridt/{self.step.pk}/", {"next": "https://evil.example/"})
        assert response["Location"] == f"/loeft/{self.dialogue.pk}/"

    def test_a_return_address_that_is_no_path_is_ignored(self):
        # redirect() took "a b" or "25:61" for a URL pattern's name: a 500.
        self.login(self.pia)
        for junk in ("a b", "25:61"):
            response = self.client.post(f"/skridt/{self.step.pk}/", {"genaabn": "", "next": junk})
            assert response["Location"] == f"/loeft/{self.dialogue.pk}/", junk

    def test_another_units_step_is_a_404(self):
        self.login(self.sofie)
        assert self.client.post(f"/skridt/{self.step.pk}/", {}).status_code == 404
        assert self.client.post("/skridt/987654/", {}).status_code == 404
        self.step.refresh_from_db()
        assert self.step.done_on is None

    def test_open_steps_are_on_the_child_page_the_overview_and_mine_opgaver(self):
        mother = guardian(self.emma)
        NextStep.objects.create(
            dialogue=self.dialogue,
            child=self.emma,
            text="Mor læser godnathistorie",
            owner_kind="forælder",
            owner_guardian=mother,
            due=date(2025, 9, 30),
        )
        final_dialogue(
            self.oskar, self.sofie, steps=[("Oskars skridt", self.sofie, date(2025, 9, 1))]
        )
        self.login(self.pia)
        child_page = self.client.get(self.emma.get_absolute_url()).content.decode()
        overview = self.client.get("/oversigt/").content.decode()
        for html in (child_page, overview):
            assert "Ring til mor" in html and "Tal med PPR" in html
            assert "Oskars skridt" not in html
        response = self.client.get("/mine-opgaver/")
        assert [s.text for s in response.context["mine"]] == ["Ring til mor"]
        assert [s.text for s in response.context["followed"]] == [
            "Tal med PPR",
            "Mor læser godnathistorie",
        ]
        self.login(self.lars)
        response = self.client.get("/mine-opgaver/")
        assert [s.text for s in response.context["mine"]] == ["Tal med PPR"]
        assert response.context["followed"] == []

        self.step.mark_done(on=date(2025, 9, 5), comment="", by=self.pia)
        self.login(self.pia)
        assert "Ring til mor" not in self.client.get("/oversigt/").content.decode()
