"""Multi-factor login: a password is not enough to see anything in Tidlig.

After the password (accounts login page, django-axes) the session belongs to
the user but is not yet verified. Until it is, MFARequiredMiddleware lets it
reach only the pages that verify it: the code page, the enrolment page for a
user who has no authenticator yet, logging out. Everything else (every child,
every report, the administration) sends it to the code page, or, for a request
the page makes by itself, answers as if nobody were logged in.

A session is verified by django-otp (a code from the user's TOTP device, or one
of their one-time recovery codes, a StaticDevice) or by the municipality's
identity provider when it says it did MFA itself (accounts.oidc sets
IDP_MFA_SESSION_KEY).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Set by accounts.oidc when the identity provider reports that it did MFA.
IDP_MFA_SESSION_KEY = "tidlig_idp_mfa"
# The recovery codes just made, shown once on the next page.
NEW_CODES_SESSION_KEY = "tidlig_new_recovery_codes"

# What a logged-in but unverified session may reach.
OPEN_URL_NAMES = {
    "mfa_verify",
    "mfa_enrol",
    "logout",
    "login",
    "session_keepalive",
    "set_language",
    "health",
}

RECOVERY_DEVICE_NAME = "Gendannelseskoder"
APP_DEVICE_NAME = "Godkenderapp"


def is_verified(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if request.session.get(IDP_MFA_SESSION_KEY):
        return True
    # is_verified() is put on the user by django-otp's OTPMiddleware.
    return user.is_verified()  # type: ignore[attr-defined]


def authenticator(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_device(user) -> bool:
    """Whether the user can verify a login: an app, or recovery codes left."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with MFA_RECOVERY_CODES new ones."""
    device, _ = StaticDevice.objects.update_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed app being set up: the same secret until it is confirmed,
    so reloading the page does not change the QR code under the user's phone."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_authenticator(device: TOTPDevice) -> None:
    """The new app works: it replaces any earlier one."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def app_code(device: TOTPDevice) -> str:
    """The code the user's app shows now, or the next one if this one was just
    used (django-otp accepts each code once, and one step ahead for clock drift;
    beyond that this waits for the next step).
    For the demo's `demo_code` and for tests: a real user reads it off the phone."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # Codes up to `tolerance` steps ahead are accepted; further ahead, wait for them.
    wanted = (device.last_t + 1 - device.tolerance) * device.step + device.t0
    if 0 < wanted - time.time() <= device.step:
        time.sleep(wanted - time.time())
    totp.time = max(time.time(), (device.last_t + 1) * device.step + device.t0)
    return f"{totp.token():0{device.digits}d}"


def normalise(code: str) -> str:
    # People copy codes with spaces ("123 456") or type recovery codes in capitals.
    return "".join(code.split()).replace("-", "").lower()


def match(user, code: str):
    """The device that accepts `code` (an app code or a recovery code), or None.

    A recovery code is used up. Both kinds are throttled by django-otp: each
    wrong code doubles the wait before the next try.
    """
    code = normalise(code)
    if not code:
        return None
    devices = [authenticator(user)] if code.isdigit() else []
    devices += StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        if device is not None and verify_token(user, device.persistent_id, code):
            return device
    return None


def throttled_seconds(user) -> int:
    """How long the user must wait before the next code is tried (0: not at all)."""
    waits = [0]
    for device in [authenticator(user), *StaticDevice.objects.filter(user=user)]:
        if device is None:
            continue
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return max(waits)


def forget_devices(user) -> None:
    """An administrator's reset: the user sets up a new app at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


class MFARequiredMiddleware:
    """Deny by default for a session that has given a password but no code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or is_verified(request):
            return None
        resolved = request.resolver_match
        if resolved is not None and (
            resolved.url_name in OPEN_URL_NAMES or resolved.namespace == "oidc"
        ):
            return None
        if request.method in ("GET", "HEAD") and not request.headers.get("HX-Request"):
            target = reverse("mfa_verify")
            if request.get_full_path() != reverse("home"):
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        # A request the page makes by itself (a LØFT autosave, say) or a form sent
        # from a page opened before the login: answered as for nobody logged in.
        request.user = AnonymousUser()
        return None
