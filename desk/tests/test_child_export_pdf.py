"""The export of everything held about a child, for a parent's access request.

Lars leads Solsikken, where Emma goes; her mother has asked to see what the
municipality holds about Emma. Pia, a pædagog there, has read Emma's page; she
may not make the export herself. Rasmus coordinates Emma's case.
"""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.urls import reverse
from pypdf import PdfReader

from children import audit
from children.models import AbsenceRecord, Concern, Guardian
from followups.models import Case, Meeting, Underretning
from loeft.tests.factories import final_dialogue
from ruler.models import Assessment
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")


class ChildExportPdfTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Guardian.objects.create(child=cls.emma, name="Maria Holm", relation="mor")
        AbsenceRecord.objects.create(
            child=cls.emma, unit=cls.solsikken, month=date(2025, 10, 1), absent=3.5, possible=21
        )
        Concern.objects.create(
            child=cls.emma, author=cls.pia, observed_on=date(2025, 9, 1), text="Emma græder ofte."
        )
        first = Assessment.objects.create(
            child=cls.emma,
            author=cls.pia,
            assessed_on=date(2025, 9, 2),
            zone=3,
            what_worries="Trækker sig fra legen.",
        )
        first.correct(author=cls.pia, note="Zonen var forkert", zone=2)
        final_dialogue(cls.emma, cls.pia, agreements="Mor henter tidligere om fredagen.")
        case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2025, 9, 10)
        )
        Meeting.objects.create(
            case=case,
            scheduled_on=date(2025, 12, 1),
            held_on=date(2025, 12, 1),
            minutes="Emma er faldet godt til.",
        )
        Underretning.objects.create(
            child=cls.emma,
            notifier="Nabo Jensen",
            received_at=datetime(2025, 9, 3, 10, tzinfo=CPH),
            about="Råb fra lejligheden.",
        )
        audit.log_access(cls.pia, cls.emma, audit.Event.READ, what="/boern/", reason="Aflevering")

    def url(self, child) -> str:
        return reverse("child_export_pdf", args=[child.pk])

    def text(self, response) -> str:
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    def test_it_contains_everything_held_about_the_child(self):
        self.login(self.lars)
        response = self.client.get(self.url(self.emma))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = self.text(response)
        assert "Emma græder ofte." in text
        assert "Maria Holm" in text
        assert "Trækker sig fra legen." in text  # the first version
        assert "Zonen var forkert" in text  # and its correction
        assert "Mor henter tidligere om fredagen." in text
        assert "Emma er faldet godt til." in text
        assert "Råb fra lejligheden." in text
        assert "3,5 af 21 dage" in text  # her absence in October
        # The audit trail: Pia's read with her reason.
        assert "Pia" in text and "Aflevering" in text

    def test_it_leaves_out_the_notifier_and_the_full_cpr(self):
        self.login(self.lars)
        text = self.text(self.client.get(self.url(self.emma)))
        assert "Nabo Jensen" not in text
        assert "(udeladt)" in text
        assert self.emma.masked_cpr in text
        assert self.emma.reveal_cpr() not in text

    def test_it_logs_the_export(self):
        self.login(self.lars)
        self.client.get(self.url(self.emma))

        entry = audit.trail(self.emma).filter(action=LogEntry.Action.ACCESS).latest("timestamp")
        assert entry.actor == self.lars
        assert entry.additional_data["event"] == audit.Event.EXPORT

    def test_it_lets_the_caseworker_export(self):
        self.login(self.rasmus)
        assert self.client.get(self.url(self.emma)).status_code == 200

    def test_it_refuses_a_paedagog(self):
        self.login(self.pia)
        assert self.client.get(self.url(self.emma)).status_code == 404
        assert not audit.trail(self.emma).filter(additional_data__event="export").exists()

    def test_it_answers_404_for_another_units_child(self):
        self.login(self.lars)
        assert self.client.get(self.url(self.oskar)).status_code == 404
        assert not audit.trail(self.oskar).filter(actor=self.lars).exists()

    def test_it_links_from_the_child_page_for_the_leader_only(self):
        self.login(self.lars)
        assert self.url(self.emma) in self.client.get(self.emma.get_absolute_url()).text
        self.login(self.pia)
        assert self.url(self.emma) not in self.client.get(self.emma.get_absolute_url()).text

    def test_the_role_counts_in_the_childs_own_unit_not_in_any_unit(self):
        # Sofie leads another unit and works as a pædagog at Solsikken: she sees
        # Emma, but answering the parents' access request is the leader's of
        # Emma's unit, not hers.
        from accounts.models import Membership, Role

        Membership.objects.filter(user=self.sofie).update(role=Role.LEDER)
        Membership.objects.create(user=self.sofie, unit=self.solsikken, role=Role.FAGPERSON)
        self.login(self.sofie)
        assert self.client.get(self.emma.get_absolute_url()).status_code == 200
        assert self.client.get(self.url(self.emma)).status_code == 404
        assert self.url(self.emma) not in self.client.get(self.emma.get_absolute_url()).text

    def test_a_caseworker_exports_only_a_child_of_a_case_of_theirs(self):
        # Through the intake queue Rasmus reads Noah, but Noah has no case of his.
        Underretning.objects.create(
            child=self.noah, received_at=datetime(2025, 10, 1, tzinfo=CPH), about="x"
        )
        self.login(self.rasmus)
        assert self.client.get(self.noah.get_absolute_url()).status_code == 200
        assert self.client.get(self.url(self.noah)).status_code == 404
