from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Role
from followups.models import Case, Meeting
from followups.punctuality import Tally, meeting_punctuality
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 5, 4)


class PunctualityFixture(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Mads is another caseworker; Lise leads Børn & Ungerådgivningen.
        cls.mads = make_user(
            "mads", cls.raadgivningen, Role.RAADGIVER, first_name="Mads", last_name="Dal"
        )
        cls.lise = make_user("lise", cls.raadgivningen, Role.LEDER, first_name="Lise")
        rasmus_case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2025, 10, 1)
        )
        mads_case = Case.objects.create(
            child=cls.oskar, coordinator=cls.mads, opened_on=date(2025, 10, 1)
        )
        # Closed on 20 March: its meeting of 10 March was due and missed, the one of
        # 25 March was never due.
        closed_case = Case.objects.create(
            child=cls.noah,
            coordinator=cls.rasmus,
            opened_on=date(2025, 10, 1),
            closed_on=date(2026, 3, 20),
        )

        def meeting(case, on, held=None):
            Meeting.objects.create(case=case, scheduled_on=on, held_on=held)

        meeting(rasmus_case, date(2025, 12, 30), date(2026, 1, 8))  # Q4 2025, late
        meeting(rasmus_case, date(2026, 1, 10), date(2026, 1, 10))  # on the day
        meeting(rasmus_case, date(2026, 2, 1), date(2026, 1, 25))  # early: on time
        meeting(rasmus_case, date(2026, 3, 2), date(2026, 3, 5))  # late
        meeting(closed_case, date(2026, 3, 10))  # missed
        meeting(closed_case, date(2026, 3, 25))  # after the case closed: not counted
        meeting(mads_case, date(2026, 2, 10), date(2026, 2, 10))  # on the day
        meeting(rasmus_case, date(2026, 4, 10))  # missed
        meeting(mads_case, date(2026, 4, 30), date(2026, 5, 2))  # late
        meeting(mads_case, TODAY)  # today, not held yet: not due
        meeting(rasmus_case, date(2026, 6, 1))  # ahead: not due


class MeetingPunctualityTestCase(PunctualityFixture):
    def test_it_tallies_on_time_late_and_missed_meetings_per_quarter_and_coordinator(self):
        q1, q2 = meeting_punctuality(date(2026, 1, 1), date(2026, 6, 30), today=TODAY)

        assert (q1.year, q1.number, q1.first_day) == (2026, 1, date(2026, 1, 1))
        assert q1.total == Tally(on_time=3, late=1, missed=1)
        assert q1.by_coordinator == [
            (self.mads, Tally(on_time=1)),
            (self.rasmus, Tally(on_time=2, late=1, missed=1)),
        ]
        assert (q1.total.total, q1.total.on_time_percent) == (5, 60)
        assert (q1.total.late_percent, q1.total.missed_percent) == (20, 20)

        assert (q2.year, q2.number) == (2026, 2)
        assert q2.by_coordinator == [(self.mads, Tally(late=1)), (self.rasmus, Tally(missed=1))]
        assert q2.total == Tally(late=1, missed=1)
        assert q2.total.on_time_percent == 0 and q2.total.missed_percent == 50

    def test_it_counts_only_the_meetings_planned_within_the_period(self):
        (q4,) = meeting_punctuality(date(2025, 10, 1), date(2025, 12, 31), today=TODAY)
        assert (q4.year, q4.number, q4.total) == (2025, 4, Tally(late=1))
        (q1,) = meeting_punctuality(date(2026, 1, 11), date(2026, 3, 5), today=TODAY)
        assert q1.total == Tally(on_time=2, late=1)

    def test_a_meeting_counts_as_missed_from_the_day_after(self):
        (q2,) = meeting_punctuality(date(2026, 4, 1), date(2026, 6, 30), today=date(2026, 5, 5))
        assert q2.total == Tally(late=1, missed=2)

    def test_an_empty_period_has_no_quarters_and_no_share(self):
        assert meeting_punctuality(date(2024, 1, 1), date(2024, 12, 31), today=TODAY) == []
        assert Tally().total == 0 and Tally().on_time_percent is None


@time_machine.travel(datetime(2026, 5, 4, 10, tzinfo=CPH), tick=False)
class MeetingPunctualityPageTestCase(PunctualityFixture):
    def test_the_raadgivning_leader_sees_the_last_four_quarters_without_child_names(self):
        self.login(self.lise)
        response = self.client.get("/raadgivning/moeder-til-tiden/")
        assert response.status_code == 200
        assert (response.context["start"], response.context["end"]) == (date(2025, 7, 1), TODAY)
        assert response.context["total"] == Tally(on_time=3, late=3, missed=2)
        html = response.content.decode()
        assert "3 af 8 møder er holdt til tiden (38 %)." in html
        assert "4. kvartal 2025" in html and "1. kvartal 2026" in html and "2. kvartal 2026" in html
        assert "3. kvartal 2025" not in html  # no meetings planned then
        q1 = html.split("<h3>1. kvartal 2026</h3>")[1].split("<h3>2. kvartal 2026</h3>")[0]
        assert "Mads Dal" in q1 and "Rasmus" in q1
        assert "3 (60 %)" in q1 and "1 (20 %)" in q1
        for child in (self.emma, self.noah, self.oskar):
            assert child.first_name not in html

    def test_the_leader_chooses_the_period(self):
        self.login(self.lise)
        response = self.client.get("/raadgivning/moeder-til-tiden/?fra=2026-04-01&til=2026-06-30")
        assert response.context["total"] == Tally(late=1, missed=1)
        assert [q.number for q in response.context["quarters"]] == [2]
        html = response.content.decode()
        assert "0 af 2 møder er holdt til tiden (0 %)." in html
        assert 'value="2026-04-01"' in html

    def test_a_period_that_ends_before_it_starts_is_refused_in_danish(self):
        self.login(self.lise)
        response = self.client.get("/raadgivning/moeder-til-tiden/?fra=2026-06-01&til=2026-01-01")
        assert response.status_code == 200
        assert "Fra-datoen skal ligge før til-datoen." in response.content.decode()
        assert response.context["start"] == date(2025, 7, 1)

    def test_a_period_without_meetings_says_so(self):
        self.login(self.lise)
        html = self.client.get(
            "/raadgivning/moeder-til-tiden/?fra=2024-01-01&til=2024-12-31"
        ).content.decode()
        assert "Ingen møder var planlagt i perioden" in html

    @mock.patch("followups.list_views.PUNCTUALITY_PER_PAGE", 2)
    def test_the_lines_come_a_page_at_a_time_with_their_number(self):
        # Five lines: Rasmus in Q4 2025, Mads and Rasmus in Q1 and in Q2 2026.
        self.login(self.lise)
        response = self.client.get("/raadgivning/moeder-til-tiden/")
        html = response.content.decode()
        assert "5 linjer, én pr. tovholder og kvartal" in html
        assert "3 af 8 møder er holdt til tiden (38 %)." in html  # the whole period
        q4, q1 = response.context["quarters"]
        assert (q4.number, q4.by_coordinator) == (4, [(self.rasmus, Tally(late=1))])
        assert (q1.number, q1.by_coordinator) == (1, [(self.mads, Tally(on_time=1))])
        assert "?side=2" in html

        response = self.client.get("/raadgivning/moeder-til-tiden/?side=2")
        q1, q2 = response.context["quarters"]
        assert q1.by_coordinator == [(self.rasmus, Tally(on_time=2, late=1, missed=1))]
        assert q1.total == Tally(on_time=3, late=1, missed=1)  # the whole quarter's
        assert q2.by_coordinator == [(self.mads, Tally(late=1))]
        response = self.client.get("/raadgivning/moeder-til-tiden/?side=3")
        ((q2,),) = [response.context["quarters"]]
        assert q2.by_coordinator == [(self.rasmus, Tally(missed=1))]

    def test_a_junk_page_number_is_no_error(self):
        self.login(self.lise)
        for junk in ("abc", "0", "-1", "999", "1.5", "%00"):
            response = self.client.get(f"/raadgivning/moeder-til-tiden/?side={junk}")
            assert response.status_code == 200, junk

    def test_only_the_leader_of_the_raadgivning_gets_in(self):
        # Lars leads Solsikken, not the rådgivning; Rasmus is a caseworker.
        for user in (self.lars, self.rasmus, self.frida, self.adam):
            self.login(user)
            assert self.client.get("/raadgivning/moeder-til-tiden/").status_code == 403


class MovedMeetingTestCase(BaseTestCase):
    def test_a_meeting_moved_after_its_day_counts_against_that_day(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2025, 10, 1)
        )
        late = Meeting.objects.create(case=case, scheduled_on=date(2026, 3, 30))
        late.move(to=date(2026, 4, 8), today=date(2026, 4, 2))
        late.save()
        ahead = Meeting.objects.create(case=case, scheduled_on=date(2026, 6, 30))
        ahead.move(to=date(2026, 7, 2), today=date(2026, 6, 1))  # moved in good time
        ahead.save()
        Meeting.objects.filter(pk=late.pk).update(held_on=date(2026, 4, 8))
        Meeting.objects.filter(pk=ahead.pk).update(held_on=date(2026, 7, 2))

        q1, q3 = meeting_punctuality(date(2026, 1, 1), date(2026, 9, 30), today=TODAY)
        assert (q1.number, q1.total) == (1, Tally(late=1))
        assert (q3.number, q3.total) == (3, Tally(on_time=1))
