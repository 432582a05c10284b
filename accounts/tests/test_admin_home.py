from django.urls import reverse

from tidlig.test import BaseTestCase


class AdminHomeTestCase(BaseTestCase):
    def test_it_counts_and_links_units_districts_users_and_the_import(self):
        self.login(self.adam)
        response = self.client.get(reverse("admin_home"))
        assert response.context["unit_count"] == 5
        assert response.context["district_count"] == 1
        assert response.context["user_count"] == 7
        html = response.content.decode()
        for name in ("admin_units", "admin_districts", "admin_users", "child_import"):
            assert f'href="{reverse(name)}"' in html, name
