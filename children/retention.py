"""Retention: the nightly sweep that deletes what is kept longer than allowed.

The rules (settings RETENTION_*, docs/security.md):

- A child is deleted, with everything recorded about it (guardians, enrollments,
  concerns, assessments, dialogues, escalations, underretninger, cases… by
  cascade), once its last enrollment ended more than RETENTION_CHILD_YEARS ago
  and no app holds on to it. A child with no enrollment at all is kept: the
  sweep deletes only on a date it can point to.
- Apps above `children` hold children back (followups: an open case, or one
  closed less than RETENTION_CLOSED_CASE_YEARS ago) and sweep their own rows
  (followups: old reminders). `children` must not import them, so they register
  here in their AppConfig.ready(), like children/timeline.py:

    retention.register_hold(open_case_hold)      # today -> Q over Child: keep these
    retention.register_sweep(old_reminders)      # today -> {"label": count}

Deleting a child also removes the audit entries that carry copies of its data
(auditlog's create/update entries hold the old and new field values); the
entries saying who looked at the child (ACCESS) are kept until audit retention
removes them, with the child's name blanked. In their place the child's trail
gets one entry saying the child was deleted by the sweep and how many rows went,
and one summary entry records the whole run. Nothing written names the child.
"""

from collections import Counter
from collections.abc import Callable
from datetime import date

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from children import audit
from children.models import Child, Enrollment

Hold = Callable[[date], Q]
Sweep = Callable[[date], dict[str, int]]

_holds: list[Hold] = []
_sweeps: list[Sweep] = []


def register_hold(hold: Hold) -> Hold:
    if hold not in _holds:
        _holds.append(hold)
    return hold


def register_sweep(sweep: Sweep) -> Sweep:
    if sweep not in _sweeps:
        _sweeps.append(sweep)
    return sweep


def expired_children(today: date):
    """Children whose last enrollment ended before the cutoff and that no app holds."""
    cutoff = today - relativedelta(years=settings.RETENTION_CHILD_YEARS)
    recent = Enrollment.objects.filter(Q(end__isnull=True) | Q(end__gte=cutoff))
    children = Child.objects.filter(
        Exists(Enrollment.objects.filter(child=OuterRef("pk"))),
        ~Exists(recent.filter(child=OuterRef("pk"))),
    )
    for hold in _holds:
        children = children.exclude(hold(today))
    return children


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


def retention_sweep(today: date | None = None) -> dict[str, int]:
    """Apply every retention rule once; returns what was deleted, per record type.

    Running it twice deletes nothing the second time.
    """
    today = today or timezone.localdate()
    counts: Counter[str] = Counter()
    child_ids = list(expired_children(today).order_by("pk").values_list("pk", flat=True))
    for child in Child.objects.filter(pk__in=child_ids).only("pk"):
        counts.update(delete_child(child))
    for sweep in _sweeps:
        counts.update(sweep(today))
    result = {label: n for label, n in sorted(counts.items()) if n}
    if result:
        details = {"what": "sweep", "on": today.isoformat(), "children": child_ids}
        _entry(None, {**details, "rows": result})
    return result
