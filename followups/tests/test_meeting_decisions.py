"""A follow-up meeting's decision moves the case on Indsatstrappen (meeting_detail).

Rasmus coordinates Emma's case, opened 5 January 2026, with family treatment at
home (step 3) since then; Pia last placed Emma in zone 4. Karen (PPR) is on the
team. "Today" is Tuesday 7 April 2026, the day of the first follow-up meeting.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from followups.models import Case, CaseMember, Decision, Intervention, Meeting
from ruler.models import Assessment, Reason
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 4, 7)


@time_machine.travel(datetime(2026, 4, 7, 10, tzinfo=CPH), tick=False)
class MeetingDecisionTestCase(BaseTestCase):
    case: Case
    meeting: Meeting
    home: Intervention

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=cls.case, user=cls.karen, profession="Psykolog")
        cls.home = Intervention.objects.create(
            case=cls.case,
            step=3,
            kind="Familiebehandling i hjemmet",
            provider="Familiehuset",
            start=date(2026, 1, 5),
        )
        cls.meeting = Meeting.objects.create(case=cls.case, scheduled_on=TODAY)
        assess(cls.emma, cls.pia, 4, on=date(2026, 3, 20))

    def setUp(self):
        self.login(self.rasmus)

    def hold(self, **overrides):
        data = {
            "held_on": "2026-04-07",
            "participants": [self.rasmus.pk, self.karen.pk],
            "parents_present": "on",
            "zone": "3",
            "minutes": "Familien har det bedre. Emma sover om natten.",
            "decision": Decision.STEP_DOWN,
            "new_step": "2",
            "new_kind": "Støtte i børnehaven",
            "new_provider": "Solsikken",
            "next_on": "2026-07-07",
            "skridt-TOTAL_FORMS": "3",
            "skridt-INITIAL_FORMS": "0",
            **overrides,
        }
        return self.client.post(f"/moeder/{self.meeting.pk}/", data)

    def interventions(self) -> list[tuple]:
        rows = self.case.interventions.order_by("start", "pk")
        return list(rows.values_list("step", "kind", "start", "end"))

    def assert_nothing_saved(self):
        self.meeting.refresh_from_db()
        assert not self.meeting.is_held
        assert self.interventions() == [(3, "Familiebehandling i hjemmet", date(2026, 1, 5), None)]
        assert not Assessment.objects.filter(reason=Reason.FOLLOW_UP).exists()
        assert self.case.meetings.count() == 1

    # The quarterly report's count of the move: reports/tests/test_staircase_moves.py.
    def test_trin_ned_ends_step_3_and_starts_step_2(self):
        response = self.hold()
        assert response.status_code == 302
        assert self.interventions() == [
            (3, "Familiebehandling i hjemmet", date(2026, 1, 5), TODAY),
            (2, "Støtte i børnehaven", TODAY, None),
        ]
        assert self.case.interventions.get(step=2).provider == "Solsikken"

        # The minutes and the case page tell the same story.
        minutes = self.client.get(f"/moeder/{self.meeting.pk}/").content.decode()
        assert "Ny indsats fra mødets dag: trin 2 · Forebyggende indsatser" in minutes
        page = self.client.get(f"/sager/{self.case.pk}/").content.decode()
        assert "Seneste skridt: ned ad trappen" in page
        assert "trin 3 fra 5. januar 2026" in page and "trin 2 fra 7. april 2026" in page
        # Step 2 and zone 3 now: sekundær, no longer tertiær.
        self.case.refresh_from_db()
        assert self.case.prevention_level == "sekundaer"

    def test_trin_op_starts_a_higher_step(self):
        self.hold(
            decision=Decision.STEP_UP,
            new_step="4",
            new_kind="Anbringelse hos mormor",
            new_provider="",
            zone="5",
        )
        assert self.interventions() == [
            (3, "Familiebehandling i hjemmet", date(2026, 1, 5), TODAY),
            (4, "Anbringelse hos mormor", TODAY, None),
        ]
        page = self.client.get(f"/sager/{self.case.pk}/").content.decode()
        assert "Seneste skridt: op ad trappen" in page

    def test_justér_replaces_the_effort_on_the_same_step(self):
        self.hold(decision=Decision.ADJUST, new_step="3", new_kind="Netværksmøder i hjemmet")
        assert self.interventions() == [
            (3, "Familiebehandling i hjemmet", date(2026, 1, 5), TODAY),
            (3, "Netværksmøder i hjemmet", TODAY, None),
        ]

    def test_fortsæt_changes_nothing(self):
        response = self.hold(decision=Decision.CONTINUE, new_step="", new_kind="")
        assert response.status_code == 302
        assert self.interventions() == [(3, "Familiebehandling i hjemmet", date(2026, 1, 5), None)]

    def test_afslut_ends_the_interventions_and_closes_the_case(self):
        response = self.hold(decision=Decision.CLOSE, new_kind="Skrevet før afslut blev valgt")
        assert response.status_code == 302
        assert self.interventions() == [(3, "Familiebehandling i hjemmet", date(2026, 1, 5), TODAY)]
        self.case.refresh_from_db()
        assert self.case.closed_on == TODAY

    def test_trin_ned_to_a_higher_step_is_refused_and_nothing_is_saved(self):
        response = self.hold(new_step="4")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Trin ned skal være et lavere trin end det nuværende (trin 3)." in html
        assert "Mødet blev ikke gemt" in html
        self.assert_nothing_saved()

    def test_trin_op_to_the_same_step_is_refused(self):
        response = self.hold(decision=Decision.STEP_UP, new_step="3")
        html = response.content.decode()
        assert "Trin op skal være et højere trin end det nuværende (trin 3)." in html
        self.assert_nothing_saved()

    def test_the_new_intervention_is_asked_for(self):
        response = self.hold(new_step="", new_kind=" ")
        html = response.content.decode()
        assert "Vælg trinnet for den nye indsats." in html
        assert "Skriv, hvilken indsats barnet skal have nu." in html
        self.assert_nothing_saved()

    def test_the_form_starts_one_step_below_the_current_one(self):
        html = self.client.get(f"/moeder/{self.meeting.pk}/").content.decode()
        assert "Sagen er nu på trin 3." in html
        assert 'name="new_step" value="2" checked' in html
        assert 'data-current-step="3"' in html


@time_machine.travel(datetime(2026, 4, 7, 10, tzinfo=CPH), tick=False)
class NoRunningInterventionTestCase(BaseTestCase):
    """Emma's case has had no intervention since the step-2 one ended in March."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 1, 5)
        )
        Intervention.objects.create(
            case=cls.case,
            step=2,
            kind="Forældrekursus",
            start=date(2026, 1, 5),
            end=date(2026, 3, 1),
        )
        cls.meeting = Meeting.objects.create(case=cls.case, scheduled_on=TODAY)

    def hold(self, **overrides):
        data = {
            "held_on": "2026-04-07",
            "participants": [self.rasmus.pk],
            "zone": "4",
            "minutes": "Det går dårligere igen.",
            "decision": Decision.STEP_UP,
            "new_kind": "Familiebehandling",
            "skridt-TOTAL_FORMS": "3",
            "skridt-INITIAL_FORMS": "0",
            **overrides,
        }
        self.login(self.rasmus)
        return self.client.post(f"/moeder/{self.meeting.pk}/", data)

    def test_trin_op_is_measured_from_the_last_intervention(self):
        html = self.hold(new_step="2").content.decode()
        assert "Trin op skal være et højere trin end det nuværende (trin 2)." in html
        assert "den seneste var på trin 2" in html
        assert self.case.interventions.count() == 1

    def test_trin_op_starts_the_new_one(self):
        assert self.hold(new_step="3").status_code == 302
        latest = self.case.interventions.latest("start")
        assert (latest.step, latest.start, latest.end) == (3, TODAY, None)
        self.case.refresh_from_db()
        assert self.case.prevention_level == "tertiaer"
