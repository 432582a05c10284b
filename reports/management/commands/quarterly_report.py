import time

from django.core.management.base import BaseCommand, CommandError

from reports import generate
from tidlig.lib.dates import Quarter


class Command(BaseCommand):
    help = (
        "Compute, render and archive one quarter's status report for Børne- og "
        "Skoleudvalget, e.g. `quarterly_report 2026Q3`. The last line printed is "
        "the PDF's path."
    )

    def add_arguments(self, parser):
        parser.add_argument("quarter", help="the quarter, e.g. 2026Q3")
        parser.add_argument(
            "--automatic",
            action="store_true",
            help="make (or find) the quarter's automatic report, as beat does, "
            "instead of a new on-demand one",
        )

    def handle(self, *args, quarter: str, automatic: bool, **options):
        try:
            parsed = Quarter.parse(quarter)
        except ValueError:
            raise CommandError(f"{quarter!r} is not a quarter; write it like 2026Q3") from None
        try:
            report = generate.report_request(quarter=parsed, automatic=automatic)
        except ValueError:
            raise CommandError(f"{parsed} has not ended yet; only past quarters") from None
        started = time.monotonic()
        try:
            report = generate.report_generate(report)
        except Exception as exc:
            raise CommandError(f"report {report.pk} for {parsed} failed: {exc!r}") from exc
        if not report.is_done:
            raise CommandError(
                f"report {report.pk} for {parsed} is {report.status}, not finished; "
                "another process is making it"
            )
        self.stdout.write(
            f"{parsed.label}: report {report.pk} ({report.get_kind_display()}) "
            f"made in {time.monotonic() - started:.1f} s"
        )
        self.stdout.write(report.pdf.path)
