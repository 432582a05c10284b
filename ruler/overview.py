"""The unit overview for leder and fagperson: the unit's children by latest zone.

One query for the children with their latest zone (two correlated subqueries,
see `annotate_latest`), whatever the size of the unit; the grouping is done on
those rows. Children in zone 3–5 whose last assessment is older than
`zones.STALE_AFTER_DAYS` are flagged, and children never assessed are listed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Role, Unit
from children.access import UNIT_ROLES, visible_children
from children.models import Child, Enrollment
from ruler import zones
from ruler.models import annotate_latest


@dataclass(frozen=True)
class Section:
    """A block that an app above `ruler` adds to the overview (e.g. loeft's open
    next steps), rendered from `template` with `context(unit, user)`: keep it to a
    fixed number of queries."""

    order: int
    template: str
    context: Callable[..., dict]


_sections: list[Section] = []


def register_section(section: Section) -> Section:
    if section not in _sections:
        _sections.append(section)
    return section


def sections_for(unit: Unit, request: HttpRequest) -> list[str]:
    return [
        render_to_string(
            section.template, {"unit": unit, **section.context(unit, request.user)}, request
        )
        for section in sorted(_sections, key=lambda section: section.order)
    ]


@dataclass
class ZoneGroup:
    style: zones.ZoneStyle
    children: list[Child] = field(default_factory=list)

    @property
    def open_by_default(self) -> bool:
        return self.style.number in zones.CONCERN_ZONES


def _selected_unit(request: HttpRequest, units: list[Unit]) -> Unit | None:
    wanted = request.GET.get("enhed", "")
    if not wanted:
        return units[0] if units else None
    for unit in units:
        if str(unit.pk) == wanted:
            return unit
    raise Http404  # not one of the user's units, or not a unit at all


def children_by_zone(user, unit: Unit) -> dict:
    today = timezone.localdate()
    enrolled = Enrollment.objects.active().filter(child=OuterRef("pk"), unit=unit)
    children = annotate_latest(visible_children(user).filter(Exists(enrolled))).order_by(
        "first_name", "last_name", "pk"
    )
    groups = {number: ZoneGroup(style) for number, style in zones.STYLES.items()}
    never, stale = [], []
    for child in children:
        if child.latest_zone is None:
            never.append(child)
            continue
        child.is_stale = zones.is_stale(child.latest_zone, child.latest_assessed_on, today)
        groups[child.latest_zone].children.append(child)
        if child.is_stale:
            stale.append(child)
    stale.sort(key=lambda c: (c.latest_assessed_on, -c.latest_zone))
    total = sum(len(g.children) for g in groups.values()) + len(never)
    return {
        "groups": [groups[n] for n in sorted(groups, reverse=True)],
        "never": never,
        "stale": stale,
        "total": total,
        "assessed": total - len(never),
    }


@role_required(Role.LEDER, Role.FAGPERSON)
@never_cache
@require_GET
def unit_overview(request: HttpRequest) -> HttpResponse:
    units = list(request.user.units_with_role(*UNIT_ROLES).order_by("name"))
    unit = _selected_unit(request, units)
    context = {"units": units, "unit": unit, "stale_days": zones.STALE_AFTER_DAYS}
    if unit is not None:
        context.update(children_by_zone(request.user, unit))
        context["sections"] = sections_for(unit, request)
    return render(request, "ruler/unit_overview.html", context)
