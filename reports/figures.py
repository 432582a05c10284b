"""A quarter's figures for the quarterly status to Børne- og Skoleudvalget.

`quarter_figures(quarter)` returns a plain, JSON-serialisable dict of raw counts
(`reports.presentation` suppresses the small ones). Every figure is an SQL aggregate,
so the number of queries is fixed, whatever the number of children. The shape of the
dict and what each figure counts are in docs/figures.md.
"""

import math
import statistics
from datetime import date, timedelta
from typing import TypeVar

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Length, Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import UnitKind
from children import absence as absence_signal
from children.models import AbsenceRecord, Concern, Enrollment
from children.transitions import transition_counts
from followups.models import Case as FollowupCase
from followups.models import CaseMember, Intervention, Meeting
from followups.queries import underretning_figures
from loeft.models import Dialogue, Status
from reports import snapshot
from reports.models import QuarterState
from reports.snapshot import AGE_BANDS
from ruler.models import Assessment
from tidlig.lib.dates import Quarter
from tidlig.lib.replica import reads_from_replica

QS = TypeVar("QS", bound=QuerySet)
ZONES = (1, 2, 3, 4, 5)
STEPS = (1, 2, 3, 4, 5, 6)
FIRST_CONCERN_DAYS = 30
# A child flagged for its absence counts as acted on with a concern observed or an
# assessment made within this many days of the flag.
ABSENCE_ACTED_DAYS = 30


@reads_from_replica
def quarter_figures(quarter: Quarter, *, units=None, comparison: bool = True) -> dict:
    unit_ids = None
    label = _("Hele kommunen")
    if units is not None:
        chosen = sorted(units, key=lambda unit: (unit.name, unit.pk))
        unit_ids = [unit.pk for unit in chosen]
        label = ", ".join(unit.name for unit in chosen)
    figures = _figures(quarter, unit_ids)
    figures["scope"] = {"units": unit_ids, "label": label}
    if comparison:
        previous = _figures(quarter.previous(), unit_ids)
        last_year = _figures(quarter.same_last_year(), unit_ids)
        for other in (previous, last_year):
            other["scope"] = figures["scope"]
        figures["comparison"] = {"previous": previous, "last_year": last_year}
    return figures


def _figures(quarter: Quarter, unit_ids: list[int] | None) -> dict:
    start, end = quarter.start, quarter.end
    children = _children(start, end, unit_ids)
    return {
        "quarter": str(quarter),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "scope": {},
        "zones": _zones(quarter, unit_ids),
        "movement": _movement(quarter, unit_ids),
        "concerns": _concerns(start, end, children),
        "underretninger": _underretninger(start, end, children),
        "cases": _cases(start, end, children),
        "meetings": _meetings(start, end, children),
        "staircase": _staircase(start, end, children),
        "beacons": {
            "early_detection": _early_detection(start, end, children),
            "coherence": _coherence(start, end, children),
            "participation": _participation(start, end, children),
        },
    }


# Populations -------------------------------------------------------------------------


def _in(qs: QS, field: str, children: QuerySet | None) -> QS:
    return qs if children is None else qs.filter(**{f"{field}__in": children})


def _children(start: date, end: date, unit_ids: list[int] | None) -> QuerySet | None:
    """The children the non-zone sections cover: None for all of them (no filter)."""
    if unit_ids is None:
        return None
    overlapping = Enrollment.objects.filter(unit__in=unit_ids, start__lte=end).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    return overlapping.values("child")


# Zones -------------------------------------------------------------------------------


def _zone_row(counts: dict[int | None, int]) -> dict:
    zones = {str(zone): counts.get(zone, 0) for zone in ZONES}
    unassessed = counts.get(None, 0)
    return {"zones": zones, "unassessed": unassessed, "children": sum(zones.values()) + unassessed}


def _states(quarter: Quarter, unit_ids: list[int] | None) -> QuerySet:
    """The quarter's rows of reports.snapshot, built if this is the first asking."""
    snapshot.ensure(quarter)
    states = QuarterState.objects.filter(quarter=str(quarter))
    return states if unit_ids is None else states.filter(unit__in=unit_ids)


def _zones(quarter: Quarter, unit_ids: list[int] | None) -> dict:
    states = _states(quarter, unit_ids)

    # Every child of the population is 0–17, so in exactly one age band: the total
    # is the sum of the bands (one query fewer over the whole population).
    total: dict[int | None, int] = {}
    by_age: dict[str, dict] = {key: {} for key, _first, _last in AGE_BANDS}
    rows = (
        states.values("age_band", "zone_end").annotate(n=Count("child", distinct=True)).order_by()
    )
    for row in rows:
        by_age[row["age_band"]][row["zone_end"]] = row["n"]
        total[row["zone_end"]] = total.get(row["zone_end"], 0) + row["n"]

    districts: dict[str, dict] = {}
    names: dict[str, str] = {}
    rows = (
        states.values("district", "district__name", "zone_end")
        .annotate(n=Count("child", distinct=True))
        .order_by()
    )
    for row in rows:
        key = "none" if row["district"] is None else str(row["district"])
        names[key] = row["district__name"] or _("Uden distrikt")
        districts.setdefault(key, {})[row["zone_end"]] = row["n"]

    kinds: dict[str, dict] = {}
    rows = (
        states.values("unit_kind", "zone_end").annotate(n=Count("child", distinct=True)).order_by()
    )
    for row in rows:
        kinds.setdefault(row["unit_kind"], {})[row["zone_end"]] = row["n"]

    kind_order = [kind.value for kind in UnitKind]
    return {
        "total": _zone_row(total),
        "by_district": [
            {"key": key, "name": names[key], **_zone_row(districts[key])}
            for key in sorted(districts, key=lambda k: (k == "none", names[k].lower()))
        ],
        "by_unit_kind": [
            {"key": kind, "name": str(UnitKind(kind).label), **_zone_row(kinds[kind])}
            for kind in sorted(kinds, key=kind_order.index)
        ],
        "by_age_band": [
            {
                "key": key,
                "name": _("%(first)s–%(last)s år") % {"first": first, "last": last},
                **_zone_row(by_age[key]),
            }
            for key, first, last in AGE_BANDS
        ],
    }


def _movement(quarter: Quarter, unit_ids: list[int] | None) -> dict:
    # A child in two units (school and SFO) has two rows with the same zones: the
    # pairs of zones are counted per child.
    pairs = (
        _states(quarter, unit_ids)
        .filter(zone_prev__isnull=False, zone_in__isnull=False)
        .values_list("child", "zone_prev", "zone_in")
        .distinct()
        .order_by()
    )
    counts: dict[tuple[int, int], int] = {}
    for _child, before, now in pairs:
        counts[(before, now)] = counts.get((before, now), 0) + 1
    rows = [{"before": b, "now": n, "n": count} for (b, n), count in counts.items()]
    matrix = [[0] * len(ZONES) for _zone in ZONES]
    improved = unchanged = worsened = 0
    for row in rows:
        before, now, n = row["before"], row["now"], row["n"]
        matrix[before - 1][now - 1] += n
        if now < before:
            improved += n
        elif now == before:
            unchanged += n
        else:
            worsened += n
    return {
        "matrix": matrix,
        "children": improved + unchanged + worsened,
        "improved": improved,
        "unchanged": unchanged,
        "worsened": worsened,
    }


# Activity ----------------------------------------------------------------------------


def _concerns(start: date, end: date, children: QuerySet | None) -> dict:
    qs = _in(Concern.objects.filter(observed_on__range=(start, end)), "child", children)
    counts = qs.aggregate(new=Count("pk"), children=Count("child", distinct=True))
    return {"new": counts["new"], "children": counts["children"]}


def _underretninger(start: date, end: date, children: QuerySet | None) -> dict:
    # The same counts as the rådgivning leader's overview; the report keeps those it
    # shows. A receipt is owed to a professional notifier only, and one whose 6
    # hverdage are still running when the report is made is not due yet.
    figures = underretning_figures(start, end, children)
    keys = ("received", "assessed_within_24h", "receipts_due", "receipt_within_6_days")
    return {key: figures[key] for key in keys}


def _open_on(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_on__lte": day}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})
    )


def _cases(start: date, end: date, children: QuerySet | None) -> dict:
    qs = _in(FollowupCase.objects.all(), "child", children)
    return qs.aggregate(
        opened=Count("pk", filter=Q(opened_on__range=(start, end))),
        closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        open_at_end=Count("pk", filter=_open_on(end)),
    )


def _meetings(start: date, end: date, children: QuerySet | None) -> dict:
    today = timezone.localdate()
    on_time = Q(held_on__isnull=False, held_on__lte=F("due"))
    late = Q(held_on__isnull=False, held_on__gt=F("due"))
    missed = Q(held_on__isnull=True, due__lt=today) & (
        Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=F("due"))
    )
    qs = Meeting.objects.annotate(due=Coalesce("overdue_from", "scheduled_on")).filter(
        due__range=(start, end)
    )
    qs = _in(qs, "case__child", children)
    counts = qs.aggregate(
        on_time=Count("pk", filter=on_time),
        late=Count("pk", filter=late),
        missed=Count("pk", filter=missed),
    )
    return {"due": counts["on_time"] + counts["late"] + counts["missed"], **counts}


def _staircase(start: date, end: date, children: QuerySet | None) -> dict:
    qs = _in(Intervention.objects.all(), "case__child", children)
    running = (
        qs.filter(start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=end))
        .values("step")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_step = {str(step): 0 for step in STEPS}
    for row in running:
        by_step[str(row["step"])] = row["n"]

    earlier = Intervention.objects.filter(case=OuterRef("case")).filter(
        Q(start__lt=OuterRef("start")) | Q(start=OuterRef("start"), pk__lt=OuterRef("pk"))
    )
    previous_step = Subquery(earlier.order_by("-start", "-pk").values("step")[:1])
    rows = (
        qs.filter(start__range=(start, end))
        .annotate(previous_step=previous_step)
        .filter(previous_step__isnull=False)
        .values("step", "previous_step")
        .annotate(n=Count("pk"))
        .order_by()
    )
    down = sum(row["n"] for row in rows if row["step"] < row["previous_step"])
    up = sum(row["n"] for row in rows if row["step"] > row["previous_step"])
    return {"by_step": by_step, "moves": down + up, "moves_down": down, "moves_up": up}


# Pejlemærker -------------------------------------------------------------------------


def _first_concerns(start: date, end: date, children: QuerySet | None) -> QuerySet:
    earlier = Concern.objects.filter(child=OuterRef("child")).filter(
        Q(observed_on__lt=OuterRef("observed_on"))
        | Q(observed_on=OuterRef("observed_on"), created_at__lt=OuterRef("created_at"))
        | Q(
            observed_on=OuterRef("observed_on"),
            created_at=OuterRef("created_at"),
            pk__lt=OuterRef("pk"),
        )
    )
    qs = Concern.objects.filter(observed_on__range=(start, end)).filter(~Exists(earlier))
    return _in(qs, "child", children)


def _early_detection(start: date, end: date, children: QuerySet | None) -> dict:
    current = Assessment.objects.current()
    linked = current.filter(concern=OuterRef("pk")).order_by("assessed_on", "created_at", "pk")
    window_end = ExpressionWrapper(
        OuterRef("observed_on") + timedelta(days=FIRST_CONCERN_DAYS), output_field=DateField()
    )
    soon_after = current.filter(
        child=OuterRef("child"),
        assessed_on__gte=OuterRef("observed_on"),
        assessed_on__lte=window_end,
    ).order_by("assessed_on", "created_at", "pk")
    dialogue = (
        Dialogue.objects.filter(
            status=Status.FINAL, child=OuterRef("child"), held_on__gte=OuterRef("observed_on")
        )
        .order_by("held_on")
        .values("held_on")[:1]
    )
    qs = _first_concerns(start, end, children).annotate(
        first_zone=Coalesce(
            Subquery(linked.values("zone")[:1]),
            Subquery(soon_after.values("zone")[:1]),
            output_field=IntegerField(),
        ),
        dialogue_on=Subquery(dialogue, output_field=DateField()),
    )
    counts = qs.aggregate(
        first_concerns=Count("pk"),
        first_concerns_zone_1_3=Count("pk", filter=Q(first_zone__lte=3)),
        first_concerns_assessed=Count("pk", filter=Q(first_zone__isnull=False)),
        with_dialogue=Count("pk", filter=Q(dialogue_on__isnull=False)),
    )
    # A list of integers, one per first concern with a dialogue: the median needs them.
    waits = (
        qs.filter(dialogue_on__isnull=False)
        .annotate(wait=F("dialogue_on") - F("observed_on"))
        .values_list("wait", flat=True)
    )
    days = [wait.days if isinstance(wait, timedelta) else int(wait) for wait in waits]
    # Half a day rounds up (Python's round() would round 12.5 to 12).
    median = math.floor(statistics.median(days) + 0.5) if days else None
    return {
        "first_concerns": counts["first_concerns"],
        "first_concerns_zone_1_3": counts["first_concerns_zone_1_3"],
        "first_concerns_assessed": counts["first_concerns_assessed"],
        "median_days_to_dialogue": median,
        "with_dialogue": counts["with_dialogue"],
        **_absence_flags(start, end, children),
    }


def _absence_flags(start: date, end: date, children: QuerySet | None) -> dict:
    """The children flagged for their absence in the quarter (children.absence) and
    those of them acted on, with a concern observed or an assessment made within
    ABSENCE_ACTED_DAYS of the flag. A month's flag is raised on the first day of the
    next month, when the month is complete; a child is counted once, by its first
    flag in the quarter. Three queries, whatever the number of children."""
    first_month = start.replace(day=1) - relativedelta(months=1)
    last_month = end.replace(day=1) - relativedelta(months=1)
    records = _in(
        AbsenceRecord.objects.filter(
            month__gte=first_month - relativedelta(months=absence_signal.WINDOW_MONTHS - 1),
            month__lte=last_month,
        ),
        "child",
        children,
    )
    by_pair: dict[tuple[int, int], dict[date, AbsenceRecord]] = {}
    for record in records:
        by_pair.setdefault((record.child_id, record.unit_id), {})[record.month] = record
    candidates: dict[int, list[date]] = {}
    for (child_id, unit_id), months in by_pair.items():
        for month in months:
            if month < first_month:
                continue
            window = absence_signal.window_ending(child_id, unit_id, month, months)
            if window.over_threshold:
                candidates.setdefault(child_id, []).append(month + relativedelta(months=1))
    quiet_days = timedelta(days=settings.ABSENCE_FLAG_QUIET_DAYS)
    active = absence_signal.active_children(
        list(candidates), start - quiet_days, end + timedelta(days=ABSENCE_ACTED_DAYS)
    )
    flagged = acted = 0
    for child_id, days in candidates.items():
        done = active.get(child_id, [])
        raised = [day for day in sorted(days) if not any(day - quiet_days <= d < day for d in done)]
        if not raised:
            continue
        flagged += 1
        first = raised[0]
        if any(first <= d <= first + timedelta(days=ABSENCE_ACTED_DAYS) for d in done):
            acted += 1
    return {"absence_flagged": flagged, "absence_acted_on": acted}


def _coherence(start: date, end: date, children: QuerySet | None) -> dict:
    handovers = _handovers(start, end, children)
    cases = _in(FollowupCase.objects.filter(_open_on(end)), "child", children)
    professions = (
        CaseMember.objects.filter(case=OuterRef("pk"))
        .exclude(profession="")
        .annotate(p=Lower(Trim("profession")))
        .values("case")
        .annotate(n=Count("p", distinct=True))
        .values("n")
    )
    counts = cases.annotate(
        professions=Coalesce(Subquery(professions, output_field=IntegerField()), 0)
    ).aggregate(cases=Count("pk"), two=Count("pk", filter=Q(professions__gte=2)))
    return {
        **handovers,
        "cases": counts["cases"],
        "cases_two_professions": counts["two"],
    }


def _handovers(start: date, end: date, children: QuerySet | None) -> dict:
    """The transitions whose new enrollment starts in the quarter
    (children.transitions), those with a finished overleveringsnotat, and those whose
    note the receiving unit has acknowledged (by the day the figures are made)."""
    return transition_counts(start, end, children)


def _participation(start: date, end: date, children: QuerySet | None) -> dict:
    guardians = Dialogue.guardians.through.objects.filter(dialogue=OuterRef("pk"))
    qs = _in(
        Dialogue.objects.filter(status=Status.FINAL, held_on__range=(start, end)),
        "child",
        children,
    )
    return qs.annotate(
        has_parents=Exists(guardians), voice_length=Length(Trim("child_voice"))
    ).aggregate(
        dialogues=Count("pk"),
        with_parents=Count("pk", filter=Q(has_parents=True)),
        with_child_voice=Count("pk", filter=Q(voice_length__gt=0)),
        child_took_part=Count("pk", filter=Q(child_took_part=True)),
    )
