import re
from datetime import datetime, timedelta
from unittest import mock

from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import UserSession
from tidlig.test import PASSWORD, BaseTestCase, can_log_in, log_in

NEW_PASSWORD = "en-helt-ny-adgangskode-42"
SITE = "https://tidlig.eksempel.dk"
LINK = re.compile(re.escape(SITE) + r"(/login/ny-adgangskode/[^/\s]+/[^/\s]+/)")


# Pia has forgotten her password; the link goes to the address the municipality
# has registered for her. Emma, Noah and Oskar must never be named in the email.
@override_settings(SITE_ROOT=SITE + "/", MUNICIPALITY_NAME="Nordby Kommune")
class PasswordResetTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pia.email = "pia@solsikken.dk"
        cls.pia.save(update_fields=["email"])

    def _ask(self, email: str = "pia@solsikken.dk", client: Client | None = None, **extra):
        return (client or self.client).post(reverse("password_reset"), {"email": email}, **extra)

    def _link(self) -> str:
        self._ask()
        found = LINK.search(str(mail.outbox[-1].body))
        assert found, "no reset link in the email"
        return found.group(1)

    def _open(self, link: str, client: Client | None = None):
        """Follow the emailed link; Django moves the token into the session."""
        client = client or self.client
        response = client.get(link)
        assert response.status_code == 302, response.status_code
        return response["Location"]

    def _set(self, form_url: str, password1: str, password2: str | None = None, client=None):
        data = {"password1": password1, "password2": password2 or password1}
        return (client or self.client).post(form_url, data)

    def assert_password_unchanged(self):
        # Not can_log_in(): a login changes last_login, which voids the link.
        self.pia.refresh_from_db()
        assert self.pia.check_password(PASSWORD)

    def test_it_links_to_the_reset_page_from_the_login_page(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, f'href="{reverse("password_reset")}"')
        self.assertContains(response, "Glemt adgangskode?")
        self.assertContains(response, "Er du ny i Tidlig?")

    def test_it_shows_the_form_in_danish(self):
        response = self.client.get(reverse("password_reset"))
        self.assertContains(response, "Glemt adgangskode")
        self.assertContains(response, '<label class="form-label" for="id_email">E-mailadresse')

    def test_it_emails_a_link_to_the_users_address(self):
        response = self._ask()
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
        [email] = mail.outbox
        assert email.to == ["pia@solsikken.dk"]
        assert email.subject == "Ny adgangskode til Tidlig i Nordby Kommune"
        assert "Kære Pia" in email.body and "pia" in email.body
        assert "Linket virker én gang og i 1\xa0time." in email.body
        assert LINK.search(email.body)
        assert not email.alternatives  # plain text only

    def test_it_names_no_child_in_the_email(self):
        self._ask()
        email = mail.outbox[0]
        for child in (self.emma, self.noah, self.oskar):
            for name in (child.first_name, child.last_name):
                assert name not in email.subject + email.body

    def test_it_does_not_escape_the_plain_text_email(self):
        with override_settings(MUNICIPALITY_NAME="Holm & Lund Kommune"):
            self._ask()
        email = mail.outbox[0]
        assert "Holm & Lund Kommune" in email.subject and "Holm & Lund Kommune" in email.body
        assert "&amp;" not in email.subject + email.body

    @override_settings(ALLOWED_HOSTS=["testserver", "angriber.example"])
    def test_it_builds_the_link_from_site_root_not_the_request_host(self):
        self._ask(HTTP_HOST="angriber.example")
        body = mail.outbox[0].body
        assert LINK.search(body)
        assert "angriber.example" not in body

    def test_it_answers_an_unknown_address_the_same_and_sends_nothing(self):
        response = self._ask("ukendt@example.dk")
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
        assert mail.outbox == []
        page = self.client.get(reverse("password_reset_done"))
        self.assertContains(page, "Tjek din e-mail")
        self.assertContains(page, "Hvis adressen hører til en bruger i Tidlig")

    def test_it_sends_nothing_to_an_inactive_user(self):
        self.pia.is_active = False
        self.pia.save(update_fields=["is_active"])
        assert self._ask().status_code == 302
        assert mail.outbox == []

    def test_it_says_in_danish_next_to_the_field_when_the_address_is_invalid(self):
        response = self._ask("ikke en adresse")
        assert response.status_code == 200
        self.assertContains(response, "Indtast en gyldig e-mail-adresse.", count=2)
        self.assertContains(response, 'id="id_email_error"')
        assert mail.outbox == []

    def test_it_sets_the_new_password(self):
        form_url = self._open(self._link())
        self.assertContains(self.client.get(form_url), "Vælg en ny adgangskode")

        response = self._set(form_url, NEW_PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_complete")
        assert can_log_in("pia", NEW_PASSWORD)
        assert not can_log_in("pia", PASSWORD)
        self.assertContains(self.client.get(response["Location"]), "Din adgangskode er skiftet")

    def test_it_refuses_two_different_passwords_in_danish_next_to_the_field(self):
        form_url = self._open(self._link())
        response = self._set(form_url, NEW_PASSWORD, NEW_PASSWORD + "x")
        assert response.status_code == 200
        text = response.content.decode()
        assert (
            '<span class="form-error-message"><span class="sr-only">'
            "Fejl: </span>De to adgangskoder er ikke ens.</span>"
        ) in text
        assert '<div id="id_password2_error">' in text
        assert 'aria-describedby="id_password2_error"' in text
        assert 'href="#id_password2"' in text  # and in the summary above the form
        self.assert_password_unchanged()

    def test_it_refuses_a_short_password_in_danish_next_to_the_field(self):
        form_url = self._open(self._link())
        response = self._set(form_url, "kort")
        assert response.status_code == 200
        self.assertContains(
            response, "Denne adgangskode er for kort. Den skal indeholde mindst 12 tegn."
        )
        self.assertContains(response, 'id="id_password1_error"')
        self.assert_password_unchanged()
        # The link still works for a better password.
        assert self._set(form_url, NEW_PASSWORD).status_code == 302

    def test_it_lets_the_link_be_used_once(self):
        link = self._link()
        self._set(self._open(link), NEW_PASSWORD)

        response = Client().get(link)
        assert response.status_code == 200
        self.assertContains(response, "Linket virker ikke")
        self.assertContains(response, f'href="{reverse("password_reset")}"')
        assert 'name="password1"' not in response.content.decode()

    def test_it_refuses_the_link_after_an_hour(self):
        link = self._link()
        # The token generator's own clock: it reads naive local time, which
        # time-machine does not move in step with the time zone Django sets.
        later = datetime.now()
        with mock.patch.object(PasswordResetTokenGenerator, "_now", lambda _: later):
            later += timedelta(minutes=59)
            assert Client().get(link).status_code == 302  # to the form
            later += timedelta(minutes=2)
            self.assertContains(Client().get(link), "Linket virker ikke")

    def test_it_refuses_a_made_up_link(self):
        url = reverse("password_reset_confirm", args=["MQ", "ikke-et-token"])
        self.assertContains(self.client.get(url), "Linket virker ikke")

    def test_it_does_not_log_in(self):
        form_url = self._open(self._link())
        self._set(form_url, NEW_PASSWORD)
        assert "_auth_user_id" not in self.client.session
        response = self.client.get(reverse("home"))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_it_ends_every_session_of_the_user(self):
        # Pia is logged in on the tablet and on her phone, Lars on his pc.
        tablet, phone, lars = Client(), Client(), Client()
        for client, username in ((tablet, "pia"), (phone, "pia"), (lars, "lars")):
            data = {"username": username, "password": PASSWORD}
            assert client.post(reverse("login"), data).status_code == 302
        assert UserSession.objects.filter(user=self.pia).count() == 2

        self._set(self._open(self._link()), NEW_PASSWORD)

        assert not UserSession.objects.filter(user=self.pia).exists()
        sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
        assert str(self.pia.pk) not in sessions
        assert str(self.lars.pk) in sessions
        for client in (tablet, phone):
            assert "/login/" in client.get(reverse("home"))["Location"]

    def test_it_logs_out_the_browser_that_resets_when_it_is_the_users_own(self):
        client = Client()
        log_in(client, self.pia)
        session_key = client.session.session_key

        response = self._set(self._open(self._link(), client), NEW_PASSWORD, client=client)

        assert response.status_code == 302
        assert "_auth_user_id" not in client.session
        assert not Session.objects.filter(session_key=session_key).exists()

    @override_settings(AXES_FAILURE_LIMIT=5)
    def test_it_lifts_the_lockout_of_the_username(self):
        for _ in range(5):
            Client().post(reverse("login"), {"username": "pia", "password": "forkert"})
        assert not can_log_in("pia", PASSWORD)  # locked

        self._set(self._open(self._link()), NEW_PASSWORD)

        assert not AccessAttempt.objects.filter(username="pia").exists()
        assert can_log_in("pia", NEW_PASSWORD)

    def test_it_records_the_change_without_the_password(self):
        self._set(self._open(self._link()), NEW_PASSWORD)
        entries = LogEntry.objects.get_for_object(self.pia).filter(action=LogEntry.Action.UPDATE)
        [entry] = [e for e in entries if "password" in e.changes_dict]
        assert entry.changes_dict == {"password": ["***", "***"]}
        self.pia.refresh_from_db()
        assert self.pia.password not in str(entry.changes) + str(entry.serialized_data)

    def test_it_still_asks_for_the_mfa_code_after_a_reset(self):
        # The point of the reset never logging in: the new password alone shows nothing.
        self._set(self._open(self._link()), NEW_PASSWORD)
        client = Client()
        data = {"username": "pia", "password": NEW_PASSWORD}
        assert client.post(reverse("login"), data).status_code == 302

        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_verify"))
        response = client.get(reverse("child", args=[self.emma.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_verify"))
