from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, Role
from children.models import AbsenceRecord, Child, Enrollment
from ruler.models import Assessment
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase, make_child, make_cpr


class UnitOverviewTestCase(BaseTestCase):
    url = "/oversigt/"

    def _overview(self, user, **params):
        self.login(user)
        return self.client.get(self.url, params)

    def test_it_groups_the_units_children_by_latest_zone(self):
        today = timezone.localdate()
        assess(self.emma, self.pia, 2, on=today - timedelta(days=200))
        assess(self.emma, self.pia, 4, on=today - timedelta(days=10))
        assess(self.oskar, self.sofie, 5)  # Nordby Skole: not Solsikken's
        response = self._overview(self.lars)
        groups = {g.style.number: [str(c) for c in g.shown] for g in response.context["groups"]}
        assert groups == {5: [], 4: ["Emma Holm"], 3: [], 2: [], 1: []}
        assert [str(c) for c in response.context["never_group"].shown] == ["Noah Lund"]
        assert response.context["stale"] == []
        html = response.content.decode()
        assert "Oskar" not in html
        assert "2 børn i enheden, 1 placeret på Børnelinealen." in html
        assert [g.style.number for g in response.context["groups"]] == [5, 4, 3, 2, 1]

    def test_it_flags_concern_zones_not_assessed_for_90_days(self):
        today = timezone.localdate()
        old = today - timedelta(days=91)
        assess(self.emma, self.pia, 3, on=old)
        assess(self.noah, self.pia, 2, on=old)  # zone 2 is not flagged
        lea = make_child("Lea", "Dam", date(2021, 1, 1), unit=self.solsikken)
        assess(lea, self.pia, 5, on=today - timedelta(days=90))  # exactly 90 days: not yet
        response = self._overview(self.pia)
        assert [str(c) for c in response.context["stale"]] == ["Emma Holm"]
        section = response.content.decode().split('id="skal-vurderes"')[1].split("</section>")[0]
        assert "Emma Holm" in section and "Noah" not in section and "Lea" not in section

    def test_a_leader_of_two_units_chooses_the_unit(self):
        Membership.objects.create(user=self.lars, unit=self.skolen, role=Role.LEDER)
        response = self._overview(self.lars, enhed=self.skolen.pk)
        assert response.context["unit"] == self.skolen
        assert [str(c) for c in response.context["never_group"].shown] == ["Oskar Berg"]
        assert 'name="enhed"' in response.content.decode()

    def test_another_units_overview_is_a_404(self):
        assert self._overview(self.pia, enhed=self.skolen.pk).status_code == 404
        assert self._overview(self.pia, enhed="x").status_code == 404

    def test_children_who_left_the_unit_are_not_listed(self):
        Enrollment.objects.filter(child=self.noah).update(
            end=timezone.localdate() - timedelta(days=1)
        )
        response = self._overview(self.pia)
        assert [str(c) for c in response.context["never_group"].shown] == ["Emma Holm"]

    def test_a_corrected_assessment_does_not_count(self):
        assess(self.emma, self.pia, 5).correct(author=self.pia, note="Tastefejl", zone=1)
        groups = {g.style.number: len(g.ids) for g in self._overview(self.pia).context["groups"]}
        assert groups == {5: 0, 4: 0, 3: 0, 2: 0, 1: 1}

    def test_the_query_count_is_the_same_for_10_and_200_children(self):
        def add_children(count: int) -> None:
            start = Child.objects.count()
            children = []
            for i in range(start, start + count):
                child = Child(first_name=f"Barn{i:03d}", last_name="Test")
                child.set_cpr(make_cpr(date(2021, 1, 1) + timedelta(days=i % 300)))
                children.append(child)
            children = Child.objects.bulk_create(children)
            Enrollment.objects.bulk_create(
                Enrollment(child=c, unit=self.solsikken, start=date(2025, 8, 1)) for c in children
            )
            Assessment.objects.bulk_create(
                Assessment(
                    child=c,
                    author=self.pia,
                    assessed_on=date(2025, 1, 1) + timedelta(days=i % 200),
                    zone=1 + i % 5,
                )
                for i, c in enumerate(children)
                if i % 4
            )
            # High absence last month for every other child (children.absence).
            last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
            AbsenceRecord.objects.bulk_create(
                AbsenceRecord(child=c, unit=self.solsikken, month=last_month, absent=4, possible=20)
                for i, c in enumerate(children)
                if i % 2
            )

        def queries() -> tuple[int, int]:
            self.login(self.lars)
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(self.url)
            return len(ctx), response.context["total"]

        add_children(8)
        small, total = queries()
        assert total == 10
        add_children(190)
        large, total = queries()
        assert total == 200
        assert large == small
        with self.assertNumQueries(small):
            self.client.get(self.url)

    def test_forvaltning_and_administrators_have_no_overview(self):
        assert self._overview(self.frida).status_code == 403
        assert self._overview(self.adam).status_code == 403
        assert self._overview(self.rasmus).status_code == 403


class OverviewBoundTestCase(BaseTestCase):
    """A zone lists its first OVERVIEW_ROWS children by name and links to all of them
    in Mine børn, so that a large school's page costs what a small one's does."""

    def test_a_long_zone_lists_the_first_and_links_to_all_in_mine_boern(self):
        from unittest import mock

        from ruler import queries

        for number in range(3):
            make_child("Alma", f"Aabo{number}", date(2021, 1, 1 + number), unit=self.solsikken)
        assess(self.emma, self.pia, 1)
        self.login(self.lars)
        with mock.patch.object(queries, "OVERVIEW_ROWS", 2):
            response = self.client.get("/oversigt/")
        html = response.content.decode()
        never = html.split('id="ikke-vurderet"')[1]
        assert "Alma Aabo0" in never and "Alma Aabo1" in never
        assert "Alma Aabo2" not in never and "Noah Lund" not in never
        link = f'/boern/?enhed={self.solsikken.pk}&amp;zone=ingen"'
        assert link in never and "Se alle 4 i Mine børn" in never
        # Zone 1 holds one child: no link.
        zone_1 = html.split('id="zone-1"')[1].split("</section>")[0]
        assert "Emma Holm" in zone_1 and "Se alle" not in zone_1
        # The audit entry names the children shown, not those left to Mine børn.
        aabo = {c.last_name: c.pk for c in Child.objects.filter(first_name="Alma")}
        assert response.context["shown_ids"] == [self.emma.pk, aabo["Aabo0"], aabo["Aabo1"]]
        listed = self.client.get(f"/boern/?enhed={self.solsikken.pk}&zone=ingen")
        names = listed.content.decode()
        assert all(f"Alma Aabo{n}" in names for n in range(3)) and "Noah Lund" in names

    def test_it_lists_the_steps_due_first_and_all_on_request(self):
        from unittest import mock

        from desk import views
        from loeft.tests.factories import final_dialogue

        # Pia agreed three steps with Emma's parents; the overview shows two at a time.
        final_dialogue(
            self.emma,
            self.pia,
            steps=[
                ("Ring til mor", self.pia, date(2026, 3, 1)),
                ("Læs med Emma", self.pia, date(2026, 1, 10)),
                ("Tal med talepædagogen", self.pia, date(2026, 2, 1)),
            ],
        )
        self.login(self.lars)
        with mock.patch.object(views, "OVERVIEW_STEPS", 2):
            first = self.client.get("/oversigt/")
            every = self.client.get("/oversigt/", {"skridt": "alle"})
        page = first.content.decode()
        assert [s.text for s in first.context["steps"]] == ["Læs med Emma", "Tal med talepædagogen"]
        assert "3 skridt fra LØFT-dialoger er ikke gjort endnu." in page
        assert f"?enhed={self.solsikken.pk}&amp;skridt=alle#skridt" in page
        assert "Vis alle 3 skridt" in page
        assert len(every.context["steps"]) == 3
        assert "Vis alle" not in every.content.decode()
