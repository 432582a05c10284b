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

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncQuarter
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


def meeting_punctuality(start: date, end: date, *, today: date | None = None) -> list[Quarter]:
    """The tallies of the meetings planned from `start` to `end` (both included),
    per quarter, oldest first; only quarters with meetings that count."""
    today = today or timezone.localdate()
    on_time = Q(held_on__isnull=False, held_on__lte=F("due"))
    late = Q(held_on__isnull=False, held_on__gt=F("due"))
    missed = Q(held_on__isnull=True, due__lt=today) & (
        Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=F("due"))
    )
    rows = list(
        Meeting.objects.annotate(due=Coalesce("overdue_from", "scheduled_on"))
        .filter(due__range=(start, end))
        .filter(on_time | late | missed)
        .annotate(quarter=TruncQuarter("due"))
        .values("quarter", "case__coordinator")
        .annotate(
            on_time=Count("pk", filter=on_time),
            late=Count("pk", filter=late),
            missed=Count("pk", filter=missed),
        )
        .order_by("quarter")
    )
    coordinators = User.objects.in_bulk({row["case__coordinator"] for row in rows})

    quarters: dict[date, list[tuple[User, Tally]]] = {}
    for row in rows:
        tally = Tally(row["on_time"], row["late"], row["missed"])
        coordinator = coordinators[row["case__coordinator"]]
        quarters.setdefault(row["quarter"], []).append((coordinator, tally))
    result = []
    for first_day, per_coordinator in quarters.items():
        per_coordinator.sort(key=lambda pair: (str(pair[0]).lower(), pair[0].pk))
        total = sum((tally for _, tally in per_coordinator), Tally())
        number = (first_day.month - 1) // 3 + 1
        result.append(Quarter(first_day.year, number, total, per_coordinator))
    return result
