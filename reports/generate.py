"""Generate and archive the quarterly status (no Celery here; reports.tasks calls it).

Every step is safe to run twice. A report row is claimed with a conditional
UPDATE ("venter" → "i gang"), so a second worker given the same id does
nothing; each later step updates only a row that is still "i gang". The
unique constraint on automatic reports makes a second beat, or two beats,
create nothing new: `generate_due_report` finds the quarter's report instead.
"""

import logging
import time
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Role, User
from followups import workdays
from followups.models import Reminder
from followups.reminders import Due, notify
from followups.tasks import send_pending_reminders
from reports.models import QuarterlyReport
from tidlig.lib.dates import Quarter
from tidlig.lib.pdf import render_pdf
from tidlig.lib.tasks import enqueue_on_commit

log = logging.getLogger(__name__)

Status = QuarterlyReport.Status
Kind = QuarterlyReport.Kind

# The forvaltning is told about an automatic report this many days after it was
# made, should the run that made it have died before telling them.
NOTIFY_WITHIN_DAYS = 7
# An on-demand report still waiting after this long was never picked up by a
# worker (the broker was down when it was ordered): the 5-minute run makes it
# (reports.tasks.generate_stale_reports).
STALE_AFTER = timedelta(minutes=10)
# A report takes seconds; one still running after this has lost its worker.
ABANDONED_AFTER = timedelta(minutes=10)


def _progress(report: QuarterlyReport, percent: int, step: str) -> None:
    QuarterlyReport.objects.filter(pk=report.pk, status=Status.RUNNING).update(
        progress=percent, step=step
    )


# The PDF's sections after the summary, each on a new page: (title, table keys).
# Tables are matched by key prefix, so a new table of reports.presentation lands
# in its section; one that matches none is put under "Øvrige tal".
SECTIONS = (
    (_lazy("Børnene på Børnelinealen"), ("zones", "movement")),
    (_lazy("Bekymringer, underretninger og sager"), ("activity", "cases", "staircase")),
    (_lazy("Pejlemærkerne"), ("beacon",)),
    (_lazy("Udviklingen over tid"), ("comparison",)),
)


def pdf_context(figures: dict, *, generated_at, suppress: bool = True) -> dict:
    """What templates/reports/quarterly_pdf.html needs: the tables and charts, with
    small counts suppressed for the committee; unsuppressed (`suppress=False`) for
    a leader's own units, as on their dashboard (reports.leader_views)."""
    # Imported here: the beat process loads this module through the tasks and
    # never renders anything.
    from reports import charts, presentation
    from reports.suppression import protect

    if suppress:
        figures = protect(figures)
    charts_by_key = {
        "zones_total": charts.zone_distribution_chart(
            figures["zones"]["total"], suppress=suppress, chart_id="pdf-zones"
        ),
        "staircase": charts.staircase_chart(figures, suppress=suppress, chart_id="pdf-staircase"),
        "comparison": charts.comparison_chart(
            figures, suppress=suppress, chart_id="pdf-comparison"
        ),
    }
    tables = presentation.tables(figures, suppress=suppress)
    sections: list[dict[str, Any]] = [{"title": t, "blocks": []} for t, _prefixes in SECTIONS]
    rest: dict[str, Any] = {"title": _("Øvrige tal"), "blocks": []}
    for table in tables:
        section = next(
            (
                sections[i]
                for i, (_title, prefixes) in enumerate(SECTIONS)
                if table.key.startswith(prefixes)
            ),
            rest,
        )
        section["blocks"].append({"table": table, "chart": charts_by_key.get(table.key, "")})
    quarter = Quarter.parse(figures["quarter"])
    return {
        "municipality": settings.MUNICIPALITY_NAME,
        "quarter": quarter,
        "scope_label": figures["scope"]["label"],
        "generated_at": generated_at,
        "suppressed": suppress,
        "summary": presentation.summary(figures, suppress=suppress),
        "sections": [s for s in (*sections, rest) if s["blocks"]],
    }


def report_generate(report: QuarterlyReport) -> QuarterlyReport:
    """Compute, render and archive `report`, if it is still waiting; returns it fresh."""
    # The step texts are stored, and a worker has no request to take a language from.
    with translation.override(settings.LANGUAGE_CODE):
        return _generate(report)


def _generate(report: QuarterlyReport) -> QuarterlyReport:
    from reports.figures import quarter_figures

    claimed = QuarterlyReport.objects.filter(pk=report.pk, status=Status.WAITING).update(
        status=Status.RUNNING,
        progress=5,
        step=_("Går i gang"),
        error="",
        started_at=timezone.now(),
    )
    if not claimed:
        report.refresh_from_db()
        return report  # another worker has it, or it is done
    started = time.monotonic()
    try:
        _progress(report, 10, _("Beregner tal"))
        figures = quarter_figures(Quarter.parse(report.quarter))
        _progress(report, 60, _("Laver PDF"))
        generated_at = timezone.now()
        rendering = time.monotonic()
        pdf = render_pdf(
            "reports/quarterly_pdf.html", pdf_context(figures, generated_at=generated_at)
        )
        rendered_in = time.monotonic() - rendering
        _progress(report, 90, _("Arkiverer"))
        report.pdf.save(report.filename, ContentFile(pdf), save=False)
        finished = QuarterlyReport.objects.filter(pk=report.pk, status=Status.RUNNING).update(
            status=Status.DONE,
            progress=100,
            step=_("Færdig"),
            figures=figures,
            pdf=report.pdf.name,
            generated_at=generated_at,
        )
        if not finished:  # someone else finished or failed it meanwhile: keep theirs
            report.pdf.delete(save=False)
    except Exception as exc:
        QuarterlyReport.objects.filter(pk=report.pk, status=Status.RUNNING).update(
            status=Status.FAILED,
            step=_("Fejlet"),
            error=_("Rapporten kunne ikke dannes (%(what)s). Prøv at bestille den igen.")
            % {"what": type(exc).__name__},
        )
        log.exception("quarterly report %s (%s) failed", report.pk, report.quarter)
        raise
    log.info(
        "quarterly report %s (%s): %.1f s in all, PDF rendered in %.2f s, %d bytes",
        report.pk,
        report.quarter,
        time.monotonic() - started,
        rendered_in,
        len(pdf),
    )
    report.refresh_from_db()
    return report


def report_request(
    *, quarter: Quarter, user: User | None = None, automatic: bool = False
) -> QuarterlyReport:
    """A waiting report for a quarter that has ended; an automatic one only once."""
    if quarter.end >= timezone.localdate():
        raise ValueError(f"{quarter} has not ended yet")
    if not automatic:
        return QuarterlyReport.objects.create(
            quarter=str(quarter), kind=Kind.ON_DEMAND, requested_by=user
        )
    try:
        with transaction.atomic():
            return QuarterlyReport.objects.create(quarter=str(quarter), kind=Kind.AUTOMATIC)
    except IntegrityError:  # a beat running at the same moment made it first
        return QuarterlyReport.objects.get(quarter=str(quarter), kind=Kind.AUTOMATIC)


def first_working_day_after(quarter: Quarter) -> date:
    return workdays.add_working_days(quarter.end + timedelta(days=1), 0)


def due_quarter(today: date) -> Quarter:
    """The latest quarter whose report is due by `today`: the one that ended last once
    the first working day after its end has come, until then the one before. Every
    later day names the same quarter, so a missed run is caught up the next morning."""
    ended = Quarter.containing(today).previous()
    return ended if today >= first_working_day_after(ended) else ended.previous()


def _forvaltning_users():
    return User.objects.filter(is_active=True, memberships__role=Role.FORVALTNING).distinct()


def notify_forvaltning(report: QuarterlyReport) -> int:
    """One notification per active forvaltning user for a finished report; returns
    how many are new. The email goes out with the next send."""
    object_key = f"quarterlyreport:{report.pk}"
    told = set(
        Reminder.objects.filter(
            kind=Reminder.Kind.QUARTERLY_REPORT, object_key=object_key
        ).values_list("recipient_id", flat=True)
    )
    today = timezone.localdate()
    url = reverse("report_archive")
    new = 0
    for user in _forvaltning_users().exclude(pk__in=told):
        reminder = notify(
            Due(Reminder.Kind.QUARTERLY_REPORT, object_key, user, today, {"report": report})
        )
        # followups.reminders knows the links of its own kinds only.
        Reminder.objects.filter(pk=reminder.pk, url="").update(url=url)
        new += 1
    if new:
        enqueue_on_commit(send_pending_reminders)
    return new


def generate_due_report(today: date | None = None) -> QuarterlyReport:
    """What beat runs every morning: the automatic report of the quarter that has
    ended, made once, and the forvaltning told once. Safe to run any number of times."""
    today = today or timezone.localdate()
    report = report_request(quarter=due_quarter(today), automatic=True)
    if report.status == Status.FAILED:
        # The automatic report is unique, so a failed one is retried, not replaced.
        QuarterlyReport.objects.filter(pk=report.pk, status=Status.FAILED).update(
            status=Status.WAITING, progress=0, step=""
        )
        report.refresh_from_db()
    if report.status == Status.WAITING:
        report = report_generate(report)
    recent = timezone.now() - timedelta(days=NOTIFY_WITHIN_DAYS)
    if report.is_done and report.generated_at and report.generated_at >= recent:
        notify_forvaltning(report)
    return report


def requeue_abandoned(now=None) -> int:
    """Put back in line the reports a worker claimed and never finished (the worker
    died or was restarted mid-report): "i gang" for more than ABANDONED_AFTER."""
    now = now or timezone.now()
    return QuarterlyReport.objects.filter(
        status=Status.RUNNING, started_at__lt=now - ABANDONED_AFTER
    ).update(status=Status.WAITING, progress=0, step="", started_at=None)


def generate_stale_requests() -> int:
    """Make the on-demand reports that were ordered while no worker could be reached,
    or whose worker died."""
    requeue_abandoned()
    stale = QuarterlyReport.objects.filter(
        kind=Kind.ON_DEMAND,
        status=Status.WAITING,
        created_at__lt=timezone.now() - STALE_AFTER,
    )
    made = 0
    for report in stale:
        report_generate(report)
        made += 1
    return made
