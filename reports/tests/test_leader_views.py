"""A leader's status (reports.leader_views).

Lars leads Børnehaven Solsikken, where Emma (zone 3) and Noah (zone 4) go; Sofie's
Nordby Skole has Oskar. Lise leads Børn & Ungerådgivningen, where Rasmus and Mette
are caseworkers; Bo is a caseworker in another rådgivning unit. It is 15 October
2026: the current quarter is 2026Q4, the last completed 2026Q3.
"""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from pypdf import PdfReader

from accounts.models import Role, Unit, UnitKind
from followups.models import Case, Meeting, Underretning
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase, make_child, make_user

CPH = ZoneInfo("Europe/Copenhagen")


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


@time_machine.travel(datetime(2026, 10, 15, 10, tzinfo=CPH), tick=False)
class LeaderStatusTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        assess(cls.emma, cls.pia, 3, on=date(2026, 8, 15))
        assess(cls.noah, cls.pia, 4, on=date(2026, 8, 15))
        assess(cls.oskar, cls.sofie, 2, on=date(2026, 8, 15))
        cls.lise = make_user("lise", cls.raadgivningen, Role.LEDER, first_name="Lise")
        cls.mette = make_user("mette", cls.raadgivningen, Role.RAADGIVER, first_name="Mette")
        elsewhere = Unit.objects.create(name="Rådgivningen Syd", kind=UnitKind.RAADGIVNING)
        cls.bo = make_user("bo", elsewhere, Role.RAADGIVER, first_name="Bo")
        for coordinator, child, opened, closed in (
            (cls.rasmus, cls.emma, date(2026, 1, 5), None),
            (cls.rasmus, cls.noah, date(2026, 10, 2), None),
            (cls.mette, cls.oskar, date(2025, 5, 1), date(2026, 10, 10)),
            (cls.bo, make_child("Ida", "Lund", date(2019, 1, 1)), date(2026, 10, 1), None),
        ):
            case = Case.objects.create(
                child=child, coordinator=coordinator, opened_on=opened, closed_on=closed
            )
            # Due on 1 October: held that day (on time) for Rasmus, not at all for
            # Mette, two days late for Bo.
            held = {cls.rasmus: date(2026, 10, 1), cls.bo: date(2026, 10, 3)}.get(coordinator)
            if coordinator != cls.rasmus or child == cls.emma:
                Meeting.objects.create(case=case, scheduled_on=date(2026, 10, 1), held_on=held)
        # Received on 6 October, assessed within 24 hours; the receipt never sent.
        Underretning.objects.create(
            child=cls.emma,
            made_by=cls.pia,
            notifier="Pia, pædagog",
            received_at=datetime(2026, 10, 6, 9, tzinfo=CPH),
            assessed_at=datetime(2026, 10, 6, 15, tzinfo=CPH),
            about="Emma er sulten.",
        )

    def test_an_institution_leader_prints_the_own_units_figures_unsuppressed(self):
        self.login(self.lars)
        response = self.client.get("/rapporter/status/pdf/", {"kvartal": "2026Q3"})
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
        text = pdf_text(response.content)
        assert "Kvartalsstatus for Børnehaven Solsikken" in text
        assert "ikke til offentliggørelse" in text
        assert "<5" not in text  # two children, both counted as they are
        for name in ("Emma", "Noah", "Holm", "Lund", "Oskar"):
            assert name not in text

    def test_the_dashboard_links_a_leader_to_the_pdf_of_the_same_choice(self):
        self.login(self.lars)
        html = self.client.get("/rapporter/status/", {"kvartal": "2026Q3"}).content.decode()
        assert 'href="/rapporter/status/pdf/?kvartal=2026Q3"' in html

    def test_the_forvaltning_prints_the_committees_report_from_the_archive_not_here(self):
        self.login(self.frida)
        assert self.client.get("/rapporter/status/pdf/").status_code == 403
        html = self.client.get("/rapporter/status/").content.decode()
        assert "/rapporter/status/pdf/" not in html

    def test_the_raadgivning_leader_sees_the_caseload_meetings_and_deadlines_of_the_unit(self):
        self.login(self.lise)
        response = self.client.get("/rapporter/raadgivning/")
        assert response.status_code == 200
        ctx = response.context
        assert str(ctx["quarter"]) == "2026Q4"
        rows = {str(row.user): row for row in ctx["caseworkers"]}
        assert set(rows) == {"Mette", "Rasmus"}  # not Bo, of another unit
        assert (rows["Rasmus"].open_cases, rows["Rasmus"].opened, rows["Rasmus"].closed) == (
            2,
            1,
            0,
        )
        assert (rows["Mette"].open_cases, rows["Mette"].closed) == (0, 1)
        assert (rows["Rasmus"].meetings.on_time, rows["Mette"].meetings.missed) == (1, 1)
        assert ctx["meeting_share"] == "1 af 2 (50 %)"
        intake = dict(ctx["intake_rows"])
        assert intake["Vurderet inden for 24 timer"] == "1 af 1 (100 %)"
        assert intake["Kvittering ikke sendt, fristen er overskredet"] == "1"
        html = response.content.decode()
        assert 'href="/rapporter/raadgivning/status.pdf?kvartal=2026Q4"' in html
        for name in ("Emma", "Noah", "Oskar", "Ida"):
            assert name not in html

    def test_the_raadgivning_status_of_an_earlier_quarter_and_as_pdf(self):
        self.login(self.lise)
        response = self.client.get("/rapporter/raadgivning/", {"kvartal": "2026Q3"})
        assert response.context["meeting_share"] == "–"
        # No quarter, or one not offered: the current one.
        for wrong in ("2026Q5", "1999Q1", "x"):
            response = self.client.get("/rapporter/raadgivning/", {"kvartal": wrong})
            assert str(response.context["quarter"]) == "2026Q4"
        response = self.client.get("/rapporter/raadgivning/status.pdf", {"kvartal": "2026Q4"})
        assert response["Content-Disposition"] == (
            'attachment; filename="status-raadgivningen-2026-K4.pdf"'
        )
        text = pdf_text(response.content)
        assert "Status for Børn & Ungerådgivningen" in text and "Rasmus" in text
        for name in ("Emma", "Noah", "Oskar", "Ida"):
            assert name not in text

    def test_only_a_raadgivning_leader_gets_its_status(self):
        for user in (self.lars, self.rasmus, self.frida, self.adam):
            self.login(user)
            assert self.client.get("/rapporter/raadgivning/").status_code == 403
