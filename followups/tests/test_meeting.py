"""The follow-up meeting page: the agenda, recording the meeting, moving it.

Rasmus coordinates Emma's case, opened 5 January 2026; Karen (PPR) is on its
team. Pia, Emma's pædagog, wrote a LØFT dialogue with two next steps and last
placed Emma in zone 3. "Today" is Tuesday 7 April 2026, two days after the first
follow-up meeting was due.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from followups.models import (
    AlreadyHeld,
    Case,
    CaseMember,
    Decision,
    Intervention,
    Meeting,
    NewIntervention,
)
from loeft.models import NextStep, Owner
from loeft.tests.factories import final_dialogue
from ruler.models import Assessment, Reason
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = datetime(2026, 4, 7, 10, tzinfo=CPH)


@time_machine.travel(TODAY, tick=False)
class MeetingTestCase(BaseTestCase):
    case: Case
    meeting: Meeting
    door: NextStep
    father: NextStep

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=cls.case, user=cls.karen, profession="Psykolog")
        Intervention.objects.create(
            case=cls.case, step=2, kind="Forældrekursus", start=date(2026, 1, 5)
        )
        cls.meeting = Meeting.objects.create(case=cls.case, scheduled_on=date(2026, 4, 5))
        dialogue = final_dialogue(
            cls.emma,
            cls.pia,
            held_on=date(2026, 2, 1),
            steps=[
                ("Pia tager imod Emma ved døren", cls.pia, date(2026, 3, 1)),
                ("Far afleverer tirsdag og torsdag", cls.pia, date(2026, 3, 15)),
            ],
        )
        cls.door, cls.father = dialogue.next_steps.order_by("due")
        assess(cls.emma, cls.pia, 3, on=date(2026, 3, 20))

    def url(self, meeting=None, suffix=""):
        return f"/moeder/{(meeting or self.meeting).pk}/{suffix}"

    def post_data(self, **overrides) -> dict:
        data = {
            "held_on": "2026-04-07",
            "participants": [self.rasmus.pk, self.karen.pk],
            "parents_present": "on",
            "others": "Mormor Inge\nJens, sundhedsplejerske",
            "steps_done": [self.door.pk],
            "what_works": "Faste afleveringer hjælper.",
            "zone": "2",
            "what_worries": "",
            "minutes": "Emma græder mindre ved aflevering.",
            "decision": Decision.ADJUST,
            "new_step": "2",
            "new_kind": "Forældrekursus med hjemmebesøg",
            "next_on": "2026-07-07",
            **steps_data(
                ("Mor ringer til PPR inden 1. maj.", f"u{self.karen.pk}", "2026-05-01"),
                ("Pia og far taler om afleveringen", "barn", "2026-06-01"),
            ),
        }
        data.update(overrides)
        return data


def steps_data(*rows: tuple[str, str, str], total: int = 3) -> dict:
    """The meeting form's rows of next steps (text, owner, due), the rest left blank."""
    data = {
        "skridt-TOTAL_FORMS": str(max(total, len(rows))),
        "skridt-INITIAL_FORMS": "0",
        "skridt-MIN_NUM_FORMS": "3",
        "skridt-MAX_NUM_FORMS": "12",
    }
    for i, (text, owner, due) in enumerate(rows):
        data |= {f"skridt-{i}-text": text, f"skridt-{i}-owner": owner, f"skridt-{i}-due": due}
    return data


class AgendaTestCase(MeetingTestCase):
    def test_it_prepares_the_first_meeting_from_the_case(self):
        self.login(self.rasmus)
        response = self.client.get(self.url())
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        assert "søndag 5. april 2026 klokken 09:00" in html
        assert "Det er sagens første opfølgningsmøde." in html
        assert "Pia tager imod Emma ved døren" in html and "Overskredet" in html
        assert "3 · Sårbar" in html
        assert "Forældrekursus" in html
        assert 'action="/moeder/' in html and "Registrér mødet" in html
        assert f'name="steps_done" value="{self.door.pk}"' in html
        assert 'value="2026-07-07"' in html  # the next meeting: three months after today
        assert "Tilføj til kalender (.ics)" in html

    def test_it_starts_from_the_last_meetings_agreements(self):
        self.meeting.agreements = "Far afleverer to dage om ugen."
        self.meeting.minutes = "Vi talte om afleveringen."
        self.meeting.save()
        second = self.meeting.hold(on=date(2026, 4, 5), decision=Decision.CONTINUE)
        self.login(self.rasmus)
        html = self.client.get(self.url(second)).content.decode()
        assert "Far afleverer to dage om ugen." in html
        assert "Vi talte om afleveringen." in html
        assert "5. april 2026: Fortsæt" in html

    def test_the_team_sees_the_agenda_but_only_the_coordinator_holds_or_moves_it(self):
        self.login(self.karen)
        response = self.client.get(self.url())
        assert response.status_code == 200
        html = response.content.decode()
        assert "Registrér mødet" not in html and "Mødet registreres af sagens tovholder" in html
        assert self.client.post(self.url(), self.post_data()).status_code == 403
        assert self.client.get(self.url(suffix="flyt/")).status_code == 403
        assert self.client.post(self.url(suffix="flyt/"), {}).status_code == 403
        self.meeting.refresh_from_db()
        assert not self.meeting.is_held

    def test_another_units_staff_get_404(self):
        self.login(self.sofie)
        for suffix in ("", "flyt/", "referat.pdf", "invitation.ics"):
            assert self.client.get(self.url(suffix=suffix)).status_code == 404, suffix
        assert self.client.post(self.url(), self.post_data()).status_code == 404
        assert self.client.get("/moeder/999999/").status_code == 404


class HoldTestCase(MeetingTestCase):
    def test_it_records_the_meeting_and_schedules_the_next(self):
        self.login(self.rasmus)
        response = self.client.post(self.url(), self.post_data())
        assert response.status_code == 302 and response["Location"] == self.url()
        meeting = Meeting.objects.get(pk=self.meeting.pk)
        assert meeting.held_on == date(2026, 4, 7) and meeting.held_by == self.rasmus
        assert meeting.decision == Decision.ADJUST and meeting.zone == 2
        assert meeting.minutes == "Emma græder mindre ved aflevering."
        assert meeting.agreements == ""  # the steps are structured now
        ppr, talk = meeting.next_steps.order_by("due")
        assert (ppr.text, ppr.owner_user, ppr.due) == (
            "Mor ringer til PPR inden 1. maj.",
            self.karen,
            date(2026, 5, 1),
        )
        assert (ppr.child, ppr.dialogue, talk.owner_kind) == (self.emma, None, Owner.CHILD)
        assert meeting.parents_present and meeting.others.startswith("Mormor Inge")
        assert set(meeting.participants.all()) == {self.rasmus, self.karen}

        assessment = meeting.assessment
        assert (assessment.reason, assessment.zone, assessment.child) == (
            Reason.FOLLOW_UP,
            2,
            self.emma,
        )
        assert assessment.author == self.rasmus and assessment.assessed_on == date(2026, 4, 7)
        assert (
            assessment.parents_involved and assessment.what_works == "Faste afleveringer hjælper."
        )
        assert assessment.others_involved == "Mormor Inge, Jens, sundhedsplejerske"
        assert assessment.what_must_happen.startswith("Mor ringer til PPR inden 1. maj.\n")
        latest = Assessment.objects.current().filter(child=self.emma).latest_first().first()
        assert latest == assessment

        self.door.refresh_from_db()
        self.father.refresh_from_db()
        assert self.door.done_on == date(2026, 4, 7) and self.door.done_by == self.rasmus
        assert not self.father.is_done

        upcoming = self.case.meetings.get(held_on__isnull=True)
        assert upcoming.scheduled_on == date(2026, 7, 7)

        html = self.client.get(self.url()).content.decode()
        assert "Hent referat som PDF" in html and "Registrér mødet" not in html
        assert "Emma græder mindre ved aflevering." in html and "2 · Moderat trivsel" in html
        assert "næste møde 7. juli 2026" in html
        assert "Mormor Inge" in html and "Forældrene" in html

    def test_it_honours_an_adjusted_date_and_keeps_time_and_place(self):
        self.meeting.starts_at, self.meeting.location = "13:30", "Rådhuset, lokale 2"
        self.meeting.save()
        self.login(self.rasmus)
        self.client.post(self.url(), self.post_data(next_on="2026-06-16"))
        upcoming = self.case.meetings.get(held_on__isnull=True)
        assert upcoming.scheduled_on == date(2026, 6, 16)
        assert upcoming.starts_at.strftime("%H:%M") == "13:30"
        assert upcoming.location == "Rådhuset, lokale 2"

    def test_an_empty_next_date_means_three_months_after_the_meeting(self):
        self.login(self.rasmus)
        self.client.post(self.url(), self.post_data(held_on="2026-04-06", next_on=""))
        assert self.case.meetings.get(held_on__isnull=True).scheduled_on == date(2026, 7, 6)

    def test_closing_closes_the_case_and_plans_no_next_meeting(self):
        self.login(self.rasmus)
        response = self.client.post(
            self.url(), self.post_data(decision=Decision.CLOSE, next_on="2026-01-01")
        )
        self.case.refresh_from_db()
        assert self.case.closed_on == date(2026, 4, 7)
        assert not self.case.meetings.filter(held_on__isnull=True).exists()
        # The team keeps access for a month after closing, to print and send the minutes.
        assert response.status_code == 302 and response["Location"] == self.url()
        messages = [str(m) for m in response.wsgi_request._messages]
        assert "Mødet er gemt, og sagen er afsluttet." in messages
        assert self.client.get(self.url() + "referat.pdf").status_code == 200
        with time_machine.travel(date(2026, 5, 8), tick=False):
            self.login(self.rasmus)
            assert self.client.get(self.url() + "referat.pdf").status_code == 404

    def test_closing_a_meeting_held_long_ago_sends_the_coordinator_home(self):
        with time_machine.travel(date(2026, 6, 1), tick=False):
            self.login(self.rasmus)
            response = self.client.post(
                self.url(), self.post_data(decision=Decision.CLOSE, held_on="2026-04-07")
            )
        assert response.status_code == 302 and response["Location"] == "/"

    def test_it_refuses_incomplete_input_in_danish_and_saves_nothing(self):
        self.login(self.rasmus)
        data = self.post_data(zone="", minutes=" ", decision="", held_on="2026-04-08")
        response = self.client.post(self.url(), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Mødet blev ikke gemt" in html
        assert "Vælg barnets zone på Børnelinealen nu." in html
        assert "Skriv et kort referat af mødet." in html
        assert "Vælg mødets beslutning." in html
        assert "Et møde kan ikke være holdt i fremtiden." in html
        assert "Mor ringer til PPR inden 1. maj." in html  # what was typed stays
        assert "Dagsorden" in html and "Hent referat som PDF" not in html  # still not held
        self.assert_nothing_saved()

    def test_it_refuses_a_next_meeting_before_this_one(self):
        self.login(self.rasmus)
        response = self.client.post(self.url(), self.post_data(next_on="2026-04-07"))
        assert "Næste møde skal ligge efter dette møde." in response.content.decode()
        response = self.client.post(self.url(), self.post_data(held_on="2025-12-31"))
        assert "Datoen kan ikke ligge før sagen blev åbnet (05.01.2026)." in (
            response.content.decode()
        )
        self.assert_nothing_saved()

    def test_it_refuses_a_next_meeting_more_than_12_months_ahead(self):
        self.login(self.rasmus)
        response = self.client.post(self.url(), self.post_data(next_on="9999-12-31"))
        assert response.status_code == 200
        assert "Datoen kan højst ligge 12 måneder frem." in response.content.decode()
        self.assert_nothing_saved()

    def test_it_ignores_a_ticked_step_that_is_no_number(self):
        # "²" passed str.isdigit() and then failed in int(): a 500 before.
        self.login(self.rasmus)
        response = self.client.post(self.url(), self.post_data(steps_done=["²"]))
        assert response.status_code == 200
        self.assert_nothing_saved()

    def assert_nothing_saved(self):
        self.meeting.refresh_from_db()
        assert not self.meeting.is_held and self.meeting.minutes == ""
        assert not Assessment.objects.filter(reason=Reason.FOLLOW_UP).exists()
        assert self.case.meetings.count() == 1
        self.door.refresh_from_db()
        assert not self.door.is_done

    def test_a_second_hold_is_refused_and_keeps_the_typed_text(self):
        self.login(self.rasmus)
        self.client.post(self.url(), self.post_data())  # e.g. in another tab
        response = self.client.post(
            self.url(), self.post_data(minutes="Min egen tekst fra den anden fane.")
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Mødet er allerede registreret som holdt" in html
        assert "Min egen tekst fra den anden fane." in html
        self.meeting.refresh_from_db()
        assert self.meeting.minutes == "Emma græder mindre ved aflevering."
        assert self.case.meetings.count() == 2
        assert Assessment.objects.filter(reason=Reason.FOLLOW_UP).count() == 1

    def test_a_stale_copy_cannot_hold_the_meeting_again(self):
        stale = Meeting.objects.get(pk=self.meeting.pk)
        self.meeting.hold(on=date(2026, 4, 7), decision=Decision.CONTINUE)
        with self.assertRaises(AlreadyHeld):
            stale.hold(
                on=date(2026, 4, 7),
                decision=Decision.STEP_UP,
                intervention=NewIntervention(3, "Familiebehandling"),
            )
        assert self.case.meetings.count() == 2


class RescheduleTestCase(MeetingTestCase):
    def test_the_coordinator_moves_the_meeting(self):
        self.login(self.rasmus)
        assert self.client.get(self.url(suffix="flyt/")).status_code == 200
        data = {"scheduled_on": "2026-04-14", "starts_at": "13:30", "location": "Rådhuset"}
        response = self.client.post(self.url(suffix="flyt/"), data)
        assert response.status_code == 302 and response["Location"] == self.url()
        self.meeting.refresh_from_db()
        assert self.meeting.scheduled_on == date(2026, 4, 14)
        assert self.meeting.starts_at.strftime("%H:%M") == "13:30"
        assert self.meeting.location == "Rådhuset"
        html = self.client.get(self.url()).content.decode()
        assert "tirsdag 14. april 2026 klokken 13:30" in html

    def test_it_refuses_a_date_in_the_past(self):
        self.login(self.rasmus)
        data = {"scheduled_on": "2026-04-06", "starts_at": "9:00", "location": ""}
        response = self.client.post(self.url(suffix="flyt/"), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Vælg en dato fra i dag og frem." in html
        assert "Mødet er planlagt til søndag 5. april 2026 klokken 09:00." in html
        assert 'value="2026-04-06"' in html
        self.meeting.refresh_from_db()
        assert self.meeting.scheduled_on == date(2026, 4, 5)

    def test_it_refuses_a_date_more_than_12_months_ahead(self):
        # 9999-12-31 used to be saved, and the reminders counted past the year 9999.
        self.login(self.rasmus)
        for day in ("9999-12-31", "2027-04-08"):
            data = {"scheduled_on": day, "starts_at": "09:00", "location": ""}
            response = self.client.post(self.url(suffix="flyt/"), data)
            assert response.status_code == 200, day
            assert "Datoen kan højst ligge 12 måneder frem." in response.content.decode()
        self.meeting.refresh_from_db()
        assert self.meeting.scheduled_on == date(2026, 4, 5)
        data = {"scheduled_on": "2027-04-07", "starts_at": "09:00", "location": ""}
        assert self.client.post(self.url(suffix="flyt/"), data).status_code == 302

    def test_a_held_meeting_is_not_moved(self):
        self.meeting.hold(on=date(2026, 4, 7), decision=Decision.CONTINUE)
        self.login(self.rasmus)
        data = {"scheduled_on": "2026-05-01", "starts_at": "09:00", "location": ""}
        response = self.client.post(self.url(suffix="flyt/"), data)
        assert response.status_code == 302
        self.meeting.refresh_from_db()
        assert self.meeting.scheduled_on == date(2026, 4, 5)

    def test_moving_an_overdue_meeting_remembers_the_day_it_was_due(self):
        # The meeting of 5 April was not held; on 7 April it is moved to the 14th.
        self.login(self.rasmus)
        data = {"scheduled_on": "2026-04-14", "starts_at": "09:00", "location": ""}
        self.client.post(self.url(suffix="flyt/"), data)
        self.meeting.refresh_from_db()
        assert (self.meeting.scheduled_on, self.meeting.overdue_from) == (
            date(2026, 4, 14),
            date(2026, 4, 5),
        )
        # Moved again, it keeps the first day it was due.
        self.client.post(self.url(suffix="flyt/"), data | {"scheduled_on": "2026-04-20"})
        self.meeting.refresh_from_db()
        assert self.meeting.overdue_from == date(2026, 4, 5)
