"""Sending what is waiting, each row exactly once, with several workers at it.

Rows with `sent_at` empty are the outbox (reminders, bulk-read alerts). Each is
taken under a row lock that other workers skip, sent, and marked sent in the
same transaction: a crash before the mark sends it again, never twice at once.
"""

from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone


def drain(unsent: models.QuerySet, send: Callable[[Any], None]) -> int:
    """Send every row of `unsent` (those with sent_at empty); returns how many."""
    sent = 0
    while True:
        with transaction.atomic():
            row = unsent.select_for_update(skip_locked=True).order_by("pk").first()
            if row is None:
                return sent
            send(row)
            row.sent_at = timezone.now()
            row.save(update_fields=["sent_at"])
            sent += 1
