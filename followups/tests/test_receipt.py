"""The receipt (kvittering) and the tilbagemelding to a professional notifier.

Pia, a pædagog at Solsikken, made an underretning about Emma in Tidlig on
skærtorsdag, Thursday 2 April 2026 at 15:00. Its 6 hverdage skip langfredag, the
weekend and 2. påskedag and end on Tuesday 14 April. Rasmus is a caseworker in Børn
& Ungerådgivningen and Lise leads it; Mette is Pia's colleague at Solsikken and Lars
their leader; Frida works in the forvaltning.
"""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.test import override_settings
from pypdf import PdfReader

from accounts.models import Role, User
from children import audit
from followups import reminders, underretninger
from followups.models import Reminder, Underretning
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")
RECEIVED = datetime(2026, 4, 2, 15, 0, tzinfo=CPH)
TUESDAY = datetime(2026, 4, 7, 10, 0, tzinfo=CPH)  # the first hverdag after Easter

CHILD_NAMES = ("Emma", "Holm")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


class ReceiptTestCase(BaseTestCase):
    mette: User
    lise: User
    item: Underretning
    url: str

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pia.email = "pia@solsikken.example"
        cls.pia.save()
        cls.mette = make_user("mette", cls.solsikken, Role.FAGPERSON, first_name="Mette")
        cls.lise = make_user("lise", cls.raadgivningen, Role.LEDER, first_name="Lise")
        cls.item = Underretning.objects.create(
            child=cls.emma,
            made_by=cls.pia,
            registered_by=cls.pia,
            notifier="Pia Hansen, pædagog",
            notifier_contact="Børnehaven Solsikken, pia@solsikken.example",
            received_at=RECEIVED,
            about="Emma har blå mærker på armene.",
        )
        cls.url = f"/underretninger/{cls.item.pk}/"

    def mark_sent(self):
        return self.client.post(f"{self.url}kvittering/")

    def emails_sent(self) -> list:
        reminders.send_pending()
        return mail.outbox

    def assert_names_no_child(self, *texts: str) -> None:
        cpr = self.emma.reveal_cpr()
        for text in texts:
            for name in CHILD_NAMES:
                assert name not in text, f"{name!r} in {text!r}"
            assert cpr not in text and cpr[:6] not in text and "04.03" not in text


@time_machine.travel(TUESDAY, tick=False)
class ReceiptLetterTestCase(ReceiptTestCase):
    @override_settings(MUNICIPALITY_NAME="Nordby Kommune")
    def test_it_is_a_letter_with_the_date_received_the_reference_and_the_law(self):
        self.login(self.rasmus)
        response = self.client.get(f"{self.url}kvittering.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        text = pdf_text(response.content)
        assert "NORDBY KOMMUNE" in text
        assert "Kvittering for modtagelse af underretning" in text
        assert "Pia Hansen, pædagog" in text and "Børnehaven Solsikken" in text
        assert f"Vores reference: underretning nr. {self.item.pk}" in text
        assert "Dato: 7. april 2026" in text
        assert (
            "Kommunen modtog din underretning den 2. april 2026. Med dette brev bekræfter vi, "
            "at vi har modtaget den (Barnets Lov §§ 136-137)." in text
        )
        assert "Senest 24 timer efter modtagelsen vurderer kommunen" in text
        assert "(Barnets Lov § 137)" in text
        # The letter says whom it is about by its reference alone.
        self.assert_names_no_child(text)

    def test_printing_is_logged_for_the_child(self):
        self.login(self.rasmus)
        self.client.get(f"{self.url}kvittering.pdf")
        events = [
            entry.additional_data["event"]
            for entry in LogEntry.objects.filter(
                action=LogEntry.Action.ACCESS,
                actor=self.rasmus,
                additional_data__child=self.emma.pk,
            )
        ]
        assert audit.Event.PRINT in events

    def test_it_is_in_danish_whatever_the_printers_language(self):
        self.login(self.rasmus)
        self.client.post("/i18n/setlang/", {"language": "en"})
        text = pdf_text(self.client.get(f"{self.url}kvittering.pdf").content)
        assert "Kvittering for modtagelse af underretning" in text

    def test_the_notifier_and_the_intake_may_print_it_and_no_one_else(self):
        wanted = {
            self.pia: 200,
            self.rasmus: 200,
            self.lise: 200,
            self.mette: 404,  # Pia's colleague: not her underretning
            self.lars: 404,  # Pia's leader: neither
            self.sofie: 404,
            self.karen: 404,
            self.frida: 404,
            self.adam: 404,
        }
        got = {}
        for user in wanted:
            self.login(user)
            got[user] = self.client.get(f"{self.url}kvittering.pdf").status_code
        assert got == wanted

    def test_a_citizens_underretning_has_no_receipt(self):
        for source in (Underretning.Source.CITIZEN, Underretning.Source.ANONYMOUS):
            Underretning.objects.filter(pk=self.item.pk).update(source=source)
            self.login(self.rasmus)
            assert self.client.get(f"{self.url}kvittering.pdf").status_code == 404
            assert self.mark_sent().status_code == 404
            html = self.client.get(self.url).content.decode()
            assert "der skal ikke sendes kvittering eller tilbagemelding" in html
            assert "kvittering.pdf" not in html
        assert not Reminder.objects.exists()


class MarkSentTestCase(ReceiptTestCase):
    @time_machine.travel(TUESDAY, tick=False)
    def test_marking_it_sent_twice_records_it_and_mails_the_notifier_once(self):
        self.login(self.rasmus)
        response = self.mark_sent()
        assert response.status_code == 302 and response["Location"] == self.url
        self.item.refresh_from_db()
        assert self.item.receipt_sent_on == date(2026, 4, 7)
        page = self.client.get(self.url).content.decode()
        assert "Kvitteringen er registreret som sendt i dag." in page
        assert "Pia har fået besked i Tidlig og på e-mail." in page

        again = self.client.post(f"{self.url}kvittering/", follow=True).content.decode()
        assert "Kvitteringen var allerede registreret som sendt 7. april 2026." in again
        self.item.refresh_from_db()
        assert self.item.receipt_sent_on == date(2026, 4, 7)

        [reminder] = Reminder.objects.all()
        assert (reminder.kind, reminder.recipient, reminder.object_key) == (
            Reminder.Kind.RECEIPT,
            self.pia,
            f"underretning:{self.item.pk}",
        )
        assert reminder.url == f"{self.url}kvittering.pdf"
        [message] = self.emails_sent()
        assert message.to == ["pia@solsikken.example"]
        assert message.subject == "Kvittering for din underretning"
        assert f"http://localhost:8000{self.url}kvittering.pdf" in message.body
        assert "modtog din underretning 2. april 2026" in message.body
        assert f"underretning nr. {self.item.pk}" in message.body
        html = message.alternatives[0][0]
        self.assert_names_no_child(message.subject, message.body, html, reminder.text)
        assert self.emails_sent() == [message]  # the next sweep sends nothing more

    def test_the_deadline_shows_met_on_the_last_hverdag_and_late_the_day_after(self):
        self.login(self.rasmus)
        with time_machine.travel(datetime(2026, 4, 14, 16, tzinfo=CPH), tick=False):
            html = self.client.get(self.url).content.decode()
            assert "Senest tirsdag 14. april 2026." in html and "Ikke sendt endnu" in html
            self.mark_sent()
            assert "Sendt 14. april 2026, overholdt" in self.client.get(self.url).content.decode()
        Underretning.objects.filter(pk=self.item.pk).update(receipt_sent_on=None)
        with time_machine.travel(datetime(2026, 4, 15, 9, tzinfo=CPH), tick=False):
            assert "Overskredet" in self.client.get(self.url).content.decode()
            self.mark_sent()
            assert "Sendt 15. april 2026, for sent" in self.client.get(self.url).content.decode()

    @time_machine.travel(TUESDAY, tick=False)
    def test_only_a_caseworker_of_the_raadgivning_marks_it(self):
        for user in (self.pia, self.lise, self.lars, self.frida):
            self.login(user)
            assert self.mark_sent().status_code in (403, 404), user
        self.item.refresh_from_db()
        assert self.item.receipt_sent_on is None
        assert not Reminder.objects.exists()

    @time_machine.travel(TUESDAY, tick=False)
    def test_a_notifier_outside_tidlig_gets_the_letter_and_no_email(self):
        Underretning.objects.filter(pk=self.item.pk).update(
            made_by=None, channel=Underretning.Channel.LETTER, registered_by=self.rasmus
        )
        self.login(self.rasmus)
        html = self.client.get(self.url).content.decode()
        assert "Send kvitteringen til Pia Hansen, pædagog (Børnehaven Solsikken" in html
        assert "Markér kvittering som sendt" in html
        self.mark_sent()
        assert not Reminder.objects.exists() and self.emails_sent() == []
        html = self.client.get(self.url).content.decode()
        assert "Markér kvittering som sendt" not in html

    @time_machine.travel(TUESDAY, tick=False)
    def test_once_handed_on_to_a_case_its_coordinator_marks_it(self):
        self.login(self.rasmus)
        underretninger.assess(
            self.item,
            user=self.rasmus,
            assessed_at=datetime(2026, 4, 2, 17, tzinfo=CPH),
            acute=False,
            decision=Underretning.Decision.UNDERSOEGELSE,
        )
        self.item.refresh_from_db()
        assert not self.item.is_open and self.item.case.coordinator == self.rasmus
        assert self.mark_sent().status_code == 302
        self.item.refresh_from_db()
        assert self.item.receipt_sent_on == date(2026, 4, 7)
        # Another caseworker, who is not on the case, no longer may.
        rikke = make_user("rikke", self.raadgivningen, Role.RAADGIVER)
        self.login(rikke)
        assert self.client.get(f"{self.url}kvittering.pdf").status_code == 404


@time_machine.travel(datetime(2026, 4, 8, 11, tzinfo=CPH), tick=False)
class FeedbackTestCase(ReceiptTestCase):
    def decide(self, decision: str) -> None:
        underretninger.assess(
            self.item,
            user=self.rasmus,
            assessed_at=datetime(2026, 4, 2, 17, tzinfo=CPH),
            acute=False,
            decision=decision,
            reason="Forældrene samarbejder; børnehaven følger op.",
        )
        self.item.refresh_from_db()

    def give(self, text: str = "Underretningen har ikke givet anledning til noget."):
        return self.client.post(f"{self.url}tilbagemelding/", {"text": text})

    def test_it_waits_for_the_decision(self):
        self.login(self.rasmus)
        html = self.client.get(self.url).content.decode()
        assert "Når beslutningen er truffet, får underretteren besked" in html
        assert "Send tilbagemeldingen" not in html
        response = self.client.post(f"{self.url}tilbagemelding/", {"text": "x"}, follow=True)
        assert "kan først gives, når beslutningen er truffet" in response.content.decode()
        self.decide(Underretning.Decision.SCREENING)
        assert self.give().status_code == 302
        self.item.refresh_from_db()
        assert self.item.feedback_sent_on is None
        assert self.client.get(f"{self.url}tilbagemelding.pdf").status_code == 404

    def test_no_action_is_suggested_sent_once_and_printed(self):
        self.decide(Underretning.Decision.NO_ACTION)
        self.login(self.rasmus)
        html = self.client.get(self.url).content.decode()
        suggestion = (
            "Underretningen har ikke givet anledning til at iværksætte en børnefaglig "
            "undersøgelse eller indsatser."
        )
        assert f"\n{suggestion}</textarea>" in html

        assert self.give(suggestion)["Location"] == self.url
        self.item.refresh_from_db()
        assert (self.item.feedback_sent_on, self.item.feedback_text) == (
            date(2026, 4, 8),
            suggestion,
        )
        again = self.client.post(
            f"{self.url}tilbagemelding/", {"text": "Noget andet"}, follow=True
        ).content.decode()
        assert "Tilbagemeldingen var allerede sendt 8. april 2026." in again
        self.item.refresh_from_db()
        assert self.item.feedback_text == suggestion

        [reminder] = Reminder.objects.all()
        assert (reminder.kind, reminder.recipient) == (Reminder.Kind.FEEDBACK, self.pia)
        [message] = self.emails_sent()
        assert message.subject == "Tilbagemelding på din underretning"
        assert f"http://localhost:8000{self.url}tilbagemelding.pdf" in message.body
        assert suggestion not in message.body  # the text is in the letter, not the e-mail
        self.assert_names_no_child(message.subject, message.body, reminder.text)

        self.login(self.pia)
        response = self.client.get(f"{self.url}tilbagemelding.pdf")
        assert response.status_code == 200
        text = pdf_text(response.content)
        assert "Tilbagemelding på underretning" in text
        assert "Kommunen modtog underretningen den 2. april 2026." in text
        assert suggestion in text and "(Barnets Lov § 137)" in text
        assert f"underretning nr. {self.item.pk}" in text
        self.assert_names_no_child(text)
        self.login(self.mette)
        assert self.client.get(f"{self.url}tilbagemelding.pdf").status_code == 404

    def test_the_coordinator_tells_of_the_investigation_after_the_case_opened(self):
        self.decide(Underretning.Decision.UNDERSOEGELSE)
        assert not self.item.is_open
        self.login(self.rasmus)
        html = self.client.get(self.url).content.decode()
        assert "har iværksat en børnefaglig undersøgelse (Barnets Lov § 20)." in html
        self.give("Kommunen har iværksat en børnefaglig undersøgelse.")
        self.item.refresh_from_db()
        assert self.item.feedback_text == "Kommunen har iværksat en børnefaglig undersøgelse."
        assert "Hent tilbagemeldingen (PDF)" in self.client.get(self.url).content.decode()

    def test_an_empty_text_is_refused(self):
        self.decide(Underretning.Decision.NO_ACTION)
        self.login(self.rasmus)
        response = self.client.post(f"{self.url}tilbagemelding/", {"text": "  "}, follow=True)
        assert "Skriv tilbagemeldingen." in response.content.decode()
        self.item.refresh_from_db()
        assert self.item.feedback_sent_on is None and not Reminder.objects.exists()

    def test_only_a_caseworker_gives_it(self):
        self.decide(Underretning.Decision.NO_ACTION)
        for user in (self.pia, self.lise, self.mette, self.frida):
            self.login(user)
            assert self.give().status_code in (403, 404), user
        self.item.refresh_from_db()
        assert self.item.feedback_sent_on is None
