from django.urls import reverse

from accounts.models import District
from tidlig.test import BaseTestCase


class AdminDistrictsTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def test_it_lists_districts_with_their_units(self):
        html = self.client.get(reverse("admin_districts")).content.decode()
        assert "Nordby" in html
        assert "2 enheder" in html  # Solsikken and Nordby Skole

    def test_it_creates_a_district_that_a_unit_can_then_choose(self):
        response = self.client.post(reverse("admin_districts"), {"name": "Sydby"})
        assert response.status_code == 302
        sydby = District.objects.get(name="Sydby")
        form = self.client.get(reverse("admin_unit_create")).context["form"]
        assert sydby in form.fields["district"].queryset

    def test_it_refuses_a_duplicate_or_empty_name_in_danish(self):
        response = self.client.post(reverse("admin_districts"), {"name": "Nordby"})
        assert response.status_code == 200
        assert "Distrikt med dette Navn eksisterer allerede." in response.content.decode()
        response = self.client.post(reverse("admin_districts"), {"name": ""})
        assert "Dette felt er påkrævet." in response.content.decode()
        assert District.objects.count() == 1
