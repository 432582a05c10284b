"""Are the three-month follow-up meetings held on time? ("Møder til tiden")

A meeting counts in the quarter of the day it was due: the day it is planned
for (`scheduled_on`), or, if it was moved after that day had passed, the day it
was due then (`overdue_from`):

- *til tiden*: held at the latest on the planned day (no grace days);
- *for sent*: held, but after the planned day;
- *ikke holdt*: not held, and the planned day has passed, while the case was
  still open that day (a meeting left behind by a case closed before it was
  due was never due).

A meeting not held whose day has not passed yet (today included) is not due and
does not count. Meetings are grouped by the case's coordinator now, so a case
that changed hands counts with its current coordinator.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.db.models import Value as V
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim, TruncQuarter
from django.utils import timezone

from accounts.models import User
from followups.models import Meeting


@dataclass(frozen=True)
class Tally:
    on_time: int = 0
    late: int = 0
    missed: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.missed

    def _share(self, count: int) -> int | None:
        return round(100 * count / self.total) if self.total else None

    @property
    def on_time_percent(self) -> int | None:
        return self._share(self.on_time)

    @property
    def late_percent(self) -> int | None:
        return self._share(self.late)

    @property
    def missed_percent(self) -> int | None:
        return self._share(self.missed)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.on_time + other.on_time, self.late + other.late, self.missed + other.missed
        )


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1..4
    total: Tally
    by_coordinator: list[tuple[User, Tally]]

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _tallied(start: date, end: date, today: date) -> tuple[QuerySet, dict[str, Count]]:
    """The meetings that count, planned from `start` to `end` (both included), with
    their quarter, and the three counts to take once they are grouped."""
    on_time = Q(held_on__isnull=False, held_on__lte=F("due"))
    late = Q(held_on__isnull=False, held_on__gt=F("due"))
    missed = Q(held_on__isnull=True, due__lt=today) & (
        Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=F("due"))
    )
    counts = {
        "on_time": Count("pk", filter=on_time),
        "late": Count("pk", filter=late),
        "missed": Count("pk", filter=missed),
    }
    return (
        Meeting.objects.annotate(due=Coalesce("overdue_from", "scheduled_on"))
        .filter(due__range=(start, end))
        .filter(on_time | late | missed)
        .annotate(quarter=TruncQuarter("due"))
    ), counts


def coordinator_rows(start: date, end: date, *, today: date | None = None) -> QuerySet:
    """One row per quarter and coordinator (`quarter`, `coordinator`, and the three
    counts), by quarter and then by the coordinator's name: to be paged."""
    meetings, counts = _tallied(start, end, today or timezone.localdate())
    name = Lower(
        Coalesce(
            NullIf(
                Trim(
                    Concat("case__coordinator__first_name", V(" "), "case__coordinator__last_name")
                ),
                V(""),
            ),
            "case__coordinator__username",
        )
    )
    return (
        meetings.values("quarter", coordinator=F("case__coordinator"))
        .annotate(**counts, name=name)
        .order_by("quarter", "name", "coordinator")
    )


def quarter_totals(start: date, end: date, *, today: date | None = None) -> dict[date, Tally]:
    """Each quarter's tally (by its first day), oldest first; only quarters with
    meetings that count."""
    meetings, counts = _tallied(start, end, today or timezone.localdate())
    rows = meetings.values("quarter").annotate(**counts).order_by("quarter")
    return {row["quarter"]: Tally(row["on_time"], row["late"], row["missed"]) for row in rows}


def quarters_of(rows: Iterable[dict], totals: dict[date, Tally]) -> list[Quarter]:
    """The `coordinator_rows` given (a page of them, say) grouped by quarter, each
    quarter with its whole tally from `totals`."""
    rows = list(rows)
    coordinators = User.objects.in_bulk({row["coordinator"] for row in rows})
    by_quarter: dict[date, list[tuple[User, Tally]]] = {}
    for row in rows:
        tally = Tally(row["on_time"], row["late"], row["missed"])
        by_quarter.setdefault(row["quarter"], []).append((coordinators[row["coordinator"]], tally))
    return [
        Quarter(first_day.year, (first_day.month - 1) // 3 + 1, totals[first_day], per_coordinator)
        for first_day, per_coordinator in by_quarter.items()
    ]


def meeting_punctuality(start: date, end: date, *, today: date | None = None) -> list[Quarter]:
    """The tallies of the meetings planned from `start` to `end` (both included),
    per quarter, oldest first; only quarters with meetings that count."""
    return quarters_of(
        coordinator_rows(start, end, today=today), quarter_totals(start, end, today=today)
    )
