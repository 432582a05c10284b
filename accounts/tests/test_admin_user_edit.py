from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tidlig.test import BaseTestCase, log_in


class AdminUserEditTestCase(BaseTestCase):
    def setUp(self):
        self.login(self.adam)

    def _edit(self, user: User, **changes):
        data = {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name or "Jensen",
            "email": user.email,
            "title": user.title,
            "is_active": "on",
        } | changes
        return self.client.post(reverse("admin_user_edit", args=[user.pk]), data)

    def test_it_shows_the_users_memberships(self):
        response = self.client.get(reverse("admin_user_edit", args=[self.pia.pk]))
        html = response.content.decode()
        assert "Børnehaven Solsikken</th>" in html and "<td>Fagperson</td>" in html
        membership = self.pia.memberships.get()
        assert reverse("admin_membership_delete", args=[membership.pk]) in html

    def test_it_changes_names_email_and_title(self):
        response = self._edit(
            self.pia, last_name="Møller", email="pia@solsikken.dk", title="Pædagog"
        )
        assert response.status_code == 302
        self.pia.refresh_from_db()
        assert (self.pia.last_name, self.pia.email, self.pia.title) == (
            "Møller",
            "pia@solsikken.dk",
            "Pædagog",
        )

    def test_it_keeps_what_was_typed_on_a_bad_email(self):
        response = self._edit(self.pia, email="ikke-en-adresse", title="Pædagog")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Indtast en gyldig e-mail-adresse." in html
        assert 'value="Pædagog"' in html
        self.pia.refresh_from_db()
        assert self.pia.title == ""

    def test_it_ends_the_sessions_of_a_deactivated_user(self):
        pias_browser = Client()
        log_in(pias_browser, self.pia)
        assert pias_browser.get("/").status_code == 200
        session_key = pias_browser.session.session_key

        response = self._edit(self.pia, is_active="")
        assert response.status_code == 302

        self.pia.refresh_from_db()
        assert not self.pia.is_active
        page = self.client.get(reverse("admin_user_edit", args=[self.pia.pk]))
        assert "Brugeren er deaktiveret og kan ikke logge ind." in page.content.decode()
        assert not Session.objects.filter(session_key=session_key).exists()
        response = pias_browser.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        # Adam is still logged in.
        assert self.client.get(reverse("admin_users")).status_code == 200

    def test_it_will_not_let_the_administrator_deactivate_himself(self):
        response = self._edit(self.adam, is_active="")
        assert response.status_code == 200
        assert "Du kan ikke deaktivere dig selv." in response.content.decode()
        self.adam.refresh_from_db()
        assert self.adam.is_active

    def test_it_reactivates_a_user(self):
        self.pia.is_active = False
        self.pia.save()
        self._edit(self.pia)
        self.pia.refresh_from_db()
        assert self.pia.is_active
