import logging

from celery import shared_task

from followups import reminders

log = logging.getLogger(__name__)


@shared_task(name="followups.tasks.send_reminders")
def send_reminders() -> tuple[int, int]:
    """What beat runs every morning: the same sweep as `manage.py send_reminders`."""
    planned, sent = reminders.sweep()
    log.info("reminders: %d planned, %d sent", planned, sent)
    return planned, sent


@shared_task(name="followups.tasks.send_pending_reminders")
def send_pending_reminders() -> int:
    """Email the reminders written since the last sweep (e.g. a handover offer) now."""
    return reminders.send_pending()
