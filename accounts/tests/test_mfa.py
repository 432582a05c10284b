"""Multi-factor login: the password, then a code from the app or a recovery code.

The acceptance test over every role and URL is in tests/test_access_matrix.py
(test_it_shows_nothing_before_the_code); these are the flows themselves.
"""

import re

from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import UserSession
from loeft.models import Dialogue
from tidlig.test import PASSWORD, BaseTestCase, authenticator, current_code, log_in

VERIFY = reverse("mfa_verify")
ENROL = reverse("mfa_enrol")
CODES = reverse("mfa_codes")


class MFATestCase(BaseTestCase):
    def setUp(self):
        self.app = authenticator(self.pia)
        self.emma_url = reverse("child", args=[self.emma.pk])

    def password(self, next_url: str = "") -> Client:
        """A browser that has given Pia's password and nothing else."""
        client = Client()
        data = {"username": "pia", "password": PASSWORD, "next": next_url}
        response = client.post(reverse("login"), data)
        assert response.status_code == 302
        return client

    def code(self, client: Client, code: str, next_url: str = ""):
        return client.post(VERIFY, {"code": code, "next": next_url})


class PasswordThenCodeTests(MFATestCase):
    def test_a_password_alone_reaches_no_child(self):
        client = self.password()
        response = client.get(self.emma_url)
        assert response.status_code == 302
        assert response["Location"] == f"{VERIFY}?next=%2Fboern%2F{self.emma.pk}%2F"
        page = client.get(response["Location"])
        assert "Skriv din kode" in page.content.decode()
        assert "Emma" not in page.content.decode()
        # No menu to pages that would only send the user back here.
        assert f'href="{reverse("child_list")}"' not in page.content.decode()

    def test_the_code_from_the_app_opens_the_page_asked_for(self):
        client = self.password()
        response = self.code(client, current_code(self.app), next_url=self.emma_url)
        assert response.status_code == 302
        assert response["Location"] == self.emma_url
        assert "Emma" in client.get(self.emma_url).content.decode()

    def test_the_session_key_changes_when_the_code_is_accepted(self):
        client = self.password()
        before = client.cookies["sessionid"].value
        self.code(client, current_code(self.app))
        after = client.cookies["sessionid"].value
        assert after != before
        assert "Emma" in client.get(self.emma_url).content.decode()
        # The key seen before the code opens nothing afterwards.
        stale = Client()
        stale.cookies["sessionid"] = before
        assert stale.get(self.emma_url).status_code == 302
        # Mine sessioner still lists the session, under its new key.
        assert UserSession.objects.filter(user=self.pia, session_id=after).exists()
        assert not UserSession.objects.filter(session_id=before).exists()

    def test_the_code_may_be_typed_with_spaces(self):
        code = current_code(self.app)
        client = self.password()
        assert self.code(client, f" {code[:3]} {code[3:]} ").status_code == 302
        assert client.get(self.emma_url).status_code == 200

    def test_a_wrong_code_is_refused_next_to_the_field(self):
        client = self.password()
        wrong = f"{(int(current_code(self.app)) + 1) % 1_000_000:06d}"
        response = self.code(client, wrong)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="id_code_error"' in html
        assert "Koden passer ikke" in html
        assert client.get(self.emma_url).status_code == 302

    def test_an_empty_code_gets_a_danish_message(self):
        response = self.code(self.password(), "")
        assert "Skriv koden fra din godkenderapp." in response.content.decode()

    def test_repeated_wrong_codes_make_the_user_wait(self):
        client = self.password()
        for _ in range(5):
            self.code(client, "000000")
        # django-otp doubles the wait after each wrong code, now 16 seconds, and
        # even the right code is not tried in that time.
        response = self.code(client, current_code(self.app))
        assert "for mange gange. Vent 1" in response.content.decode()
        assert client.get(self.emma_url).status_code == 302

    def test_a_code_is_accepted_once(self):
        code = current_code(self.app)
        first = self.password()
        assert self.code(first, code).status_code == 302
        second = self.password()
        assert self.code(second, code).status_code == 200

    def test_it_does_not_follow_a_next_to_another_site(self):
        client = self.password()
        response = self.code(client, current_code(self.app), next_url="https://evil.example/")
        assert response["Location"] == reverse("home")

    def test_it_goes_home_for_a_next_that_is_no_path(self):
        # redirect() took "a b" or "25:61" for a URL pattern's name: a 500.
        for junk in ("a b", "25:61", "²"):
            # Each login as in a new 30-second step: the codes are not what is tested,
            # and the third in one step waited up to 30 s for the next (mfa.app_code).
            TOTPDevice.objects.filter(pk=self.app.pk).update(last_t=-1)
            client = self.password()
            response = self.code(client, current_code(self.app), next_url=junk)
            assert response["Location"] == reverse("home"), junk

    def test_a_request_the_page_makes_itself_is_answered_as_logged_out(self):
        # A LØFT autosave from a tab opened before the login does not save.
        draft = Dialogue.objects.create(child=self.emma, author=self.pia)
        client = self.password()
        url = reverse("dialogue_autosave", args=[draft.pk])
        response = client.post(url, {"worries": "skrevet uden kode"}, HTTP_HX_REQUEST="true")
        assert "Du er blevet logget ud" in response.content.decode()
        draft.refresh_from_db()
        assert "skrevet uden kode" not in str(draft.draft_data)

    def test_logging_out_is_possible_before_the_code(self):
        client = self.password()
        assert client.post(reverse("logout")).status_code == 302
        assert client.get(VERIFY)["Location"] == reverse("login")


class RecoveryCodeTests(MFATestCase):
    def setUp(self):
        super().setUp()
        self.codes = mfa.new_recovery_codes(self.pia)

    def test_a_recovery_code_logs_in_once_and_says_how_many_are_left(self):
        client = self.password()
        response = self.code(client, self.codes[0].upper(), next_url=self.emma_url)
        assert response["Location"] == self.emma_url
        page = client.get(self.emma_url).content.decode()
        assert "Du har 9 koder tilbage" in page
        again = self.password()
        assert self.code(again, self.codes[0]).status_code == 200

    def test_new_codes_replace_the_old_ones(self):
        log_in(self.client, self.pia)
        response = self.client.post(reverse("mfa_new_codes"))
        assert response["Location"] == CODES
        page = self.client.get(CODES).content.decode()
        new = re.findall(r"<code>([a-z2-7]{8})</code>", page)
        assert len(new) == 10 and not set(new) & set(self.codes)
        assert self.code(self.password(), new[0]).status_code == 302
        assert self.code(self.password(), self.codes[1]).status_code == 200

    def test_the_codes_are_shown_only_once(self):
        log_in(self.client, self.pia)
        self.client.post(reverse("mfa_new_codes"))
        assert self.client.get(CODES).status_code == 200
        assert self.client.get(CODES)["Location"] == reverse("mfa_settings")


class EnrolmentTests(MFATestCase):
    def setUp(self):
        super().setUp()
        TOTPDevice.objects.filter(user=self.pia).delete()

    def test_the_first_login_sets_up_the_app_and_shows_recovery_codes(self):
        client = self.password(next_url=self.emma_url)
        response = client.get(self.emma_url, follow=True)
        assert response.redirect_chain[-1][0].startswith(ENROL)
        html = response.content.decode()
        assert "<svg" in html and "Sæt tofaktor-login op" in html
        pending = TOTPDevice.objects.get(user=self.pia, confirmed=False)
        # Reloading keeps the same secret under the phone's camera.
        client.get(ENROL)
        assert TOTPDevice.objects.get(user=self.pia).key == pending.key

        response = client.post(ENROL, {"code": current_code(pending), "next": self.emma_url})
        assert response["Location"] == f"{CODES}?next=%2Fboern%2F{self.emma.pk}%2F"
        codes_page = client.get(response["Location"]).content.decode()
        codes = re.findall(r"<code>([a-z2-7]{8})</code>", codes_page)
        assert len(codes) == 10
        assert f'href="{self.emma_url}"' in codes_page
        assert client.get(self.emma_url).status_code == 200
        assert TOTPDevice.objects.get(user=self.pia).confirmed
        assert StaticToken.objects.filter(device__user=self.pia).count() == 10

    def test_a_wrong_code_sets_up_nothing(self):
        client = self.password()
        client.get(ENROL)
        response = client.post(ENROL, {"code": "12345"})
        assert "Koden passer ikke" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=self.pia, confirmed=True).exists()
        assert client.get(self.emma_url).status_code == 302

    def test_a_password_alone_cannot_replace_an_existing_app(self):
        authenticator(self.pia)
        client = self.password()
        assert client.get(ENROL)["Location"] == VERIFY
        assert client.post(ENROL, {"code": "123456"})["Location"] == VERIFY
        assert not TOTPDevice.objects.filter(user=self.pia, confirmed=False).exists()

    def test_a_verified_user_replaces_the_app_and_keeps_the_codes(self):
        old = authenticator(self.pia)
        codes = mfa.new_recovery_codes(self.pia)
        log_in(self.client, self.pia)
        assert "Skift godkenderapp" in self.client.get(ENROL).content.decode()
        new = TOTPDevice.objects.get(user=self.pia, confirmed=False)
        response = self.client.post(ENROL, {"code": current_code(new)})
        assert response["Location"] == reverse("mfa_settings")
        assert list(TOTPDevice.objects.filter(user=self.pia)) == [new]
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()
        assert mfa.recovery_codes_left(self.pia) == len(codes)


class AdministratorResetTests(MFATestCase):
    def test_a_reset_forgets_the_app_and_ends_the_sessions(self):
        mfa.new_recovery_codes(self.pia)
        pias = self.password()
        self.code(pias, current_code(self.app))
        log_in(self.client, self.adam)
        edit = self.client.get(reverse("admin_user_edit", args=[self.pia.pk])).content.decode()
        assert "Nulstil tofaktor-login" in edit
        response = self.client.post(reverse("admin_user_mfa_reset", args=[self.pia.pk]))
        assert response.status_code == 302
        assert not mfa.has_device(self.pia)
        assert not UserSession.objects.filter(user=self.pia).exists()
        assert pias.get(self.emma_url)["Location"].startswith(reverse("login"))
        entry = LogEntry.objects.get_for_object(self.pia).latest("timestamp")
        assert entry.actor == self.adam and "tofaktor" in entry.changes_dict
        # The next login sets up a new app.
        assert (
            self.password().get(self.emma_url, follow=True).redirect_chain[-1][0].startswith(ENROL)
        )

    def test_a_new_password_from_the_administrator_keeps_the_app(self):
        log_in(self.client, self.adam)
        new_password = "en-helt-ny-adgangskode-77"
        self.client.post(
            reverse("admin_user_password", args=[self.pia.pk]),
            {"password1": new_password, "password2": new_password},
        )
        client = Client()
        client.post(reverse("login"), {"username": "pia", "password": new_password})
        assert client.get(self.emma_url)["Location"].startswith(VERIFY)
