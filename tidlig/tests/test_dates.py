from datetime import date

import pytest

from tidlig.lib.dates import Quarter


def test_it_parses_and_prints_a_quarter():
    assert Quarter.parse("2026Q3") == Quarter.parse(" 2026-q3 ") == Quarter(2026, 3)
    assert str(Quarter(2026, 3)) == "2026Q3"
    assert Quarter(2026, 3).label == "3. kvartal 2026"
    for bad in ("2026Q5", "2026", "Q3", "", "26Q1", "0000Q1"):
        with pytest.raises(ValueError):
            Quarter.parse(bad)


def test_it_knows_its_days_and_neighbours():
    q = Quarter(2026, 1)
    assert (q.start, q.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert Quarter(2024, 1).end == date(2024, 3, 31)
    assert Quarter(2026, 4).end == date(2026, 12, 31)
    assert q.previous() == Quarter(2025, 4) and Quarter(2025, 4).next() == q
    assert q.same_last_year() == Quarter(2025, 1)
    assert Quarter.containing(date(2026, 8, 15)) == Quarter(2026, 3)
    assert sorted([Quarter(2026, 2), Quarter(2025, 4)]) == [Quarter(2025, 4), Quarter(2026, 2)]
