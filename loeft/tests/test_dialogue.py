from datetime import date, timedelta

from auditlog.models import LogEntry
from django.utils import timezone

from children.audit import Event
from loeft.models import Dialogue, DialogueVersion, NextStep, Owner, Status
from loeft.tests.factories import dialogue_post, final_dialogue, guardian
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase


class DialogueTestCase(BaseTestCase):
    def setUp(self):
        self.mother = guardian(self.emma)

    def _start(self, user=None, **post) -> Dialogue:
        self.login(user or self.pia)
        response = self.client.post(f"/boern/{self.emma.pk}/loeft/", post)
        dialogue = Dialogue.objects.latest("pk")
        assert response.status_code == 302
        assert response["Location"] == f"/loeft/{dialogue.pk}/rediger/"
        return dialogue

    def test_it_creates_a_dialogue_with_next_steps(self):
        assessment = assess(self.emma, self.pia, 3)
        dialogue = self._start(vurdering=assessment.pk)
        assert dialogue.status == Status.DRAFT and dialogue.assessment == assessment
        html = self.client.get(f"/loeft/{dialogue.pk}/rediger/").content.decode()
        assert "Hvornår går det bare lidt bedre?" in html  # the LØFT hints
        assert "Maria Holm (mor)" in html  # the child's guardians as owners

        post = dialogue_post(
            afslut="1",
            professionals=[str(self.pia.pk), str(self.lars.pk)],
            guardians=[str(self.mother.pk)],
            child_took_part="on",
            **{
                "skridt-0-text": "Far afleverer tirsdag",
                "skridt-0-owner": f"g{self.mother.pk}",
                "skridt-0-due": "2025-09-15",
                "skridt-1-text": "Pia tager imod Emma ved døren",
                "skridt-1-owner": f"u{self.pia.pk}",
                "skridt-1-due": "2025-09-08",
                "skridt-2-text": "Emma tegner en tegning til far",
                "skridt-2-owner": "barn",
                "skridt-2-due": "2025-09-10",
            },
        )
        response = self.client.post(f"/loeft/{dialogue.pk}/rediger/", post)
        assert response.status_code == 302 and response["Location"] == f"/loeft/{dialogue.pk}/"
        dialogue.refresh_from_db()
        assert dialogue.status == Status.FINAL and dialogue.version == 1
        assert dialogue.held_on == date(2025, 9, 1)
        assert dialogue.agreements == "Emma afleveres af far tirsdag og torsdag."
        assert (dialogue.scale_now, dialogue.scale_goal) == (4, 7)
        assert set(dialogue.professionals.all()) == {self.pia, self.lars}
        assert list(dialogue.guardians.all()) == [self.mother]
        assert dialogue.child_took_part and dialogue.draft_data == {}
        steps = {s.text: s for s in dialogue.next_steps.all()}
        assert steps["Far afleverer tirsdag"].owner_kind == Owner.PARENT
        assert steps["Far afleverer tirsdag"].owner_guardian == self.mother
        assert steps["Pia tager imod Emma ved døren"].owner_user == self.pia
        assert steps["Emma tegner en tegning til far"].owner_kind == Owner.CHILD
        assert all(s.child == self.emma for s in steps.values())
        version = DialogueVersion.objects.get(dialogue=dialogue)
        assert version.number == 1 and version.saved_by == self.pia
        assert version.data["agreements"] == dialogue.agreements

        html = self.client.get(f"/loeft/{dialogue.pk}/").content.decode()
        assert "Emma afleveres af far tirsdag og torsdag." in html
        assert "Pia tager imod Emma ved døren" in html and "Maria Holm" in html

    def test_bad_input_is_refused_in_danish_and_nothing_is_finalised(self):
        dialogue = self._start()
        future = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = self.client.post(
            f"/loeft/{dialogue.pk}/rediger/",
            dialogue_post(afslut="1", held_on=future, **{"skridt-0-text": "Ring til mor"}),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Datoen kan ikke ligge i fremtiden." in html
        assert "Vælg, hvem der gør det." in html
        assert "Skriv, hvornår det senest skal være gjort." in html
        dialogue.refresh_from_db()
        assert dialogue.status == Status.DRAFT and not NextStep.objects.exists()
        # What was typed is still in the form and in the draft.
        assert "Ring til mor" in html and "Aflevering uden gråd." in html
        assert dialogue.draft_data["skridt-0-text"] == ["Ring til mor"]

        response = self.client.post(
            f"/loeft/{dialogue.pk}/rediger/", dialogue_post(afslut="1", held_on="")
        )
        html = response.content.decode()
        assert "Skriv datoen for dialogen." in html
        assert "Skriv mindst ét næste skridt" in html
        assert not DialogueVersion.objects.exists()

    def test_autosave_keeps_the_draft_through_a_flushed_session(self):
        dialogue = self._start()
        typed = dialogue_post(what_works="Hun griner, når far henter.", **{"skridt-0-text": "Ring"})
        response = self.client.post(f"/loeft/{dialogue.pk}/kladde/", typed, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "Kladde gemt kl. " in response.content.decode()
        dialogue.refresh_from_db()
        assert dialogue.draft_data["what_works"] == ["Hun griner, når far henter."]
        assert dialogue.status == Status.DRAFT

        # The session ends (idle timeout, another login…) while the user types on.
        self.client.session.flush()
        later = dict(typed, what_works="Noget nyt")
        response = self.client.post(f"/loeft/{dialogue.pk}/kladde/", later, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Du er blevet logget ud" in html
        assert f'href="/login/?next=/loeft/{dialogue.pk}/rediger/"' in html
        dialogue.refresh_from_db()
        assert dialogue.draft_data["what_works"] == ["Hun griner, når far henter."]

        # Going back to the draft asks for a login, then lands in the draft.
        response = self.client.get(f"/loeft/{dialogue.pk}/rediger/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        self.login(self.pia)
        html = self.client.get(f"/loeft/{dialogue.pk}/rediger/").content.decode()
        assert "Hun griner, når far henter." in html
        assert 'value="Ring"' in html
        assert f'data-draft-key="tidlig-loeft-{dialogue.pk}"' in html
        assert "Kladde gemt kl. " in html

    def test_autosave_leaves_out_nul_characters(self):
        # PostgreSQL refuses \u0000 in the JSON column: a 500 before.
        dialogue = self._start()
        typed = dialogue_post(what_works="Hun\x00 griner", **{"skrid\x00t": "x\x00"})
        response = self.client.post(f"/loeft/{dialogue.pk}/kladde/", typed, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        dialogue.refresh_from_db()
        assert dialogue.draft_data["what_works"] == ["Hun griner"]
        assert dialogue.draft_data["skridt"] == ["x"]

    def test_a_draft_with_a_step_count_that_is_no_number_opens(self):
        dialogue = self._start()
        for junk in ("x", "²", "-1"):
            self.client.post(f"/loeft/{dialogue.pk}/kladde/", {"skridt-TOTAL_FORMS": junk})
            assert self.client.get(f"/loeft/{dialogue.pk}/rediger/").status_code == 200, junk

    def test_an_assessment_that_is_no_number_is_ignored(self):
        # "²" passed str.isdigit() and then failed in int(): a 500 before.
        for junk in ("²", "٣x", "abc"):
            Dialogue.objects.all().delete()
            dialogue = self._start(vurdering=junk)
            assert dialogue.assessment is None

    def test_a_draft_is_only_visible_to_its_author(self):
        dialogue = self._start()
        self.client.post(f"/loeft/{dialogue.pk}/kladde/", dialogue_post(agreements="Hemmeligt"))
        self.login(self.lars)  # same unit, may see Emma
        for url in (f"/loeft/{dialogue.pk}/rediger/", f"/loeft/{dialogue.pk}/"):
            assert self.client.get(url).status_code == 404
        assert self.client.post(f"/loeft/{dialogue.pk}/kladde/", {"x": "1"}).status_code == 404
        html = self.client.get(self.emma.get_absolute_url()).content.decode()
        assert "kladde" not in html.lower() and "Hemmeligt" not in html
        self.login(self.pia)
        html = self.client.get(self.emma.get_absolute_url()).content.decode()
        assert "Du har en kladde til en LØFT-dialog" in html

    def test_starting_again_returns_to_the_users_own_draft(self):
        first = self._start()
        second = self._start()
        assert first == second and Dialogue.objects.count() == 1

    def test_a_draft_can_be_deleted_by_its_author(self):
        dialogue = self._start()
        response = self.client.post(f"/loeft/{dialogue.pk}/slet-kladde/")
        assert response.status_code == 302 and not Dialogue.objects.exists()

    def test_a_too_large_draft_is_refused(self):
        dialogue = self._start()
        response = self.client.post(f"/loeft/{dialogue.pk}/kladde/", {"what_works": "x" * 200_001})
        assert response.status_code == 400

    def test_another_units_child_is_a_404(self):
        dialogue = final_dialogue(self.emma, self.pia)
        self.login(self.sofie)
        assert self.client.post(f"/boern/{self.emma.pk}/loeft/").status_code == 404
        for url in (
            f"/loeft/{dialogue.pk}/",
            f"/loeft/{dialogue.pk}/rediger/",
            f"/loeft/{dialogue.pk}/pdf/",
        ):
            assert self.client.get(url).status_code == 404
        assert (
            self.client.post(f"/loeft/{dialogue.pk}/rediger/", dialogue_post()).status_code == 404
        )
        assert not Dialogue.objects.filter(child=self.emma, author=self.sofie).exists()

    def test_the_assessment_page_offers_to_start_a_dialogue(self):
        assessment = assess(self.emma, self.pia, 3)
        self.login(self.pia)
        html = self.client.get(assessment.get_absolute_url()).content.decode()
        form = html.split(f'action="/boern/{self.emma.pk}/loeft/"')[1].split("</form>")[0]
        assert f'name="vurdering" value="{assessment.pk}"' in form
        assert "Start LØFT-dialog med familien" in form

    def test_reading_and_changing_are_audited(self):
        dialogue = final_dialogue(self.emma, self.pia)
        self.login(self.lars)
        self.client.get(f"/loeft/{dialogue.pk}/")
        entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
        assert entry.additional_data["child"] == self.emma.pk
        assert entry.additional_data["event"] == Event.READ
        assert entry.actor == self.lars
