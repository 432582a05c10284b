import io
from datetime import date

from auditlog.models import LogEntry
from django.test import override_settings
from pypdf import PdfReader

from children.audit import Event
from loeft.tests.factories import final_dialogue
from tidlig.test import BaseTestCase


class DialoguePdfTestCase(BaseTestCase):
    @override_settings(MUNICIPALITY_NAME="Eksempel Kommune")
    def test_the_pdf_is_a_real_pdf_with_the_agreements_and_is_audited(self):
        dialogue = final_dialogue(
            self.emma,
            self.pia,
            agreements="Emma afleveres af far tirsdag og torsdag.",
            child_voice="Jeg kan godt lide gyngerne.",
            steps=[("Pia tager imod Emma ved døren", self.pia, date(2025, 9, 8))],
        )
        self.login(self.lars)
        response = self.client.get(f"/loeft/{dialogue.pk}/pdf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        assert response.content.startswith(b"%PDF-")
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert "Emma afleveres af far tirsdag og torsdag." in text
        assert "Pia tager imod Emma ved døren" in text
        assert "Eksempel Kommune" in text.replace("EKSEMPEL KOMMUNE", "Eksempel Kommune")
        assert "1. september 2025" in text
        assert "Jeg kan godt lide gyngerne." in text
        assert "Side 1 af 1" in text
        assert dialogue.child.cpr_hash not in text
        entry = LogEntry.objects.filter(additional_data__event=Event.PRINT).get()
        assert entry.actor == self.lars and entry.additional_data["child"] == self.emma.pk

    def test_a_draft_has_no_pdf(self):
        self.login(self.pia)
        self.client.post(f"/boern/{self.emma.pk}/loeft/")
        dialogue = self.emma.dialogues.get()
        assert self.client.get(f"/loeft/{dialogue.pk}/pdf/").status_code == 404


class ChildPageLoeftTestCase(BaseTestCase):
    def test_the_scaling_answers_are_shown_over_time(self):
        final_dialogue(self.emma, self.pia, held_on=date(2025, 3, 1), scale_now=3, scale_goal=6)
        final_dialogue(self.emma, self.pia, held_on=date(2025, 6, 1), scale_now=5)
        final_dialogue(self.emma, self.pia, held_on=date(2025, 8, 1))  # not scaled
        self.login(self.pia)
        html = self.client.get(self.emma.get_absolute_url()).content.decode()
        chart = html.split('id="scale-chart-title"')[1].split("</svg>")[0]
        assert chart.count("<circle") == 2
        assert "<title>01.03.2025: 3</title>" in chart and "<title>01.06.2025: 5</title>" in chart
        assert html.count("LØFT-dialog 1. august 2025") == 1
        assert f'action="/boern/{self.emma.pk}/loeft/"' in html

    def test_the_child_page_costs_the_same_queries_with_more_dialogues(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries() -> int:
            self.login(self.pia)
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(self.emma.get_absolute_url())
            return len(ctx)

        final_dialogue(self.emma, self.pia, scale_now=3, steps=[("A", self.pia, date(2025, 9, 1))])
        one = queries()
        for i in range(5):
            final_dialogue(
                self.emma, self.lars, scale_now=i, steps=[(f"S{i}", self.pia, date(2025, 9, 1))]
            )
        assert queries() == one
