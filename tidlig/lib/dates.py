"""Quarters of the year, as the quarterly status counts them ("2026Q3")."""

import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta

from django.utils.translation import gettext as _

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"a quarter is numbered 1 to 4, not {self.number}")
        if not MINYEAR <= self.year <= MAXYEAR:
            raise ValueError(f"no quarter in the year {self.year}")

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """ "2026Q3", "2026-Q3" or "2026q3"; ValueError otherwise."""
        match = _QUARTER.match(text or "")
        if not match:
            raise ValueError(f"not a quarter like 2026Q3: {text!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def same_last_year(self) -> "Quarter":
        return Quarter(self.year - 1, self.number)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def in_filename(self) -> str:
        """ "2026-K3": the quarter in a Danish file name."""
        return f"{self.year}-K{self.number}"

    @property
    def label(self) -> str:
        return _("%(number)s. kvartal %(year)s") % {"number": self.number, "year": self.year}
