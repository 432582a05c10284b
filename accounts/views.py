from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User, UserSession
from accounts.sessions import SEEN_AT


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("unit", "unit__district")
    return render(request, "accounts/home.html", {"memberships": memberships})


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
def my_sessions_end_others(request: HttpRequest) -> HttpResponse:
    others = request.user.sessions.exclude(session_id=request.session.session_key)
    Session.objects.filter(session_key__in=others.values("session_id")).delete()
    messages.success(request, _("Du er logget ud alle andre steder."))
    return redirect("my_sessions")
