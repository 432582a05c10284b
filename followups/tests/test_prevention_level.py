"""The case's prevention level: derived from its current step on Indsatstrappen and
the child's latest zone, unless the coordinator chooses one with a reason
(case_edit, "Forebyggelsesniveau").

Rasmus coordinates Emma's case, opened 5 January 2026, with a preventive effort
(step 2) since then; Pia placed Emma in zone 2 in February. Karen (PPR) is on the
team; Lars leads Emma's børnehave and sees Emma, not the case.
"""

from datetime import date

import time_machine

from followups.models import (
    Case,
    CaseMember,
    Intervention,
    PreventionLevel,
    prevention_level_for,
)
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase


class RuleTestCase(BaseTestCase):
    def test_the_rule_reads_step_and_zone(self):
        assert prevention_level_for(1, 1) == PreventionLevel.PRIMARY
        assert prevention_level_for(None, 2) == PreventionLevel.PRIMARY
        assert prevention_level_for(1, 3) == PreventionLevel.SECONDARY
        assert prevention_level_for(2, 1) == PreventionLevel.SECONDARY
        assert prevention_level_for(None, None) == PreventionLevel.SECONDARY
        assert prevention_level_for(3, 1) == PreventionLevel.TERTIARY
        assert prevention_level_for(1, 5) == PreventionLevel.TERTIARY


@time_machine.travel(date(2026, 3, 2), tick=False)
class PreventionLevelTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=self.case, user=self.karen, profession="Psykolog")
        Intervention.objects.create(
            case=self.case, step=2, kind="Forældrekursus", start=date(2026, 1, 5)
        )
        assess(self.emma, self.pia, 2, on=date(2026, 2, 1))
        self.url = f"/sager/{self.case.pk}/ret/"

    def level(self) -> str:
        self.case.refresh_from_db()
        return self.case.prevention_level

    def test_the_derived_level_follows_a_new_assessment_zone(self):
        assert self.level() == PreventionLevel.SECONDARY
        assess(self.emma, self.pia, 4, on=date(2026, 3, 1))
        assert self.level() == PreventionLevel.TERTIARY
        self.login(self.rasmus)
        html = self.client.get(f"/sager/{self.case.pk}/").content.decode()
        assert "Tertiær forebyggelse er afledt af sagens trin" in html

    def test_the_derived_level_follows_the_step(self):
        self.case.interventions.update(end=date(2026, 2, 1))
        Intervention.objects.create(
            case=self.case, step=1, kind="Støtte i børnehaven", start=date(2026, 2, 1)
        )
        assert self.level() == PreventionLevel.PRIMARY

    def test_the_coordinator_chooses_a_level_with_a_reason(self):
        self.login(self.rasmus)
        form = self.client.get(self.url).content.decode()
        assert "Afledt af trin og zone (nu: Sekundær)" in form
        response = self.client.post(
            self.url, {"level": "tertiaer", "reason": "Mor er indlagt; far er alene."}
        )
        assert response.status_code == 302
        assert self.level() == PreventionLevel.TERTIARY
        html = self.client.get(f"/sager/{self.case.pk}/").content.decode()
        assert "Tertiær forebyggelse er valgt af tovholderen:" in html
        assert "Mor er indlagt; far er alene." in html
        assert "(Afledt af trin og zone: Sekundær.)" in html
        # A new zone does not move a level the coordinator chose.
        assess(self.emma, self.pia, 1, on=date(2026, 3, 1))
        assert self.level() == PreventionLevel.TERTIARY

    def test_a_reason_is_required(self):
        self.login(self.rasmus)
        response = self.client.post(self.url, {"level": "primaer", "reason": "  "})
        assert response.status_code == 200
        assert "Skriv, hvorfor sagen skal have et andet niveau end det afledte." in (
            response.content.decode()
        )
        self.case.refresh_from_db()
        assert (self.case.prevention_level, self.case.prevention_level_override) == (
            PreventionLevel.SECONDARY,
            "",
        )

    def test_back_to_the_derived_level(self):
        self.case.set_prevention_level("primaer", reason="Kun en lille bekymring.")
        self.login(self.rasmus)
        self.client.post(self.url, {"level": "afledt", "reason": "glemmes"})
        self.case.refresh_from_db()
        assert self.case.prevention_level == PreventionLevel.SECONDARY
        assert (self.case.prevention_level_override, self.case.prevention_level_reason) == ("", "")

    def test_only_the_coordinator_chooses(self):
        data = {"level": "tertiaer", "reason": "Fordi."}
        self.login(self.karen)  # on the team: reads the case, does not change it
        assert self.client.get(self.url).status_code == 403
        assert self.client.post(self.url, data).status_code == 403
        html = self.client.get(f"/sager/{self.case.pk}/").content.decode()
        assert "Vælg forebyggelsesniveau" not in html
        self.login(self.lars)  # sees Emma, not her case
        assert self.client.post(self.url, data).status_code == 404
        assert self.level() == PreventionLevel.SECONDARY


class DatedInterventionTestCase(BaseTestCase):
    """Emma's home-based effort (step 3) was entered with its planned end, 31 March."""

    def test_the_level_follows_an_end_day_that_has_come(self):
        with time_machine.travel(date(2026, 3, 2), tick=False):
            case = Case.objects.create(
                child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
            )
            Intervention.objects.create(
                case=case,
                step=3,
                kind="Familiebehandler",
                start=date(2026, 1, 5),
                end=date(2026, 3, 31),
            )
            assess(self.emma, self.pia, 2, on=date(2026, 2, 1))
            case.refresh_from_db()
            assert case.prevention_level == PreventionLevel.TERTIARY
        with time_machine.travel(date(2026, 4, 2), tick=False):
            from followups.tasks import refresh_prevention_levels

            assert refresh_prevention_levels() == 1
            case.refresh_from_db()
            assert case.prevention_level == PreventionLevel.PRIMARY  # no step, zone 2
            from tidlig.celery import app

            entry = app.conf.beat_schedule["prevention-levels"]
            assert entry["task"] == "followups.tasks.refresh_prevention_levels"
