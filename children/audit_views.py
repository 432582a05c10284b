"""The administrator's audit viewer: who read, printed, exported or changed what
about which child, when and why (docs/security.md; Datatilsynet expects the
log to be reviewed, not only written).

The administrator sees no child data, so a child appears here by its internal
id, initials and year of birth only, never by name or CPR number; the data
protection officer gets the id from the caseworker or from the parent's request
and filters on it. What is shown of an entry:

- reads: the page (path) and the user's own reason, if one was given;
- searches: the number of hits, not the search term, which is often a child's
  name (it stays in the child's own trail, children.audit.trail);
- lists (children.audit.log_list): the list and how many children it showed,
  e.g. "Liste: Mine børn, 23 børn"; filtered on a child, the lists that showed it
  (on PostgreSQL, children.audit.listed_child);
- changes: the kind of record and which fields changed, never the values; only
  records of the organisation (users, units) are named.

Looking at the log, exporting it and drawing a spot-check are logged themselves
(children.audit.log_audit_view), with the filters used or the entries drawn.
"""

import csv
import io
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min, Model, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.decorators import role_required
from accounts.models import Role
from children import audit
from children.audit_forms import ACCESS_EVENTS, CHANGES, AuditFilterForm
from children.models import Child
from tidlig.lib.replica import reads_from_replica

administrator_only = role_required(Role.ADMINISTRATOR)

PAGE_SIZE = 50
SAMPLE_DAYS = 30
SAMPLE_DEFAULT, SAMPLE_MAX = 20, 100
EXPORT_CHUNK = 2000
# A page counts, and pages over, at most this many entries; beyond it, an
# unfiltered page shows PostgreSQL's estimate of the table's rows and a filtered
# one "more than". Counting reads each entry from the table (the filters'
# indexes are on expressions, so not index-only): 10,000 prints took 50–300 ms.
COUNT_CAP = 1_000
# The spot-check draws random ids (_draw_reads) when the log holds more ids than
# this; below, it sorts the month's reads at random.
SAMPLE_SORT_MAX = 50_000
SAMPLE_ROUNDS, SAMPLE_BATCH = 10, 1000


@dataclass(frozen=True)
class Row:
    entry: LogEntry
    action: str
    child_id: int | None
    initials: str
    birth_year: int | None
    what: str
    reason: str

    @property
    def user(self) -> str:
        actor = self.entry.actor
        if actor is None:
            return _("System")
        return actor.get_full_name() or actor.username


def _child_id(entry: LogEntry, child_type: ContentType) -> int | None:
    child = (entry.additional_data or {}).get("child")
    if isinstance(child, int):
        return child
    if entry.content_type_id == child_type.pk and entry.object_id:
        return entry.object_id
    return None


def action_label(entry: LogEntry) -> str:
    """What the entry records, in words: a read, a print, a search, a change…"""
    if entry.action == LogEntry.Action.ACCESS:
        event = (entry.additional_data or {}).get("event", "")
        return str(ACCESS_EVENTS.get(event, event))
    for action, label in CHANGES.values():
        if entry.action == action:
            return str(label)
    return entry.get_action_display()


# The pages that write a list entry (children.audit.log_list), by URL name.
LIST_PAGES = {
    "child_list": gettext_lazy("Mine børn"),
    "unit_overview": gettext_lazy("Oversigt over enheden"),
    "my_tasks": gettext_lazy("Mine opgaver"),
    "my_cases": gettext_lazy("Mine sager"),
    "my_meetings": gettext_lazy("Mine møder"),
    "intake": gettext_lazy("Indgangen"),
    "underretning_overview": gettext_lazy("Underretninger"),
    "notifications": gettext_lazy("Notifikationer"),
}


def list_name(entry: LogEntry) -> str:
    """A list entry's page: its name, else its path."""
    data = entry.additional_data or {}
    return str(LIST_PAGES.get(data.get("page", ""), data.get("what", "")))


def _what(entry: LogEntry) -> str:
    data = entry.additional_data or {}
    if entry.action == LogEntry.Action.ACCESS:
        if data.get("event") == audit.Event.LIST:
            shown = len(data.get("children") or [])
            return ngettext(
                "Liste: %(page)s, %(count)d barn", "Liste: %(page)s, %(count)d børn", shown
            ) % {"page": list_name(entry), "count": shown}
        if data.get("event") == audit.Event.SEARCH:
            hits = len(data.get("results") or [])
            return ngettext(
                "Søgning med %(count)d resultat", "Søgning med %(count)d resultater", hits
            ) % {"count": hits}
        return data.get("what", "")
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return ""
    what = str(model._meta.verbose_name).capitalize()
    # Only the organisation's own records are named: a child's, a guardian's or a
    # concern's name would be child data.
    if model._meta.app_label == "accounts":
        what += f": {entry.object_repr}"
    return what + changed_fields(entry, model)


def changed_fields(entry: LogEntry, model: type[Model]) -> str:
    """The fields an update changed, as ' (field, field)'; '' for anything else."""
    if entry.action != LogEntry.Action.UPDATE:
        return ""
    fields = []
    for name in entry.changes_dict:
        try:
            field = model._meta.get_field(name)
            fields.append(str(getattr(field, "verbose_name", name)))
        except FieldDoesNotExist:  # a field removed since the entry was written
            fields.append(name)
    return " (" + ", ".join(fields) + ")" if fields else ""


def _rows(entries: Iterable[LogEntry]) -> list[Row]:
    """The entries as the viewer shows them; the children in one query."""
    entries = list(entries)
    child_type = ContentType.objects.get_for_model(Child)
    ids = {_child_id(entry, child_type) for entry in entries} - {None}
    children = Child.objects.only("first_name", "last_name", "birth_date").in_bulk(ids)
    rows = []
    for entry in entries:
        child_id = _child_id(entry, child_type)
        child = children.get(child_id)
        rows.append(
            Row(
                entry=entry,
                action=action_label(entry),
                child_id=child_id,
                initials=_initials(child) if child else "",
                birth_year=child.birth_date.year if child else None,
                what=_what(entry),
                reason=(entry.additional_data or {}).get("reason", "") or "",
            )
        )
    return rows


def _initials(child: Child) -> str:
    return "".join(f"{name[:1].upper()}." for name in (child.first_name, child.last_name) if name)


def _entries():
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")


class CountedPaginator(Paginator):
    """A Paginator told its count instead of counting: it pages over the newest
    `count` entries, of `total` (an estimate, or at least `count`)."""

    def __init__(self, object_list, per_page: int, *, count: int, total: int, kind: str = "exact"):
        super().__init__(object_list, per_page)
        self.count = count
        self.total = total
        self.kind = kind  # "exact", "estimated" or "capped"


def _estimated_entries() -> int | None:
    """PostgreSQL's estimate of the audit table's rows (kept by ANALYZE and
    autovacuum), instead of a COUNT(*) that reads millions of them; None on
    SQLite or before the table was first analysed."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [LogEntry._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] > 0 else None


def _paginator(entries: QuerySet[LogEntry], *, filtered: bool) -> CountedPaginator:
    """Counts no further than COUNT_CAP (a few milliseconds with the indexes of
    migration 0005) and pages no further either: a page deep in millions of entries
    is an OFFSET that reads the timestamp index that far (the last page of
    4.9 million entries took 52 s). Above the cap, an unfiltered page tells the
    estimate for the whole log, a filtered one "more than"."""
    found = entries[: COUNT_CAP + 1].count()
    if found <= COUNT_CAP:
        return CountedPaginator(entries, PAGE_SIZE, count=found, total=found)
    estimate = None if filtered else _estimated_entries()
    if estimate is not None and estimate > COUNT_CAP:
        return CountedPaginator(
            entries, PAGE_SIZE, count=COUNT_CAP, total=estimate, kind="estimated"
        )
    return CountedPaginator(entries, PAGE_SIZE, count=COUNT_CAP, total=COUNT_CAP, kind="capped")


def _count_text(paginator: CountedPaginator) -> str:
    """The count above the table when it is not exact ("" when it is)."""
    total = number_format(paginator.total, force_grouping=True)
    if paginator.kind == "estimated":
        shown = number_format(paginator.count, force_grouping=True)
        return _(
            "ca. %(count)s registreringer. Siderne viser de nyeste %(shown)s; "
            "vælg en periode for at se ældre."
        ) % {"count": total, "shown": shown}
    if paginator.kind == "capped":
        return _(
            "Mere end %(count)s registreringer. Vælg en kortere periode for at se dem alle."
        ) % {"count": total}
    return ""


@administrator_only
@reads_from_replica
def audit_log(request: HttpRequest) -> HttpResponse:
    filter_form = AuditFilterForm(request.GET)
    entries = filter_form.filter(_entries())
    paginator = _paginator(entries, filtered=bool(filter_form.logged()))
    page = paginator.get_page(request.GET.get("side"))
    # Logged after the page is read, so that the viewer's own entry is not on it.
    rows = _rows(page.object_list)
    audit.log_audit_view(
        request.user,
        what=request.path,
        details={"filters": filter_form.logged(), "page": page.number},
    )
    ctx = {
        "filter_form": filter_form,
        "page": page,
        "count_text": _count_text(paginator),
        "rows": rows,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "accounts/admin/audit.html", ctx)


@administrator_only
@reads_from_replica
def audit_export(request: HttpRequest) -> HttpResponseBase:
    filter_form = AuditFilterForm(request.GET)
    if not filter_form.is_valid():
        return redirect(f"{reverse('admin_audit')}?{request.GET.urlencode()}")
    audit.log_audit_view(request.user, what=request.path, details={"filters": filter_form.logged()})
    entries = filter_form.filter(_entries())
    response = StreamingHttpResponse(_csv_lines(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="revisionsspor-{stamp}.csv"'
    return response


CSV_COLUMNS = (
    gettext_lazy("Tidspunkt"),
    gettext_lazy("Bruger"),
    gettext_lazy("Brugernavn"),
    gettext_lazy("Handling"),
    gettext_lazy("Barnets id"),
    gettext_lazy("Initialer"),
    gettext_lazy("Fødselsår"),
    gettext_lazy("Hvad"),
    gettext_lazy("Begrundelse"),
)


def _csv_lines(entries) -> Iterator[bytes]:
    """Semicolon-separated UTF-8 with a byte order mark (as Danish Excel opens it),
    written in chunks so that a long period does not sit in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flush() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.writerow([str(column) for column in CSV_COLUMNS])
    yield "\ufeff".encode() + flush()
    chunk: list[LogEntry] = []
    for entry in entries.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(entry)
        if len(chunk) == EXPORT_CHUNK:
            writer.writerows(_csv_row(row) for row in _rows(chunk))
            chunk = []
            yield flush()
    writer.writerows(_csv_row(row) for row in _rows(chunk))
    yield flush()


def _csv_row(row: Row) -> list[str]:
    actor = row.entry.actor
    values = [
        timezone.localtime(row.entry.timestamp).strftime("%d.%m.%Y %H:%M:%S"),
        row.user,
        actor.username if actor else "",
        row.action,
        str(row.child_id or ""),
        row.initials,
        str(row.birth_year or ""),
        row.what,
        row.reason,
    ]
    return [_csv_value(value) for value in values]


def _csv_value(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a reason is free text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@administrator_only
@reads_from_replica
def audit_sample(request: HttpRequest) -> HttpResponse:
    try:
        count = min(max(int(request.GET.get("antal", SAMPLE_DEFAULT)), 1), SAMPLE_MAX)
    except ValueError:
        count = SAMPLE_DEFAULT
    since = timezone.now() - timedelta(days=SAMPLE_DAYS)
    reads = (
        _entries()
        .filter(
            action=LogEntry.Action.ACCESS, timestamp__gte=since, additional_data__has_key="child"
        )
        .exclude(additional_data__child=None)
    )
    drawn = _draw_reads(reads, count)
    drawn.sort(key=lambda entry: (entry.timestamp, entry.pk), reverse=True)
    audit.log_audit_view(
        request.user,
        what=request.path,
        details={"sample": [entry.pk for entry in drawn]},
    )
    ctx = {"rows": _rows(drawn), "count": count, "days": SAMPLE_DAYS}
    return render(request, "accounts/admin/audit_sample.html", ctx)


def _draw_reads(reads: QuerySet[LogEntry], count: int) -> list[LogEntry]:
    """`count` of `reads` drawn at random, each equally likely.

    ORDER BY random() reads and sorts every read of the month (370,000 at
    100,000 children). A big log is sampled by id instead: every id between the
    lowest and the highest is equally likely, so the reads among a batch of random
    ids are a uniform sample of the reads, whatever the gaps and wherever the month
    lies in the table; a batch costs 1,000 primary key lookups. TABLESAMPLE would
    sample the whole table too, by page (entries written together) or by reading
    every page. A small log, or a month with too few reads to find, is sorted."""
    bounds = LogEntry.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    if low is not None and high - low >= SAMPLE_SORT_MAX:
        found: dict[int, LogEntry] = {}
        ids = range(low, high + 1)
        for _round in range(SAMPLE_ROUNDS):
            batch = random.sample(ids, min(SAMPLE_BATCH, len(ids)))
            found.update((entry.pk, entry) for entry in reads.filter(pk__in=batch))
            if len(found) >= count:
                return random.sample(list(found.values()), count)
    return list(reads.order_by("?")[:count])
