from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Role
from followups.models import Case, CaseMember, Meeting
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")


# Monday 4 May 2026.
@time_machine.travel(datetime(2026, 5, 4, 10, tzinfo=CPH), tick=False)
class MyMeetingsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Mads is another caseworker; Rasmus is on the team of Mads's case about Oskar.
        cls.mads = make_user("mads", cls.raadgivningen, Role.RAADGIVER, first_name="Mads")
        cls.emmas_case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=cls.emmas_case, user=cls.karen, profession="Psykolog")
        cls.held = Meeting.objects.create(
            case=cls.emmas_case, scheduled_on=date(2026, 1, 20), held_on=date(2026, 1, 20)
        )
        cls.overdue = Meeting.objects.create(case=cls.emmas_case, scheduled_on=date(2026, 4, 20))
        cls.oskars_case = Case.objects.create(
            child=cls.oskar, coordinator=cls.mads, opened_on=date(2026, 2, 1)
        )
        CaseMember.objects.create(case=cls.oskars_case, user=cls.rasmus, profession="Rådgiver")
        cls.upcoming = Meeting.objects.create(
            case=cls.oskars_case,
            scheduled_on=date(2026, 5, 12),
            starts_at=time(13, 30),
            location="Nordby Skole, mødelokale 2",
        )
        cls.today = Meeting.objects.create(case=cls.oskars_case, scheduled_on=date(2026, 5, 4))
        # Noah's case is closed: its meeting left behind is nobody's any more.
        closed = Case.objects.create(
            child=cls.noah,
            coordinator=cls.rasmus,
            opened_on=date(2025, 9, 1),
            closed_on=date(2026, 3, 1),
        )
        Meeting.objects.create(case=closed, scheduled_on=date(2026, 4, 1))

    def _page(self, user):
        self.login(user)
        response = self.client.get("/mine-moeder/")
        assert response.status_code == 200
        return response

    def test_it_splits_overdue_and_upcoming_meetings_of_the_users_open_cases(self):
        response = self._page(self.rasmus)
        assert response.context["overdue"] == [self.overdue]
        assert response.context["upcoming"] == [self.today, self.upcoming]
        html = response.content.decode()
        overdue, upcoming = html.split("<h2>Kommende</h2>")
        assert "Emma Holm" in overdue and "20. april 2026" in overdue and "14 dage" in overdue
        assert 'class="tidlig-overdue"' in overdue
        assert f'href="/sager/{self.emmas_case.pk}/"' in overdue
        assert f'href="/moeder/{self.overdue.pk}/"' in overdue
        assert "Oskar Berg" in upcoming and "tirsdag 12. maj 2026" in upcoming
        assert "13:30" in upcoming and "Nordby Skole, mødelokale 2" in upcoming
        assert "i dag" in upcoming and "Mads" in upcoming
        assert "Noah" not in html

    def test_a_team_member_sees_the_meetings_of_their_cases_only(self):
        response = self._page(self.karen)
        assert response.context["overdue"] == [self.overdue]
        assert response.context["upcoming"] == []
        assert "Ingen kommende møder." in response.content.decode()

    def test_a_held_meeting_is_not_listed(self):
        self.overdue.held_on = date(2026, 4, 21)
        self.overdue.save()
        response = self._page(self.karen)
        assert response.context["overdue"] == [] and response.context["upcoming"] == []
        assert "Ingen møder er overskredet." in response.content.decode()

    def test_a_pedagogue_on_no_case_gets_an_empty_page(self):
        response = self._page(self.pia)
        assert response.context["overdue"] == [] and response.context["upcoming"] == []

    def test_it_is_for_people_who_work_with_children(self):
        for user in (self.frida, self.adam):
            self.login(user)
            assert self.client.get("/mine-moeder/").status_code == 403
