from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind `login_required` or `role_required`.

    For the type checker only: `request.user` is a `User` there, never the
    anonymous user, and HtmxMiddleware has set `request.htmx` on every request.
    """

    user: User
    htmx: HtmxDetails
