from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from reports.models import QuarterlyReport
from reports.tests.archive_fixtures import ArchiveTestCase, pdf_text

CPH = ZoneInfo("Europe/Copenhagen")


@time_machine.travel(datetime(2026, 10, 15, 10, tzinfo=CPH), tick=False)
class QuarterlyReportCommandTestCase(ArchiveTestCase):
    def run_command(self, *args) -> list[str]:
        out = StringIO()
        call_command("quarterly_report", *args, stdout=out)
        return out.getvalue().splitlines()

    def test_it_archives_the_report_and_prints_the_pdf_path_last(self):
        lines = self.run_command("2026Q3")
        path = Path(lines[-1])
        assert path.is_absolute() and path.is_file() and path.name == "kvartalsstatus-2026-K3.pdf"
        report = QuarterlyReport.objects.get()
        assert report.is_done and report.kind == QuarterlyReport.Kind.ON_DEMAND
        assert Path(report.pdf.path) == path
        assert "3. kvartal 2026" in pdf_text(path.read_bytes())

    def test_it_makes_the_automatic_report_only_once(self):
        first = self.run_command("2026Q3", "--automatic")[-1]
        second = self.run_command("2026-q3", "--automatic")[-1]
        assert first == second
        assert QuarterlyReport.objects.get().kind == QuarterlyReport.Kind.AUTOMATIC

    def test_it_refuses_a_bad_quarter(self):
        with pytest.raises(CommandError, match="not a quarter; write it like 2026Q3"):
            self.run_command("2026Q5")
        with pytest.raises(CommandError, match="has not ended yet"):
            self.run_command("2026Q4")
        assert not QuarterlyReport.objects.exists()
