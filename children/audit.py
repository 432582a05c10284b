"""Audit trail of child data, on top of django-auditlog.

Model changes (create/update/delete) are logged by auditlog's signals for the
models registered in `children.apps`; every entry carries the child's id in
`additional_data["child"]` (models' `get_additional_data`), so one query gives
a child's whole trail. Reads, prints, exports, CPR reveals and searches are
logged here as auditlog ACCESS entries.

A page that lists many children (Mine børn, the unit overview, Mine opgaver,
Mine sager, Mine møder, the intake, notifications) writes ONE entry per view
(`log_list`, event "list"): the page and the ids of the children shown in
`additional_data["children"]`, never one row per child. The bulk-read alert
counts those children (children.alerts). A child's trail includes the list
entries naming it on PostgreSQL (a JSON containment test, `listed_child`); on
SQLite, which has no such lookup, the trail leaves them out and the audit viewer
shows them under the user and the event "list".

Looking at the audit trail is logged too (`log_audit_view`): an ACCESS entry on
the administrator's own user with event "audit" and no child, so that it is in
no child's trail but in the log itself, where the next reviewer sees it.
"""

from collections.abc import Iterable

from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from children import cpr
from children.models import Child


class Event:
    READ = "read"
    PRINT = "print"
    EXPORT = "export"
    REVEAL_CPR = "reveal_cpr"
    SEARCH = "search"
    # A page listing several children (log_list): their ids in "children".
    LIST = "list"
    CHANGE = "change"
    # The nightly retention sweep deleted data (children/retention.py).
    RETENTION = "retention"
    # The administrator's audit viewer, its export and spot-checks (no child).
    AUDIT = "audit"
    # A run of the CSV import, dry or not (children.importer): the file and the
    # counts, no child.
    IMPORT = "import"
    # A run of the absence import (children.absence_import): the file, its months
    # and the counts, no child.
    ABSENCE_IMPORT = "absence_import"


def log_access(user, child: Child, event: str, *, what: str = "", reason: str = "") -> LogEntry:
    return LogEntry.objects.log_create(
        child,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=user,
        additional_data={"child": child.pk, "event": event, "what": what, "reason": reason},
    )


def log_shown_again(request, child: Child) -> LogEntry:
    """A form sent back with its errors saved nothing, so auditlog wrote nothing;
    showing the child's page or form again is a read, logged as one."""
    return log_access(request.user, child, Event.READ, what=request.path)


def safe_search_term(term: str) -> str:
    """The search term as it may be stored: a CPR number is reduced to its masked form."""
    digits = cpr.normalize(term)
    if digits.isdigit() and len(digits) == 10:
        return digits[:6] + "-xxxx"
    return term


def log_search(user, term: str, child_ids: list[int]) -> LogEntry:
    """One entry per search. With exactly one hit the entry is that child's."""
    only = child_ids[0] if len(child_ids) == 1 else None
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Child),
        object_pk=str(only or ""),
        object_id=only,
        object_repr="",
        action=LogEntry.Action.ACCESS,
        actor=user,
        additional_data={
            "child": only,
            "event": Event.SEARCH,
            "term": safe_search_term(term),
            "results": child_ids,
        },
    )


def log_list(
    user, what: str, child_ids: Iterable[int | None], *, page: str = ""
) -> LogEntry | None:
    """One entry per view of a page that shows several children's names, zones
    or text: `what` is the page's path, `page` its URL name (the audit viewer names
    the list by it), `child_ids` the children shown on it (after pagination), in any
    order and with repeats. One INSERT, whatever the number of children; nothing
    when the page shows no child."""
    ids = sorted({pk for pk in child_ids if pk is not None})
    if not ids:
        return None
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Child),
        object_pk="",
        object_id=None,
        object_repr="",
        action=LogEntry.Action.ACCESS,
        actor=user,
        additional_data={
            "event": Event.LIST,
            "what": what,
            "page": page,
            "children": ids,
            "count": len(ids),
        },
    )


def log_list_view(request, child_ids: Iterable[int | None]) -> LogEntry | None:
    """`log_list` for the page `request` shows."""
    match = getattr(request, "resolver_match", None)
    page = match.url_name if match is not None else ""
    return log_list(request.user, request.path, child_ids, page=page or "")


def log_audit_view(user, *, what: str, details: dict) -> LogEntry:
    """One entry per look at the audit trail: `what` is the page, `details` the
    filters used or the entries drawn for a spot-check."""
    return LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=user,
        additional_data={"event": Event.AUDIT, "what": what, **details},
    )


def about_child(child_id: int) -> Q:
    """The entries about one child (by its id), as a filter on LogEntry."""
    return Q(additional_data__child=child_id) | Q(
        content_type=ContentType.objects.get_for_model(Child), object_pk=str(child_id)
    )


def listed_child(child_id: int) -> Q | None:
    """The list entries (log_list) that showed one child, as a filter on LogEntry;
    None on SQLite, which has no JSON containment lookup. On PostgreSQL this is
    `additional_data -> 'children' @> '[id]'` on the list entries, found through a
    partial GIN index (children migration 0005); it is used for one child's trail
    and the viewer's child filter."""
    if connection.vendor != "postgresql":
        return None
    return Q(additional_data__event=Event.LIST, additional_data__children__contains=[child_id])


def about_child_or_listed(child_id: int) -> Q:
    """`about_child`, and the list entries that showed the child where the
    database can find them (listed_child)."""
    listed = listed_child(child_id)
    return about_child(child_id) if listed is None else about_child(child_id) | listed


def trail(child: Child) -> QuerySet[LogEntry]:
    """Everything logged about one child, newest first, with the lists that
    showed it (listed_child)."""
    return LogEntry.objects.filter(about_child_or_listed(child.pk)).select_related("actor")


def purge_expired() -> int:
    """Delete audit entries older than AUDIT_RETENTION_MONTHS; returns how many."""
    cutoff = timezone.now() - relativedelta(months=settings.AUDIT_RETENTION_MONTHS)
    deleted, _ = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
