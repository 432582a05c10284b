from django.urls import reverse

from accounts.models import Role, User
from tidlig.test import BaseTestCase


class AdminUsersTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def _usernames(self, **params) -> list[str]:
        response = self.client.get(reverse("admin_users"), params)
        assert response.status_code == 200
        return [user.username for user in response.context["page"]]

    def test_it_lists_every_user(self):
        assert len(self._usernames()) == 7

    def test_it_searches_by_name_username_and_email(self):
        self.karen.email = "karen.ppr@kommune.dk"
        self.karen.last_name = "Holt"
        self.karen.save()
        assert self._usernames(q="rasmus") == ["rasmus"]
        assert self._usernames(q="ppr@kommune") == ["karen"]
        assert self._usernames(q="Karen Holt") == ["karen"]
        assert self._usernames(q="ingen-sådan") == []

    def test_it_filters_by_unit_and_role_on_the_same_membership(self):
        assert self._usernames(unit=self.solsikken.pk) == ["lars", "pia"]
        assert self._usernames(role=Role.LEDER) == ["lars"]
        assert self._usernames(unit=self.solsikken.pk, role=Role.FAGPERSON) == ["pia"]
        # Sofie is a fagperson, but not at Solsikken.
        assert "sofie" not in self._usernames(unit=self.solsikken.pk, role=Role.FAGPERSON)

    def test_it_pages_and_keeps_the_filter_in_the_page_links(self):
        for n in range(60):
            User.objects.create_user(f"vikar{n:02d}", first_name="Vikar", last_name=f"{n:02d}")
        response = self.client.get(reverse("admin_users"), {"q": "vikar"})
        assert len(response.context["page"]) == 50
        assert "?q=vikar&amp;side=2" in response.content.decode()
        response = self.client.get(reverse("admin_users"), {"q": "vikar", "side": 2})
        assert len(response.context["page"]) == 10
