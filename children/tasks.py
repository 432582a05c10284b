import logging

from celery import shared_task

from accounts.logins import purge_expired_login_logs
from children import alerts, audit, retention

log = logging.getLogger(__name__)


@shared_task(name="children.tasks.purge_audit_log")
def purge_audit_log() -> None:
    deleted = audit.purge_expired()
    log.info("audit retention: deleted %d entries", deleted)
    log.info("login log retention: deleted %s", purge_expired_login_logs())


@shared_task(name="children.tasks.bulk_read_alerts")
def bulk_read_alerts() -> None:
    alerts.bulk_read_alerts()


@shared_task(name="children.tasks.retention_sweep")
def retention_sweep() -> None:
    counts = retention.retention_sweep()
    log.info("retention: deleted %s", counts or "nothing")
