from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# (url name, label, roles that see it); None means every logged-in user.
MENU = [
    ("home", _("Forside"), None),
    ("child_list", _("Mine børn"), {Role.FAGPERSON, Role.LEDER, Role.RAADGIVER, Role.KONSULENT}),
    ("unit_overview", _("Min enhed"), {Role.FAGPERSON, Role.LEDER}),
    ("my_tasks", _("Mine opgaver"), {Role.FAGPERSON, Role.LEDER, Role.RAADGIVER, Role.KONSULENT}),
    ("intake", _("Indgang"), {Role.RAADGIVER}),
    ("admin_home", _("Administration"), {Role.ADMINISTRATOR}),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    roles = user.roles()
    menu = []
    for name, label, allowed in MENU:
        if allowed is not None and not roles & allowed:
            continue
        url = reverse(name)
        current = request.path == url if name == "home" else request.path.startswith(url)
        menu.append({"url": url, "label": label, "current": current})
    return {"menu": menu}
