from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers


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
