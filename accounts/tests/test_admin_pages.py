from auditlog.models import LogEntry
from django.test import Client

from accounts.models import Membership, Role, Unit, UnitKind, User
from tidlig.test import PASSWORD, BaseTestCase

NEW_PASSWORD = "en-helt-ny-adgangskode-42"


class AdminPagesTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def test_it_refuses_everyone_but_the_administrator(self):
        for user in (self.pia, self.lars, self.rasmus, self.frida):
            self.client.force_login(user)
            assert self.client.get("/administration/brugere/").status_code == 403, user
        self.client.logout()
        response = self.client.get("/administration/enheder/")
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_it_creates_and_edits_a_unit_with_an_audit_entry(self):
        response = self.client.post(
            "/administration/enheder/ny/", {"name": "Klubben Ørnen", "kind": UnitKind.KLUB}
        )
        assert response.status_code == 302
        unit = Unit.objects.get(name="Klubben Ørnen")
        assert unit.active is False  # unchecked checkbox: created closed on purpose here
        self.client.post(
            f"/administration/enheder/{unit.pk}/",
            {"name": "Klubben Ørnen", "kind": UnitKind.KLUB, "active": "on"},
        )
        unit.refresh_from_db()
        assert unit.active
        entry = LogEntry.objects.get_for_object(unit).filter(action=LogEntry.Action.UPDATE).get()
        assert entry.actor == self.adam

    def test_it_shows_a_danish_error_for_a_duplicate_unit_name(self):
        response = self.client.post(
            "/administration/enheder/ny/", {"name": "PPR", "kind": UnitKind.PPR}
        )
        assert response.status_code == 200
        assert "eksisterer allerede" in response.content.decode()

    def test_it_creates_a_user_who_can_log_in(self):
        response = self.client.post(
            "/administration/brugere/ny/",
            {
                "username": "mette",
                "first_name": "Mette",
                "last_name": "Friis",
                "email": "mette@example.dk",
                "title": "Lærer",
                "unit": self.skolen.pk,
                "role": Role.FAGPERSON,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
        mette = User.objects.get(username="mette")
        assert response.status_code == 302
        assert Membership.objects.filter(user=mette, unit=self.skolen, role="fagperson").exists()
        assert Client().login(username="mette", password=NEW_PASSWORD)

    def test_it_saves_nothing_when_the_passwords_differ(self):
        response = self.client.post(
            "/administration/brugere/ny/",
            {
                "username": "mette",
                "first_name": "Mette",
                "last_name": "Friis",
                "unit": self.skolen.pk,
                "role": Role.FAGPERSON,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD + "x",
            },
        )
        assert response.status_code == 200
        assert "De to adgangskoder er ikke ens." in response.content.decode()
        assert 'value="Mette"' in response.content.decode()
        assert not User.objects.filter(username="mette").exists()

    def test_it_changes_a_password(self):
        self.client.post(
            f"/administration/brugere/{self.pia.pk}/adgangskode/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert not Client().login(username="pia", password=PASSWORD)
        assert Client().login(username="pia", password=NEW_PASSWORD)

    def _edit(self, user, **changes):
        data = {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name or "Jensen",
            "email": user.email,
            "title": user.title,
            "is_active": "on",
        } | changes
        return self.client.post(f"/administration/brugere/{user.pk}/", data)

    def test_it_ends_the_sessions_of_a_deactivated_user(self):
        pias_browser = Client()
        pias_browser.force_login(self.pia)
        assert pias_browser.get("/").status_code == 200

        data = self._edit(self.pia, is_active="")
        assert data.status_code == 302

        self.pia.refresh_from_db()
        assert not self.pia.is_active
        response = pias_browser.get("/")
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_it_will_not_let_the_administrator_deactivate_himself(self):
        response = self._edit(self.adam, is_active="")
        assert response.status_code == 200
        assert "Du kan ikke deaktivere dig selv." in response.content.decode()
        self.adam.refresh_from_db()
        assert self.adam.is_active

    def test_it_adds_and_refuses_duplicate_memberships(self):
        url = f"/administration/brugere/{self.karen.pk}/medlemskaber/"
        self.client.post(url, {"unit": self.skolen.pk, "role": Role.KONSULENT})
        assert self.karen.memberships.filter(unit=self.skolen).exists()
        response = self.client.post(url, {"unit": self.skolen.pk, "role": Role.KONSULENT})
        assert response.status_code == 400
        html = response.content.decode()
        assert html.count("Brugeren er allerede medlem af denne enhed.") == 2  # summary + field
        assert 'href="#id_unit"' in html

    def test_it_removes_memberships_but_not_its_own_administrator_role(self):
        karens = self.karen.memberships.get()
        self.client.post(f"/administration/medlemskaber/{karens.pk}/slet/")
        assert not self.karen.memberships.exists()
        own = self.adam.memberships.get()
        self.client.post(f"/administration/medlemskaber/{own.pk}/slet/")
        assert self.adam.memberships.filter(role=Role.ADMINISTRATOR).exists()

    def test_it_searches_users(self):
        response = self.client.get("/administration/brugere/", {"q": "rasmus"})
        names = [u.username for u in response.context["page"]]
        assert names == ["rasmus"]
