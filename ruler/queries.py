"""Børnelinealen as plain queries for the pages above `ruler` (desk): the latest
zone of many children, one child's assessments and their chart, a unit's children
grouped by zone.

Every function costs a fixed number of queries whatever the number of children
or assessments.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Unit
from children.access import visible_children
from children.models import Child, Enrollment
from ruler import zones
from ruler.models import Assessment
from tidlig.lib.charts import Level, level_chart

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from ruler.models import LatestZone

NOT_ASSESSED = "ingen"


def current_assessments(child: Child, where: Q | None = None) -> list[Assessment]:
    """The child's assessments in force (not corrected), oldest first; `where`
    narrows them to those the user reads (children.access.readable_entries)."""
    return list(
        Assessment.objects.current()
        .filter(where or Q(), child=child)
        .select_related("author", "unit")
        .order_by("assessed_on", "created_at", "pk")
    )


def latest_assessment(child: Child) -> Assessment | None:
    """The child's latest assessment in force: its zone and date are part of the
    handover summary everyone who sees the child sees, wherever it was written."""
    return (
        Assessment.objects.current()
        .filter(child=child)
        .select_related("author")
        .latest_first()
        .first()
    )


def all_assessments(child: Child) -> QuerySet[Assessment]:
    """Every assessment of the child, corrected versions included, oldest first."""
    return (
        Assessment.objects.filter(child=child)
        .select_related("author", "corrects")
        .order_by("assessed_on", "created_at", "pk")
    )


def zone_chart(assessments: list[Assessment], *, chart_id: str = "zone-chart") -> str:
    """The zone over time as inline SVG (with a screen-reader description)."""
    if not assessments:
        return ""
    levels = [Level(s.number, f"{s.number} {s.label}", s.colour) for s in zones.STYLES.values()]
    points = [(a.assessed_on, a.zone) for a in assessments]
    first, last = assessments[0], assessments[-1]
    return level_chart(
        points,
        levels=levels,
        title=_("Børnelinealen over tid"),
        description=_("%(count)s vurderinger fra %(first)s til %(last)s, senest zone %(zone)s.")
        % {
            "count": len(assessments),
            "first": first.assessed_on.strftime("%d.%m.%Y"),
            "last": last.assessed_on.strftime("%d.%m.%Y"),
            "zone": f"{last.zone} {last.style.label}",
        },
        chart_id=chart_id,
    )


def zone_choices() -> list[tuple[str, str]]:
    """The choices of a zone filter: 5 down to 1, then "not assessed"."""
    return [
        *((str(s.number), f"{s.number} · {s.label}") for s in reversed(zones.STYLES.values())),
        (NOT_ASSESSED, str(gettext_lazy("Ikke vurderet endnu"))),
    ]


def filter_by_zone(
    children: "QuerySet[WithAnnotations[Child, LatestZone]]", value: str
) -> "QuerySet[WithAnnotations[Child, LatestZone]]":
    """Children of an `annotate_latest` queryset in one zone (a `zone_choices` value)."""
    if value == NOT_ASSESSED:
        return children.filter(latest_zone__isnull=True)
    return children.filter(latest_zone=int(value))


# The unit overview lists at most this many children of a zone (and of those never
# assessed); the rest are one click away in Mine børn, filtered by the unit and the
# zone. Rendering every row of a school of 552 children took 0.6 s at 100,000 children.
OVERVIEW_ROWS = 25


def latest_zones(child_ids: list[int]) -> dict[int, tuple[int, date]]:
    """Each assessed child's latest zone in force and the day it was set, from one
    query over their assessments: for hundreds of children at once, a fraction of
    `annotate_latest`'s two subqueries a child. A correction is always of the same
    child, so the versions it replaced are among the rows read and are skipped here
    (the database's anti-join for `current()` scanned every assessment)."""
    rows = list(
        Assessment.objects.filter(child_id__in=child_ids)
        .latest_first()
        .values_list("pk", "corrects_id", "child_id", "zone", "assessed_on")
    )
    replaced = {row[1] for row in rows if row[1] is not None}
    found: dict[int, tuple[int, date]] = {}
    for pk, _corrects, child_id, zone, assessed_on in rows:
        if pk not in replaced:
            found.setdefault(child_id, (zone, assessed_on))
    return found


@dataclass
class ZoneGroup:
    style: zones.ZoneStyle | None  # None: the children never assessed
    ids: list[int] = field(default_factory=list)  # all of the group's children, by name
    shown: list[Child] = field(default_factory=list)  # the first OVERVIEW_ROWS of them

    @property
    def open_by_default(self) -> bool:
        return self.style is None or self.style.number in zones.CONCERN_ZONES

    @property
    def more(self) -> int:
        """How many of the group's children the overview leaves to Mine børn."""
        return max(0, len(self.ids) - OVERVIEW_ROWS)

    @property
    def zone_filter(self) -> str:
        """The group as Mine børn's zone filter (`zone_choices`)."""
        return NOT_ASSESSED if self.style is None else str(self.style.number)


def children_by_zone(user, unit: Unit) -> dict:
    """The unit's children the user sees, grouped by latest zone (5 first), with
    those never assessed and those whose assessment is stale: three queries. Every
    child is counted from its id and latest zone; only the children the overview names
    (each group's `shown` and the stale ones) are loaded. `child_ids`: all of them;
    `shown_ids`: those named, for the page's audit entry."""
    today = timezone.localdate()
    enrolled = Enrollment.objects.active().filter(child=OuterRef("pk"), unit=unit)
    ids = list(
        visible_children(user)
        .filter(Exists(enrolled))
        .order_by("first_name", "last_name", "pk")
        .values_list("pk", flat=True)
    )
    latest = latest_zones(ids)
    groups = {number: ZoneGroup(style) for number, style in zones.STYLES.items()}
    never = ZoneGroup(None)
    stale_rows = []
    for pk in ids:
        if pk not in latest:
            never.ids.append(pk)
            continue
        zone, assessed_on = latest[pk]
        groups[zone].ids.append(pk)
        if zones.is_stale(zone, assessed_on, today):
            stale_rows.append((assessed_on, -zone, pk))
    # The longest since an assessment first; on the same day, the highest zone.
    stale_ids = [pk for *_, pk in sorted(stale_rows)]
    everyone = [*groups.values(), never]
    shown_ids = [pk for group in everyone for pk in group.ids[:OVERVIEW_ROWS]] + stale_ids
    named = Child.objects.in_bulk(shown_ids)
    for pk, child in named.items():
        child.latest_zone, child.latest_assessed_on = latest.get(pk, (None, None))  # type: ignore[attr-defined]
        child.is_stale = False  # type: ignore[attr-defined]
    for pk in stale_ids:
        named[pk].is_stale = True  # type: ignore[attr-defined]
    for group in everyone:
        group.shown = [named[pk] for pk in group.ids[:OVERVIEW_ROWS]]
    total = sum(len(group.ids) for group in everyone)
    return {
        "groups": [groups[n] for n in sorted(groups, reverse=True)],
        "never": never.ids,
        "never_group": never,
        "stale": [named[pk] for pk in stale_ids],
        "total": total,
        "assessed": total - len(never.ids),
        "child_ids": [pk for group in everyone for pk in group.ids],
        "shown_ids": list(dict.fromkeys(shown_ids)),
    }
