from datetime import date, timedelta

from auditlog.models import LogEntry
from django.utils import timezone

from children.models import Concern
from ruler.models import Assessment, Reason
from tidlig.test import BaseTestCase

SEEN = "Emma sidder alene ved frokosten og spiser næsten ingenting."


class AssessmentCreateTestCase(BaseTestCase):
    """The one form for a concern and its zone, with a zone; without one:
    test_concern_create.py."""

    def url(self, child) -> str:
        return f"/boern/{child.pk}/bekymring/"

    def data(self, **overrides) -> dict:
        data = {
            "observed_on": "2025-11-03",
            "text": SEEN,
            "parents_informed": "on",
            "reason": "bekymring",
            "zone": "3",
            "child_zone": "",
            "care_zone": "",
            "what_works": "Hun leger godt med Ida.",
            "what_worries": "Hun spiser ikke og trækker sig fra de andre.",
            "what_must_happen": "LØFT-samtale med forældrene inden for to uger.",
            "parents_involved": "on",
            "others_involved": "Lars, leder",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def test_it_shows_the_ruler_as_five_clickable_zones(self):
        self.login(self.pia)
        html = self.client.get(self.url(self.emma)).content.decode()
        for number, name in enumerate(
            ["Trivsel", "Moderat trivsel", "Sårbar", "Udsat", "Truet"], start=1
        ):
            assert f'name="zone" value="{number}"' in html
            assert f'<span class="tidlig-ruler-name">{name}</span>' in html
        assert '<select name="zone"' not in html
        # The zone (with "Ingen zone nu"), the child's own and the parents' care.
        assert html.count('class="tidlig-ruler-input"') == 6 + 6 + 6

    def test_it_marks_the_columns_as_required_only_in_zone_3_to_5(self):
        self.login(self.pia)
        html = self.client.get(self.url(self.emma)).content.decode()
        assert html.count("(skal udfyldes i zone 3–5)") == 3
        assert '(valgfrit)</span></label>\n  <span class="form-hint" id="id_what' not in html
        assert 'aria-required="true"' not in html
        # Sent back in zone 4: the columns are marked required, each with its error.
        html = self.client.post(
            self.url(self.emma),
            self.data(zone="4", what_works="", what_worries="", what_must_happen=""),
        ).content.decode()
        assert html.count('aria-required="true"') == 3
        assert html.count('<strong data-rule="required">(skal udfyldes)</strong>') == 3
        for name in ("what_works", "what_worries", "what_must_happen"):
            assert f'id="id_{name}_error"' in html
            assert f'aria-describedby="id_{name}_helptext id_{name}_error"' in html

    def test_it_saves_one_concern_and_the_assessment_linked_to_it(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), self.data())
        assessment = Assessment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/vurderinger/{assessment.pk}/"

        assert assessment.child == self.emma
        assert assessment.author == self.pia
        assert assessment.assessed_on == date(2025, 11, 3)
        assert assessment.reason == Reason.CONCERN
        assert assessment.zone == 3
        assert assessment.child_zone is None and assessment.care_zone is None
        assert assessment.what_must_happen.startswith("LØFT-samtale")
        assert assessment.parents_involved is True
        assert assessment.others_involved == "Lars, leder"

        # The text is kept once, in the concern the assessment links to.
        concern = Concern.objects.get()
        assert assessment.concern == concern
        assert (concern.child, concern.author, concern.text) == (self.emma, self.pia, SEEN)
        assert concern.observed_on == date(2025, 11, 3)
        assert concern.parents_informed is True

    def test_it_shows_the_guide_after_saving(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), self.data(), follow=True)
        html = response.content.decode()
        assert "Bekymringen og vurderingen er gemt." in html
        assert "Handleguide for zone 3 · Sårbar" in html
        assert "Tag barnet op på teammødet" in html

    def test_it_saves_a_zone_1_assessment_with_little_text(self):
        self.login(self.pia)
        data = self.data(
            reason="loebende",
            text="",
            zone="1",
            what_works="",
            what_worries="",
            what_must_happen="",
            child_zone="1",
            care_zone="2",
        )
        response = self.client.post(self.url(self.emma), data)
        assert response.status_code == 302
        assessment = Assessment.objects.get()
        assert (assessment.zone, assessment.child_zone, assessment.care_zone) == (1, 1, 2)
        assert assessment.assessed_on == date(2025, 11, 3)
        assert assessment.concern is None
        assert not Concern.objects.exists()

    def test_it_asks_for_a_zone_when_the_columns_are_written(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), self.data(zone=None))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Vælg en zone til vurderingen, du har skrevet, eller slet teksten." in html
        assert "Bekymringen blev ikke gemt" in html
        # What was typed is still there.
        assert SEEN in html
        assert "Hun leger godt med Ida." in html
        assert not Assessment.objects.exists()
        assert not Concern.objects.exists()

    def test_it_refuses_a_date_in_the_future(self):
        self.login(self.pia)
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = self.client.post(self.url(self.emma), self.data(observed_on=tomorrow))
        assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()
        assert not Assessment.objects.exists()
        assert not Concern.objects.exists()

    def test_it_refuses_a_date_before_the_child_was_born(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), self.data(observed_on="2020-01-01"))
        assert "Datoen kan ikke ligge før barnets fødsel." in response.content.decode()
        assert not Assessment.objects.exists()

    def test_it_requires_the_three_columns_in_zone_3_to_5(self):
        self.login(self.pia)
        data = self.data(zone="4", what_works="", what_worries=" ", what_must_happen="")
        html = self.client.post(self.url(self.emma), data).content.decode()
        assert "Skriv, hvad der fungerer for barnet, når barnet er i zone 3–5." in html
        assert "Skriv, hvad der bekymrer, når barnet er i zone 3–5." in html
        assert "Skriv, hvad der skal ske, når barnet er i zone 3–5." in html
        assert not Assessment.objects.exists()

    def test_it_requires_what_was_seen_for_a_concern(self):
        self.login(self.pia)
        html = self.client.post(self.url(self.emma), self.data(text="")).content.decode()
        assert "Skriv, hvad du har set eller hørt." in html
        assert not Assessment.objects.exists()

    def test_it_asks_for_the_reason_with_a_zone(self):
        self.login(self.pia)
        html = self.client.post(self.url(self.emma), self.data(reason=None)).content.decode()
        assert "Vælg anledningen til vurderingen." in html
        assert not Assessment.objects.exists()
        assert not Concern.objects.exists()

    def test_it_still_saves_a_form_sent_to_the_old_address(self):
        # A tab opened before the one form: the old names for the date and the text.
        self.login(self.pia)
        data = self.data(text=None, observed_on=None, parents_informed=None)
        data |= {"assessed_on": "2025-11-03", "concern_text": SEEN, "parents_involved": "on"}
        response = self.client.post(f"/boern/{self.emma.pk}/vurdering/", data)
        assessment = Assessment.objects.get()
        assert response["Location"] == f"/vurderinger/{assessment.pk}/"
        assert assessment.concern.text == SEEN
        assert assessment.concern.parents_informed is True
        assert Concern.objects.count() == 1

    def test_it_refuses_an_invalid_zone(self):
        self.login(self.pia)
        html = self.client.post(self.url(self.emma), self.data(zone="9")).content.decode()
        assert "Vælg en af de fem zoner." in html
        assert not Assessment.objects.exists()

    def test_it_prefills_the_reason_from_the_link(self):
        self.login(self.pia)
        html = self.client.get(self.url(self.emma) + "?anledning=overgang").content.decode()
        assert 'value="overgang" checked' in html

    def test_it_answers_404_for_another_units_child(self):
        self.login(self.pia)
        assert self.client.get(self.url(self.oskar)).status_code == 404
        assert self.client.post(self.url(self.oskar), self.data()).status_code == 404
        old = f"/boern/{self.oskar.pk}/vurdering/"
        assert self.client.get(old).status_code == 404
        assert self.client.post(old, self.data()).status_code == 404
        assert not Assessment.objects.exists()
        assert not Concern.objects.exists()

    def test_it_writes_the_change_to_the_audit_trail(self):
        self.login(self.pia)
        before = LogEntry.objects.order_by("pk").last().pk
        self.client.post(self.url(self.emma), self.data())
        entries = LogEntry.objects.filter(pk__gt=before, action=LogEntry.Action.CREATE)
        models = {entry.content_type.model for entry in entries}
        assert models == {"assessment", "concern"}
        assert all(entry.additional_data == {"child": self.emma.pk} for entry in entries)
        assert all(entry.actor == self.pia for entry in entries)
