"""Enqueueing a Celery task once the rows it works on are committed."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Send `task(*args)` to the broker after the current transaction commits (at
    once outside a transaction), so that the worker finds the rows.

    A broker outage does not fail the caller: every task enqueued here has a beat
    job that picks up what is left waiting (the reminder sweep hourly, ordered
    reports every 5 minutes).
    """

    def enqueue() -> None:
        try:
            task.delay(*args)
        except Exception:
            log.warning("could not enqueue %s%r; the beat job does it", task.name, args)

    transaction.on_commit(enqueue)
