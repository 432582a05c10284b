"""Single sign-on through the municipality's identity provider (accounts.oidc).

The provider is never called: mozilla-django-oidc's token exchange, the ID
token's check and the userinfo request are patched, and the rest runs for real,
from "Log ind med kommunens login" through the callback to the home page.

Pia is a pædagog at Solsikken, known to the provider as pia@solsikken.dk; Lars
leads Solsikken; Adam administers the system.
"""

from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.mfa import IDP_MFA_SESSION_KEY
from accounts.tests import urls_oidc
from tidlig.test import BaseTestCase

UNKNOWN = "Dit login fra kommunen kendes ikke i Tidlig."

# tidlig/urls.py reads OIDC_ENABLED once, when it is first imported: the import of
# urls_oidc above makes that happen now, with the real settings, and not inside a
# test below (which would mount single sign-on for every later test).
OIDC = override_settings(
    ROOT_URLCONF=urls_oidc.__name__,
    OIDC_ENABLED=True,
    OIDC_RP_CLIENT_ID="tidlig",
    OIDC_RP_CLIENT_SECRET="client-secret",
    OIDC_OP_AUTHORIZATION_ENDPOINT="https://login.kommune.example/authorize",
    OIDC_OP_TOKEN_ENDPOINT="https://login.kommune.example/token",
    OIDC_OP_USER_ENDPOINT="https://login.kommune.example/userinfo",
    OIDC_OP_JWKS_ENDPOINT="https://login.kommune.example/keys",
    AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, "accounts.oidc.TidligOIDCBackend"],
)


@OIDC
class OIDCTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.pia.email = "pia@solsikken.dk"
        cls.pia.save()

    def sso(self, claims: dict, amr=("pwd", "mfa"), next_url: str = ""):
        """Log in through the provider, which answers with these userinfo claims
        and an ID token with this amr; returns the callback's response."""
        query = f"?next={next_url}" if next_url else ""
        start = self.client.get(reverse("oidc:oidc_authentication_init") + query)
        assert start.status_code == 302
        sent = parse_qs(urlsplit(start["Location"]).query)
        assert sent["redirect_uri"] == ["http://testserver/oidc/callback/"]
        id_token = {"sub": "abc", "nonce": sent["nonce"][0], "amr": list(amr)}
        with (
            mock.patch.object(
                OIDCAuthenticationBackend,
                "get_token",
                return_value={"id_token": "id-token", "access_token": "access-token"},
            ) as get_token,
            mock.patch.object(OIDCAuthenticationBackend, "verify_token", return_value=id_token),
            mock.patch.object(OIDCAuthenticationBackend, "get_userinfo", return_value=claims),
        ):
            response = self.client.get(
                reverse("oidc:oidc_authentication_callback"),
                {"code": "code-from-provider", "state": sent["state"][0]},
            )
        assert get_token.call_args.args[0]["code"] == "code-from-provider"
        return response

    def logged_in_user_id(self) -> str | None:
        return self.client.session.get("_auth_user_id")

    def test_it_logs_in_the_user_with_that_email_and_shows_the_home_page(self):
        response = self.sso({"email": "pia@solsikken.dk"})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        assert self.logged_in_user_id() == str(self.pia.pk)

        response = self.client.get(reverse("home"))
        assert response.status_code == 200
        self.assertContains(response, "Børnehaven Solsikken")

    def test_it_matches_the_email_whatever_its_case(self):
        self.sso({"email": "Pia@Solsikken.DK"})
        assert self.logged_in_user_id() == str(self.pia.pk)

    def test_it_goes_on_to_the_page_asked_for(self):
        child_url = reverse("child", args=[self.emma.pk])
        response = self.sso({"email": "pia@solsikken.dk"}, next_url=child_url)
        self.assertRedirects(response, child_url, fetch_redirect_response=False)

    def test_it_counts_the_providers_mfa(self):
        self.sso({"email": "pia@solsikken.dk"}, amr=["pwd", "mfa"])
        assert self.client.session[IDP_MFA_SESSION_KEY] is True

    def test_it_asks_for_a_tidlig_code_when_the_provider_did_no_mfa(self):
        self.sso({"email": "pia@solsikken.dk"}, amr=["pwd"])
        assert self.logged_in_user_id() == str(self.pia.pk)
        assert IDP_MFA_SESSION_KEY not in self.client.session
        response = self.client.get(reverse("home"))
        self.assertRedirects(response, reverse("mfa_verify"), fetch_redirect_response=False)

    def test_it_takes_mfa_from_userinfo_too(self):
        self.sso({"email": "pia@solsikken.dk", "amr": ["mfa"]}, amr=[])
        assert self.client.session[IDP_MFA_SESSION_KEY] is True

    @override_settings(OIDC_TRUST_IDP_MFA=False)
    def test_it_ignores_the_providers_mfa_when_told_not_to_trust_it(self):
        self.sso({"email": "pia@solsikken.dk"}, amr=["pwd", "mfa"])
        assert self.logged_in_user_id() == str(self.pia.pk)
        assert IDP_MFA_SESSION_KEY not in self.client.session

    def test_it_refuses_an_unknown_email_and_says_so_on_the_login_page(self):
        response = self.sso({"email": "ukendt@kommune.example"})
        assert response["Location"] == "/login/?sso=afvist"
        assert self.logged_in_user_id() is None

        response = self.client.get(response["Location"])
        self.assertContains(response, UNKNOWN)
        self.assertContains(response, "Kontakt kommunens systemadministrator.")

    def test_it_creates_no_user(self):
        users = type(self.pia).objects.count()
        self.sso({"email": "ny@kommune.example", "preferred_username": "ny"})
        assert type(self.pia).objects.count() == users

    def test_it_refuses_a_user_disabled_in_tidlig(self):
        self.pia.is_active = False
        self.pia.save()
        response = self.sso({"email": "pia@solsikken.dk"})
        assert response["Location"] == "/login/?sso=afvist"
        assert self.logged_in_user_id() is None

    def test_it_ends_the_session_of_a_user_disabled_after_the_login(self):
        self.sso({"email": "pia@solsikken.dk"})
        self.pia.is_active = False
        self.pia.save()
        response = self.client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith("/login/")

    def test_it_refuses_an_email_two_users_have(self):
        self.lars.email = "PIA@solsikken.dk"
        self.lars.save()
        response = self.sso({"email": "pia@solsikken.dk"})
        assert response["Location"] == "/login/?sso=afvist"
        assert self.logged_in_user_id() is None

    def test_it_refuses_claims_without_the_email(self):
        response = self.sso({"sub": "abc"})
        assert response["Location"] == "/login/?sso=afvist"
        assert self.logged_in_user_id() is None

    @override_settings(OIDC_USERNAME_CLAIM="preferred_username")
    def test_it_matches_the_username_when_told_to(self):
        self.sso({"preferred_username": "lars", "email": "pia@solsikken.dk"})
        assert self.logged_in_user_id() == str(self.lars.pk)

    def test_it_grants_no_role_the_provider_names(self):
        self.sso({"email": "pia@solsikken.dk", "roles": ["Administrator"], "groups": ["admin"]})
        self.pia.refresh_from_db()
        assert not self.pia.is_staff and not self.pia.is_superuser
        assert self.client.get(reverse("admin_home")).status_code == 403

    def test_it_trades_no_code_on_a_password_login(self):
        # Only the callback asks the provider; a code in the login page's URL is ignored.
        with mock.patch.object(OIDCAuthenticationBackend, "get_token") as get_token:
            response = self.client.post(
                reverse("login") + "?code=stolen&state=x",
                {"username": "pia", "password": "wrong-password"},
            )
        assert response.status_code == 200
        get_token.assert_not_called()

    def test_it_shows_the_single_sign_on_button_on_the_login_page(self):
        response = self.client.get(reverse("login"), {"next": "/boern/"})
        self.assertContains(response, "Log ind med kommunens login")
        self.assertContains(response, 'href="/oidc/authenticate/?next=/boern/"')
        self.assertNotContains(response, UNKNOWN)


class WithoutOIDCTestCase(BaseTestCase):
    def test_it_shows_no_single_sign_on_button(self):
        response = self.client.get(reverse("login"), {"sso": "afvist"})
        assert response.status_code == 200
        self.assertNotContains(response, "Log ind med kommunens login")
        self.assertNotContains(response, UNKNOWN)

    def test_it_has_no_single_sign_on_urls(self):
        assert self.client.get("/oidc/authenticate/").status_code == 404
