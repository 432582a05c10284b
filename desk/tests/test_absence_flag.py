"""Absence as a signal (children.absence): the flag in the unit overview and on the
front page, the one click to a concern that starts with the absence, and the
absence on the child page for those who read it.

Time stands still on 4 December 2026, so November is the latest complete month.
Pia is a pædagog and Lars the leader at Solsikken, where Emma and Noah go; Sofie
teaches at Nordby Skole, where Oskar goes; Rasmus is a caseworker.
"""

from datetime import date, timedelta
from decimal import Decimal

import time_machine
from django.test.utils import override_settings
from django.urls import reverse

from children.absence import flags
from children.access import visible_children
from children.models import AbsenceRecord, Concern, Enrollment
from followups.models import Case
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase

TODAY = date(2026, 12, 4)
NOVEMBER, OCTOBER, SEPTEMBER = date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1)


def absent(child, unit, month: date, days: str, possible: str = "20", **kw) -> AbsenceRecord:
    return AbsenceRecord.objects.create(
        child=child, unit=unit, month=month, absent=Decimal(days), possible=Decimal(possible), **kw
    )


@time_machine.travel(TODAY, tick=False)
class FlagTestCase(BaseTestCase):
    def flagged(self, user=None) -> list[str]:
        user = user or self.lars
        children = visible_children(user)
        units = [self.solsikken.pk, self.skolen.pk]
        return [flag.child.first_name for flag in flags(children, units)]

    def test_it_flags_a_child_at_the_last_month_threshold(self):
        absent(self.emma, self.solsikken, NOVEMBER, "2")  # 10 %
        absent(self.noah, self.solsikken, NOVEMBER, "1.9")  # 9.5 %

        assert self.flagged() == ["Emma"]

    def test_it_flags_a_child_over_three_months(self):
        for month, days in ((SEPTEMBER, "4"), (OCTOBER, "4"), (NOVEMBER, "1.9")):
            absent(self.emma, self.solsikken, month, days)  # 9.9 of 60: 16.5 %
        for month, days in ((SEPTEMBER, "3"), (OCTOBER, "3"), (NOVEMBER, "1.9")):
            absent(self.noah, self.solsikken, month, days)  # 7.9 of 60: 13.2 %

        assert self.flagged() == ["Emma"]
        (flag,) = flags(visible_children(self.lars), [self.solsikken.pk])
        assert (flag.window.percent, flag.window.three_month_percent) == (10, 17)

    @override_settings(ABSENCE_FLAG_LAST_MONTH_PCT=20, ABSENCE_FLAG_THREE_MONTHS_PCT=30)
    def test_the_thresholds_are_settings(self):
        absent(self.emma, self.solsikken, NOVEMBER, "3.9")  # 19.5 %
        absent(self.noah, self.solsikken, NOVEMBER, "4")  # 20 %

        assert self.flagged() == ["Noah"]

    def test_a_recent_concern_or_assessment_takes_the_flag_away(self):
        absent(self.emma, self.solsikken, NOVEMBER, "5")
        absent(self.noah, self.solsikken, NOVEMBER, "5")
        assert self.flagged() == ["Emma", "Noah"]

        # 61 days ago is not recent; 60 days ago is.
        Concern.objects.create(
            child=self.emma, author=self.pia, observed_on=TODAY - timedelta(days=61), text="..."
        )
        assert self.flagged() == ["Emma", "Noah"]
        Concern.objects.create(
            child=self.emma, author=self.pia, observed_on=TODAY - timedelta(days=60), text="..."
        )
        assert self.flagged() == ["Noah"]
        assess(self.noah, self.lars, 2, on=TODAY - timedelta(days=10))
        assert self.flagged() == []

    def test_it_looks_at_complete_months_of_the_last_two_only(self):
        # December is still running; Noah's latest complete month is September.
        absent(self.emma, self.solsikken, date(2026, 12, 1), "3", "3")
        absent(self.noah, self.solsikken, SEPTEMBER, "10")
        assert self.flagged() == []
        # October is recent enough.
        absent(self.noah, self.solsikken, OCTOBER, "3")
        assert self.flagged() == ["Noah"]

    def test_it_flags_what_was_recorded_at_the_users_units_only(self):
        # Emma's absence from a school she went to is not Solsikken's to act on.
        absent(self.emma, self.skolen, NOVEMBER, "10")
        absent(self.oskar, self.skolen, NOVEMBER, "10")

        assert flags(visible_children(self.lars), [self.solsikken.pk]) == []
        assert self.flagged(self.sofie) == ["Oskar"]

    def test_the_flag_appears_and_disappears_as_time_moves(self):
        absent(self.emma, self.solsikken, OCTOBER, "4")
        assert self.flagged() == ["Emma"]
        with time_machine.travel(date(2027, 1, 10), tick=False):
            # October is no longer one of the last two complete months.
            assert self.flagged() == []


@time_machine.travel(TODAY, tick=False)
class FlagPagesTestCase(BaseTestCase):
    def setUp(self) -> None:
        absent(self.emma, self.solsikken, OCTOBER, "1")
        absent(self.emma, self.solsikken, NOVEMBER, "3.5", unlawful=Decimal("2"))

    def test_the_unit_overview_lists_the_flagged_children(self):
        self.login(self.lars)
        page = self.client.get(reverse("unit_overview")).content.decode()

        section = page.split('id="hoejt-fravaer"', 1)[1].split("</section>", 1)[0]
        assert "Højt fravær uden nylig vurdering" in page
        assert "Emma Holm" in section
        assert "Noah" not in section
        assert "18 %" in section  # 3.5 of 20 in November
        assert "11 %" in section  # 4.5 of 40 over the months on record
        assert f"/boern/{self.emma.pk}/bekymring/?fravaer=1" in section

    def test_the_front_page_has_the_panel_with_the_one_click(self):
        for user in (self.pia, self.lars):
            self.login(user)
            page = self.client.get(reverse("home")).content.decode()
            assert 'aria-labelledby="hoejt-fravaer"' in page
            link = f'href="/boern/{self.emma.pk}/bekymring/?fravaer=1">Log bekymring om Emma'
            assert link in page
            assert "Fravær 18 % i november 2026" in page
        # Sofie's school has no one flagged; Rasmus has no unit with children.
        self.login(self.sofie)
        page = self.client.get(reverse("home")).content.decode()
        assert "Log bekymring om" not in page
        self.login(self.rasmus)
        page = self.client.get(reverse("home")).content.decode()
        assert 'aria-labelledby="hoejt-fravaer"' not in page

    def test_one_click_opens_the_concern_form_with_the_absence_noted(self):
        self.login(self.pia)
        url = reverse("concern_create", args=[self.emma.pk]) + "?fravaer=1"
        response = self.client.get(url)

        text = response.context["concern_form"]["text"].value()
        assert text.startswith(
            "Fravær: 18 % i november 2026 (3,5 af 20 dage, heraf 2 ulovligt, "
            "11 % de seneste tre måneder)."
        )
        # Nothing is saved until the professional sends the form.
        assert not Concern.objects.exists()

        response = self.client.post(
            reverse("concern_create", args=[self.emma.pk]),
            {"observed_on": TODAY.isoformat(), "text": text + "Emma virker træt.", "zone": ""},
        )
        assert response.status_code == 302
        assert Concern.objects.get().text.endswith("Emma virker træt.")
        self.login(self.lars)
        page = self.client.get(reverse("unit_overview")).content.decode()
        assert "/bekymring/?fravaer=1" not in page

    def test_without_absence_the_form_starts_empty(self):
        self.login(self.pia)
        url = reverse("concern_create", args=[self.noah.pk]) + "?fravaer=1"
        assert not self.client.get(url).context["concern_form"]["text"].value()


@time_machine.travel(TODAY, tick=False)
class ChildPageAbsenceTestCase(BaseTestCase):
    def setUp(self) -> None:
        absent(self.oskar, self.skolen, OCTOBER, "1")
        absent(self.oskar, self.skolen, NOVEMBER, "4", unlawful=Decimal("1.5"))

    def _page(self, user, child) -> str:
        self.login(user)
        response = self.client.get(reverse("child", args=[child.pk]))
        assert response.status_code == 200
        return response.content.decode()

    def test_the_units_staff_see_the_chart_and_the_table(self):
        page = self._page(self.sofie, self.oskar)

        assert '<h2 id="fravaer">Fravær</h2>' in page
        assert 'role="img"' in page and "Fravær pr. måned" in page
        assert "November 2026" in page
        assert "4 af 20 dage" in page
        assert "1,5" in page
        assert "<style" not in page.split('id="fravaer"', 1)[1].split("</section>", 1)[0]

    def test_another_unit_does_not_see_the_absence(self):
        # Oskar is enrolled at Solsikken too: Lars sees Oskar, not the school's absence.
        Enrollment.objects.create(child=self.oskar, unit=self.solsikken, start=date(2026, 8, 1))
        page = self._page(self.lars, self.oskar)

        assert 'id="fravaer"' not in page

    def test_the_case_team_sees_it(self):
        Case.objects.create(child=self.oskar, coordinator=self.rasmus, opened_on=TODAY)
        page = self._page(self.rasmus, self.oskar)

        assert 'id="fravaer"' in page
