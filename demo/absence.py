"""Monthly absence (fravær) for the demo's day care and school children, the last six
complete months, imported the way a municipality would: a CSV file through
children.absence_import, by the administrator (so the audit trail has the run).

Most children are away a day or two a month; some more in the winter; a few are
away a lot, and some of those at Solsikken and in Sofie's class 0.A at Nordby
Skole have no recent concern or assessment, so the flag "Højt fravær uden nylig
vurdering" shows in the unit overview and on Pia's, Lars's and Sofie's front pages.
"""

import calendar
import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from accounts.models import UnitKind
from children.absence_import import import_absence
from children.models import Child, Concern, Enrollment
from demo.organisation import NORDBY_SKOLE, SOLSIKKEN

MONTHS = 6
# Units whose systems record absence: day care and schools (not SFO or klub).
RECORDING = (UnitKind.DAGPLEJE, UnitKind.VUGGESTUE, UnitKind.BOERNEHAVE, UnitKind.SKOLE)
# Children flagged on purpose: at Solsikken, and in Sofie's class at Nordby Skole.
FLAGGED = {SOLSIKKEN: 3, NORDBY_SKOLE: 2}
HEADER = "cpr;enhed;måned;fravær;mulige;ulovligt_fravær;opgjort_i"


def _weekdays(month: date) -> int:
    days = calendar.monthrange(month.year, month.month)[1]
    return sum(1 for d in range(days) if (month + timedelta(days=d)).weekday() < 5)


def _possible(kind: str, month: date) -> int:
    days = _weekdays(month)
    if kind == UnitKind.SKOLE:
        # The summer holiday: none in July, half of June and August.
        return {7: 0, 6: days - 8, 8: days - 7}.get(month.month, days)
    return days - (10 if month.month == 7 else 0)


def _half(value: float) -> str:
    return f"{round(value * 2) / 2:g}".replace(".", ",")


def create_absence(rng: random.Random, children: list[Child], users: dict, today: date) -> None:
    this_month = today.replace(day=1)
    months = [this_month - relativedelta(months=n) for n in range(MONTHS, 0, -1)]
    first, last_day = months[0], this_month - timedelta(days=1)
    enrollments = list(
        Enrollment.objects.filter(child__in=children, unit__kind__in=RECORDING, start__lte=last_day)
        .exclude(end__lt=first)
        .select_related("unit", "group")
        .order_by("child_id", "start", "pk")
    )
    quiet_since = today - timedelta(days=60)
    recent = set(
        Concern.objects.filter(child__in=children, observed_on__gte=quiet_since).values_list(
            "child_id", flat=True
        )
    ) | set(
        Child.objects.filter(
            pk__in=[c.pk for c in children], assessments__assessed_on__gte=quiet_since
        ).values_list("pk", flat=True)
    )
    # The children to flag: enrolled today, nothing written about them lately.
    chosen: set[int] = set()
    for unit_name, count in FLAGGED.items():
        candidates = [
            e
            for e in enrollments
            if e.unit.name == unit_name
            and e.runs_on(today)
            and e.child_id not in recent
            and (unit_name != NORDBY_SKOLE or (e.group and e.group.name == "0.A"))
        ]
        for e in rng.sample(candidates, min(count, len(candidates))):
            chosen.add(e.pk)
    # The CPR numbers are decrypted here only to write the file the import reads.
    cprs = {c.pk: c.reveal_cpr() for c in children}
    lines = [HEADER]
    for e in enrollments:
        chronic = e.pk in chosen or rng.random() < 0.04
        for n, month in enumerate(months):
            month_end = month + relativedelta(months=1) - timedelta(days=1)
            if e.start > month_end or (e.end is not None and e.end < month):
                continue
            possible = _possible(e.unit.kind, month)
            if possible <= 0:
                continue
            share = rng.choice([0, 0, 0.02, 0.04, 0.05, 0.07])
            if month.month in (12, 1, 2):
                share += rng.choice([0, 0.03, 0.05])  # winter colds
            if chronic:
                share = rng.uniform(0.08, 0.2)
            if e.pk in chosen and n == len(months) - 1:
                share = rng.uniform(0.15, 0.25)  # last month: over the threshold
            absent = min(possible, possible * share)
            unlawful = ""
            if e.unit.kind == UnitKind.SKOLE:
                unlawful = _half(absent * (0.5 if chronic else rng.choice([0, 0, 0.25])))
            lines.append(
                ";".join(
                    [
                        cprs[e.child_id],
                        e.unit.name,
                        f"{month:%Y-%m}",
                        _half(absent),
                        str(possible),
                        unlawful,
                        "dage",
                    ]
                )
            )
    result = import_absence(
        "\n".join(lines) + "\n", user=users["adam"], name="fravaer-fra-skolesystemet.csv"
    )
    assert result.ok, result.errors[:3]
