from loeft.models import Dialogue, DialogueVersion
from loeft.tests.factories import final_dialogue
from tidlig.test import BaseTestCase


def edit_post(**overrides) -> dict:
    data = {
        "version": "1",
        "held_on": "2025-09-01",
        "what_works": "Leger med Alma.",
        "agreements": "Vi mødes igen om en måned.",
    }
    data.update(overrides)
    return data


class ConcurrentEditTestCase(BaseTestCase):
    def setUp(self):
        self.dialogue = final_dialogue(self.emma, self.pia, what_works="Leger med Alma.")
        self.url = f"/loeft/{self.dialogue.pk}/rediger/"

    def test_an_edit_of_a_finalised_dialogue_is_a_new_version(self):
        self.login(self.lars)
        html = self.client.get(self.url).content.decode()
        assert 'name="version" value="1"' in html
        response = self.client.post(self.url, edit_post(agreements="Ny aftale"))
        assert response.status_code == 302
        self.dialogue.refresh_from_db()
        assert self.dialogue.version == 2 and self.dialogue.agreements == "Ny aftale"
        versions = list(DialogueVersion.objects.filter(dialogue=self.dialogue).order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].data["agreements"] == "Vi mødes igen om en måned."
        assert versions[1].data["agreements"] == "Ny aftale" and versions[1].saved_by == self.lars
        html = self.client.get(f"/loeft/{self.dialogue.pk}/").content.decode()
        assert "Version 2, gemt af Lars" in html and "Version 1, gemt af Pia" in html

    def test_the_second_of_two_concurrent_saves_is_refused_and_shows_both(self):
        # Both open version 1; Lars saves first.
        self.login(self.lars)
        assert self.client.post(self.url, edit_post(agreements="Lars' aftale")).status_code == 302

        self.login(self.pia)
        response = self.client.post(self.url, edit_post(agreements="Pias aftale"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Dine ændringer er ikke gemt" in html
        assert "Lars gemte dialogen" in html
        comparison = {row["label"]: row for row in response.context["comparison"]}
        assert comparison["Aftaler"]["theirs"] == "Lars' aftale"
        assert comparison["Aftaler"]["yours"] == "Pias aftale"
        assert comparison["Aftaler"]["differs"]
        assert not comparison["Hvad fungerer allerede?"]["differs"]
        # Nothing was overwritten.
        stored = Dialogue.objects.get(pk=self.dialogue.pk)
        assert stored.agreements == "Lars' aftale" and stored.version == 2
        assert DialogueVersion.objects.filter(dialogue=self.dialogue).count() == 2
        # Pia's text stays in the form, now against version 2.
        assert "Pias aftale</textarea>" in html
        assert 'name="version" value="2"' in html

        # Saving again deliberately, having seen Lars' version, wins.
        response = self.client.post(self.url, edit_post(version="2", agreements="Pias aftale"))
        assert response.status_code == 302
        stored.refresh_from_db()
        assert stored.agreements == "Pias aftale" and stored.version == 3

    def test_a_save_without_a_version_is_refused(self):
        self.login(self.pia)
        response = self.client.post(self.url, edit_post(version="", agreements="x"))
        assert "Dine ændringer er ikke gemt" in response.content.decode()
        self.dialogue.refresh_from_db()
        assert self.dialogue.version == 1
