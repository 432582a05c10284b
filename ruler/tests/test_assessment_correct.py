from datetime import date

from ruler.models import Assessment
from tidlig.test import BaseTestCase


class AssessmentCorrectTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.original = Assessment.objects.create(
            child=self.emma,
            author=self.pia,
            assessed_on=date(2025, 10, 1),
            zone=4,
            what_works="Leger med Ida.",
            what_worries="Græder hver morgen.",
            what_must_happen="Samtale med mor.",
            parents_involved=True,
        )

    def url(self, assessment) -> str:
        return f"/vurderinger/{assessment.pk}/ret/"

    def data(self, **overrides) -> dict:
        data = {
            "assessed_on": "2025-10-01",
            "reason": "bekymring",
            "zone": "3",
            "child_zone": "",
            "care_zone": "",
            "what_works": "Leger med Ida.",
            "what_worries": "Græder hver morgen.",
            "what_must_happen": "Samtale med mor.",
            "parents_involved": "on",
            "others_involved": "",
            "correction_note": "Zonen var tastet forkert.",
        }
        data.update(overrides)
        return data

    def test_it_prefills_the_form_with_the_assessment(self):
        self.login(self.pia)
        html = self.client.get(self.url(self.original)).content.decode()
        assert 'name="zone" value="4" checked' in html
        assert "Græder hver morgen." in html
        assert "Den gemmes som en ny version, og den tidligere version bevares." in html
        assert 'name="concern_text"' not in html

    def test_it_keeps_the_old_version_and_saves_a_new_one(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.original), self.data())
        new = Assessment.objects.get(corrects=self.original)
        assert response.status_code == 302
        assert response["Location"] == f"/vurderinger/{new.pk}/"

        self.original.refresh_from_db()
        assert self.original.zone == 4  # unchanged
        assert new.zone == 3
        assert new.child == self.emma and new.author == self.pia
        assert new.correction_note == "Zonen var tastet forkert."
        assert list(Assessment.objects.current()) == [new]
        assert new.versions() == [new, self.original]

        html = self.client.get(response["Location"]).content.decode()
        assert "Rettelsen er gemt. Den tidligere version er bevaret." in html
        assert "Versioner" in html
        assert "Zonen var tastet forkert." in html
        assert f'href="/vurderinger/{self.original.pk}/"' in html

    def test_the_old_version_points_to_the_current_one(self):
        self.login(self.pia)
        self.client.post(self.url(self.original), self.data())
        new = Assessment.objects.get(corrects=self.original)
        html = self.client.get(self.original.get_absolute_url()).content.decode()
        assert "Det her er en tidligere version, som er blevet rettet." in html
        assert f'href="/vurderinger/{new.pk}/"' in html
        assert "Ret vurderingen" not in html

    def test_it_corrects_a_correction_into_a_chain(self):
        self.login(self.pia)
        self.client.post(self.url(self.original), self.data())
        second = Assessment.objects.get(corrects=self.original)
        self.client.post(self.url(second), self.data(zone="2", correction_note="Igen."))
        third = Assessment.objects.get(corrects=second)
        assert third.versions() == [third, second, self.original]
        assert Assessment.objects.current().get() == third

    def test_it_sends_a_second_correction_of_the_same_version_to_the_current_one(self):
        self.login(self.pia)
        self.client.post(self.url(self.original), self.data())
        response = self.client.post(self.url(self.original), self.data(zone="1"))
        assert response.status_code == 302
        current = Assessment.objects.get(corrects=self.original)
        assert response["Location"] == f"/vurderinger/{current.pk}/"
        assert Assessment.objects.count() == 2

    def test_it_requires_a_note_and_saves_nothing_without_it(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.original), self.data(correction_note=""))
        assert "Skriv kort, hvad du retter og hvorfor." in response.content.decode()
        assert Assessment.objects.count() == 1

    def test_it_refuses_a_future_date(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.original), self.data(assessed_on="2999-01-01"))
        assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()
        self.original.refresh_from_db()
        assert self.original.assessed_on == date(2025, 10, 1)
        assert Assessment.objects.count() == 1

    def test_only_the_author_may_correct(self):
        self.login(self.lars)
        assert self.client.get(self.url(self.original)).status_code == 403
        assert self.client.post(self.url(self.original), self.data()).status_code == 403
        assert Assessment.objects.count() == 1

    def test_it_answers_404_for_another_units_child(self):
        oskars = Assessment.objects.create(
            child=self.oskar, author=self.pia, assessed_on=date(2025, 10, 1), zone=2
        )
        # Even as its author: Pia no longer sees Oskar, so the assessment is gone for her.
        self.login(self.pia)
        assert self.client.get(self.url(oskars)).status_code == 404
        assert self.client.post(self.url(oskars), self.data()).status_code == 404


class DeletingAChildTestCase(BaseTestCase):
    def test_a_child_with_a_corrected_assessment_can_be_deleted(self):
        from ruler.tests.factories import assess

        assess(self.emma, self.pia, 3).correct(author=self.pia, note="Forkert zone", zone=4)
        self.emma.delete()
        assert not Assessment.objects.filter(child_id=self.emma.pk).exists()
