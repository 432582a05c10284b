"""Deadlines for an underretning, counted the way Danish law counts them.

When the municipality receives an underretning, two clocks start (followups.law has the
paragraphs):

* it must be assessed within 24 hours. These are calendar hours: nights, weekends and
  holidays count, and so does a daylight saving change (24 hours are 24 elapsed hours, so
  the deadline can show a different time of day than the receipt).
* the notifier must have a receipt within 6 hverdage. The day of receipt is not counted,
  and the day of receipt is the local date in Copenhagen.

This module knows nothing about the database; `followups.models` calls it.
"""

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from followups import law

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# A hverdag is a day that is neither a Saturday, a Sunday, a public holiday (helligdag),
# grundlovsdag, juleaftensdag nor nytårsaftensdag. Neither Barnets Lov nor the guidance (VEJ
# nr. 9471 af 21/06/2024) defines the word, so this is the set Danish statutes name when a
# deadline ending on such a day moves to "den førstkommende hverdag": restaurationsloven
# § 36 a, stk. 5 ("Udløber en frist i en weekend, på en helligdag, grundlovsdag,
# juleaftensdag eller nytårsaftensdag, udstrækkes fristen til den førstkommende hverdag")
# and forældelsesloven § 27, stk. 2 ("i en weekend, på en helligdag, grundlovsdag, den 24.
# eller den 31. december"). So a Saturday is not a hverdag. 1 May is not a helligdag and
# counts. The public holidays come from the `holidays` package, which knows that Store
# Bededag was abolished from 2024. The three days below are not helligdage, so they are
# added as (month, day); they are cached per year on first use, restart after a change.
EXTRA_CLOSED_DAYS = {(12, 24), (12, 31), (6, 5)}

ASSESSMENT_HOURS = law.ASSESSMENT_HOURS
RECEIPT_HVERDAGE = law.RECEIPT_HVERDAGE


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[date]:
    """The days of `year` that are not hverdage even on a Monday to Friday."""
    public = holidays.country_holidays("DK", years=year)
    extra = {date(year, month, day) for month, day in EXTRA_CLOSED_DAYS}
    return frozenset(public) | extra


def is_hverdag(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def add_hverdage(start: date, days: int) -> date:
    """The date `days` hverdage after `start`, not counting `start` itself: a deadline
    runs from the day after the day that starts it (restaurationsloven § 36 a, stk. 1).

    With `days == 0` this is `start` if it is a hverdag, otherwise the next one.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    day = start
    if days == 0:
        while not is_hverdag(day):
            day += timedelta(days=1)
        return day
    while days:
        day += timedelta(days=1)
        if is_hverdag(day):
            days -= 1
    return day


# A meeting date and the quarterly report's first working day fall on the days the
# municipality's offices are open, which are the hverdage; followups.models and
# reports.generate/figures still call them by these names.
is_working_day = is_hverdag
add_working_days = add_hverdage
RECEIPT_WORKING_DAYS = RECEIPT_HVERDAGE


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got {moment!r}")


def receipt_deadline(received_at: datetime) -> date:
    """The last day the notifier's receipt may be sent: 6 hverdage after the day the
    municipality received the underretning."""
    _require_aware(received_at)
    received_on = received_at.astimezone(COPENHAGEN).date()
    return add_hverdage(received_on, RECEIPT_HVERDAGE)


def assessment_deadline(received_at: datetime) -> datetime:
    """The moment the assessment is due: 24 elapsed hours after the municipality received
    the underretning, shown in Copenhagen time."""
    _require_aware(received_at)
    deadline = received_at.astimezone(UTC) + timedelta(hours=ASSESSMENT_HOURS)
    return deadline.astimezone(COPENHAGEN)
