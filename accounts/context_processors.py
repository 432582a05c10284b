from collections.abc import Set as AbstractSet
from typing import NamedTuple

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.mfa import is_verified
from accounts.models import ENROLLING_KINDS, Role, UnitKind


class MenuEntry(NamedTuple):
    """One menu entry: the page's url name, its label, and who sees it: None means
    every logged-in user; with `unit_kinds`, the role must be held in a unit of one
    of those kinds. A url name listed twice is shown once."""

    name: str
    label: str | Promise
    roles: AbstractSet[str] | None = None
    unit_kinds: AbstractSet[str] | None = None


MENU = [
    MenuEntry("home", _("Forside")),
    # A leader of Børn & Ungerådgivningen has no children of its own: these pages are
    # for the leaders of units where children are enrolled.
    MenuEntry("child_list", _("Mine børn"), {Role.FAGPERSON, Role.RAADGIVER, Role.KONSULENT}),
    MenuEntry("child_list", _("Mine børn"), {Role.LEDER}, ENROLLING_KINDS),
    MenuEntry("unit_overview", _("Min enhed"), {Role.FAGPERSON}),
    MenuEntry("unit_overview", _("Min enhed"), {Role.LEDER}, ENROLLING_KINDS),
    MenuEntry("my_tasks", _("Mine opgaver"), {Role.FAGPERSON, Role.RAADGIVER, Role.KONSULENT}),
    MenuEntry("my_tasks", _("Mine opgaver"), {Role.LEDER}, ENROLLING_KINDS),
    MenuEntry("my_meetings", _("Mine møder"), {Role.RAADGIVER, Role.KONSULENT}),
    # The tværfaglige forum (forum.views): consultants advise, units bring children.
    MenuEntry("forum_home", _("Tværfagligt forum"), {Role.KONSULENT, Role.FAGPERSON}),
    MenuEntry("forum_home", _("Tværfagligt forum"), {Role.LEDER}, ENROLLING_KINDS),
    MenuEntry("my_cases", _("Mine sager"), {Role.RAADGIVER}, {UnitKind.RAADGIVNING}),
    MenuEntry("intake", _("Indgang"), {Role.RAADGIVER, Role.LEDER}, {UnitKind.RAADGIVNING}),
    MenuEntry("meeting_punctuality", _("Møder til tiden"), {Role.LEDER}, {UnitKind.RAADGIVNING}),
    MenuEntry("underretning_overview", _("Underretninger"), {Role.LEDER}, {UnitKind.RAADGIVNING}),
    # The rådgivning leader's status of the unit (reports.leader_views).
    MenuEntry("raadgivning_status", _("Kvartalsstatus"), {Role.LEDER}, {UnitKind.RAADGIVNING}),
    MenuEntry("report_dashboard", _("Kvartalsstatus"), {Role.FORVALTNING}),
    # Institution leaders see their own units' quarterly figures.
    MenuEntry("report_dashboard", _("Kvartalsstatus"), {Role.LEDER}, ENROLLING_KINDS),
    MenuEntry("report_archive", _("Kvartalsrapporter"), {Role.FORVALTNING}),
    MenuEntry("admin_home", _("Administration"), {Role.ADMINISTRATOR}),
    MenuEntry("notifications", _("Notifikationer")),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    if not is_verified(request):
        # Between the password and the code: nothing to go to but logging out.
        return {"menu": [], "mfa_pending": True}
    held = {(m.role, m.unit.kind) for m in user.membership_list()}
    roles = {role for role, _kind in held}
    menu, shown = [], set()
    for name, label, allowed, unit_kinds in MENU:
        if name in shown:
            continue
        if allowed is not None:
            if unit_kinds is not None:
                if not any((role, kind) in held for role in allowed for kind in unit_kinds):
                    continue
            elif not roles & allowed:
                continue
        shown.add(name)
        url = reverse(name)
        current = request.path == url if name == "home" else request.path.startswith(url)
        menu.append({"name": name, "url": url, "label": label, "current": current})
    return {"menu": menu}
