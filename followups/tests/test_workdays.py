"""Hverdage and underretning deadlines. Every expected date is counted by hand.

A hverdag is Monday to Friday, except public holidays, grundlovsdag, juleaftensdag and
nytårsaftensdag (followups.workdays cites the rule). Several tests say what the answer would
be under a looser rule, so that counting a Saturday or one of those days fails them."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followups import law, workdays
from followups.workdays import (
    EXTRA_CLOSED_DAYS,
    add_hverdage,
    assessment_deadline,
    is_hverdag,
    receipt_deadline,
)

CPH = ZoneInfo("Europe/Copenhagen")


def hverdage_between(start: date, end: date) -> int:
    """The hverdage after `start`, up to and including `end`, counted one day at a time:
    the check on add_hverdage (the app itself never needs it)."""
    return sum(is_hverdag(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CPH)


# A plain week and weekends -------------------------------------------------------------------


def test_a_plain_week():
    # Monday 20 April 2026. No holidays until 14 May (Store Bededag, which would have been
    # Friday 1 May, is abolished).
    assert all(is_hverdag(date(2026, 4, d)) for d in (20, 21, 22, 23, 24))
    assert not is_hverdag(date(2026, 4, 25))  # Saturday
    assert not is_hverdag(date(2026, 4, 26))  # Sunday
    assert add_hverdage(date(2026, 4, 20), 1) == date(2026, 4, 21)
    assert add_hverdage(date(2026, 4, 20), 4) == date(2026, 4, 24)
    # Fri 24 = 1, Mon 27 = 2 ... Thu 30 = 5, Fri 1 May = 6.
    assert add_hverdage(date(2026, 4, 23), 6) == date(2026, 5, 1)
    # Received Monday 20 April: Tue 21 = 1, Wed 22 = 2, Thu 23 = 3, Fri 24 = 4, Mon 27 = 5,
    # Tue 28 = 6. (Were Saturday 25 a hverdag, it would be Monday 27.)
    assert receipt_deadline(cph(2026, 4, 20)) == date(2026, 4, 28)


def test_weekends():
    # Friday 24 April + 1 = Monday 27 April; a Saturday or Sunday start counts from Monday too.
    assert add_hverdage(date(2026, 4, 24), 1) == date(2026, 4, 27)
    assert add_hverdage(date(2026, 4, 25), 1) == date(2026, 4, 27)
    assert add_hverdage(date(2026, 4, 26), 1) == date(2026, 4, 27)
    # Received Saturday 25 April: Mon 27 = 1 ... Fri 1 May = 5, Mon 4 May = 6. (Were
    # Saturdays hverdage, Saturday 2 May would be the 6th.)
    assert receipt_deadline(cph(2026, 4, 25)) == date(2026, 5, 4)
    assert hverdage_between(date(2026, 4, 24), date(2026, 4, 26)) == 0
    assert hverdage_between(date(2026, 4, 24), date(2026, 4, 27)) == 1


def test_a_friday_evening_receipt_counts_from_monday():
    # Friday 24 April 2026 at 21:30, after the office has closed, is still received on
    # Friday: Mon 27 = 1, Tue 28 = 2, Wed 29 = 3, Thu 30 = 4, Fri 1 May = 5, Mon 4 May = 6.
    received = cph(2026, 4, 24, 21, 30)
    assert receipt_deadline(received) == date(2026, 5, 4)
    # The 24 hours run through the night and the weekend: Saturday 21:30.
    assert assessment_deadline(received) == cph(2026, 4, 25, 21, 30)


def test_the_receipt_day_changes_at_midnight_copenhagen_time():
    # Sunday 26 April 23:59 counts from Monday 27 (= 1) to Monday 4 May (= 6); one minute
    # after midnight it is received on Monday and Monday is not counted: Tue 5 May.
    assert receipt_deadline(cph(2026, 4, 26, 23, 59)) == date(2026, 5, 4)
    assert receipt_deadline(cph(2026, 4, 27, 0, 1)) == date(2026, 5, 5)


def test_zero_days_is_the_start_or_the_next_hverdag():
    assert add_hverdage(date(2026, 4, 27), 0) == date(2026, 4, 27)  # Monday
    assert add_hverdage(date(2026, 4, 25), 0) == date(2026, 4, 27)  # Saturday
    assert add_hverdage(date(2026, 4, 3), 0) == date(2026, 4, 7)  # Langfredag


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_hverdage(date(2026, 4, 20), -1)


def test_hverdage_between():
    # Mon 20 April to Mon 27 April: Tue-Fri (4) and Monday 27 (1).
    assert hverdage_between(date(2026, 4, 20), date(2026, 4, 27)) == 5
    assert hverdage_between(date(2026, 4, 20), date(2026, 4, 20)) == 0
    assert hverdage_between(date(2026, 4, 27), date(2026, 4, 20)) == 0


def test_hverdage_between_undoes_add_hverdage():
    start = date(2026, 1, 1)
    for offset in range(400):
        day = start + timedelta(days=offset)
        for days in (1, 6, 10):
            assert hverdage_between(day, add_hverdage(day, days)) == days


# Holidays ------------------------------------------------------------------------------------


def test_easter_2026():
    # Easter Sunday is 5 April 2026: skærtorsdag Thu 2, langfredag Fri 3, påskedag Sun 5 and
    # 2. påskedag Mon 6 April.
    for day in (2, 3, 4, 5, 6):
        assert not is_hverdag(date(2026, 4, day))
    assert is_hverdag(date(2026, 4, 1))
    assert is_hverdag(date(2026, 4, 7))
    # Wednesday 1 April + 1 jumps the whole Easter break to Tuesday 7 April.
    assert add_hverdage(date(2026, 4, 1), 1) == date(2026, 4, 7)
    assert hverdage_between(date(2026, 4, 1), date(2026, 4, 7)) == 1
    # Received Thursday 2 April: Tue 7 = 1, Wed 8 = 2, Thu 9 = 3, Fri 10 = 4, Mon 13 = 5,
    # Tue 14 = 6.
    assert receipt_deadline(cph(2026, 4, 2, 15)) == date(2026, 4, 14)
    # Received Tuesday 31 March: Wed 1 April = 1, Tue 7 = 2 ... Mon 13 = 6.
    assert receipt_deadline(cph(2026, 3, 31)) == date(2026, 4, 13)


def test_christmas_and_new_year_2026_27():
    # 24 Dec (Thu, juleaftensdag), 25 Dec (Fri, juledag), 26 Dec (Sat, 2. juledag),
    # 31 Dec (Thu, nytårsaftensdag) and 1 Jan 2027 (Fri, nytårsdag) are all closed.
    for day in (date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)):
        assert not is_hverdag(day)
    assert not is_hverdag(date(2026, 12, 31))
    assert not is_hverdag(date(2027, 1, 1))
    for day in (date(2026, 12, 28), date(2026, 12, 29), date(2026, 12, 30), date(2027, 1, 4)):
        assert is_hverdag(day)
    # Received Wednesday 23 December: Mon 28 = 1, Tue 29 = 2, Wed 30 = 3, Mon 4 Jan = 4,
    # Tue 5 = 5, Wed 6 = 6.
    assert receipt_deadline(cph(2026, 12, 23, 9)) == date(2027, 1, 6)
    # Received Monday 21 December: Tue 22 = 1, Wed 23 = 2, Mon 28 = 3, Tue 29 = 4,
    # Wed 30 = 5, Mon 4 Jan = 6. (Were juleaftensdag and nytårsaftensdag hverdage, as
    # Thursdays that are no helligdage, it would be Wednesday 30 December.)
    assert receipt_deadline(cph(2026, 12, 21)) == date(2027, 1, 4)
    assert hverdage_between(date(2026, 12, 23), date(2027, 1, 4)) == 4
    # Wednesday 30 December + 1 skips Thu 31, Fri 1 and the weekend.
    assert add_hverdage(date(2026, 12, 30), 1) == date(2027, 1, 4)


def test_kristi_himmelfart_and_pinse_2026():
    # Kristi himmelfartsdag Thu 14 May; pinsedag Sun 24 and 2. pinsedag Mon 25 May. Friday
    # 15 May is an ordinary hverdag.
    assert not is_hverdag(date(2026, 5, 14))
    assert is_hverdag(date(2026, 5, 15))
    assert not is_hverdag(date(2026, 5, 24))
    assert not is_hverdag(date(2026, 5, 25))
    # Received Tuesday 12 May: Wed 13 = 1, Fri 15 = 2, Mon 18 = 3, Tue 19 = 4, Wed 20 = 5,
    # Thu 21 = 6. (Counting Kristi himmelfartsdag, it would be Wednesday 20.)
    assert receipt_deadline(cph(2026, 5, 12)) == date(2026, 5, 21)
    # Received Tuesday 19 May: Wed 20 = 1, Thu 21 = 2, Fri 22 = 3, Tue 26 = 4, Wed 27 = 5,
    # Thu 28 = 6.
    assert receipt_deadline(cph(2026, 5, 19)) == date(2026, 5, 28)
    # After Wed 13 May up to Tue 26 May: 15, 18, 19, 20, 21, 22 and 26.
    assert hverdage_between(date(2026, 5, 13), date(2026, 5, 26)) == 7


def test_grundlovsdag_is_closed():
    assert (6, 5) in EXTRA_CLOSED_DAYS
    assert not is_hverdag(date(2026, 6, 5))  # Friday
    # Received Monday 1 June: Tue 2 = 1, Wed 3 = 2, Thu 4 = 3, Mon 8 = 4, Tue 9 = 5, Wed 10 = 6.
    # (Were grundlovsdag a hverdag, it would be Tuesday 9.)
    assert receipt_deadline(cph(2026, 6, 1)) == date(2026, 6, 10)


def test_store_bededag_counts_only_until_2023():
    assert not is_hverdag(date(2023, 5, 5))  # Store Bededag, still a holiday in 2023
    assert is_hverdag(date(2024, 4, 26))  # would have been Store Bededag
    assert is_hverdag(date(2026, 5, 1))  # would have been Store Bededag; not May Day either


# The 24-hour assessment deadline -------------------------------------------------------------


def test_assessment_deadline_is_24_calendar_hours():
    assert assessment_deadline(cph(2026, 4, 20, 10)) == cph(2026, 4, 21, 10)
    # Weekends and holidays count: langfredag 17:00 is due Saturday 17:00.
    assert assessment_deadline(cph(2026, 4, 3, 17)) == cph(2026, 4, 4, 17)
    # Christmas Eve 14:00 is due Christmas Day 14:00.
    assert assessment_deadline(cph(2026, 12, 24, 14)) == cph(2026, 12, 25, 14)


def test_assessment_deadline_across_the_spring_dst_change():
    # Saturday 28 March 2026 12:00 CET is 11:00 UTC. Clocks go forward on Sunday 29 March, so
    # 24 hours later is 11:00 UTC on the 29th, which is 13:00 CEST.
    received = cph(2026, 3, 28, 12)
    deadline = assessment_deadline(received)
    assert deadline == cph(2026, 3, 29, 13)
    assert deadline.astimezone(UTC) == datetime(2026, 3, 29, 11, tzinfo=UTC)
    assert deadline.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=24)
    assert deadline.utcoffset() == timedelta(hours=2)


def test_assessment_deadline_across_the_autumn_dst_change():
    # Saturday 24 October 2026 12:00 CEST is 10:00 UTC. Clocks go back on Sunday 25 October,
    # so 24 hours later is 10:00 UTC, which is 11:00 CET.
    deadline = assessment_deadline(cph(2026, 10, 24, 12))
    assert deadline == cph(2026, 10, 25, 11)
    assert deadline.utcoffset() == timedelta(hours=1)


# Times given in UTC are counted from the Copenhagen date -------------------------------------


def test_friday_evening_in_utc_is_saturday_in_copenhagen():
    # Friday 17 April 2026 22:30 UTC is Saturday 18 April 00:30 CEST.
    received = datetime(2026, 4, 17, 22, 30, tzinfo=UTC)
    assert received.astimezone(CPH).date() == date(2026, 4, 18)
    # From Saturday 18 April: Mon 20 = 1, Tue 21 = 2, Wed 22 = 3, Thu 23 = 4, Fri 24 = 5,
    # Mon 27 = 6.
    assert receipt_deadline(received) == date(2026, 4, 27)
    # Saturday 18 April 22:30 UTC = Sunday 19 April 00:30 CEST.
    deadline = assessment_deadline(received)
    assert deadline == cph(2026, 4, 19, 0, 30)
    assert deadline.tzinfo == CPH


def test_late_utc_evenings_that_change_the_count():
    # A Friday and a Saturday start give the same deadline, so these pin the local date down:
    # Thursday 23 April 22:30 UTC is Friday 24 April in Copenhagen: Mon 27 = 1, Tue 28 = 2,
    # Wed 29 = 3, Thu 30 = 4, Fri 1 May = 5, Mon 4 May = 6 (from Thursday it would be 1 May).
    assert receipt_deadline(datetime(2026, 4, 23, 22, 30, tzinfo=UTC)) == date(2026, 5, 4)
    # Sunday 19 April 22:30 UTC is Monday 20 April in Copenhagen: Tue 28 April as in the plain
    # week (from Sunday it would be Mon 27).
    assert receipt_deadline(datetime(2026, 4, 19, 22, 30, tzinfo=UTC)) == date(2026, 4, 28)
    # In winter the offset is one hour: Thursday 26 November 2026 23:30 UTC is Friday 27
    # November 00:30 CET: Mon 30 = 1, Tue 1 Dec = 2, Wed 2 = 3, Thu 3 = 4, Fri 4 = 5, Mon 7 = 6.
    assert receipt_deadline(datetime(2026, 11, 26, 23, 30, tzinfo=UTC)) == date(2026, 12, 7)


def test_the_deadlines_are_the_laws_numbers():
    assert workdays.ASSESSMENT_HOURS == law.ASSESSMENT_HOURS == 24
    assert workdays.RECEIPT_HVERDAGE == law.RECEIPT_HVERDAGE == 6


def test_meetings_and_reports_use_the_same_days():
    # The old names are kept for the meeting date and the quarterly report; they must not
    # drift into a second rule.
    assert workdays.is_working_day is is_hverdag
    assert workdays.add_working_days is add_hverdage
    assert workdays.RECEIPT_WORKING_DAYS == workdays.RECEIPT_HVERDAGE


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        receipt_deadline(datetime(2026, 4, 20, 10))
    with pytest.raises(ValueError):
        assessment_deadline(datetime(2026, 4, 20, 10))


def test_a_follow_up_meeting_falls_on_the_last_working_day_within_three_months():
    from followups.models import follow_up_date

    assert follow_up_date(date(2026, 1, 14)) == date(2026, 4, 14)  # a Tuesday
    # 3 April 2026 is Langfredag and 2 April Skærtorsdag: the Wednesday before.
    assert follow_up_date(date(2026, 1, 3)) == date(2026, 4, 1)
    # 28 February 2027 is a Sunday.
    assert follow_up_date(date(2026, 11, 28)) == date(2027, 2, 26)
