"""The underretninger about a child on its page: how many in the last 12 months,
for those who handle them (followups.queries.underretninger_for).

Pia, a pædagog at Solsikken, made one about Emma in Tidlig; a neighbour phoned in
another, closed without a case; a third went to Emma's case, which Rasmus
coordinates with Karen (PPR) on the team. Rasmus is a caseworker in Børn &
Ungerådgivningen and handles the intake. Time is frozen on 15 June 2026.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followups.models import Case, CaseMember, Underretning
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=CPH)
COUNT = "underretninger de seneste 12 måneder"


def underretning(child, received_at, **kw) -> Underretning:
    return Underretning.objects.create(
        child=child, received_at=received_at, about="Barnet er ofte sulten.", **kw
    )


@time_machine.travel(NOW, tick=False)
class ChildPageUnderretningerTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 3, 2)
        )
        CaseMember.objects.create(case=cls.case, user=cls.karen, profession="Psykolog")
        cls.pias = underretning(cls.emma, datetime(2026, 6, 5, 9, tzinfo=CPH), made_by=cls.pia)
        cls.neighbours = underretning(
            cls.emma,
            datetime(2026, 2, 10, 9, tzinfo=CPH),
            source=Underretning.Source.CITIZEN,
            channel=Underretning.Channel.PHONE,
            assessed_at=datetime(2026, 2, 10, 15, tzinfo=CPH),
            decision=Underretning.Decision.NO_ACTION,
            closed_at=datetime(2026, 2, 11, 9, tzinfo=CPH),
        )
        cls.on_the_case = underretning(
            cls.emma,
            datetime(2026, 3, 1, 9, tzinfo=CPH),
            assessed_at=datetime(2026, 3, 2, 8, tzinfo=CPH),
            decision=Underretning.Decision.UNDERSOEGELSE,
            case=cls.case,
            closed_at=datetime(2026, 3, 2, 8, tzinfo=CPH),
        )
        # More than 12 months ago: not counted.
        underretning(cls.emma, datetime(2025, 6, 1, 9, tzinfo=CPH))

    def page(self, user) -> str:
        self.login(user)
        response = self.client.get(f"/boern/{self.emma.pk}/")
        assert response.status_code == 200
        return response.content.decode()

    def test_the_caseworker_sees_the_count_and_opens_those_he_may(self):
        html = self.page(self.rasmus)

        assert f"3 {COUNT}" in html
        # The open one (the intake's) and the one on his case link to their pages;
        # the neighbour's, closed without a case, is counted but no longer his to open.
        assert f'href="/underretninger/{self.pias.pk}/"' in html
        assert f'href="/underretninger/{self.on_the_case.pk}/"' in html
        assert f'href="/underretninger/{self.neighbours.pk}/"' not in html
        assert "En borger (forælder, familie, nabo …)" in html

    def test_the_case_team_sees_only_those_handed_on_to_the_case(self):
        html = self.page(self.karen)

        assert "1 underretning de seneste 12 måneder" in html
        assert f'href="/underretninger/{self.on_the_case.pk}/"' in html
        assert f"/underretninger/{self.pias.pk}/" not in html

    def test_the_pedagogue_learns_of_no_underretning(self):
        html = self.page(self.pia)

        assert "de seneste 12 måneder" not in html
        for item in (self.pias, self.neighbours, self.on_the_case):
            assert f"/underretninger/{item.pk}/" not in html
        assert "En borger (forælder" not in html

    def test_more_underretninger_cost_no_more_queries(self):
        def queries() -> int:
            self.login(self.rasmus)
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(f"/boern/{self.emma.pk}/")
            return len(ctx)

        before = queries()
        for day in range(1, 6):
            underretning(self.emma, datetime(2026, 5, day, 9, tzinfo=CPH), case=self.case)

        assert queries() == before
        assert f"8 {COUNT}" in self.page(self.rasmus)
