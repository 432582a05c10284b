from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import Role
from children import audit
from followups.models import (
    Case,
    CaseMember,
    Escalation,
    Intervention,
    Meeting,
    NewIntervention,
    Underretning,
)
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")


class EscalationTestCase(BaseTestCase):
    def test_a_pedagogue_sends_a_child_to_raadgivningen(self):
        self.login(self.pia)
        response = self.client.post(f"/boern/{self.emma.pk}/send-videre/", {"reason": "Vokser"})
        assert response.status_code == 302 and response["Location"] == f"/boern/{self.emma.pk}/"
        escalation = Escalation.objects.get()
        assert (escalation.child, escalation.from_unit, escalation.escalated_by) == (
            self.emma,
            self.solsikken,
            self.pia,
        )
        assert escalation.status == Escalation.Status.WAITING
        html = self.client.get(self.emma.get_absolute_url()).content.decode()
        assert "venter på en rådgiver" in html

    def test_an_empty_reason_is_refused_in_danish(self):
        self.login(self.lars)
        response = self.client.post(f"/boern/{self.emma.pk}/send-videre/", {"reason": " "})
        assert response.status_code == 200
        assert "Skriv kort, hvorfor I sender barnet videre." in response.content.decode()
        assert not Escalation.objects.exists()

    def test_another_units_child_cannot_be_sent(self):
        self.login(self.sofie)
        assert (
            self.client.post(f"/boern/{self.emma.pk}/send-videre/", {"reason": "x"}).status_code
            == 404
        )
        assert not Escalation.objects.exists()

    def test_the_assessment_page_offers_to_escalate_and_record_an_underretning(self):
        self.login(self.pia)
        html = self.client.get(assess(self.emma, self.pia, 5).get_absolute_url()).content.decode()
        assert f'href="/boern/{self.emma.pk}/underretning/" class="button button-primary"' in html
        assert f'href="/boern/{self.emma.pk}/send-videre/" class="button button-primary"' in html
        html = self.client.get(assess(self.emma, self.pia, 3).get_absolute_url()).content.decode()
        assert f"/boern/{self.emma.pk}/underretning/" not in html
        assert f'href="/boern/{self.emma.pk}/send-videre/" class="button button-secondary"' in html


class IntakeTestCase(BaseTestCase):
    def test_an_underretning_is_recorded_and_shown_with_its_deadlines(self):
        self.login(self.pia)
        with time_machine.travel(datetime(2026, 4, 2, 15, tzinfo=CPH), tick=False):
            response = self.client.post(
                f"/boern/{self.emma.pk}/underretning/", {"about": "Blå mærker på armen"}
            )
        assert response.status_code == 302
        item = Underretning.objects.get()
        assert item.made_by == self.pia and item.notifier == "Pia"
        assert timezone.localtime(item.received_at) == datetime(2026, 4, 2, 15, tzinfo=CPH)

        self.login(self.rasmus)
        with time_machine.travel(datetime(2026, 4, 3, 10, tzinfo=CPH), tick=False):
            html = self.client.get("/raadgivning/indgang/").content.decode()
        assert "Emma Holm" in html
        assert "3. april kl. 15:00" in html and "14. april 2026" in html  # 24 hours; 6 hverdage
        assert "Overskredet" not in html
        with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=CPH), tick=False):
            html = self.client.get("/raadgivning/indgang/").content.decode()
        assert html.count("Overskredet") == 2

    def test_a_caseworker_takes_a_child_and_becomes_coordinator(self):
        escalation = Escalation.objects.create(
            child=self.emma, from_unit=self.solsikken, escalated_by=self.lars, reason="Vokser"
        )
        self.login(self.rasmus)
        assert "Vokser" in self.client.get("/raadgivning/indgang/").content.decode()
        response = self.client.post(f"/raadgivning/henvendelser/{escalation.pk}/tag/")
        case = Case.objects.get()
        assert response["Location"] == f"/sager/{case.pk}/"
        assert case.coordinator == self.rasmus and case.child == self.emma
        assert case.opened_on == timezone.localdate()
        meeting = Meeting.objects.get(case=case)
        assert meeting.scheduled_on == case.opened_on + relativedelta(months=3)
        escalation.refresh_from_db()
        assert escalation.status == Escalation.Status.ACCEPTED
        assert escalation.accepted_by == self.rasmus
        # Taking it twice opens no second case; and Rasmus now sees Emma.
        self.client.post(f"/raadgivning/henvendelser/{escalation.pk}/tag/")
        assert Case.objects.count() == 1
        assert self.client.get(self.emma.get_absolute_url()).status_code == 200

    def test_the_intake_links_only_what_the_user_may_open(self):
        # Emma waits for a caseworker; Noah too, and Rasmus is on Noah's case already.
        # Lise leads the rådgivning: she follows the intake but takes no child.
        Escalation.objects.create(
            child=self.emma, from_unit=self.solsikken, escalated_by=self.lars, reason="Vokser"
        )
        Escalation.objects.create(
            child=self.noah, from_unit=self.solsikken, escalated_by=self.lars, reason="Græder"
        )
        Case.objects.create(child=self.noah, coordinator=self.rasmus, opened_on=date(2026, 1, 5))
        lise = make_user("lise", self.raadgivningen, Role.LEDER, first_name="Lise")
        emma, noah = (f'href="{child.get_absolute_url()}"' for child in (self.emma, self.noah))
        register = 'href="/raadgivning/underretninger/ny/"'
        take = "Tag barnet og bliv tovholder"

        self.login(self.rasmus)
        html = self.client.get("/raadgivning/indgang/").content.decode()
        assert "Emma Holm" in html and emma not in html
        assert noah in html
        assert register in html and take in html

        self.login(lise)
        html = self.client.get("/raadgivning/indgang/").content.decode()
        assert "Emma Holm" in html and "Noah Lund" in html
        assert emma not in html and noah not in html
        assert register not in html and take not in html
        assert self.client.get("/raadgivning/underretninger/ny/").status_code == 403

    def test_only_the_raadgivning_has_an_intake(self):
        for user in (self.lars, self.pia, self.karen):
            self.login(user)
            assert self.client.get("/raadgivning/indgang/").status_code in (403, 404)


NOW = datetime(2026, 5, 4, 10, tzinfo=CPH)


@time_machine.travel(NOW, tick=False)
class IntakePagesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Three open underretninger, the one received first (the most urgent) first.
        cls.items = [
            Underretning.objects.create(
                child=child,
                made_by=cls.pia,
                registered_by=cls.pia,
                notifier="Pia",
                notifier_contact="Solsikken",
                received_at=NOW - timedelta(hours=hours),
                about="Bekymring.",
            )
            for child, hours in ((cls.emma, 20), (cls.noah, 10), (cls.oskar, 1))
        ]

    def _listed(self) -> list[int]:
        """The children named by the newest list entry in the audit trail."""
        entry = LogEntry.objects.filter(additional_data__event=audit.Event.LIST).latest("pk")
        return entry.additional_data["children"]

    @mock.patch("followups.views.PAGE_SIZE", 2)
    def test_the_underretninger_come_a_page_at_a_time_with_their_number(self):
        self.login(self.rasmus)
        response = self.client.get("/raadgivning/indgang/")
        assert [row["item"] for row in response.context["underretninger"]] == self.items[:2]
        html = response.content.decode()
        assert "3 åbne underretninger" in html and "?side=2" in html
        assert "Oskar" not in html
        assert sorted(self._listed()) == sorted([self.emma.pk, self.noah.pk])

        response = self.client.get("/raadgivning/indgang/?side=2")
        assert [row["item"] for row in response.context["underretninger"]] == self.items[2:]
        assert "3 åbne underretninger" in response.content.decode()
        assert self._listed() == [self.oskar.pk]

    @mock.patch("followups.views.PAGE_SIZE", 2)
    def test_the_escalations_shown_are_the_oldest_with_their_number(self):
        escalations = [
            Escalation.objects.create(
                child=child, from_unit=self.solsikken, escalated_by=self.lars, reason="Vokser"
            )
            for child in (self.emma, self.noah, self.oskar)
        ]
        self.login(self.rasmus)
        response = self.client.get("/raadgivning/indgang/")
        assert response.context["escalations"] == escalations[:2]
        html = response.content.decode()
        assert "3 børn venter på en rådgiver · de 2, der har ventet længst, står her" in html

    def test_a_junk_page_number_is_no_error(self):
        self.login(self.rasmus)
        for junk in ("abc", "0", "-1", "999", "1.5", "%00"):
            response = self.client.get(f"/raadgivning/indgang/?side={junk}")
            assert response.status_code == 200, junk
            assert len(response.context["underretninger"]) == 3


class CasePageTestCase(BaseTestCase):
    def test_the_case_page_shows_the_team_and_the_path_on_the_staircase(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=case, user=self.karen, profession="Psykolog")
        Intervention.objects.create(
            case=case, step=3, kind="Familiebehandling", start=date(2026, 1, 5)
        )
        Intervention.objects.create(
            case=case, step=2, kind="Forældrekursus", start=date(2026, 4, 1)
        )
        case.schedule_first_meeting()
        self.login(self.karen)
        html = self.client.get(f"/sager/{case.pk}/").content.decode()
        assert "<td>Karen</td><td>Psykolog</td>" in html
        assert "<td>Rasmus</td><td>Tovholder</td>" in html
        assert "Seneste skridt: ned ad trappen" in html
        chart = html.split('id="staircase-title"')[1].split("</svg>")[0]
        assert chart.count("<circle") == 2
        # The first follow-up: three months after, before Easter (5 April is Easter Sunday).
        assert "onsdag 1. april 2026" in html
        self.login(self.sofie)
        assert self.client.get(f"/sager/{case.pk}/").status_code == 404
        assert self.client.get(f"/sager/{case.pk + 100}/").status_code == 404

    def test_held_meetings_schedule_the_next_three_months_later(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        first = case.schedule_first_meeting()
        second = first.hold(on=date(2026, 4, 7), decision="fortsaet")
        assert second.scheduled_on == date(2026, 7, 7)
        third = second.hold(
            on=date(2026, 7, 7),
            decision="juster",
            next_on=date(2026, 9, 1),
            intervention=NewIntervention(2, "Familiebehandling"),
        )
        assert third.scheduled_on == date(2026, 9, 1)
        assert third.hold(on=date(2026, 9, 1), decision="afslut") is None
        case.refresh_from_db()
        assert case.closed_on == date(2026, 9, 1)
        assert case.meetings.filter(held_on__isnull=True).count() == 0
