from django.http import HttpRequest

from accounts.mfa import is_verified
from followups.list_views import unread_count


def notifications(request: HttpRequest) -> dict:
    """The number of unread notifications, shown beside "Notifikationer" in the menu.

    One indexed count per page, for a verified login only (the menu is hidden
    between the password and the code).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_verified(request):
        return {}
    return {"unread_notifications": unread_count(user)}
