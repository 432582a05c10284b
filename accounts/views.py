from base64 import b32encode
from datetime import timedelta

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import mfa, sessions
from accounts.forms import MFACodeForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User, UserSession
from accounts.sessions import SEEN_AT


def axes_username(request, credentials) -> str | None:
    """The username django-axes records, no longer than a username can be: a pasted
    novel in the login field is a failed attempt, not a database error."""
    data = credentials or getattr(request, "data", None) or request.POST
    username = data.get("username")
    return username[: User._meta.get_field("username").max_length] if username else username


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a login on a locked account: the login page again."""
    form = AuthenticationForm(request, data=request.POST)
    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    form.add_error(
        None,
        _(
            "Kontoen er låst efter for mange forkerte forsøg. Prøv igen om %(hours)s timer, "
            "eller kontakt kommunens systemadministrator."
        )
        % {"hours": hours},
    )
    ctx = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "accounts/login.html", ctx, status=429)


@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """The warning dialog's "Bliv logget ind": counts as activity, answers 204.

    401, not a login redirect, when the session has already ended: the script
    then sends the browser to the login page itself.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    now = timezone.now()
    request.session[SEEN_AT] = int(now.timestamp())
    UserSession.objects.filter(session_id=request.session.session_key).update(last_seen=now)
    return HttpResponse(status=204)


def _live_sessions(user):
    idle_since = timezone.now() - timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    return user.sessions.filter(session__expire_date__gt=timezone.now(), last_seen__gt=idle_since)


@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    ctx = {"sessions": _live_sessions(request.user), "current": request.session.session_key}
    return render(request, "accounts/my_sessions.html", ctx)


@login_required
@require_POST
def my_session_end(request: HttpRequest, pk: int) -> HttpResponse:
    user_session = get_object_or_404(UserSession, pk=pk, user=request.user)
    if user_session.session_id == request.session.session_key:
        logout(request)
        return redirect("login")
    # The UserSession row goes with the Session row (CASCADE).
    Session.objects.filter(session_key=user_session.session_id).delete()
    messages.success(request, _("Sessionen er logget ud."))
    return redirect("my_sessions")


@login_required
@require_POST
def my_sessions_end_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    others = request.user.sessions.exclude(session_id=request.session.session_key)
    Session.objects.filter(session_key__in=others.values("session_id")).delete()
    messages.success(request, _("Du er logget ud alle andre steder."))
    return redirect("my_sessions")


def _next_url(request: HttpRequest) -> str:
    """Where to go after the code: the page asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path: redirect() would take "a b" or "x:y" for the name of a URL pattern.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(name: str, next_url: str) -> str:
    url = reverse(name)
    return url if next_url == reverse("home") else f"{url}?{urlencode({'next': next_url})}"


@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the app, or a recovery code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    next_url = _next_url(request)
    if mfa.is_verified(request):
        return redirect(next_url)
    if not mfa.has_device(user):
        return redirect(_with_next("mfa_enrol", next_url))
    form = MFACodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = mfa.throttled_seconds(user)
        device = None if wait else mfa.match(user, form.cleaned_data["code"])
        if wait:
            form.add_error(
                "code",
                _("Du har skrevet en forkert kode for mange gange. Vent %(seconds)s sekunder.")
                % {"seconds": wait},
            )
        elif device is None:
            form.add_error(
                "code",
                _(
                    "Koden passer ikke. Skriv den kode, appen viser lige nu, "
                    "eller en af dine gendannelseskoder."
                ),
            )
        else:
            django_otp.login(request, device)
            sessions.rotate_key(request)
            if isinstance(device, StaticDevice):
                _warn_recovery_code_used(request)
            return redirect(next_url)
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": next_url})


def _warn_recovery_code_used(request: HttpRequest) -> None:
    left = mfa.recovery_codes_left(request.user)
    messages.warning(
        request,
        ngettext(
            "Du loggede ind med en gendannelseskode. Du har %(count)s kode tilbage.",
            "Du loggede ind med en gendannelseskode. Du har %(count)s koder tilbage.",
            left,
        )
        % {"count": left}
        + " "
        + _("Har du mistet din telefon, så sæt en ny godkenderapp op under Tofaktor-login."),
    )


@require_http_methods(["GET", "POST"])
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: at the first login, or to replace the app.

    A password alone may set up the first app only: once a user has one, a new
    one needs a verified session, or an administrator's reset.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    next_url = _next_url(request)
    verified = mfa.is_verified(request)
    if not verified and mfa.has_device(user):
        return redirect(_with_next("mfa_verify", next_url))
    device = mfa.pending_authenticator(user)
    form = MFACodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(mfa.normalise(form.cleaned_data["code"])):
            mfa.confirm_authenticator(device)
            django_otp.login(request, device)
            sessions.rotate_key(request)
            if verified and mfa.recovery_codes_left(user):
                messages.success(request, _("Den nye godkenderapp er sat op."))
                return redirect("mfa_settings")
            request.session[mfa.NEW_CODES_SESSION_KEY] = mfa.new_recovery_codes(user)
            return redirect(_with_next("mfa_codes", next_url))
        form.add_error(
            "code",
            _(
                "Koden passer ikke. Tjek, at du har scannet koden ovenfor, og skriv den "
                "kode, appen viser lige nu."
            ),
        )
    # segno writes plain SVG markup (no script, no style attributes) from the
    # otpauth URL, which only holds the username, the issuer and the secret.
    qr = segno.make(device.config_url, error="m")
    ctx = {
        "form": form,
        "next": next_url,
        "replacing": verified,
        "qr": mark_safe(qr.svg_inline(scale=5, light="#fff", border=2)),  # noqa: S308
        "secret": " ".join(_grouped(_base32(device))),
    }
    return render(request, "accounts/mfa_enrol.html", ctx)


def _base32(device) -> str:
    return b32encode(device.bin_key).decode()


def _grouped(text: str, size: int = 4) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@login_required
@require_http_methods(["GET"])
def mfa_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown this once."""
    codes = request.session.pop(mfa.NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("mfa_settings")
    ctx = {"codes": codes, "next": _next_url(request)}
    return render(request, "accounts/mfa_codes.html", ctx)


@login_required
@require_http_methods(["GET"])
def mfa_settings(request: HttpRequest) -> HttpResponse:
    ctx = {
        "app": mfa.authenticator(request.user),
        "codes_left": mfa.recovery_codes_left(request.user),
        "idp_mfa": bool(request.session.get(mfa.IDP_MFA_SESSION_KEY)),
    }
    return render(request, "accounts/mfa_settings.html", ctx)


@login_required
@require_POST
def mfa_new_codes(request: HttpRequest) -> HttpResponse:
    request.session[mfa.NEW_CODES_SESSION_KEY] = mfa.new_recovery_codes(request.user)
    return redirect("mfa_codes")
