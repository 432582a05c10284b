"""Retention rules for cases and reminders (applied by the nightly sweep, desk.retention).

A child with an open case, or a case closed less than RETENTION_CLOSED_CASE_YEARS
ago, is kept whatever its enrollments say. Reminders are working notes (their
subject and text may name the child), deleted RETENTION_REMINDER_MONTHS after
their day.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from followups.models import Case, Reminder


def case_hold(today: date) -> Q:
    cutoff = today - relativedelta(years=settings.RETENTION_CLOSED_CASE_YEARS)
    kept = Case.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff))
    return Q(Exists(kept.filter(child=OuterRef("pk"))))


def old_reminders(today: date) -> dict[str, int]:
    cutoff = today - relativedelta(months=settings.RETENTION_REMINDER_MONTHS)
    deleted, _ = Reminder.objects.filter(due_on__lt=cutoff).delete()
    return {"followups.Reminder": deleted}
