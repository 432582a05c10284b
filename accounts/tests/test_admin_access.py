from django.urls import reverse

from tidlig.test import BaseTestCase


class AdminAccessTestCase(BaseTestCase):
    def _urls(self) -> list[str]:
        membership = self.karen.memberships.get()
        return [
            reverse("admin_home"),
            reverse("admin_units"),
            reverse("admin_unit_create"),
            reverse("admin_unit_edit", args=[self.solsikken.pk]),
            reverse("admin_districts"),
            reverse("admin_users"),
            reverse("admin_user_create"),
            reverse("admin_user_edit", args=[self.karen.pk]),
            reverse("admin_user_password", args=[self.karen.pk]),
            reverse("admin_membership_create", args=[self.karen.pk]),
            reverse("admin_membership_delete", args=[membership.pk]),
        ]

    def test_it_refuses_every_page_to_everyone_but_the_administrator(self):
        # Lars leads Solsikken and Frida works in the forvaltning: neither administers.
        for user in (self.pia, self.lars, self.sofie, self.rasmus, self.karen, self.frida):
            self.login(user)
            for url in self._urls():
                assert self.client.get(url).status_code == 403, (user, url)
                assert self.client.post(url).status_code == 403, (user, url)
        # Nothing was changed by the refused POSTs.
        assert self.karen.memberships.exists()

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        for url in self._urls():
            for send in (self.client.get, self.client.post):
                response = send(url)
                assert response.status_code == 302, url
                assert response["Location"].startswith("/login/"), url

    def test_it_shows_every_page_to_adam(self):
        self.login(self.adam)
        *pages, membership_create, membership_delete = self._urls()
        for url in pages:
            assert self.client.get(url).status_code == 200, url
        # The membership actions take POST only.
        assert self.client.get(membership_create).status_code == 405
        assert self.client.get(membership_delete).status_code == 405
