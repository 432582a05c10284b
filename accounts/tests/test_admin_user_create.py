from django.urls import reverse

from accounts.models import Membership, Role, User
from tidlig.test import BaseTestCase, can_log_in

NEW_PASSWORD = "en-helt-ny-adgangskode-42"


class AdminUserCreateTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def _data(self, **changes) -> dict:
        return {
            "username": "mette",
            "first_name": "Mette",
            "last_name": "Friis",
            "email": "mette@example.dk",
            "title": "Lærer",
            "unit": self.skolen.pk,
            "role": Role.FAGPERSON,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        } | changes

    def test_it_creates_a_user_with_a_membership_who_can_log_in(self):
        response = self.client.post(reverse("admin_user_create"), self._data())
        mette = User.objects.get(username="mette")
        self.assertRedirects(response, reverse("admin_user_edit", args=[mette.pk]))
        assert mette.title == "Lærer" and mette.email == "mette@example.dk"
        assert Membership.objects.filter(user=mette, unit=self.skolen, role=Role.FAGPERSON).exists()
        assert can_log_in("mette", NEW_PASSWORD)

    def test_it_saves_nothing_when_the_passwords_differ(self):
        response = self.client.post(
            reverse("admin_user_create"), self._data(password2=NEW_PASSWORD + "x")
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "De to adgangskoder er ikke ens." in html
        assert 'value="Mette"' in html and 'value="mette@example.dk"' in html
        assert not User.objects.filter(username="mette").exists()

    def test_it_checks_the_password_with_djangos_validators_in_danish(self):
        response = self.client.post(
            reverse("admin_user_create"), self._data(password1="kort", password2="kort")
        )
        assert "Denne adgangskode er for kort" in response.content.decode()
        assert not User.objects.filter(username="mette").exists()

    def test_it_requires_a_password_names_a_unit_and_a_role(self):
        response = self.client.post(
            reverse("admin_user_create"),
            self._data(password1="", password2="", unit="", role="", last_name=""),
        )
        html = response.content.decode()
        assert html.count("Dette felt er påkrævet.") >= 5 * 2  # summary and field
        assert not User.objects.filter(username="mette").exists()

    def test_it_refuses_a_username_in_use(self):
        response = self.client.post(reverse("admin_user_create"), self._data(username="pia"))
        assert "En bruger med dette brugernavn findes allerede." in response.content.decode()
        assert User.objects.filter(username="pia").count() == 1

    def test_it_offers_only_open_units(self):
        self.ppr.active = False
        self.ppr.save()
        form = self.client.get(reverse("admin_user_create")).context["form"]
        assert self.ppr not in form.fields["unit"].queryset
        assert self.skolen in form.fields["unit"].queryset
