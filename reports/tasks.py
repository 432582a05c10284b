import logging

from celery import shared_task

from reports import generate
from reports.models import QuarterlyReport

log = logging.getLogger(__name__)


@shared_task(name="reports.tasks.generate_report")
def generate_report(report_id: int) -> str | None:
    """Make one ordered report; a report another worker has claimed is left alone."""
    report = QuarterlyReport.objects.filter(pk=report_id).first()
    if report is None:
        return None
    return generate.report_generate(report).status


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
