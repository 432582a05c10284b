"""The coordinator runs the case: the team, Indsatstrappen, the prevention level,
and handing the coordinator role to another caseworker, who must say yes.

Rasmus coordinates Emma's case; Rikke is another caseworker in the rådgivning;
Karen (PPR) joins the team.
"""

from datetime import date

import time_machine
from django.core import mail

from accounts.models import Role, User
from children.access import visible_children
from followups import reminders
from followups.models import Case, CaseMember, Handover, Intervention, Reminder, Step
from tidlig.test import BaseTestCase, make_user

TODAY = date(2026, 3, 2)


@time_machine.travel(date(2026, 3, 2), tick=False)
class CaseManagementTestCase(BaseTestCase):
    rikke: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rikke = make_user(
            "rikke", cls.raadgivningen, Role.RAADGIVER, first_name="Rikke", email="rikke@x.dk"
        )
        cls.karen.title = "Psykolog"
        cls.karen.save()

    def setUp(self) -> None:
        self.case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        self.url = f"/sager/{self.case.pk}/"

    def test_the_coordinator_adds_a_professional_to_the_team(self):
        self.login(self.rasmus)
        form = self.client.get(self.url + "team/tilfoej/").content.decode()
        assert "Karen" in form and "Frida" not in form and "Adam" not in form
        response = self.client.post(self.url + "team/tilfoej/", {"user": self.karen.pk})
        assert response.status_code == 302
        member = CaseMember.objects.get()
        assert (member.user, member.profession) == (self.karen, "Psykolog")
        assert self.emma in visible_children(self.karen)
        html = self.client.get(self.url).content.decode()
        assert "Psykolog" in html and "Fjern Karen fra teamet" in html

    def test_a_profession_is_needed_when_the_user_has_no_title(self):
        self.login(self.rasmus)
        response = self.client.post(self.url + "team/tilfoej/", {"user": self.sofie.pk})
        assert "Skriv personens faglighed." in response.content.decode()
        assert not CaseMember.objects.exists()

    def test_forvaltning_cannot_be_put_on_a_team(self):
        self.login(self.rasmus)
        response = self.client.post(
            self.url + "team/tilfoej/", {"user": self.frida.pk, "profession": "Chef"}
        )
        assert response.status_code == 200 and "form-error-message" in response.content.decode()
        assert not CaseMember.objects.exists()

    def test_the_team_reads_the_case_but_only_the_coordinator_changes_it(self):
        CaseMember.objects.create(case=self.case, user=self.karen, profession="Psykolog")
        self.login(self.karen)
        html = self.client.get(self.url).content.decode()
        assert "Tilføj til teamet" not in html and "Giv tovholderrollen videre" not in html
        assert self.client.get(self.url + "team/tilfoej/").status_code == 403
        assert (
            self.client.post(self.url + "ret/", {"level": "tertiaer", "reason": "x"}).status_code
            == 403
        )
        self.login(self.sofie)
        assert self.client.get(self.url + "team/tilfoej/").status_code == 404

    def test_removing_a_member_ends_their_access(self):
        member = CaseMember.objects.create(case=self.case, user=self.karen, profession="Psykolog")
        self.login(self.rasmus)
        self.client.post(self.url + f"team/{member.pk}/fjern/")
        assert not CaseMember.objects.exists()
        assert self.emma not in visible_children(self.karen)

    def test_a_closed_case_is_not_changed(self):
        self.case.closed_on = date(2026, 2, 1)
        self.case.save()
        self.login(self.rasmus)  # the coordinator, within the closed case's access days
        assert (
            self.client.post(self.url + "ret/", {"level": "primaer", "reason": "x"}).status_code
            == 403
        )
        self.login(self.lars)  # Emma's leader sees her, not the case (children.access)
        assert self.client.get(self.url).status_code == 404


@time_machine.travel(date(2026, 3, 2), tick=False)
class InterventionTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        self.url = f"/sager/{self.case.pk}/indsatser/ny/"
        self.login(self.rasmus)

    def post(self, **data):
        base = {"step": 3, "kind": "Familiebehandling", "provider": "Familiehuset"}
        return self.client.post(self.url, base | data)

    def test_a_new_intervention_ends_the_current_one_and_the_move_down_is_shown(self):
        old = Intervention.objects.create(
            case=self.case, step=Step.HOME_BASED, kind="Hjemmehos", start=date(2026, 1, 5)
        )
        response = self.post(step=2, start="2026-03-01", end_current="on")
        assert response.status_code == 302
        old.refresh_from_db()
        assert old.end == date(2026, 3, 1)
        new = Intervention.objects.latest("pk")
        assert (new.step, new.kind, new.end) == (2, "Familiebehandling", None)
        html = self.client.get(f"/sager/{self.case.pk}/").content.decode()
        assert "Seneste skridt: ned ad trappen" in html

    def test_the_current_one_can_be_kept(self):
        old = Intervention.objects.create(
            case=self.case, step=Step.EARLY, kind="Støtte", start=date(2026, 1, 5)
        )
        self.post(start="2026-03-01")
        old.refresh_from_db()
        assert old.end is None

    def test_bad_dates_are_refused_in_danish(self):
        html = self.post(start="2026-03-01", end="2026-02-01").content.decode()
        assert "Slutdatoen skal være samme dag som starten eller senere." in html
        html = self.post(start="2025-12-01").content.decode()
        assert "Indsatsen kan ikke starte før sagen blev åbnet (05.01.2026)." in html
        html = self.client.post(self.url, {"start": "2026-03-01"}).content.decode()
        assert (
            "Vælg et trin på Indsatstrappen." in html and "Skriv, hvilken indsats det er." in html
        )
        assert not Intervention.objects.exists()

    def test_an_intervention_is_ended(self):
        item = Intervention.objects.create(
            case=self.case, step=Step.PREVENTIVE, kind="Kursus", start=date(2026, 2, 1)
        )
        url = f"/sager/{self.case.pk}/indsatser/{item.pk}/afslut/"
        html = self.client.post(url, {"end": "2026-01-01"}).content.decode()
        assert "Slutdatoen skal være samme dag som starten eller senere." in html
        assert self.client.post(url, {"end": "2026-03-01"}).status_code == 302
        item.refresh_from_db()
        assert item.end == date(2026, 3, 1)
        assert self.client.get(url).status_code == 404  # already ended


@time_machine.travel(date(2026, 3, 2), tick=False)
class HandoverTestCase(BaseTestCase):
    rikke: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rikke = make_user(
            "rikke", cls.raadgivningen, Role.RAADGIVER, first_name="Rikke", email="rikke@x.dk"
        )

    def setUp(self) -> None:
        self.case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        self.url = f"/sager/{self.case.pk}/tovholder/"

    def offer(self, **data) -> Handover:
        self.login(self.rasmus)
        response = self.client.post(self.url, {"to_user": self.rikke.pk, "note": "Mor"} | data)
        assert response.status_code == 302, response.content.decode()
        return Handover.objects.get(status=Handover.Status.PENDING)

    def test_only_caseworkers_can_be_asked(self):
        self.login(self.rasmus)
        html = self.client.get(self.url).content.decode()
        assert "Rikke" in html and "Karen" not in html
        response = self.client.post(self.url, {"to_user": self.karen.pk})
        assert "form-error-message" in response.content.decode()
        assert not Handover.objects.exists()

    def test_the_case_stays_with_the_coordinator_until_the_other_says_yes(self):
        handover = self.offer()
        self.case.refresh_from_db()
        assert self.case.coordinator == self.rasmus
        assert self.emma not in visible_children(self.rikke)
        reminder = Reminder.objects.get(recipient=self.rikke)
        assert reminder.kind == Reminder.Kind.HANDOVER
        assert reminder.url == f"/tovholder/{handover.pk}/"
        assert "Emma" not in reminder.subject + reminder.text

        reminders.send_pending()
        assert [m.to for m in mail.outbox] == [["rikke@x.dk"]]
        assert "Emma" not in mail.outbox[0].body

        self.login(self.rikke)
        html = self.client.get(reminder.url).content.decode()
        assert "Emma Holm" in html and "Mor" in html
        response = self.client.post(reminder.url, {"svar": "ja"})
        assert response["Location"] == self.case.get_absolute_url()
        self.case.refresh_from_db()
        assert self.case.coordinator == self.rikke
        assert self.emma in visible_children(self.rikke)
        assert self.emma not in visible_children(self.rasmus)
        reminder.refresh_from_db()
        assert reminder.read_at is not None

    def test_the_old_coordinator_can_stay_on_the_team(self):
        self.offer(stay_on_team="on")
        self.login(self.rikke)
        self.client.post(f"/tovholder/{Handover.objects.get().pk}/", {"svar": "ja"})
        assert list(self.case.members.values_list("user__username", flat=True)) == ["rasmus"]
        assert self.emma in visible_children(self.rasmus)

    def test_a_no_keeps_the_coordinator(self):
        handover = self.offer()
        self.login(self.rikke)
        self.client.post(f"/tovholder/{handover.pk}/", {"svar": "nej"})
        handover.refresh_from_db()
        self.case.refresh_from_db()
        assert handover.status == Handover.Status.DECLINED
        assert self.case.coordinator == self.rasmus
        response = self.client.get(f"/tovholder/{handover.pk}/", follow=True)
        assert response.redirect_chain == [("/", 302)]
        assert "Du har allerede sagt nej" in response.content.decode()

    def test_only_the_one_asked_sees_the_offer(self):
        handover = self.offer()
        for user in (self.karen, self.pia, self.rasmus):
            self.login(user)
            assert self.client.get(f"/tovholder/{handover.pk}/").status_code == 404
            assert self.client.post(f"/tovholder/{handover.pk}/", {"svar": "ja"}).status_code == 404
        self.case.refresh_from_db()
        assert self.case.coordinator == self.rasmus

    def test_one_question_at_a_time_and_it_can_be_withdrawn(self):
        handover = self.offer()
        self.client.post(self.url, {"to_user": self.rikke.pk})
        assert Handover.objects.count() == 1
        assert "Træk forespørgslen tilbage" in self.client.get(self.url).content.decode()
        self.client.post(f"{self.url}{handover.pk}/tilbagekald/")
        handover.refresh_from_db()
        assert handover.status == Handover.Status.WITHDRAWN
        self.login(self.rikke)
        # The answer comes too late: said so in Danish, not "Siden findes ikke".
        response = self.client.post(f"/tovholder/{handover.pk}/", {"svar": "ja"}, follow=True)
        assert response.redirect_chain == [("/", 302)]
        assert "Forespørgslen er trukket tilbage" in response.content.decode()
        self.case.refresh_from_db()
        assert self.case.coordinator == self.rasmus
