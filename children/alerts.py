"""The bulk-read alert: tell the administrators when one user reads an unusual
number of children in a short time (run by beat every 5 minutes).

The rule: a user who reads more than AUDIT_BULK_READ_LIMIT different children
within any AUDIT_BULK_READ_MINUTES (a sliding window, not clock-aligned buckets,
so a burst across 10:00 is not split in two halves that each stay below the
limit). "Reads" are the ACCESS entries that name one child (reads, prints,
exports, CPR reveals and searches with a single hit) and the children shown by
a list page (children.audit.log_list: one entry naming them in
additional_data["children"]). The same child read 50 times, or read and listed,
counts once.

Each run looks back CATCH_UP (or one window, if that is longer), so a run missed
while beat was down is caught up. It finds the candidates with one SQL aggregate
(users with more than the limit of distinct children in the whole look-back,
normally none or very few) and only for them scans their reads in time order.
A list entry counts in that aggregate by the number of children it shows (its
"count"), added to the distinct children read one at a time: an upper bound, as
lists overlap, so no user above the limit is missed and the scan, which unpacks
the lists, decides.
A burst is recorded as a `BulkReadAlert` starting at its first read; the scan for
a user starts after the window of their latest alert, and the unique constraint
(user, window_start) stops a concurrent run, so each burst is reported once. A
user who keeps on reading is reported again for each further window.

Emails work like the reminders (followups/reminders.py): the row is written
first, then each unsent row is sent under a row lock and marked sent, so an
email is sent at least once and normally exactly once. The email names the
user, the count and the period, never a child, and links to the audit viewer.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from children.audit import Event
from children.models import BulkReadAlert
from tidlig.lib import outbox
from tidlig.lib.emails import make_message

log = logging.getLogger(__name__)

CATCH_UP = timedelta(hours=1)


def _window() -> timedelta:
    return timedelta(minutes=settings.AUDIT_BULK_READ_MINUTES)


def _child_reads(since: datetime, until: datetime):
    return (
        LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS,
            timestamp__gt=since,
            timestamp__lte=until,
            actor__isnull=False,
        )
        .filter(Q(additional_data__has_key="child") | Q(additional_data__event=Event.LIST))
        .order_by()
    )


def first_burst(
    reads: list[tuple[datetime, int]], window: timedelta, limit: int
) -> tuple[datetime, int] | None:
    """In `reads` (time, child id), sorted by time: the first read of the first
    stretch shorter than `window` with more than `limit` different children, and
    how many different children were read within `window` from it."""
    in_window: Counter[int] = Counter()
    left = 0
    for at, child in reads:
        in_window[child] += 1
        while reads[left][0] <= at - window:
            gone = reads[left][1]
            in_window[gone] -= 1
            if not in_window[gone]:
                del in_window[gone]
            left += 1
        if len(in_window) > limit:
            start = reads[left][0]
            return start, len({c for t, c in reads[left:] if t < start + window})
    return None


def find_bursts(now: datetime | None = None) -> list[BulkReadAlert]:
    """Record every burst of the look-back not recorded yet; returns the new rows."""
    now = now or timezone.now()
    window, limit = _window(), settings.AUDIT_BULK_READ_LIMIT
    since = now - max(CATCH_UP, window)
    reads = _child_reads(since, now)
    candidates = (
        reads.values("actor")
        .annotate(
            children=Count(KT("additional_data__child"), distinct=True)
            + Coalesce(Sum(Cast(KT("additional_data__count"), IntegerField())), 0)
        )
        .filter(children__gt=limit)
        .values_list("actor", flat=True)
    )
    new = []
    for user_id in candidates:
        latest = BulkReadAlert.objects.filter(user_id=user_id).order_by("-window_start").first()
        start_from = since if latest is None else max(since, latest.window_start + window)
        rows = [
            (at, child)
            for at, one, listed in reads.filter(actor_id=user_id, timestamp__gte=start_from)
            .order_by("timestamp", "pk")
            .values_list("timestamp", "additional_data__child", "additional_data__children")
            # A search with several hits names no child; a list names several.
            for child in ([one] if one is not None else listed or [])
            if isinstance(child, int)
        ]
        while burst := first_burst(rows, window, limit):
            start, count = burst
            try:
                with transaction.atomic():
                    new.append(
                        BulkReadAlert.objects.create(
                            user_id=user_id, window_start=start, children_count=count
                        )
                    )
            except IntegrityError:
                pass  # a run at the same moment recorded it
            rows = [row for row in rows if row[0] >= start + window]
    return new


def _administrators():
    return User.objects.filter(
        is_active=True, memberships__role=Role.ADMINISTRATOR, email__gt=""
    ).distinct()


def send_pending() -> int:
    """Email each unsent alert to every active administrator; returns how many alerts."""
    unsent = BulkReadAlert.objects.filter(sent_at__isnull=True).select_related("user")
    return outbox.drain(unsent, _send_to_administrators)


def _send_to_administrators(alert: BulkReadAlert) -> None:
    for admin in _administrators():
        _send(alert, admin)


def audit_link(alert: BulkReadAlert) -> str:
    """The audit viewer on the user and the day(s) of the alert."""
    first = timezone.localdate(alert.window_start)
    last = timezone.localdate(alert.window_start + _window())
    query = urlencode({"user": alert.user_id, "start": first, "end": last})
    return f"{settings.SITE_ROOT.rstrip('/')}{reverse('admin_audit')}?{query}"


def _send(alert: BulkReadAlert, admin: User) -> None:
    context = {
        "alert": alert,
        "recipient": admin,
        "reader": alert.user,
        "start": timezone.localtime(alert.window_start),
        "end": timezone.localtime(alert.window_start + _window()),
        "minutes": settings.AUDIT_BULK_READ_MINUTES,
        "limit": settings.AUDIT_BULK_READ_LIMIT,
        "link": audit_link(alert),
    }
    make_message("bulk-read", admin.email, context).send()


def bulk_read_alerts(now: datetime | None = None) -> list[BulkReadAlert]:
    """What beat runs every 5 minutes: record new bursts, then send what is unsent."""
    new = find_bursts(now)
    for alert in new:
        log.warning(
            "bulk read: user %s read %d children from %s",
            alert.user_id,
            alert.children_count,
            alert.window_start.isoformat(),
        )
    send_pending()
    return new
