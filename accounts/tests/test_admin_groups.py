"""The administrator's pages for a unit's groups (stuer, klasser, hold, team) and
for limiting a fagperson's membership to some of them."""

from datetime import date

from auditlog.models import LogEntry
from django.urls import reverse

from accounts.models import GroupKind, Membership, Role, UnitGroup
from tidlig.test import BaseTestCase, make_child


class UnitGroupsTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)
        self.unit_url = reverse("admin_unit_edit", args=[self.skolen.pk])
        self.create_url = reverse("admin_unit_group_create", args=[self.skolen.pk])

    def test_a_schools_page_offers_a_klasse_and_a_pprs_page_no_groups(self):
        response = self.client.get(self.unit_url)
        assert response.context["group_form"]["kind"].value() == GroupKind.KLASSE
        html = response.content.decode()
        assert 'id="grupper"' in html and "Enheden har ingen grupper." in html
        response = self.client.get(reverse("admin_unit_edit", args=[self.ppr.pk]))
        assert 'id="grupper"' not in response.content.decode()

    def test_it_lists_the_groups_with_their_staff_and_children_counted(self):
        a = UnitGroup.objects.create(unit=self.skolen, name="0.A", kind=GroupKind.KLASSE)
        UnitGroup.objects.create(unit=self.skolen, name="0.B", kind=GroupKind.KLASSE, active=False)
        self.sofie.memberships.get().groups.set([a])
        self.oskar.enrollments.update(group=a)
        left = make_child("Ida", "Berg", date(2019, 2, 2))
        left.enrollments.create(
            unit=self.skolen, group=a, start=date(2025, 8, 1), end=date(2025, 9, 1)
        )

        response = self.client.get(self.unit_url)

        rows = [(g.name, g.staff, g.enrolled, g.active) for g in response.context["groups"]]
        assert rows == [("0.A", 1, 1, True), ("0.B", 0, 0, False)]
        html = response.content.decode()
        assert reverse("admin_unit_group_edit", args=[a.pk]) in html
        # The administrator sees numbers, never which children.
        assert "Oskar" not in html and "Ida" not in html

    def test_it_adds_a_group(self):
        response = self.client.post(
            self.create_url, {"group-name": " 0.A ", "group-kind": "klasse"}
        )
        self.assertRedirects(response, self.unit_url + "#grupper", fetch_redirect_response=False)
        group = self.skolen.groups.get()
        assert (group.name, group.kind, group.active) == ("0.A", GroupKind.KLASSE, True)
        entry = LogEntry.objects.get_for_object(group).get()
        assert entry.actor == self.adam

    def test_it_refuses_a_name_the_unit_has_in_danish_whatever_the_case(self):
        UnitGroup.objects.create(unit=self.skolen, name="0.A", kind=GroupKind.KLASSE)
        response = self.client.post(self.create_url, {"group-name": "0.a", "group-kind": "klasse"})
        assert response.status_code == 400
        html = response.content.decode()
        # In the summary above and next to the field.
        assert html.count("Enheden har allerede en gruppe, der hedder 0.A.") == 2
        assert 'href="#id_group-name"' in html and 'value="0.a"' in html
        assert self.skolen.groups.count() == 1

    def test_another_unit_may_have_a_group_of_the_same_name(self):
        UnitGroup.objects.create(unit=self.solsikken, name="Solstuen", kind=GroupKind.STUE)
        response = self.client.post(
            self.create_url, {"group-name": "Solstuen", "group-kind": "hold"}
        )
        assert response.status_code == 302
        assert self.skolen.groups.get().name == "Solstuen"

    def test_it_asks_for_a_name_and_a_kind_in_danish(self):
        response = self.client.post(self.create_url, {"group-name": "", "group-kind": ""})
        assert response.status_code == 400
        assert response.content.decode().count("Dette felt er påkrævet.") == 4
        assert not UnitGroup.objects.exists()

    def test_it_keeps_the_unit_form_apart_from_the_group_form(self):
        # The unit's own form posts to its own URL; its field ids do not collide.
        html = self.client.get(self.unit_url).content.decode()
        assert html.count('id="id_name"') == 1 and html.count('id="id_group-name"') == 1
        assert f'action="{self.unit_url}"' in html


class UnitGroupEditTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)
        self.group = UnitGroup.objects.create(unit=self.skolen, name="0.A", kind=GroupKind.KLASSE)
        self.url = reverse("admin_unit_group_edit", args=[self.group.pk])

    def _post(self, **changes):
        data = {"name": self.group.name, "kind": self.group.kind, "active": "on"} | changes
        return self.client.post(self.url, data)

    def test_it_renames_a_group_and_the_audit_trail_keeps_the_old_name(self):
        response = self._post(name="1.A")
        unit_url = reverse("admin_unit_edit", args=[self.skolen.pk]) + "#grupper"
        self.assertRedirects(response, unit_url, fetch_redirect_response=False)
        self.group.refresh_from_db()
        assert self.group.name == "1.A"
        entry = LogEntry.objects.get_for_object(self.group).get(action=LogEntry.Action.UPDATE)
        assert entry.changes_dict["name"] == ["0.A", "1.A"] and entry.actor == self.adam

    def test_it_closes_a_group_and_says_who_still_uses_it(self):
        self.sofie.memberships.get().groups.set([self.group])
        self.oskar.enrollments.update(group=self.group)
        page = self.client.get(self.url).content.decode()
        assert "1 barn er indskrevet i gruppen i dag." in page
        assert reverse("admin_user_edit", args=[self.sofie.pk]) in page

        response = self._post(active="")

        self.group.refresh_from_db()
        assert not self.group.active
        followed = self.client.get(response["Location"]).content.decode()
        assert "Gruppen 0.A er lukket." in followed
        # Nothing else changes by itself: the enrollment and Sofie's limit stay.
        assert self.oskar.enrollments.get().group == self.group
        assert list(self.sofie.memberships.get().groups.all()) == [self.group]

    def test_it_refuses_the_name_of_another_group_of_the_unit(self):
        UnitGroup.objects.create(unit=self.skolen, name="0.B", kind=GroupKind.KLASSE)
        response = self._post(name="0.b", active="")
        assert response.status_code == 200
        assert "Enheden har allerede en gruppe, der hedder 0.B." in response.content.decode()
        self.group.refresh_from_db()
        assert (self.group.name, self.group.active) == ("0.A", True)  # nothing half-way

    def test_it_answers_404_for_an_unknown_group(self):
        url = reverse("admin_unit_group_edit", args=[9999])
        assert self.client.get(url).status_code == 404


class MembershipGroupsTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)
        self.a = UnitGroup.objects.create(unit=self.skolen, name="0.A", kind=GroupKind.KLASSE)
        self.b = UnitGroup.objects.create(unit=self.skolen, name="0.B", kind=GroupKind.KLASSE)
        self.sofies = self.sofie.memberships.get()
        self.url = reverse("admin_membership_edit", args=[self.sofies.pk])

    def test_it_limits_a_fagperson_to_groups_of_her_unit(self):
        for name in ("10.A", "9.B"):
            UnitGroup.objects.create(unit=self.skolen, name=name, kind=GroupKind.KLASSE)
        page = self.client.get(self.url)
        # In the order a person counts, not 10.A after 0.B.
        choices = page.context["form"].fields["groups"].choices
        assert [label for _value, label in choices] == ["0.A", "0.B", "9.B", "10.A"]
        assert 'name="groups"' in page.content.decode()

        response = self.client.post(
            self.url, {"role": Role.FAGPERSON, "groups": [self.a.pk, self.b.pk]}
        )

        self.assertRedirects(
            response,
            reverse("admin_user_edit", args=[self.sofie.pk]),
            fetch_redirect_response=False,
        )
        assert set(self.sofies.groups.all()) == {self.a, self.b}
        user_page = self.client.get(response["Location"]).content.decode()
        assert "Kun 0.A, 0.B" in user_page
        assert (
            "Nordby Skole · Fagperson (0.A, 0.B)"
            in self.client.get(reverse("admin_users")).content.decode()
        )

        # And back to the whole unit.
        self.client.post(self.url, {"role": Role.FAGPERSON})
        assert not self.sofies.groups.exists()
        assert "Hele enheden" in self.client.get(response["Location"]).content.decode()

    def test_it_refuses_groups_on_a_leaders_membership_and_saves_nothing(self):
        response = self.client.post(self.url, {"role": Role.LEDER, "groups": [self.a.pk]})
        assert response.status_code == 200
        html = response.content.decode()
        message = "En leder ser altid hele enheden. Fjern grupperne, eller vælg rollen fagperson."
        assert html.count(message) == 2  # summary + next to the field
        assert 'href="#id_groups"' in html and 'id="id_groups"' in html
        self.sofies.refresh_from_db()
        assert self.sofies.role == Role.FAGPERSON and not self.sofies.groups.exists()

    def test_it_makes_a_fagperson_a_leader_without_groups(self):
        self.sofies.groups.set([self.a])
        # The leader may not keep the groups: the form says so until they are removed.
        response = self.client.post(self.url, {"role": Role.LEDER, "groups": [self.a.pk]})
        assert response.status_code == 200
        response = self.client.post(self.url, {"role": Role.LEDER})
        assert response.status_code == 302
        self.sofies.refresh_from_db()
        assert self.sofies.role == Role.LEDER and not self.sofies.groups.exists()

    def test_only_a_fagperson_is_limited(self):
        karens = self.karen.memberships.get()
        ppr_team = UnitGroup.objects.create(unit=self.ppr, name="Team Nord", kind=GroupKind.TEAM)
        url = reverse("admin_membership_edit", args=[karens.pk])
        response = self.client.post(url, {"role": Role.KONSULENT, "groups": [ppr_team.pk]})
        assert "Kun en fagpersons medlemskab kan begrænses til grupper." in (
            response.content.decode()
        )
        assert not karens.groups.exists()

    def test_it_refuses_a_group_of_another_unit(self):
        stue = UnitGroup.objects.create(unit=self.solsikken, name="Solstuen", kind=GroupKind.STUE)
        response = self.client.post(self.url, {"role": Role.FAGPERSON, "groups": [stue.pk]})
        assert response.status_code == 200
        assert "Marker en gyldig valgmulighed." in response.content.decode()
        assert not self.sofies.groups.exists()

    def test_a_closed_group_is_offered_only_while_the_membership_names_it(self):
        self.sofies.groups.set([self.a])
        self.a.active = False
        self.a.save()
        self.b.active = False
        self.b.save()
        form = self.client.get(self.url).context["form"]
        assert list(form.fields["groups"].queryset) == [self.a]
        assert "0.A (lukket)" in self.client.get(self.url).content.decode()
        # Saving the page keeps it; a closed group cannot be added.
        self.client.post(self.url, {"role": Role.FAGPERSON, "groups": [self.a.pk]})
        assert list(self.sofies.groups.all()) == [self.a]
        response = self.client.post(self.url, {"role": Role.FAGPERSON, "groups": [self.b.pk]})
        assert response.status_code == 200 and list(self.sofies.groups.all()) == [self.a]

    def test_the_change_is_in_the_audit_trail(self):
        self.client.post(self.url, {"role": Role.FAGPERSON, "groups": [self.a.pk]})
        entries = LogEntry.objects.get_for_object(self.sofies)
        assert any("groups" in (e.changes_dict or {}) for e in entries)

    def test_a_unit_without_groups_says_so(self):
        karens = self.karen.memberships.get()
        page = self.client.get(reverse("admin_membership_edit", args=[karens.pk]))
        assert "Enheden har ingen grupper" in page.content.decode()

    def test_the_administrator_keeps_her_own_role(self):
        own = self.adam.memberships.get()
        url = reverse("admin_membership_edit", args=[own.pk])
        response = self.client.post(url, {"role": Role.FORVALTNING})
        assert "Du kan ikke fjerne din egen administratorrolle." in response.content.decode()
        own.refresh_from_db()
        assert own.role == Role.ADMINISTRATOR

    def test_adding_a_fagperson_to_a_unit_with_groups_goes_on_to_the_groups(self):
        response = self.client.post(
            reverse("admin_membership_create", args=[self.pia.pk]),
            {"unit": self.skolen.pk, "role": Role.FAGPERSON},
        )
        added = Membership.objects.get(user=self.pia, unit=self.skolen)
        self.assertRedirects(
            response,
            reverse("admin_membership_edit", args=[added.pk]),
            fetch_redirect_response=False,
        )
        # A leader, or a unit without groups, goes back to the user's page.
        response = self.client.post(
            reverse("admin_membership_create", args=[self.rasmus.pk]),
            {"unit": self.skolen.pk, "role": Role.LEDER},
        )
        self.assertRedirects(
            response,
            reverse("admin_user_edit", args=[self.rasmus.pk]),
            fetch_redirect_response=False,
        )
