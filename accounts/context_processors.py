from collections.abc import Callable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, UnitKind

# (url name, label, roles that see it[, unit kind]); None means every logged-in
# user. With a unit kind, the role must be held in a unit of that kind.
MENU = [
    ("home", _("Forside"), None),
    ("child_list", _("Mine børn"), {Role.FAGPERSON, Role.LEDER, Role.RAADGIVER, Role.KONSULENT}),
    ("unit_overview", _("Min enhed"), {Role.FAGPERSON, Role.LEDER}),
    ("my_tasks", _("Mine opgaver"), {Role.FAGPERSON, Role.LEDER, Role.RAADGIVER, Role.KONSULENT}),
    ("my_meetings", _("Mine møder"), {Role.RAADGIVER, Role.KONSULENT}),
    ("my_cases", _("Mine sager"), {Role.RAADGIVER}, UnitKind.RAADGIVNING),
    ("intake", _("Indgang"), {Role.RAADGIVER, Role.LEDER}, UnitKind.RAADGIVNING),
    ("meeting_punctuality", _("Møder til tiden"), {Role.LEDER}, UnitKind.RAADGIVNING),
    ("admin_home", _("Administration"), {Role.ADMINISTRATOR}),
    ("notifications", _("Notifikationer"), None),
]

# A count shown beside a menu entry (e.g. unread notifications): url name ->
# (function of the user, what is counted, for screen readers). Apps above
# accounts register theirs in AppConfig.ready().
_badges: dict[str, tuple[Callable[..., int], str]] = {}


def register_badge(name: str, count: Callable[..., int], label: str) -> None:
    _badges[name] = (count, label)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    held = set(user.memberships.values_list("role", "unit__kind"))
    roles = {role for role, _kind in held}
    menu = []
    for name, label, allowed, *unit_kind in MENU:
        if allowed is not None:
            if unit_kind:
                if not any((role, unit_kind[0]) in held for role in allowed):
                    continue
            elif not roles & allowed:
                continue
        url = reverse(name)
        current = request.path == url if name == "home" else request.path.startswith(url)
        item = {"url": url, "label": label, "current": current}
        if name in _badges:
            count, item["badge_label"] = _badges[name]
            item["badge"] = count(user)
        menu.append(item)
    return {"menu": menu}
