"""The early-detection beacon's absence figures (reports.figures._absence_flags):
the children flagged for their absence in the quarter, and those acted on with a
concern or an assessment within 30 days of the flag.

Q3 2026: a month's flag is raised on the first of the next month, so the flags of
June, July and August count.
"""

from datetime import date
from decimal import Decimal

import time_machine

from children.models import AbsenceRecord, Concern
from reports.figures import quarter_figures
from ruler.tests.factories import assess
from tidlig.lib.dates import Quarter
from tidlig.test import BaseTestCase, make_child

Q3 = Quarter(2026, 3)


def absent(child, unit, month: date, days: str) -> None:
    AbsenceRecord.objects.create(
        child=child, unit=unit, month=month, absent=Decimal(days), possible=Decimal(20)
    )


@time_machine.travel(date(2026, 12, 4), tick=False)
class AbsenceFiguresTestCase(BaseTestCase):
    def test_it_counts_the_flagged_children_and_those_acted_on_within_30_days(self):
        # Emma: 25 % in July, flagged on 1 August, a concern on 10 August.
        absent(self.emma, self.solsikken, date(2026, 7, 1), "5")
        Concern.objects.create(
            child=self.emma, author=self.pia, observed_on=date(2026, 8, 10), text="..."
        )
        # Noah: 20 % in August, flagged on 1 September; assessed only in October, too late.
        absent(self.noah, self.solsikken, date(2026, 8, 1), "4")
        assess(self.noah, self.lars, 2, on=date(2026, 10, 15))
        # Oskar: 5 % a month, never over a threshold.
        for month in (6, 7, 8):
            absent(self.oskar, self.skolen, date(2026, month, 1), "1")
        # Ida: 30 % in June, but assessed in May: not flagged, the school knew.
        ida = make_child("Ida", "Lund", date(2016, 2, 2), unit=self.skolen)
        absent(ida, self.skolen, date(2026, 6, 1), "6")
        assess(ida, self.sofie, 3, on=date(2026, 5, 20))
        # Sara: 50 % in September, flagged in the next quarter.
        sara = make_child("Sara", "Dam", date(2016, 3, 3), unit=self.skolen)
        absent(sara, self.skolen, date(2026, 9, 1), "10")

        early = quarter_figures(Q3, comparison=False)["beacons"]["early_detection"]

        assert (early["absence_flagged"], early["absence_acted_on"]) == (2, 1)
        next_quarter = quarter_figures(Quarter(2026, 4), comparison=False)
        assert next_quarter["beacons"]["early_detection"]["absence_flagged"] == 1

    def test_a_unit_counts_its_own_children(self):
        absent(self.emma, self.solsikken, date(2026, 7, 1), "5")
        absent(self.oskar, self.skolen, date(2026, 7, 1), "5")

        figures = quarter_figures(Q3, units=[self.skolen], comparison=False)
        assert figures["beacons"]["early_detection"]["absence_flagged"] == 1
