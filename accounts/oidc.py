"""Single sign-on through the municipality's identity provider (OpenID Connect).

mozilla-django-oidc does the protocol: the redirect to the provider, the code for
a token, the token's signature and nonce. This backend decides who that is in
Tidlig. The provider is trusted with one thing, the person's identity: the claim
OIDC_USERNAME_CLAIM must match exactly one active user, and that user's roles are
their memberships in Tidlig. Nobody is created, and nothing about the user is
copied from the provider.

When the provider says it did multi-factor authentication itself ("mfa" in the
amr claim, as Entra ID puts it) and OIDC_TRUST_IDP_MFA is on, the session counts
as verified (accounts.mfa.IDP_MFA_SESSION_KEY); otherwise the user gives a Tidlig
code after the provider's login, like after a password.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.mfa import IDP_MFA_SESSION_KEY


def said_mfa(claims: dict) -> bool:
    amr = claims.get("amr") or []
    return "mfa" in ([amr] if isinstance(amr, str) else amr)


class TidligOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Django asks every backend about every login. Only the callback view passes
        # a nonce; a password login whose URL happens to carry ?code=&state= must not
        # make this backend trade that code at the provider.
        if kwargs.get("nonce") is None:
            return None
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        # Entra ID says how the user signed in (amr) in the ID token, not in userinfo.
        if said_mfa(payload):
            claims = {**claims, "amr": ["mfa"]}
        return claims

    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))

    def describe_user_by_claims(self, claims) -> str:
        return f"{settings.OIDC_USERNAME_CLAIM} {claims.get(settings.OIDC_USERNAME_CLAIM)}"

    def filter_users_by_claims(self, claims):
        # Zero or several matches log nobody in (mozilla-django-oidc refuses several).
        value = claims.get(settings.OIDC_USERNAME_CLAIM)
        users = self.UserModel.objects.filter(is_active=True)
        if not value:
            return users.none()
        if settings.OIDC_USERNAME_CLAIM == "email":
            return users.filter(email__iexact=value)
        return users.filter(username=value)

    def create_user(self, claims):
        return None

    def update_user(self, user, claims):
        # Nothing is copied from the provider: not the name, not a role. Only whether
        # it did MFA, for the login signal below.
        user.tidlig_idp_mfa = settings.OIDC_TRUST_IDP_MFA and said_mfa(claims)
        return user

    def get_user(self, user_id):
        # mozilla-django-oidc's get_user also returns a deactivated user; Django's
        # refuses them, so a user disabled in Tidlig loses a session already open.
        return ModelBackend.get_user(self, user_id)


@receiver(user_logged_in)
def _remember_idp_mfa(sender, request, user, **kwargs) -> None:
    if getattr(user, "tidlig_idp_mfa", False):
        request.session[IDP_MFA_SESSION_KEY] = True
    else:
        # A login the provider did not vouch for keeps no earlier one's MFA.
        request.session.pop(IDP_MFA_SESSION_KEY, None)
