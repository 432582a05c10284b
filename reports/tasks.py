import logging

from celery import shared_task

from reports import generate, snapshot, stored
from reports.models import QuarterlyReport
from tidlig.lib.dates import Quarter

log = logging.getLogger(__name__)


# acks_late with reject_on_worker_lost: a report whose worker dies is delivered again
# to another worker; making it twice is harmless, as a report is claimed once
# (reports.generate: only a waiting report is made).
@shared_task(name="reports.tasks.generate_report", acks_late=True, reject_on_worker_lost=True)
def generate_report(report_id: int) -> str | None:
    """Make one ordered report; a report another worker has claimed is left alone."""
    report = QuarterlyReport.objects.filter(pk=report_id).first()
    if report is None:
        return None
    return generate.report_generate(report).status


@shared_task(name="reports.tasks.generate_stale_reports")
def generate_stale_reports() -> int:
    """Every 5 minutes: the ordered reports left waiting STALE_AFTER (the broker was
    down when they were ordered) or "i gang" ABANDONED_AFTER (the worker died)."""
    made = generate.generate_stale_requests()
    if made:
        log.info("quarterly reports: made %d ordered reports that were left waiting", made)
    return made


@shared_task(name="reports.tasks.generate_due_report")
def generate_due_report() -> int:
    """What beat runs every morning: the automatic report once its quarter has ended,
    and any ordered report that no worker picked up."""
    generate.requeue_abandoned()  # first, so that an abandoned automatic report is made too
    report = generate.generate_due_report()
    stale = generate.generate_stale_requests()
    if stale:
        log.info("quarterly reports: made %d ordered reports that were left waiting", stale)
    return report.pk


@shared_task(name="reports.tasks.build_snapshots", acks_late=True, reject_on_worker_lost=True)
def build_snapshots() -> list[str]:
    """Nightly: the current and last quarter's snapshots rebuilt, the missing ones the
    dashboard offers built (reports.snapshot), so no request computes them."""
    rebuilt = snapshot.nightly()
    log.info("quarterly snapshots: rebuilt %s", ", ".join(rebuilt))
    return rebuilt


@shared_task(name="reports.tasks.refresh_figures")
def refresh_figures(quarter: str, unit_ids: list[int] | None, municipal: bool) -> str:
    """Figures a dashboard found stale, computed again (reports.stored)."""
    stored.refresh(Quarter.parse(quarter), unit_ids, municipal=municipal)
    return quarter


@shared_task(name="reports.tasks.refresh_municipal_figures")
def refresh_municipal_figures() -> list[str]:
    """Every REPORT_CACHE_SECONDS: the forvaltning's figures kept fresh, so that no
    forvaltning request computes them (reports.stored)."""
    return stored.refresh_municipal()
