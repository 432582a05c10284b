from auditlog.models import LogEntry
from django.urls import reverse

from tidlig.test import PASSWORD, BaseTestCase, can_log_in

NEW_PASSWORD = "en-helt-ny-adgangskode-42"


class AdminUserPasswordTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)
        self.url = reverse("admin_user_password", args=[self.pia.pk])

    def test_it_sets_a_new_password_and_the_old_one_stops_working(self):
        response = self.client.post(
            self.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        self.assertRedirects(response, reverse("admin_user_edit", args=[self.pia.pk]))
        assert not can_log_in("pia", PASSWORD)
        assert can_log_in("pia", NEW_PASSWORD)

    def test_it_audits_the_change_without_the_password(self):
        self.client.post(self.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        entry = LogEntry.objects.get_for_object(self.pia).get(action=LogEntry.Action.UPDATE)
        assert entry.actor == self.adam
        assert entry.changes_dict == {"password": ["***", "***"]}
        self.pia.refresh_from_db()
        assert self.pia.password not in str(entry.changes) + str(entry.serialized_data)

    def test_it_refuses_different_or_weak_passwords_in_danish(self):
        response = self.client.post(self.url, {"password1": NEW_PASSWORD, "password2": "andet"})
        assert "De to adgangskoder er ikke ens." in response.content.decode()
        response = self.client.post(self.url, {"password1": "12345678", "password2": "12345678"})
        html = response.content.decode()
        assert "Denne adgangskode er for kort" in html
        assert "Denne adgangskode er udelukkende numerisk." in html
        assert can_log_in("pia", PASSWORD)
