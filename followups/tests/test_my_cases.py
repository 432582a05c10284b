from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from followups.models import Case, CaseMember, Handover, Intervention, Meeting
from tidlig.test import BaseTestCase, make_child, make_user

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 5, 4)


# Monday 4 May 2026.
@time_machine.travel(datetime(2026, 5, 4, 10, tzinfo=CPH), tick=False)
class MyCasesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Mads is another caseworker in Børn & Ungerådgivningen.
        cls.mads = make_user("mads", cls.raadgivningen, Role.RAADGIVER, first_name="Mads")

    def _case(self, child, coordinator=None, opened_on=date(2026, 1, 5), **kw):
        return Case.objects.create(
            child=child, coordinator=coordinator or self.rasmus, opened_on=opened_on, **kw
        )

    def _page(self):
        self.login(self.rasmus)
        response = self.client.get("/mine-sager/")
        assert response.status_code == 200
        return response

    def test_it_lists_the_coordinators_open_cases_with_step_meeting_and_handover(self):
        emmas = self._case(
            self.emma,
            prevention_level="tertiaer",
            prevention_level_override="tertiaer",
            prevention_level_reason="Mor er indlagt.",
        )
        Intervention.objects.create(
            case=emmas,
            step=3,
            kind="Familiebehandling",
            start=date(2026, 1, 5),
            end=date(2026, 3, 31),
        )
        Intervention.objects.create(
            case=emmas, step=2, kind="Forældrekursus", start=date(2026, 4, 1)
        )
        Meeting.objects.create(case=emmas, scheduled_on=date(2026, 4, 5), held_on=date(2026, 4, 5))
        overdue = Meeting.objects.create(case=emmas, scheduled_on=date(2026, 4, 20))
        Handover.objects.create(case=emmas, from_user=self.rasmus, to_user=self.mads)
        # Noah's case has ended its only intervention and has its meeting ahead.
        noahs = self._case(self.noah, opened_on=date(2026, 2, 1))
        Intervention.objects.create(
            case=noahs, step=1, kind="Samtaler", start=date(2026, 2, 1), end=date(2026, 4, 1)
        )
        ahead = Meeting.objects.create(case=noahs, scheduled_on=date(2026, 5, 15))

        response = self._page()
        assert response.context["open_cases"] == [emmas, noahs]
        html = response.content.decode()
        mine = html.split("Sager, hvor du er i teamet")[0]
        assert f'<a href="/sager/{emmas.pk}/">Emma Holm</a>' in mine
        assert "5. januar 2026" in mine and "Tertiær" in mine
        assert "Trin 2: Forebyggende indsatser" in mine and "Forældrekursus" in mine
        overdue_link = f'<a href="/moeder/{overdue.pk}/">20. april 2026</a>'
        assert f'{overdue_link} <span class="badge badge-error">Overskredet</span>' in mine
        assert "Tilbudt til Mads" in mine
        assert "Trin 1: Tidlige indsatser i almenområdet" in mine
        noahs_row = mine.split("Noah Lund")[1]
        assert f'<a href="/moeder/{ahead.pk}/">15. maj 2026</a>' in noahs_row
        assert "Overskredet" not in noahs_row and "Tilbudt til" not in noahs_row

    def test_it_lists_the_cases_closed_while_their_team_still_has_access(self):
        recent = self._case(
            self.noah, opened_on=date(2025, 6, 1), closed_on=TODAY - timedelta(days=30)
        )
        self._case(self.oskar, opened_on=date(2025, 1, 1), closed_on=TODAY - timedelta(days=31))
        response = self._page()
        assert response.context["open_cases"] == []
        assert response.context["closed_cases"] == [recent]
        html = response.content.decode()
        assert "Du er ikke tovholder på nogen åben sag." in html
        closed = html.split("Lukket inden for de seneste 30 dage")[1]
        assert f'<a href="/sager/{recent.pk}/">Noah Lund</a>' in closed
        assert "Oskar" not in html

    def test_it_lists_the_cases_where_the_caseworker_is_on_the_team(self):
        oskars = self._case(self.oskar, coordinator=self.mads)
        CaseMember.objects.create(case=oskars, user=self.rasmus, profession="Rådgiver")
        others = self._case(self.emma, coordinator=self.mads)
        closed = self._case(self.noah, coordinator=self.mads, closed_on=TODAY - timedelta(days=3))
        CaseMember.objects.create(case=closed, user=self.rasmus, profession="Rådgiver")
        response = self._page()
        assert response.context["team_cases"] == [oskars]
        assert response.context["open_cases"] == [] and response.context["closed_cases"] == []
        team = response.content.decode().split("Sager, hvor du er i teamet")[1]
        assert "Oskar Berg" in team and "Mads" in team and "Ingen indsats endnu" in team
        assert others.child.first_name not in team

    def test_it_shows_the_cases_the_caseworker_is_asked_to_take_over(self):
        oskars = self._case(self.oskar, coordinator=self.mads)
        offer = Handover.objects.create(case=oskars, from_user=self.mads, to_user=self.rasmus)
        declined = self._case(self.emma, coordinator=self.mads)
        Handover.objects.create(
            case=declined, from_user=self.mads, to_user=self.rasmus, status="afvist"
        )
        response = self._page()
        assert response.context["offered"] == [offer]
        html = response.content.decode()
        assert "Sager, du er bedt om at overtage" in html and "Tilbudt af Mads" in html
        assert f'href="/tovholder/{offer.pk}/"' in html
        assert "Emma" not in html

    def test_it_costs_the_same_queries_for_two_or_ten_cases(self):
        def add_cases(n):
            for i in range(n):
                child = make_child(f"Barn{i}", "Test", date(2019, 1, 1), unit=self.solsikken)
                case = self._case(child)
                Intervention.objects.create(
                    case=case, step=2, kind="Kursus", start=date(2026, 1, 5)
                )
                Meeting.objects.create(case=case, scheduled_on=date(2026, 4, 5 + i))
                Handover.objects.create(case=case, from_user=self.rasmus, to_user=self.mads)
                team_case = self._case(child, coordinator=self.mads)
                CaseMember.objects.create(case=team_case, user=self.rasmus, profession="Rådgiver")
                self._case(child, closed_on=TODAY - timedelta(days=3))

        add_cases(2)
        self.login(self.rasmus)
        with CaptureQueriesContext(connection) as two:
            assert len(self.client.get("/mine-sager/").context["open_cases"]) == 2
        add_cases(8)
        with self.assertNumQueries(len(two)):
            response = self.client.get("/mine-sager/")
        assert len(response.context["open_cases"]) == 10
        assert len(response.context["team_cases"]) == 10
        assert len(response.context["closed_cases"]) == 10

    def test_it_is_for_caseworkers_in_the_raadgivning(self):
        for user in (self.karen, self.lars, self.pia, self.frida):
            self.login(user)
            assert self.client.get("/mine-sager/").status_code == 403
