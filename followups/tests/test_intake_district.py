"""The intake by district (settings.INTAKE_BY_DISTRICT, children.access.in_intake_of).

Off (the default): the municipality's intake is one team, and every caseworker of a
rådgivning unit sees every waiting escalation and open underretning. On: a
rådgivning unit with a district handles the children enrolled in that district's
units (and those enrolled in no district's unit); one without a district, all.

Emma goes to Solsikken in Nordby. Nanna handles Nordby's intake, Svend Syd's.
"""

from datetime import date, timedelta

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import District, Role, Unit, UnitKind
from children.access import visible_children
from followups import reminders
from followups.models import Escalation, Reminder, Underretning
from tidlig.test import BaseTestCase, make_child, make_user


class IntakeByDistrictTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        syd = District.objects.create(name="Syd")
        nordby_team = Unit.objects.create(
            name="Rådgivningen Nordby", kind=UnitKind.RAADGIVNING, district=cls.nordby
        )
        syd_team = Unit.objects.create(
            name="Rådgivningen Syd", kind=UnitKind.RAADGIVNING, district=syd
        )
        cls.nanna = make_user("nanna", nordby_team, Role.RAADGIVER, first_name="Nanna")
        cls.svend = make_user("svend", syd_team, Role.RAADGIVER, first_name="Svend")
        cls.escalation = Escalation.objects.create(
            child=cls.emma, from_unit=cls.solsikken, escalated_by=cls.pia, reason="Sulten hver dag"
        )
        cls.item = Underretning.objects.create(
            child=cls.emma,
            received_at=timezone.now() - timedelta(hours=1),
            about="Emma har mærker på armen.",
            notifier="Pia, pædagog",
        )
        # Moved to the municipality, enrolled nowhere yet: every team sees it.
        cls.lone = make_child("Lone", "Dal", date(2019, 1, 1))
        Underretning.objects.create(
            child=cls.lone,
            received_at=timezone.now() - timedelta(hours=1),
            about="Lone er alene hjemme om natten.",
            notifier="En nabo",
        )

    def intake(self, user) -> str:
        self.login(user)
        return self.client.get("/raadgivning/indgang/").content.decode()

    def test_one_team_sees_the_whole_municipality(self):
        page = self.intake(self.svend)
        assert "Sulten hver dag" in page and "mærker på armen" in page
        assert self.emma in visible_children(self.svend)

    @override_settings(INTAKE_BY_DISTRICT=True)
    def test_by_district_each_team_sees_its_own_district_and_the_unplaced(self):
        page = self.intake(self.svend)
        assert "Sulten hver dag" not in page and "mærker på armen" not in page
        assert "alene hjemme" in page
        assert self.emma not in visible_children(self.svend)
        assert self.client.get(self.item.get_absolute_url()).status_code == 404

        page = self.intake(self.nanna)
        assert "Sulten hver dag" in page and "mærker på armen" in page and "alene hjemme" in page
        assert self.emma in visible_children(self.nanna)
        assert self.client.get(self.item.get_absolute_url()).status_code == 200

    @override_settings(INTAKE_BY_DISTRICT=True)
    def test_another_district_cannot_take_the_child(self):
        self.login(self.svend)
        self.client.post(f"/raadgivning/henvendelser/{self.escalation.pk}/tag/")
        self.escalation.refresh_from_db()
        assert self.escalation.status == Escalation.Status.WAITING

    @override_settings(INTAKE_BY_DISTRICT=True)
    def test_a_team_without_a_district_handles_all(self):
        # Rasmus's Børn & Ungerådgivningen has no district.
        assert "Sulten hver dag" in self.intake(self.rasmus)

    @override_settings(INTAKE_BY_DISTRICT=True)
    def test_the_deadline_reminders_go_to_the_district_team(self):
        self.item.received_at = timezone.now() - timedelta(hours=21)
        self.item.save()
        reminders.plan_underretninger()
        about_emma = Reminder.objects.filter(object_key=f"underretning:{self.item.pk}")
        recipients = set(about_emma.values_list("recipient__username", flat=True))
        assert "nanna" in recipients and "svend" not in recipients

    @override_settings(INTAKE_BY_DISTRICT=True)
    def test_more_underretninger_take_no_more_queries_to_find_their_team(self):
        def plan() -> int:
            Reminder.objects.all().delete()
            with CaptureQueriesContext(connection) as queries:
                reminders.plan_underretninger()
            return len(queries)

        Underretning.objects.update(received_at=timezone.now() - timedelta(hours=21))
        one = plan()
        for name in ("Ida", "Ole"):
            Underretning.objects.create(
                child=make_child(name, "Dal", date(2020, 1, 1), unit=self.solsikken),
                received_at=timezone.now() - timedelta(hours=21),
                about="Bekymring.",
                notifier="Pia, pædagog",
            )
        assert plan() == one
        assert Reminder.objects.filter(recipient=self.nanna).count() == 4
        assert Reminder.objects.filter(recipient=self.svend).count() == 1  # Lone's

    @override_settings(INTAKE_BY_DISTRICT=True)
    def test_the_leaders_overview_names_only_the_teams_children(self):
        syd_leader = make_user(
            "sonja", Unit.objects.get(name="Rådgivningen Syd"), Role.LEDER, first_name="Sonja"
        )
        Underretning.objects.update(received_at=timezone.now() - timedelta(days=2))
        self.login(syd_leader)
        page = self.client.get("/raadgivning/underretninger/").content.decode()
        assert "Underretning om Emma" not in page and "Underretning om Lone" in page
