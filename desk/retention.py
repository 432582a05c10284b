"""The nightly retention sweep: each app's purge, called in one place.

- children: a child whose last enrollment ended more than RETENTION_CHILD_YEARS
  ago is deleted with everything about it (children.retention), unless followups
  holds it (an open case, or one closed less than RETENTION_CLOSED_CASE_YEARS ago);
- followups: reminders RETENTION_REMINDER_MONTHS after their day;
- children.audit: audit entries older than AUDIT_RETENTION_MONTHS;
- accounts: django-axes' login records older than LOGIN_LOG_RETENTION_MONTHS;
- tidlig.lib.once: the one-time keys of sent forms after two days.

What the sweep deleted is written to the audit trail (children.retention) without
naming any child. docs/security.md has the rules for users and operators.
"""

from collections import Counter
from datetime import date

from auditlog.models import LogEntry
from django.utils import timezone

from accounts.logins import purge_expired_login_logs
from children import audit
from children import retention as children_retention
from children.models import Child
from followups import retention as followups_retention
from tidlig.lib import once
from tidlig.models import Submission


def retention_sweep(today: date | None = None) -> dict[str, int]:
    """Apply every retention rule once; returns what was deleted, per record type.

    Running it twice deletes nothing the second time.
    """
    today = today or timezone.localdate()
    counts: Counter[str] = Counter()
    counts[LogEntry._meta.label] += audit.purge_expired()
    counts.update(purge_expired_login_logs())
    counts[Submission._meta.label] += once.purge_old()

    expired = children_retention.expired_children(today).exclude(
        followups_retention.case_hold(today)
    )
    child_ids = list(expired.order_by("pk").values_list("pk", flat=True))
    for child in Child.objects.filter(pk__in=child_ids).only("pk"):
        counts.update(children_retention.delete_child(child))
    counts.update(followups_retention.old_reminders(today))

    result = {label: n for label, n in sorted(counts.items()) if n}
    if result:
        children_retention.record_sweep(today, child_ids, result)
    return result
