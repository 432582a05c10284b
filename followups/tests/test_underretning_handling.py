"""Underretninger from receiving to closing (Barnets Lov §§ 136-137).

Pia (pædagog at Solsikken) registers underretninger in Tidlig; Rasmus is a
caseworker in Børn & Ungerådgivningen and handles the intake; Sofie teaches at
Nordby Skole. Time is frozen on Friday 27 March 2026, the week before Easter
(skærtorsdag is 2 April, langfredag 3 April, 2. påskedag 6 April).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry

from accounts.models import Role
from children import audit
from children.models import Child, Concern
from followups.models import Case, Underretning
from tidlig.test import BaseTestCase, make_cpr, make_user

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 3, 27, 15, 0, tzinfo=CPH)  # a Friday afternoon


def underretning(child, **kw) -> Underretning:
    kw.setdefault("received_at", NOW)
    kw.setdefault("about", "Barnet fortæller om slag derhjemme.")
    kw.setdefault("notifier", "Pia, pædagog")
    return Underretning.objects.create(child=child, **kw)


def register_data(**overrides) -> dict:
    data = {
        "cpr": "",
        "first_name": "",
        "last_name": "",
        "received_at": "2026-03-26T22:10",
        "channel": "telefon",
        "source": "fagperson",
        "notifier": "Ole Jensen, skolelærer",
        "notifier_contact": "Nordby Skole, Skolevej 1",
        "about": "Oskar kommer sulten i skole og har blå mærker.",
    }
    return {**data, **overrides}


@time_machine.travel(NOW, tick=False)
class RegisterTestCase(BaseTestCase):
    def test_a_pedagogue_registers_one_and_the_clock_starts_now(self):
        self.login(self.pia)
        response = self.client.post(
            f"/boern/{self.emma.pk}/underretning/", {"about": "Emma har blå mærker."}
        )
        assert response.status_code == 302
        item = Underretning.objects.get()
        assert item.received_at == NOW
        assert (item.made_by, item.registered_by) == (self.pia, self.pia)
        assert item.source == Underretning.Source.PROFESSIONAL
        assert item.channel == Underretning.Channel.TIDLIG
        assert item.notifier.startswith("Pia") and "Børnehaven Solsikken" in item.notifier_contact
        # 24 calendar hours; 6 hverdage from Friday skip the weekend and Easter's
        # skærtorsdag, langfredag and 2. påskedag: Mon 30, Tue 31, Wed 1, Tue 7, Wed 8, Thu 9.
        assert item.assessment_deadline == datetime(2026, 3, 28, 15, 0, tzinfo=CPH)
        assert item.receipt_deadline == date(2026, 4, 9)

    def test_the_raadgivning_registers_one_received_earlier_by_phone(self):
        self.login(self.rasmus)
        cpr = self.oskar.reveal_cpr()
        response = self.client.post("/raadgivning/underretninger/ny/", register_data(cpr=cpr))
        item = Underretning.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/underretninger/{item.pk}/"
        assert item.child == self.oskar
        assert item.received_at == datetime(2026, 3, 26, 22, 10, tzinfo=CPH)
        assert (item.registered_by, item.made_by) == (self.rasmus, None)
        assert item.channel == Underretning.Channel.PHONE
        # Every deadline counts from when the municipality received it, not from now.
        assert item.assessment_deadline == datetime(2026, 3, 27, 22, 10, tzinfo=CPH)
        assert item.receipt_deadline == date(2026, 4, 8)

    def test_an_unknown_child_is_created_from_its_cpr_number(self):
        self.login(self.rasmus)
        cpr = make_cpr(date(2019, 5, 17))
        data = register_data(cpr=cpr[:6] + "-" + cpr[6:])
        response = self.client.post("/raadgivning/underretninger/ny/", data)
        assert "Barnet findes ikke i Tidlig endnu" in response.content.decode()
        assert not Underretning.objects.exists()

        data.update(first_name="Liva", last_name="Sand")
        self.client.post("/raadgivning/underretninger/ny/", data)
        child = Child.objects.with_cpr(cpr).get()
        assert (child.first_name, child.birth_date) == ("Liva", date(2019, 5, 17))
        assert child.reveal_cpr().replace("-", "") == cpr
        assert cpr not in child.cpr_encrypted
        assert Underretning.objects.get().child == child

    def test_bad_input_is_refused_in_danish_next_to_the_field(self):
        self.login(self.rasmus)
        data = register_data(
            cpr="123", received_at="2026-03-28T09:00", source="fagperson", notifier="", about=""
        )
        html = self.client.post("/raadgivning/underretninger/ny/", data).content.decode()
        assert "Et CPR-nummer består af 10 cifre" in html
        assert "Tidspunktet kan ikke ligge i fremtiden." in html
        assert "fagpersonen skal have en kvittering" in html
        assert "Skriv, hvad underretningen handler om." in html
        assert 'value="123"' in html  # what was typed is kept
        assert not Underretning.objects.exists() and Child.objects.count() == 3

    def test_a_time_before_2000_is_refused_next_to_the_field(self):
        # The year 1 cannot be stored as a time in UTC: a 500 before.
        self.login(self.rasmus)
        for when in ("0001-01-01T00:00", "1999-12-31T23:59"):
            data = register_data(
                cpr=make_cpr(date(2019, 1, 2)), first_name="Ida", last_name="Berg", received_at=when
            )
            response = self.client.post("/raadgivning/underretninger/ny/", data)
            assert response.status_code == 200, when
            assert "Datoen kan ikke ligge før 1. januar 2000." in response.content.decode()
        assert not Underretning.objects.exists()

    def test_an_anonymous_one_keeps_no_notifier_and_wants_no_receipt(self):
        self.login(self.rasmus)
        data = register_data(
            cpr=self.oskar.reveal_cpr(), source="anonym", notifier="Nabo", channel="brev"
        )
        self.client.post("/raadgivning/underretninger/ny/", data)
        item = Underretning.objects.get()
        assert item.notifier == "" and not item.wants_receipt
        assert not item.receipt_overdue(date(2026, 5, 1))

    def test_the_forms_start_at_the_present_minute(self):
        self.login(self.rasmus)
        html = self.client.get("/raadgivning/underretninger/ny/").content.decode()
        assert 'value="2026-03-27T15:00"' in html and 'max="2026-03-27T15:00"' in html
        item = underretning(self.oskar)
        html = self.client.get(item.get_absolute_url()).content.decode()
        assert 'name="assessed_at" value="2026-03-27T15:00"' in html

    def test_only_caseworkers_of_the_raadgivning_register_here(self):
        for user in (self.pia, self.lars, self.karen, self.frida):
            self.login(user)
            assert self.client.get("/raadgivning/underretninger/ny/").status_code == 403


@time_machine.travel(NOW, tick=False)
class IntakeTestCase(BaseTestCase):
    def test_the_queue_shows_the_text_the_source_and_the_most_urgent_first(self):
        later = underretning(self.emma, received_at=datetime(2026, 3, 27, 9, 0, tzinfo=CPH))
        sooner = underretning(
            self.oskar,
            received_at=datetime(2026, 3, 26, 16, 0, tzinfo=CPH),
            about="Oskar sover i skolen.",
            source=Underretning.Source.CITIZEN,
            channel=Underretning.Channel.EMAIL,
        )
        underretning(self.noah, closed_at=NOW)
        self.login(self.rasmus)
        html = self.client.get("/raadgivning/indgang/").content.decode()
        assert html.index(f"/underretninger/{sooner.pk}/") < html.index(
            f"/underretninger/{later.pk}/"
        )
        assert "Oskar sover i skolen." in html and "Barnet fortæller om slag" in html
        assert "En borger" in html and "E-mail" in html
        assert "Noah" not in html  # closed

    def test_repeated_underretninger_are_counted_together(self):
        underretning(self.emma, received_at=datetime(2025, 5, 1, 9, 0, tzinfo=CPH))
        underretning(self.emma, received_at=datetime(2025, 11, 1, 9, 0, tzinfo=CPH), closed_at=NOW)
        item = underretning(self.emma)
        self.login(self.rasmus)
        html = self.client.get("/raadgivning/indgang/").content.decode()
        assert "3 på 12 måneder" in html
        html = self.client.get(item.get_absolute_url()).content.decode()
        assert "3 underretninger om barnet de seneste 12 måneder" in html


@time_machine.travel(NOW, tick=False)
class IntakeAccessTestCase(BaseTestCase):
    def test_the_caseworker_reads_the_child_while_the_underretning_is_open(self):
        item = underretning(self.oskar)
        self.login(self.rasmus)
        response = self.client.get(self.oskar.get_absolute_url())
        assert response.status_code == 200
        entry = LogEntry.objects.filter(additional_data__event=audit.Event.READ).latest("pk")
        assert entry.additional_data["child"] == self.oskar.pk
        assert entry.additional_data["reason"] == "underretning"
        # Read only: no concern written through the intake's access.
        post = {"observed_on": "2026-03-27", "text": "x"}
        assert self.client.post(f"/boern/{self.oskar.pk}/bekymring/", post).status_code == 404
        assert not Concern.objects.exists()

        item.decision, item.decision_reason = Underretning.Decision.NO_ACTION, "Grundløs."
        item.assessed_at, item.receipt_sent_on = NOW, date(2026, 3, 27)
        item.feedback_sent_on = date(2026, 3, 27)
        item.save()
        assert self.client.post(f"/underretninger/{item.pk}/luk/").status_code == 302
        assert self.client.get(self.oskar.get_absolute_url()).status_code == 404
        assert self.client.get(item.get_absolute_url()).status_code == 404

    def test_its_page_links_the_child_and_the_case_only_for_who_may_open_them(self):
        # Oskar has a case Mette coordinates; Rasmus handles the intake; Lise leads
        # the rådgivning and follows the underretning, but not the child or the case.
        mette = make_user("mette", self.raadgivningen, Role.RAADGIVER, first_name="Mette")
        lise = make_user("lise", self.raadgivningen, Role.LEDER, first_name="Lise")
        case = Case.objects.create(child=self.oskar, coordinator=mette, opened_on=date(2026, 1, 5))
        item = underretning(self.oskar)
        child, case_link = f'href="{self.oskar.get_absolute_url()}"', f'href="/sager/{case.pk}/"'
        for user, sees_child, sees_case in ((mette, 1, 1), (self.rasmus, 1, 0), (lise, 0, 0)):
            self.login(user)
            html = self.client.get(item.get_absolute_url()).content.decode()
            assert "tovholder Mette" in html
            assert (child in html, case_link in html) == (sees_child, sees_case), user
            assert self.client.get(self.oskar.get_absolute_url()).status_code == (
                200 if sees_child else 404
            )

    def test_a_pedagogue_does_not_see_other_peoples_underretninger(self):
        item = underretning(self.emma, made_by=self.lars)
        for user in (self.pia, self.sofie, self.karen, self.frida, self.adam):
            self.login(user)
            assert self.client.get(item.get_absolute_url()).status_code in (403, 404), user


@time_machine.travel(NOW, tick=False)
class AssessmentTestCase(BaseTestCase):
    def assess(self, item, **overrides):
        data = {"assessed_at": "2026-03-27T14:30", "acute": "nej", "decision": "", **overrides}
        return self.client.post(f"/underretninger/{item.pk}/vurdering/", data)

    def test_no_further_action_needs_a_reason_and_is_closed_by_hand(self):
        item = underretning(self.oskar, received_at=datetime(2026, 3, 27, 9, 0, tzinfo=CPH))
        self.login(self.rasmus)
        html = self.assess(item, decision="ingen").content.decode()
        assert "Skriv, hvorfor der ikke skal ske mere." in html
        item.refresh_from_db()
        assert item.assessed_at is None

        response = self.assess(
            item, decision="ingen", decision_reason="Forældrene har selv søgt hjælp."
        )
        html = self.client.get(response["Location"]).content.decode()
        item.refresh_from_db()
        assert item.assessed_at == datetime(2026, 3, 27, 14, 30, tzinfo=CPH)
        assert item.assessed_by == self.rasmus and item.acute is False
        assert item.assessed_in_time() and item.is_open
        # The professional notifier must have the receipt and the tilbagemelding first.
        assert "kan lukkes, når kvitteringen og tilbagemeldingen er sendt" in html
        assert self.client.post(f"/underretninger/{item.pk}/luk/").status_code == 403
        Underretning.objects.filter(pk=item.pk).update(receipt_sent_on=date(2026, 3, 27))
        assert self.client.post(f"/underretninger/{item.pk}/luk/").status_code == 403
        Underretning.objects.filter(pk=item.pk).update(feedback_sent_on=date(2026, 3, 27))
        self.client.post(f"/underretninger/{item.pk}/luk/")
        item.refresh_from_db()
        assert item.closed_at == NOW and item.case is None

    def test_a_boernefaglig_undersoegelse_opens_a_case_and_keeps_the_assessment_with_it(self):
        item = underretning(self.oskar, received_at=datetime(2026, 3, 26, 9, 0, tzinfo=CPH))
        self.login(self.rasmus)
        response = self.assess(item, decision="undersoegelse", acute="ja")
        case = Case.objects.get(child=self.oskar)
        assert response["Location"] == case.get_absolute_url()
        assert case.coordinator == self.rasmus and case.meetings.count() == 1
        item.refresh_from_db()
        assert item.case == case and not item.is_open and item.acute is True
        assert not item.assessed_in_time()  # 29.5 hours after it was received
        # The coordinator keeps it, through the case, and sees it on the case page.
        assert self.client.get(item.get_absolute_url()).status_code == 200
        html = self.client.get(case.get_absolute_url()).content.decode()
        assert f'href="/underretninger/{item.pk}/"' in html
        assert "kvittering senest 8. april 2026" in html

    def test_an_afdaekning_and_immediate_measures_open_a_case_too(self):
        self.login(self.rasmus)
        for child, decision in ((self.oskar, "afdaekning"), (self.noah, "akut")):
            item = underretning(child, received_at=datetime(2026, 3, 27, 9, 0, tzinfo=CPH))
            self.assess(item, decision=decision, acute="ja" if decision == "akut" else "nej")
            item.refresh_from_db()
            assert item.case == Case.objects.get(child=child) and not item.is_open, decision

    def test_an_underretning_about_a_child_with_a_case_goes_to_its_coordinator(self):
        case = Case.objects.create(
            child=self.oskar, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        item = underretning(self.oskar)
        self.login(self.rasmus)
        response = self.assess(item, decision="tovholder", assessed_at="2026-03-27T15:00")
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.case == case and Case.objects.count() == 1

    def test_sending_to_a_coordinator_needs_an_open_case(self):
        item = underretning(self.oskar, received_at=datetime(2026, 3, 27, 9, 0, tzinfo=CPH))
        self.login(self.rasmus)
        html = self.assess(item, decision="tovholder").content.decode()
        assert "Barnet har ingen åben sag. Vælg en anden beslutning." in html
        assert not Case.objects.exists()

    def test_a_screening_keeps_it_open_and_a_later_decision_keeps_the_first_time(self):
        item = underretning(self.oskar, received_at=datetime(2026, 3, 27, 9, 0, tzinfo=CPH))
        self.login(self.rasmus)
        self.assess(item, decision="screening")
        item.refresh_from_db()
        assert item.is_open and item.decision == "screening"
        self.assess(item, decision="afdaekning", assessed_at="2026-03-27T14:55")
        item.refresh_from_db()
        assert item.assessed_at == datetime(2026, 3, 27, 14, 30, tzinfo=CPH)
        assert item.decision == "afdaekning" and item.case is not None

    def test_the_assessment_cannot_be_before_it_was_received_or_in_the_future(self):
        item = underretning(self.oskar, received_at=datetime(2026, 3, 27, 9, 0, tzinfo=CPH))
        self.login(self.rasmus)
        html = self.assess(item, decision="screening", assessed_at="2026-03-27T08:00")
        assert "før underretningen blev modtaget" in html.content.decode()
        html = self.assess(item, decision="screening", assessed_at="2026-03-28T08:00")
        assert "Tidspunktet kan ikke ligge i fremtiden." in html.content.decode()
        item.refresh_from_db()
        assert item.assessed_at is None
