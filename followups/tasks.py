import logging

from celery import shared_task

from followups import reminders
from followups.models import Case

log = logging.getLogger(__name__)


# The sweeps may run again after a worker died mid-run (acks_late with
# reject_on_worker_lost): planning writes each reminder once and the outbox sends
# each once (at most the one being sent when the worker died goes out twice).
@shared_task(name="followups.tasks.send_reminders", acks_late=True, reject_on_worker_lost=True)
def send_reminders() -> tuple[int, int]:
    """What beat runs every hour of the working day: the same sweep as
    `manage.py send_reminders`."""
    planned, sent = reminders.sweep()
    log.info("reminders: %d planned, %d sent", planned, sent)
    return planned, sent


@shared_task(name="followups.tasks.send_pending_reminders")
def send_pending_reminders() -> int:
    """Email the reminders written since the last sweep (e.g. a handover offer) now."""
    return reminders.send_pending()


@shared_task(
    name="followups.tasks.send_underretning_reminders", acks_late=True, reject_on_worker_lost=True
)
def send_underretning_reminders() -> tuple[int, int]:
    """What beat runs every 15 minutes: the underretning reminders alone (the
    4-hour warning before the 24-hour assessment cannot wait for the morning), then
    whatever is waiting to be sent."""
    planned = reminders.plan_underretninger()
    sent = reminders.send_pending()
    if planned or sent:
        log.info("underretning reminders: %d planned, %d sent", planned, sent)
    return planned, sent


@shared_task(name="followups.tasks.refresh_prevention_levels")
def refresh_prevention_levels() -> int:
    """Nightly: a case's level follows an intervention whose start or end day has come."""
    return Case.objects.refresh_dated_levels()
