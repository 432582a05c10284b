from django.urls import reverse

from accounts.models import Membership, Role
from tidlig.test import BaseTestCase


class AdminMembershipCreateTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)
        self.url = reverse("admin_membership_create", args=[self.karen.pk])

    def test_it_adds_a_membership(self):
        response = self.client.post(self.url, {"unit": self.skolen.pk, "role": Role.KONSULENT})
        self.assertRedirects(response, reverse("admin_user_edit", args=[self.karen.pk]))
        assert self.karen.memberships.filter(unit=self.skolen, role=Role.KONSULENT).exists()

    def test_it_refuses_a_second_membership_of_the_same_unit_in_danish(self):
        response = self.client.post(self.url, {"unit": self.ppr.pk, "role": Role.LEDER})
        assert response.status_code == 400
        html = response.content.decode()
        assert html.count("Brugeren er allerede medlem af denne enhed.") == 2  # summary + field
        assert 'href="#id_unit"' in html
        assert self.karen.memberships.get().role == Role.KONSULENT

    def test_it_refuses_a_closed_unit(self):
        self.skolen.active = False
        self.skolen.save()
        response = self.client.post(self.url, {"unit": self.skolen.pk, "role": Role.KONSULENT})
        assert response.status_code == 400
        assert not self.karen.memberships.filter(unit=self.skolen).exists()


class AdminMembershipDeleteTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def test_it_removes_a_membership(self):
        karens = self.karen.memberships.get()
        response = self.client.post(reverse("admin_membership_delete", args=[karens.pk]))
        self.assertRedirects(response, reverse("admin_user_edit", args=[self.karen.pk]))
        assert not self.karen.memberships.exists()

    def test_it_will_not_remove_the_administrators_own_administrator_role(self):
        own = self.adam.memberships.get()
        response = self.client.post(reverse("admin_membership_delete", args=[own.pk]), follow=True)
        assert "Du kan ikke fjerne din egen administratorrolle." in response.content.decode()
        assert Membership.objects.filter(pk=own.pk).exists()
