from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.mfa import is_verified
from accounts.models import ENROLLING_KINDS, Role, UnitKind

# (url name, label, roles that see it[, unit kind or set of kinds]); None means
# every logged-in user. With unit kinds, the role must be held in a unit of one
# of them. A url name listed twice is shown once.
MENU = [
    ("home", _("Forside"), None),
    # A leader of Børn & Ungerådgivningen has no children of its own: these pages are
    # for the leaders of units where children are enrolled.
    ("child_list", _("Mine børn"), {Role.FAGPERSON, Role.RAADGIVER, Role.KONSULENT}),
    ("child_list", _("Mine børn"), {Role.LEDER}, ENROLLING_KINDS),
    ("unit_overview", _("Min enhed"), {Role.FAGPERSON}),
    ("unit_overview", _("Min enhed"), {Role.LEDER}, ENROLLING_KINDS),
    ("my_tasks", _("Mine opgaver"), {Role.FAGPERSON, Role.RAADGIVER, Role.KONSULENT}),
    ("my_tasks", _("Mine opgaver"), {Role.LEDER}, ENROLLING_KINDS),
    ("my_meetings", _("Mine møder"), {Role.RAADGIVER, Role.KONSULENT}),
    ("my_cases", _("Mine sager"), {Role.RAADGIVER}, UnitKind.RAADGIVNING),
    ("intake", _("Indgang"), {Role.RAADGIVER, Role.LEDER}, UnitKind.RAADGIVNING),
    ("meeting_punctuality", _("Møder til tiden"), {Role.LEDER}, UnitKind.RAADGIVNING),
    ("report_dashboard", _("Kvartalsstatus"), {Role.FORVALTNING}),
    # Institution leaders see their own units' quarterly figures.
    ("report_dashboard", _("Kvartalsstatus"), {Role.LEDER}, ENROLLING_KINDS),
    ("report_archive", _("Kvartalsrapporter"), {Role.FORVALTNING}),
    ("admin_home", _("Administration"), {Role.ADMINISTRATOR}),
    ("notifications", _("Notifikationer"), None),
]

def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    if not is_verified(request):
        # Between the password and the code: nothing to go to but logging out.
        return {"menu": [], "mfa_pending": True}
    held = set(user.memberships.values_list("role", "unit__kind"))
    roles = {role for role, _kind in held}
    menu, shown = [], set()
    for name, label, allowed, *unit_kind in MENU:
        if name in shown:
            continue
        if allowed is not None:
            if unit_kind:
                kinds = {unit_kind[0]} if isinstance(unit_kind[0], str) else unit_kind[0]
                if not any((role, kind) in held for role in allowed for kind in kinds):
                    continue
            elif not roles & allowed:
                continue
        shown.add(name)
        url = reverse(name)
        current = request.path == url if name == "home" else request.path.startswith(url)
        menu.append({"name": name, "url": url, "label": label, "current": current})
    return {"menu": menu}
