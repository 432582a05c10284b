from datetime import date

from auditlog.models import LogEntry
from django.urls import reverse

from children.audit import Event
from followups.models import Case, CaseMember
from ruler.models import ZoneGuide
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase


class AssessmentDetailTestCase(BaseTestCase):
    def test_it_shows_the_guide_for_each_zone(self):
        self.login(self.pia)
        expected = {
            1: "Fortæl forældrene, hvad I ser går godt.",
            2: "Aftal med kollegerne, hvad I gør lidt anderledes i hverdagen.",
            3: "Tag barnet op på teammødet",
            4: "Inddrag de konsultative funktioner",
            5: "Du skal underrette kommunen nu",
        }
        for zone, words in expected.items():
            assessment = assess(self.emma, self.pia, zone)
            html = self.client.get(assessment.get_absolute_url()).content.decode()
            assert f"Emma Holm er i zone {zone}" in html
            assert f"Handleguide for zone {zone} · " in html
            assert words in html, zone
            for other_zone, other_words in expected.items():
                if other_zone != zone:
                    assert other_words not in html, (zone, other_zone)

    def test_it_shows_the_municipalitys_own_guide_text(self):
        text = "Ring til PPR-rådgiveren i distriktet.\n\n- Aftal tid"
        ZoneGuide.objects.create(zone=3, text=text)
        self.login(self.pia)
        html = self.client.get(assess(self.emma, self.pia, 3).get_absolute_url()).content.decode()
        assert "<p>Ring til PPR-rådgiveren i distriktet.</p>" in html
        assert "<li>Aftal tid</li>" in html
        assert "Tag barnet op på teammødet" not in html

    def test_it_says_an_underretning_must_be_made_at_zone_5(self):
        self.login(self.pia)
        html = self.client.get(assess(self.emma, self.pia, 5).get_absolute_url()).content.decode()
        assert "Der skal laves en underretning nu" in html
        assert "Barnets Lov § 133" in html
        html = self.client.get(assess(self.emma, self.pia, 4).get_absolute_url()).content.decode()
        assert "Er der lavet en underretning?" in html
        html = self.client.get(assess(self.emma, self.pia, 2).get_absolute_url()).content.decode()
        assert "underretning" not in html.lower()

    def test_it_offers_the_next_actions_for_the_zone(self):
        self.login(self.pia)
        child = self.emma.pk
        loeft = f'<form method="post" action="/boern/{child}/loeft/">'
        escalate = f'href="/boern/{child}/send-videre/"'
        underretning = f'href="/boern/{child}/underretning/"'

        html = self.client.get(assess(self.emma, self.pia, 2).get_absolute_url()).content.decode()
        assert loeft not in html and escalate not in html and underretning not in html

        html = self.client.get(assess(self.emma, self.pia, 3).get_absolute_url()).content.decode()
        assert loeft in html
        assert f'{escalate} class="button button-secondary"' in html
        assert underretning not in html

        html = self.client.get(assess(self.emma, self.pia, 4).get_absolute_url()).content.decode()
        assert f'{escalate} class="button button-primary"' in html
        assert f'{underretning} class="button button-secondary"' in html

        html = self.client.get(assess(self.emma, self.pia, 5).get_absolute_url()).content.decode()
        assert f'{underretning} class="button button-primary"' in html
        # At zone 5 the underretning comes first.
        assert html.index(underretning) < html.index(loeft) < html.index(escalate)

    def test_it_offers_sending_the_child_on_to_its_own_units_staff_only(self):
        # Rasmus coordinates Emma's case and Karen is on its team: they read her
        # assessments, but only Solsikken sends her to Børn & Ungerådgivningen.
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=case, user=self.karen, profession="Psykolog")
        assessment = assess(self.emma, self.pia, 4)
        escalate = f'href="/boern/{self.emma.pk}/send-videre/"'
        for user in (self.pia, self.lars, self.rasmus, self.karen):
            self.login(user)
            for page in (assessment.get_absolute_url(), self.emma.get_absolute_url()):
                html = self.client.get(page).content.decode()
                assert (escalate in html) == (user in (self.pia, self.lars)), (user, page)
        assert self.client.get(f"/boern/{self.emma.pk}/send-videre/").status_code == 404

    def test_starting_a_loeft_dialogue_is_a_form_that_posts_the_assessment(self):
        self.login(self.pia)
        assessment = assess(self.emma, self.pia, 4)
        html = self.client.get(assessment.get_absolute_url()).content.decode()
        form = html.split(f'<form method="post" action="/boern/{self.emma.pk}/loeft/">')[1]
        form = form.split("</form>")[0]
        assert 'name="csrfmiddlewaretoken"' in form
        assert f'<input type="hidden" name="vurdering" value="{assessment.pk}">' in form
        assert "Start LØFT-dialog med familien</button>" in form

    def test_it_logs_the_read(self):
        assessment = assess(self.emma, self.pia, 3)
        self.login(self.lars)
        before = LogEntry.objects.order_by("pk").last().pk
        self.client.get(assessment.get_absolute_url())
        entry = LogEntry.objects.filter(pk__gt=before).get()
        assert entry.action == LogEntry.Action.ACCESS
        assert entry.additional_data["child"] == self.emma.pk
        assert entry.additional_data["event"] == Event.READ

    def test_it_answers_404_for_another_units_child_and_unknown_ids(self):
        self.login(self.pia)
        assessment = assess(self.oskar, self.sofie, 2)
        assert self.client.get(assessment.get_absolute_url()).status_code == 404
        assert self.client.get(reverse("assessment", args=[987654])).status_code == 404

    def test_it_offers_a_correction_only_to_the_author(self):
        assessment = assess(self.emma, self.pia, 3)
        self.login(self.pia)
        assert "Ret vurderingen" in self.client.get(assessment.get_absolute_url()).content.decode()
        self.login(self.lars)
        html = self.client.get(assessment.get_absolute_url()).content.decode()
        assert "Ret vurderingen" not in html
