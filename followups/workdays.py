"""Deadlines for an underretning, counted the way Danish law counts them.

When a municipality receives an underretning (a notification of concern about a child),
two clocks start:

* it must be assessed within 24 hours. These are calendar hours: nights, weekends and
  holidays count, and so does a daylight saving change (24 hours are 24 elapsed hours, so
  the deadline can show a different time of day than the receipt).
* the notifier must have a receipt within 6 working days. The day of receipt is not
  counted, and a working day is a weekday that is neither a Danish public holiday (from
  the `holidays` package, which knows that Store Bededag was abolished from 2024) nor a
  day in `EXTRA_CLOSED_DAYS`. The day of receipt is the local date in Copenhagen.

This module knows nothing about the database; `followups.models` calls it.
"""

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# Not public holidays, but days Danish municipal offices are closed, so they do not count as
# working days either: juleaftensdag, nytårsaftensdag and grundlovsdag, as (month, day).
# The closed days are cached per year on first use; restart after changing this.
EXTRA_CLOSED_DAYS = {(12, 24), (12, 31), (6, 5)}

ASSESSMENT_HOURS = 24
RECEIPT_WORKING_DAYS = 6


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[date]:
    """The days of `year` that are not working days even on a weekday."""
    public = holidays.country_holidays("DK", years=year)
    extra = {date(year, month, day) for month, day in EXTRA_CLOSED_DAYS}
    return frozenset(public) | extra


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`, not counting `start` itself.

    With `days == 0` this is `start` if it is a working day, otherwise the next one.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    day = start
    if days == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got {moment!r}")


def receipt_deadline(received_at: datetime) -> date:
    """The last day the notifier's receipt may be sent."""
    _require_aware(received_at)
    received_on = received_at.astimezone(COPENHAGEN).date()
    return add_working_days(received_on, RECEIPT_WORKING_DAYS)


def assessment_deadline(received_at: datetime) -> datetime:
    """The moment the assessment is due: 24 elapsed hours later, in Copenhagen time."""
    _require_aware(received_at)
    deadline = received_at.astimezone(UTC) + timedelta(hours=ASSESSMENT_HOURS)
    return deadline.astimezone(COPENHAGEN)
