"""The underretning figures (followups.queries.underretning_figures), which the
rådgivning leader's overview and the quarterly report both show, and the list of
underretninger past a deadline now.

Time is frozen on Monday 20 April 2026 at noon, two weeks after Easter: skærtorsdag
2 April, langfredag 3 April and 2. påskedag 6 April are no hverdage, nor are the
weekends. Pia (pædagog at Solsikken) and Sofie (teacher at Nordby Skole) notify;
Rasmus is a caseworker in Børn & Ungerådgivningen.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import Child
from followups.models import Case, Underretning
from followups.queries import underretning_figures, underretninger_past_deadline
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 4, 20, 12, 0, tzinfo=CPH)
APRIL = (date(2026, 4, 1), date(2026, 4, 30))

Source = Underretning.Source
Decision = Underretning.Decision


def cph(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CPH)


def underretning(child, received_at, **kw) -> Underretning:
    kw.setdefault("notifier", "Pia, pædagog")
    return Underretning.objects.create(
        child=child, received_at=received_at, about="Barnet er ofte sulten.", **kw
    )


@time_machine.travel(NOW, tick=False)
class UnderretningFiguresTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Half an hour into 1 April, still 31 March in UTC: April's. Assessed at once;
        # the receipt on 14 April is on the sixth hverdag, Easter not counted.
        cls.first_of_april = underretning(
            cls.emma,
            cph(4, 1, 0, 30),
            assessed_at=cph(4, 1, 9),
            decision=Decision.AFDAEKNING,
            receipt_sent_on=date(2026, 4, 14),
        )
        # Received on langfredag, assessed 24½ hours later on the Saturday: holidays and
        # weekends count for the 24 hours. A citizen is owed no receipt; the one the
        # municipality sent her anyway is not counted.
        cls.citizens = underretning(
            cls.noah,
            cph(4, 3, 16),
            source=Source.CITIZEN,
            assessed_at=cph(4, 4, 16, 30),
            decision=Decision.NO_ACTION,
            receipt_sent_on=date(2026, 4, 6),
        )
        # Receipt due Friday 17 April, sent the Monday after.
        cls.late_receipt = underretning(
            cls.oskar,
            cph(4, 9, 10),
            notifier="Sofie, lærer",
            assessed_at=cph(4, 9, 15),
            decision=Decision.SCREENING,
            receipt_sent_on=date(2026, 4, 20),
        )
        # Receipt due today, 20 April: not late yet.
        cls.due_today = underretning(
            cls.emma, cph(4, 10, 11), assessed_at=cph(4, 10, 12), decision=Decision.NO_ACTION
        )
        # Receipt due Thursday 16 April, not sent.
        cls.no_receipt = underretning(
            cls.noah, cph(4, 8, 9), assessed_at=cph(4, 8, 10), decision=Decision.UNDERSOEGELSE
        )
        # Anonymous, received on a Sunday morning and not assessed by Monday 08:00.
        cls.not_assessed = underretning(
            cls.oskar, cph(4, 19, 8), source=Source.ANONYMOUS, notifier=""
        )
        # This morning: both clocks running.
        cls.this_morning = underretning(cls.emma, cph(4, 20, 9))

        # March's. Late on 31 March, handled in time.
        cls.last_of_march = underretning(
            cls.noah,
            cph(3, 31, 23, 30),
            assessed_at=cph(4, 1, 8),
            decision=Decision.NO_ACTION,
            receipt_sent_on=date(2026, 4, 13),
        )
        # Handed on to Noah's case in March; the receipt due 10 March was never sent.
        cls.noahs_case = Case.objects.create(
            child=cls.noah, coordinator=cls.rasmus, opened_on=date(2026, 3, 3)
        )
        cls.handed_on = underretning(
            cls.noah,
            cph(3, 2, 14),
            assessed_at=cph(3, 3, 9),
            decision=Decision.UNDERSOEGELSE,
            case=cls.noahs_case,
            closed_at=cph(3, 3, 9),
        )

    def test_it_counts_each_underretning_in_one_state_per_deadline(self):
        figures = underretning_figures(*APRIL)

        assert figures == {
            "received": 7,
            "assessed_within_24h": 4,
            "assessed_late": 1,  # langfredag's
            "assessment_overdue": 1,  # Sunday's
            "assessment_waiting": 1,  # this morning's
            "assessments_due": 6,
            # Not the citizen's nor the anonymous one.
            "receipts_owed": 5,
            "receipt_within_6_days": 1,  # 14 April, after Easter
            "receipt_late": 1,
            "receipt_overdue": 1,
            "receipt_waiting": 2,  # due today, and this morning's
            "receipts_due": 3,
            "by_decision": {
                "ingen": 2,
                "screening": 1,
                "afdaekning": 1,
                "undersoegelse": 1,
                "akut": 0,
                "tovholder": 0,
            },
        }

    def test_a_day_is_a_day_in_copenhagen(self):
        march_31 = underretning_figures(date(2026, 3, 31), date(2026, 3, 31))
        april_1 = underretning_figures(date(2026, 4, 1), date(2026, 4, 1))

        assert (march_31["received"], april_1["received"]) == (1, 1)
        assert march_31["receipt_within_6_days"] == 1  # 13 April: the sixth hverdag
        assert april_1["receipt_within_6_days"] == 1

    def test_a_receipt_due_today_is_late_tomorrow(self):
        tomorrow = underretning_figures(*APRIL, now=cph(4, 21, 0, 1))

        assert (tomorrow["receipt_overdue"], tomorrow["receipt_waiting"]) == (2, 1)
        assert tomorrow["receipts_due"] == 4

    def test_24_hours_are_elapsed_hours_across_the_change_to_summer_time(self):
        # Clocks went forward at 02:00 on Sunday 29 March: 10:00 on Saturday to 10:30
        # on Sunday is 23½ hours, and 10:00 to 11:30 is 24½.
        underretning(self.emma, cph(3, 28, 10), assessed_at=cph(3, 29, 10, 30))
        underretning(self.oskar, cph(3, 28, 10), assessed_at=cph(3, 29, 11, 30))

        figures = underretning_figures(date(2026, 3, 28), date(2026, 3, 28))

        assert (figures["assessed_within_24h"], figures["assessed_late"]) == (1, 1)

    def test_it_counts_only_the_children_given(self):
        children = Child.objects.filter(pk__in=[self.emma.pk, self.oskar.pk]).values("pk")

        figures = underretning_figures(*APRIL, children=children)

        assert figures["received"] == 5
        assert figures["receipts_owed"] == 4  # Emma's three and Oskar's from Sofie
        assert figures["by_decision"]["undersoegelse"] == 0  # Noah's

    def test_two_queries_whatever_the_number_of_underretninger(self):
        with CaptureQueriesContext(connection) as before:
            underretning_figures(*APRIL)
        for day in range(21, 31):
            underretning(self.emma, cph(4, day, 8), receipt_sent_on=date(2026, 4, day))

        with CaptureQueriesContext(connection) as after:
            figures = underretning_figures(*APRIL)

        assert len(before) == len(after) == 2
        assert figures["received"] == 17

    def test_past_deadline_now_lists_every_one_whenever_received(self):
        rows = underretninger_past_deadline()

        assert [
            (row["item"], row["assessment_overdue"], row["receipt_overdue"]) for row in rows
        ] == [
            # Closed in the queue, handed on to the case: the receipt is still owed.
            (self.handed_on, False, True),
            (self.no_receipt, False, True),
            (self.not_assessed, True, False),
        ]

    def test_past_deadline_moves_with_the_clock(self):
        with time_machine.travel(cph(4, 21, 8), tick=False):
            items = [row["item"] for row in underretninger_past_deadline()]
        assert self.due_today in items and self.this_morning not in items

        self.not_assessed.assessed_at = cph(4, 20, 11)
        self.not_assessed.save()
        assert self.not_assessed not in [row["item"] for row in underretninger_past_deadline()]
