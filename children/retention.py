"""Retention of children: who is kept too long, and deleting one child.

The rules (settings RETENTION_*, docs/security.md):

- A child is deleted, with everything recorded about it (guardians, enrollments,
  concerns, assessments, dialogues, escalations, underretninger, cases… by
  cascade), once its last enrollment ended more than RETENTION_CHILD_YEARS ago.
  A child with no enrollment at all is kept: the sweep deletes only on a date it
  can point to. The apps above may hold a child longer (followups: an open case);
  the nightly sweep (desk.retention) applies their holds and calls each app's
  purge.

Deleting a child also removes the audit entries that carry copies of its data
(auditlog's create/update entries hold the old and new field values); the
entries saying who looked at the child (ACCESS) are kept until audit retention
removes them, with the child's name blanked. In their place the child's trail
gets one entry saying the child was deleted by the sweep and how many rows went,
and one summary entry records the whole run. Nothing written names the child.
"""

from datetime import date

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from children import audit
from children.models import Child, Enrollment


def expired_children(today: date) -> QuerySet[Child]:
    """Children whose last enrollment ended more than RETENTION_CHILD_YEARS before today."""
    cutoff = today - relativedelta(years=settings.RETENTION_CHILD_YEARS)
    recent = Enrollment.objects.filter(Q(end__isnull=True) | Q(end__gte=cutoff))
    return Child.objects.filter(
        Exists(Enrollment.objects.filter(child=OuterRef("pk"))),
        ~Exists(recent.filter(child=OuterRef("pk"))),
    )


def _entry(child_id: int | None, data: dict) -> LogEntry:
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Child),
        object_pk=str(child_id or ""),
        object_id=child_id,
        object_repr="",
        action=LogEntry.Action.ACCESS,
        actor=None,
        additional_data={"child": child_id, "event": audit.Event.RETENTION, **data},
    )


def delete_child(child: Child) -> dict[str, int]:
    """Delete one child and everything about it; returns rows deleted per model."""
    child_id = child.pk
    with transaction.atomic():
        with disable_auditlog():
            _, per_model = child.delete()
        trail = LogEntry.objects.filter(audit.about_child(child_id))
        trail.exclude(action=LogEntry.Action.ACCESS).delete()
        trail.update(object_repr="")
        _entry(child_id, {"what": "deleted", "rows": per_model})
    return per_model


def record_sweep(today: date, child_ids: list[int], rows: dict[str, int]) -> None:
    """The summary entry of one sweep: which children (ids only) and rows went."""
    details = {"what": "sweep", "on": today.isoformat(), "children": child_ids}
    _entry(None, {**details, "rows": rows})
