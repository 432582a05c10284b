from auditlog.models import LogEntry
from django.urls import reverse

from accounts.models import District, Unit, UnitKind
from tidlig.test import BaseTestCase


class AdminUnitsTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def test_it_lists_units_with_their_member_counts(self):
        response = self.client.get(reverse("admin_units"))
        counts = {unit.name: unit.members for unit in response.context["units"]}
        # Pia and Lars are members of Solsikken; Adam and Frida of the forvaltning.
        assert counts["Børnehaven Solsikken"] == 2
        assert counts["Forvaltningen"] == 2
        assert "Hele kommunen" in response.content.decode()  # PPR has no district

    def test_it_filters_by_kind_and_district(self):
        sydby = District.objects.create(name="Sydby")
        Unit.objects.create(name="Sydby Skole", kind=UnitKind.SKOLE, district=sydby)

        response = self.client.get(reverse("admin_units"), {"kind": UnitKind.SKOLE})
        assert [u.name for u in response.context["units"]] == ["Nordby Skole", "Sydby Skole"]

        response = self.client.get(
            reverse("admin_units"), {"kind": UnitKind.SKOLE, "district": sydby.pk}
        )
        assert [u.name for u in response.context["units"]] == ["Sydby Skole"]

    def test_it_ignores_an_unknown_filter_value(self):
        response = self.client.get(reverse("admin_units"), {"kind": "slot"})
        assert response.status_code == 200
        assert len(response.context["units"]) == 5


class AdminUnitCreateTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def test_it_offers_a_new_unit_as_active(self):
        response = self.client.get(reverse("admin_unit_create"))
        assert response.context["form"]["active"].value() is True

    def test_it_creates_a_unit_in_a_district(self):
        nordby = District.objects.get(name="Nordby")
        response = self.client.post(
            reverse("admin_unit_create"),
            {"name": "Klubben Ørnen", "kind": UnitKind.KLUB, "district": nordby.pk, "active": "on"},
        )
        assert response.status_code == 302
        unit = Unit.objects.get(name="Klubben Ørnen")
        assert unit.district == nordby and unit.active and unit.kind == UnitKind.KLUB

    def test_it_shows_danish_errors_and_keeps_what_was_typed(self):
        response = self.client.post(
            reverse("admin_unit_create"), {"name": "PPR", "kind": "", "district": ""}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Enhed med dette Navn eksisterer allerede." in html
        assert "Dette felt er påkrævet." in html
        assert 'value="PPR"' in html
        assert Unit.objects.filter(name="PPR").count() == 1


class AdminUnitEditTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def test_it_edits_a_unit_and_the_audit_trail_names_adam(self):
        url = reverse("admin_unit_edit", args=[self.ppr.pk])
        response = self.client.post(
            url, {"name": "PPR Lolland", "kind": UnitKind.PPR, "active": "on"}
        )
        assert response.status_code == 302
        self.ppr.refresh_from_db()
        assert self.ppr.name == "PPR Lolland"
        entry = LogEntry.objects.get_for_object(self.ppr).get(action=LogEntry.Action.UPDATE)
        assert entry.actor == self.adam
        assert entry.changes_dict["name"] == ["PPR", "PPR Lolland"]

    def test_it_closes_a_unit_without_deleting_it(self):
        url = reverse("admin_unit_edit", args=[self.solsikken.pk])
        nordby = self.solsikken.district
        self.client.post(
            url, {"name": self.solsikken.name, "kind": self.solsikken.kind, "district": nordby.pk}
        )
        self.solsikken.refresh_from_db()
        assert not self.solsikken.active
        # Emma and Noah's enrollments still point at it.
        assert self.solsikken.enrollments.count() == 2

    def test_it_answers_404_for_an_unknown_unit(self):
        assert self.client.get(reverse("admin_unit_edit", args=[9999])).status_code == 404
