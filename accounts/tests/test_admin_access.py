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
            reverse("admin_users"),
            reverse("admin_user_create"),
            reverse("admin_user_edit", args=[self.karen.pk]),
            reverse("admin_user_password", args=[self.karen.pk]),
            reverse("admin_membership_create", args=[self.karen.pk]),
            reverse("admin_membership_delete", args=[membership.pk]),
        ]

    def test_it_refuses_every_page_to_pia_and_frida(self):
        for user in (self.pia, self.frida):
            self.login(user)
            for url in self._urls():
                assert self.client.get(url).status_code == 403, (user, url)
                assert self.client.post(url).status_code == 403, (user, url)
        # Nothing was changed by the refused POSTs.
        assert self.karen.memberships.exists()

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        for url in self._urls():
            response = self.client.get(url)
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

    def test_it_links_home_to_units_users_and_the_import(self):
        self.login(self.adam)
        html = self.client.get(reverse("admin_home")).content.decode()
        for name in ("admin_units", "admin_users", "child_import"):
            assert f'href="{reverse(name)}"' in html, name
