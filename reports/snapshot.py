"""Each child's state at each quarter's end: the table the zone figures are read from.

The zone sections of the quarterly status (`reports.figures`: zones by age band,
district and unit kind, and the movement between zones) once found each child's
latest assessment with a subquery per child on every request: 9 seconds at
100,000 children. Now a row per enrollment running at the quarter's end
(`QuarterState`: the child, unit, district, unit kind, age band, the zone then and
the latest zone within the quarter and the one before) is written once, and the
figures are a GROUP BY over one quarter's rows.

The table is kept true incrementally: saving or deleting an assessment or an
enrollment rewrites that child's rows in the snapshots it can change (signals in
reports.apps; the children import sends `children.signals.enrollments_changed`).
The worker builds the current and the last quarter's snapshots every night and
any that are missing (reports.tasks.build_snapshots), so a request normally finds
them; one that does not (the first request after installing, a quarter far back)
builds its quarter once, under the same lock as the report figures' cache.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import ENROLLING_KINDS
from children.models import Enrollment
from reports.models import QuarterSnapshot, QuarterState
from ruler.models import Assessment
from tidlig.lib.dates import Quarter

# (key, first age, last age)
AGE_BANDS = (("0-2", 0, 2), ("3-5", 3, 5), ("6-9", 6, 9), ("10-13", 10, 13), ("14-17", 14, 17))
# An assessment older than this at the quarter's end no longer places the child.
STALE_AFTER_MONTHS = 12
_ENROLLING = sorted(str(kind) for kind in ENROLLING_KINDS)
BATCH = 5000


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February)."""
    return day - relativedelta(years=years)


def running_enrollments(end: date, unit_ids: list[int] | None = None) -> QuerySet:
    """Enrollments of the zone population, running on `end`, children 0–17 then."""
    qs = Enrollment.objects.filter(
        start__lte=end,
        unit__kind__in=_ENROLLING,
        child__birth_date__lte=end,
        child__birth_date__gt=years_before(end, 18),
    ).filter(Q(end__isnull=True) | Q(end__gte=end))
    if unit_ids is not None:
        qs = qs.filter(unit__in=unit_ids)
    return qs


def _latest_zone(**conditions) -> Subquery:
    latest = (
        Assessment.objects.current()
        .filter(child=OuterRef("child"), **conditions)
        .latest_first()
        .values("zone")[:1]
    )
    return Subquery(latest, output_field=IntegerField())


def _age_band(end: date) -> Case:
    whens = [
        When(
            child__birth_date__lte=years_before(end, first),
            child__birth_date__gt=years_before(end, last + 1),
            then=Value(key),
        )
        for key, first, last in AGE_BANDS
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


def _states(quarter: Quarter, child_ids=None):
    """The rows of `quarter` (of some children only), as QuarterState objects."""
    end, previous = quarter.end, quarter.previous()
    enrollments = running_enrollments(end)
    if child_ids is not None:
        enrollments = enrollments.filter(child__in=child_ids)
    rows = enrollments.annotate(
        zone_end=_latest_zone(
            assessed_on__lte=end,
            assessed_on__gt=end - relativedelta(months=STALE_AFTER_MONTHS),
        ),
        zone_in=_latest_zone(assessed_on__range=(quarter.start, end)),
        zone_prev=_latest_zone(assessed_on__range=(previous.start, previous.end)),
        band=_age_band(end),
    ).values_list(
        "pk",
        "child_id",
        "unit_id",
        "unit__district_id",
        "unit__kind",
        "band",
        "zone_end",
        "zone_in",
        "zone_prev",
    )
    for pk, child, unit, district, kind, band, zone_end, zone_in, zone_prev in rows.iterator(
        chunk_size=BATCH
    ):
        yield QuarterState(
            quarter=str(quarter),
            enrollment_id=pk,
            child_id=child,
            unit_id=unit,
            district_id=district,
            unit_kind=kind,
            age_band=band,
            zone_end=zone_end,
            zone_in=zone_in,
            zone_prev=zone_prev,
        )


def _write(states) -> int:
    batch, written = [], 0
    for state in states:
        batch.append(state)
        if len(batch) == BATCH:
            written += len(QuarterState.objects.bulk_create(batch))
            batch = []
    if batch:
        written += len(QuarterState.objects.bulk_create(batch))
    return written


@transaction.atomic
def build(quarter: Quarter) -> QuarterSnapshot:
    """(Re)write the whole snapshot of `quarter`."""
    QuarterState.objects.filter(quarter=str(quarter)).delete()
    rows = _write(_states(quarter))
    snapshot, _created = QuarterSnapshot.objects.update_or_create(
        quarter=str(quarter), defaults={"built_at": timezone.now(), "rows": rows}
    )
    return snapshot


def ensure(*quarters: Quarter) -> None:
    """Build the snapshots of `quarters` that do not exist yet."""
    built = set(
        QuarterSnapshot.objects.filter(quarter__in=[str(q) for q in quarters]).values_list(
            "quarter", flat=True
        )
    )
    for quarter in quarters:
        if str(quarter) not in built:
            build(quarter)


def affected(since: date, until: date | None = None) -> list[Quarter]:
    """The built quarters a change dated from `since` (to `until`) can alter: those
    ending on or after it, and for a dated change (an assessment) no later than the
    quarter after the one its zone stops counting in."""
    quarters = [Quarter.parse(q) for q in QuarterSnapshot.objects.values_list("quarter", flat=True)]
    last = None
    if until is not None:
        last = Quarter.containing(until + relativedelta(months=STALE_AFTER_MONTHS)).next()
    return sorted(q for q in quarters if q.end >= since and (last is None or q <= last))


@transaction.atomic
def refresh(child_ids, since: date, until: date | None = None) -> None:
    """Rewrite the rows of these children in the snapshots a change can alter."""
    ids = list(child_ids)
    quarters = affected(since, until)
    if not ids or not quarters:
        return
    QuarterState.objects.filter(quarter__in=[str(q) for q in quarters], child__in=ids).delete()
    for quarter in quarters:
        _write(_states(quarter, ids))


def nightly(today: date | None = None) -> list[str]:
    """The worker's job: rebuild the current and the last quarter (whose figures can
    still change with assessments dated back), and build the missing ones the
    dashboard offers (reports.views QUARTERS_OFFERED) with their comparisons."""
    today = today or timezone.localdate()
    current = Quarter.containing(today)
    rebuilt = [current, current.previous()]
    for quarter in rebuilt:
        build(quarter)
    offered = [current]
    for _i in range(9):
        offered.append(offered[-1].previous())
    wanted = {q for o in offered for q in (o, o.previous(), o.same_last_year())}
    ensure(*sorted(wanted - set(rebuilt)))
    return [str(q) for q in rebuilt]
