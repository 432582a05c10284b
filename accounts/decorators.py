from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from accounts.http import AuthenticatedHttpRequest


def role_required(*roles: str, unit_kind: str | None = None) -> Callable:
    """Login, then at least one membership with one of `roles` (in a unit of
    `unit_kind`, if given), else 403.

    For pages about one child use `children.access.get_child_for_user` instead:
    it answers 404 so that a URL does not even reveal that the child exists.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: AuthenticatedHttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.memberships_as(*roles, unit_kind=unit_kind or ""):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
