from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine

from reports import generate
from reports.models import QuarterlyReport
from reports.tests.archive_fixtures import ArchiveTestCase, pdf_text

CPH = ZoneInfo("Europe/Copenhagen")
Status = QuarterlyReport.Status


@time_machine.travel(datetime(2026, 10, 15, 10, tzinfo=CPH), tick=False)
class ArchiveViewsTestCase(ArchiveTestCase):
    def order(self, quarter: str = "2026Q3"):
        with (
            mock.patch("reports.tasks.generate_report.delay") as delay,
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.client.post("/rapporter/arkiv/bestil/", {"quarter": quarter})
        return response, delay

    def test_it_lists_the_reports_newest_first(self):
        automatic = generate.report_generate(
            generate.report_request(quarter=generate.Quarter(2026, 2), automatic=True)
        )
        ordered = generate.report_request(quarter=generate.Quarter(2025, 4), user=self.gorm)
        self.login(self.frida)
        response = self.client.get("/rapporter/arkiv/")
        assert response.status_code == 200
        html = response.content.decode()
        listing = html[html.index("<caption") :]
        assert listing.index("4. kvartal 2025") < listing.index("2. kvartal 2026")
        assert "Tidlig (automatisk)" in html and "Gorm" in html
        assert f"/rapporter/arkiv/{automatic.pk}/kvartalsstatus.pdf" in html
        assert f"/rapporter/arkiv/{ordered.pk}/kvartalsstatus.pdf" not in html
        assert "15. oktober 2026 10:00" in html  # the generation time
        # Only past quarters can be ordered; the current one is not offered.
        assert 'value="2026Q3"' in html and 'value="2026Q4"' not in html

    def test_it_orders_a_report_and_shows_its_progress_until_the_download(self):
        self.login(self.frida)
        response, delay = self.order()
        report = QuarterlyReport.objects.get()
        assert (
            response.status_code == 302 and response["Location"] == f"/rapporter/arkiv/{report.pk}/"
        )
        delay.assert_called_once_with(report.pk)
        assert report.kind == QuarterlyReport.Kind.ON_DEMAND and report.requested_by == self.frida
        assert report.status == Status.WAITING

        page = self.client.get(f"/rapporter/arkiv/{report.pk}/").content.decode()
        assert 'hx-trigger="every 2s"' in page and "Opdatér" in page and "0 %" in page
        QuarterlyReport.objects.filter(pk=report.pk).update(
            status=Status.RUNNING, progress=60, step="Laver PDF"
        )
        partial = self.client.get(f"/rapporter/arkiv/{report.pk}/", headers={"HX-Request": "true"})
        text = partial.content.decode()
        assert "<html" not in text and 'id="report-status"' in text
        assert 'value="60"' in text and "Laver PDF" in text and "every 2s" in text
        assert (
            self.client.get(f"/rapporter/arkiv/{report.pk}/kvartalsstatus.pdf").status_code == 404
        )

        # The worker's part, run here as the plain function.
        QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.WAITING)
        generate.report_generate(report)
        partial = self.client.get(f"/rapporter/arkiv/{report.pk}/", headers={"HX-Request": "true"})
        text = partial.content.decode()
        assert "every 2s" not in text and "Rapporten er klar" in text
        assert f"/rapporter/arkiv/{report.pk}/kvartalsstatus.pdf" in text

        download = self.client.get(f"/rapporter/arkiv/{report.pk}/kvartalsstatus.pdf")
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        disposition = 'attachment; filename="kvartalsstatus-2026-K3.pdf"'
        assert download["Content-Disposition"] == disposition
        assert "3. kvartal 2026" in pdf_text(download.content)

    def test_it_keeps_the_order_when_the_broker_is_down(self):
        self.login(self.frida)
        with (
            mock.patch("reports.tasks.generate_report.delay", side_effect=OSError("no broker")),
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.client.post("/rapporter/arkiv/bestil/", {"quarter": "2026Q3"})
        assert response.status_code == 302
        assert QuarterlyReport.objects.get().status == Status.WAITING

    def test_it_shows_a_failed_report(self):
        report = generate.report_request(quarter=generate.Quarter(2026, 3))
        QuarterlyReport.objects.filter(pk=report.pk).update(
            status=Status.FAILED, error="Rapporten kunne ikke dannes (OSError)."
        )
        self.login(self.frida)
        text = self.client.get(f"/rapporter/arkiv/{report.pk}/").content.decode()
        assert "Rapporten kunne ikke dannes (OSError)." in text and "every 2s" not in text

    def test_it_refuses_a_quarter_that_has_not_ended(self):
        self.login(self.frida)
        response, delay = self.order("2026Q4")
        assert response.status_code == 400
        delay.assert_not_called()
        assert not QuarterlyReport.objects.exists()

    def test_it_has_no_way_to_change_or_delete_a_report(self):
        report = generate.report_generate(
            generate.report_request(quarter=generate.Quarter(2026, 3))
        )
        self.login(self.frida)
        for suffix in ("ret/", "slet/", "delete/"):
            assert self.client.post(f"/rapporter/arkiv/{report.pk}/{suffix}").status_code == 404
        assert self.client.post(f"/rapporter/arkiv/{report.pk}/").status_code == 405

    def test_it_refuses_everyone_but_the_forvaltning(self):
        report = generate.report_generate(
            generate.report_request(quarter=generate.Quarter(2026, 3))
        )
        urls = [
            "/rapporter/arkiv/",
            f"/rapporter/arkiv/{report.pk}/",
            f"/rapporter/arkiv/{report.pk}/kvartalsstatus.pdf",
        ]
        for user in (self.pia, self.lars, self.rasmus, self.karen, self.adam):
            self.login(user)
            for url in urls:
                assert self.client.get(url).status_code == 403, (user, url)
            assert (
                self.client.post("/rapporter/arkiv/bestil/", {"quarter": "2026Q3"}).status_code
                == 403
            )
        assert QuarterlyReport.objects.count() == 1

    def test_the_menu_links_the_archive_for_the_forvaltning(self):
        self.login(self.frida)
        assert 'href="/rapporter/arkiv/"' in self.client.get("/").content.decode()
        self.login(self.lars)
        assert 'href="/rapporter/arkiv/"' not in self.client.get("/").content.decode()


def test_past_quarters_are_the_twelve_before_today():
    from reports.archive_views import past_quarters

    quarters = past_quarters(date(2026, 10, 15))
    assert [str(q) for q in quarters[:2]] == ["2026Q3", "2026Q2"]
    assert len(quarters) == 12 and str(quarters[-1]) == "2023Q4"
