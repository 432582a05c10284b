import logging

from celery import shared_task

from desk import retention

log = logging.getLogger(__name__)


@shared_task(name="desk.tasks.retention_sweep")
def retention_sweep() -> None:
    counts = retention.retention_sweep()
    log.info("retention: deleted %s", counts or "nothing")
