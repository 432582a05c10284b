from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Danish first: the language is the one the user picked (cookie), else Danish.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which
    shows English to a Danish pedagogue whose browser happens to be English.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PrivacyHeadersMiddleware:
    """What a browser may keep and do with a page, beyond Django's own headers.

    Any page a logged-in user gets may show a child, and a shared computer's
    back button or disk cache must not show it to the next person: nothing is
    stored (never_cache's headers plus the old Pragma for HTTP/1.0 proxies).
    Static files never get here (WhiteNoise answers them first) and stay
    cacheable. Permissions-Policy refuses camera, microphone and the like to
    every page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before and after: logging out ends the session, logging in starts one.
        logged_in = request.user.is_authenticated
        response = self.get_response(request)
        if logged_in or request.user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Pragma"] = "no-cache"
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# Requests a page makes by itself, not the user: they must not keep a session
# alive. The archive's progress bar asks every 2 seconds while a report is made.
PASSIVE_URL_NAMES = {"report_progress"}


class SessionTimeoutMiddleware:
    """Ends a session idle for SESSION_IDLE_MINUTES, and any session
    SESSION_ABSOLUTE_HOURS after its login.

    The request then goes on as an anonymous one: a page behind login_required
    sends the browser to the login page with ?next=, where a message says why,
    and the LØFT autosave answers with its "log ind igen" line, the typed text
    kept in the browser. The last activity is written to the session at most
    once a minute, so an ordinary request costs no extra write.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        from accounts.models import UserSession
        from accounts.sessions import LOGIN_AT, SEEN_AT

        if not request.user.is_authenticated:
            return None
        session = request.session
        now = int(timezone.now().timestamp())
        login_at = session.setdefault(LOGIN_AT, now)
        seen_at = session.setdefault(SEEN_AT, now)
        if now - login_at >= settings.SESSION_ABSOLUTE_HOURS * 3600:
            message = _("Du er logget ud, fordi du har været logget ind i %(hours)s timer.") % {
                "hours": settings.SESSION_ABSOLUTE_HOURS
            }
        elif now - seen_at >= settings.SESSION_IDLE_MINUTES * 60:
            message = _(
                "Du er logget ud, fordi du ikke har brugt Tidlig i %(minutes)s minutter."
            ) % {"minutes": settings.SESSION_IDLE_MINUTES}
        else:
            resolved = request.resolver_match
            passive = resolved is not None and resolved.url_name in PASSIVE_URL_NAMES
            if not passive and now - seen_at >= 60:
                session[SEEN_AT] = now
                UserSession.objects.filter(session_id=session.session_key).update(
                    last_seen=timezone.now()
                )
            return None
        logout(request)
        messages.info(request, message)
        return None
