"""The quarterly report's moves on Indsatstrappen follow the follow-up meetings'
decisions (followups.models.Meeting.hold).

Rasmus coordinates Emma's case, opened 5 January 2026, with family treatment at
home (step 3). At the follow-up meeting on 7 April 2026 he records the decision
through the meeting page; the report for the second quarter counts the move.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from followups.models import Case, Decision, Intervention, Meeting
from reports.figures import quarter_figures
from ruler.tests.factories import assess
from tidlig.lib.dates import Quarter
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
Q2 = Quarter(2026, 2)


@time_machine.travel(datetime(2026, 4, 7, 10, tzinfo=CPH), tick=False)
class StaircaseMovesTestCase(BaseTestCase):
    case: Case
    meeting: Meeting

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 1, 5)
        )
        Intervention.objects.create(
            case=cls.case, step=3, kind="Familiebehandling i hjemmet", start=date(2026, 1, 5)
        )
        cls.meeting = Meeting.objects.create(case=cls.case, scheduled_on=date(2026, 4, 7))
        assess(cls.emma, cls.pia, 4, on=date(2026, 3, 20))

    def hold(self, decision: str, step: str) -> None:
        self.login(self.rasmus)
        data = {
            "held_on": "2026-04-07",
            "participants": [self.rasmus.pk],
            "zone": "3",
            "minutes": "Det går bedre.",
            "decision": decision,
            "new_step": step,
            "new_kind": "Støtte i børnehaven",
            "next_on": "2026-07-07",
            "skridt-TOTAL_FORMS": "3",
            "skridt-INITIAL_FORMS": "0",
        }
        assert self.client.post(f"/moeder/{self.meeting.pk}/", data).status_code == 302

    def staircase(self) -> dict:
        return quarter_figures(Q2, comparison=False)["staircase"]

    def test_no_move_before_the_meeting(self):
        assert (self.staircase()["moves_down"], self.staircase()["by_step"]["3"]) == (0, 1)

    def test_a_trin_ned_decision_is_counted_as_a_move_down(self):
        self.hold(Decision.STEP_DOWN, "2")
        staircase = self.staircase()
        assert (staircase["moves_down"], staircase["moves_up"], staircase["moves"]) == (1, 0, 1)
        # On the quarter's last day the step-2 effort runs, the step-3 one has ended.
        assert (staircase["by_step"]["2"], staircase["by_step"]["3"]) == (1, 0)

    def test_a_trin_op_decision_is_counted_as_a_move_up(self):
        self.hold(Decision.STEP_UP, "4")
        staircase = self.staircase()
        assert (staircase["moves_down"], staircase["moves_up"]) == (0, 1)

    def test_justér_on_the_same_step_is_no_move(self):
        self.hold(Decision.ADJUST, "3")
        assert self.staircase()["moves"] == 0
