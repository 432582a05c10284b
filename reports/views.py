"""Kvartalsstatus on screen and as XLSX/CSV: one quarter's figures
(`reports.figures`) as the tables of `reports.presentation`.

Who sees which population is decided in one place, `report_scope`, on the first
line of every view here:

- `forvaltning`: the whole municipality, or the units of one district and/or of
  one unit kind, with small counts suppressed ("<5") as for the PDF;
- an institution leader (`leder` in a unit where children are enrolled): their
  own unit(s) only, unsuppressed, for those are their own children;
- everyone else is refused, the leader of the rådgivning included.

The figures are counts only: no page or file here names a child.
"""

import csv
import hashlib
import io
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from accounts.http import AuthenticatedHttpRequest
from accounts.models import ENROLLING_KINDS, District, Role, Unit, UnitKind
from reports import charts, stored
from reports.presentation import Table, summary, tables
from reports.suppression import protect
from tidlig.lib.dates import Quarter
from tidlig.lib.replica import reads_from_replica

# Completed quarters offered in the quarter picker, besides the current one.
QUARTERS_OFFERED = 8
# No figures go further back; the comparisons would reach past the year 1 for "0001Q1".
FIRST_QUARTER = Quarter(2000, 1)

logger = logging.getLogger(__name__)


@dataclass
class Scope:
    """The quarter and the population a user asked for and may see."""

    quarter: Quarter
    units: list[Unit] | None  # None: the whole municipality
    suppress: bool
    label: str
    params: dict[str, str]  # the choice as a query string, for links and exports
    bad_quarter: bool = False
    # Forvaltning's drill-down.
    district: District | None = None
    unit_kind: str = ""
    # An institution leader's own units, and the one chosen (None: all of them).
    own_units: list[Unit] = field(default_factory=list)
    unit: Unit | None = None

    @property
    def municipal(self) -> bool:
        return not self.own_units

    @property
    def query(self) -> str:
        return urlencode(self.params)


def current_quarter() -> Quarter:
    return Quarter.containing(timezone.localdate())


def default_quarter() -> Quarter:
    """The last completed quarter."""
    return current_quarter().previous()


def quarter_choices(chosen: Quarter) -> list[tuple[str, str]]:
    current = current_quarter()
    choices = [(current, _("%(quarter)s (hidtil)") % {"quarter": current.label})]
    quarter = current
    for _i in range(QUARTERS_OFFERED):
        quarter = quarter.previous()
        choices.append((quarter, quarter.label))
    if chosen not in [q for q, _label in choices]:
        choices.append((chosen, chosen.label))  # an older quarter, asked for by URL
    return [(str(q), label) for q, label in sorted(choices, reverse=True)]


def _quarter(request: HttpRequest) -> tuple[Quarter, bool]:
    """The quarter asked for, or the default and True when the value is no
    quarter, one that has not begun or one before FIRST_QUARTER."""
    text = request.GET.get("kvartal", "")
    if not text:
        return default_quarter(), False
    try:
        quarter = Quarter.parse(text)
    except ValueError:
        return default_quarter(), True
    if not FIRST_QUARTER <= quarter <= current_quarter():
        return default_quarter(), True
    return quarter, False


def enrolling_kinds() -> list[UnitKind]:
    return [kind for kind in UnitKind if kind in ENROLLING_KINDS]


def report_scope(request: AuthenticatedHttpRequest) -> Scope:
    """The population `request.user` may see with the filters of the request:
    403 for a user who sees no quarterly status, 404 for a filter that names no
    district, unit kind or unit of theirs."""
    user = request.user
    quarter, bad_quarter = _quarter(request)
    if user.has_role(Role.FORVALTNING):
        scope = _municipal_scope(request, quarter)
    else:
        led = list(
            user.units_with_role(Role.LEDER).filter(kind__in=ENROLLING_KINDS).order_by("name")
        )
        if not led:
            raise PermissionDenied
        scope = _own_units_scope(request, quarter, led)
    scope.bad_quarter = bad_quarter
    return scope


def _municipal_scope(request: HttpRequest, quarter: Quarter) -> Scope:
    params = {"kvartal": str(quarter)}
    district = None
    if wanted := request.GET.get("distrikt", ""):
        # isdecimal(), not isdigit(): "²" is a digit, but no number to int().
        district = District.objects.filter(pk=wanted).first() if wanted.isdecimal() else None
        if district is None:
            raise Http404
        params["distrikt"] = str(district.pk)
    kind = request.GET.get("enhedstype", "")
    if kind:
        if kind not in ENROLLING_KINDS:
            raise Http404
        params["enhedstype"] = kind

    units, parts = None, []
    if district or kind:
        chosen = Unit.objects.filter(kind__in=ENROLLING_KINDS)
        if district:
            chosen = chosen.filter(district=district)
            parts.append(_("distrikt %(name)s") % {"name": district.name})
        if kind:
            chosen = chosen.filter(kind=kind)
            parts.append(_("enhedstype %(kind)s") % {"kind": UnitKind(kind).label.lower()})
        units = list(chosen)
    label = capfirst(", ".join(parts)) if parts else _("Hele kommunen")
    return Scope(
        quarter=quarter,
        units=units,
        suppress=True,
        label=label,
        params=params,
        district=district,
        unit_kind=kind,
    )


def _own_units_scope(request: HttpRequest, quarter: Quarter, led: list[Unit]) -> Scope:
    params = {"kvartal": str(quarter)}
    unit = led[0] if len(led) == 1 else None
    if wanted := request.GET.get("enhed", ""):
        unit = next((u for u in led if str(u.pk) == wanted), None)
        if unit is None:
            raise Http404  # not a unit the user leads, or no unit at all
        params["enhed"] = str(unit.pk)
    units = [unit] if unit else led
    return Scope(
        quarter=quarter,
        units=units,
        suppress=False,
        label=", ".join(u.name for u in units),
        params=params,
        own_units=led,
        unit=unit,
    )


# The cache (Redis in production) only saves time: with it down, the figures are
# computed for each request instead of answering with an error.
def _cached(key: str) -> dict | None:
    try:
        return cache.get(key)
    except Exception:  # redis-py's ConnectionError, TimeoutError…
        logger.warning("The cache does not answer; computing the report's figures.")
        return None


def _cache(key: str, figures: dict) -> None:
    try:
        cache.set(key, figures, settings.REPORT_CACHE_SECONDS)
    except Exception:
        logger.warning("The cache does not answer; the report's figures are not kept.")


# A cold cache computes the figures once: the first request takes a lock (an atomic
# cache.add) and computes; the others asking meanwhile wait for its result instead
# of computing the same figures at once (several forvaltning users did, under load).
# Redis's add is atomic; the embedded default's file cache checks and then writes,
# so on a demo machine two requests may now and then both compute.
LOCK_SECONDS = 60  # the lock lapses by itself if its holder dies
WAIT_SECONDS = 30  # how long the others wait before computing for themselves
POLL_SECONDS = 0.1


def _computed(scope: Scope) -> dict:
    return stored.compute(scope.quarter, scope.units)


def _unit_ids(scope: Scope) -> list[int] | None:
    return sorted(u.pk for u in scope.units) if scope.units is not None else None


def _stored(scope: Scope) -> dict | None:
    """The figures last computed for the scope (reports.stored), asking the worker
    to compute them again if they are older than REPORT_CACHE_SECONDS."""
    found = stored.load(scope.quarter, _unit_ids(scope))
    if found is None:
        return None
    if stored.is_stale(found):
        stored.ask_for_refresh(scope.quarter, _unit_ids(scope), municipal=scope.municipal)
    return found.figures


def _locked(lock: str) -> bool:
    try:
        return cache.add(lock, 1, LOCK_SECONDS)
    except Exception:
        return True  # no cache, no one to share with: compute


def _wait_for(key: str) -> dict | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if (figures := _cached(key)) is not None:
            return figures
    return None


def _figures_for(scope: Scope) -> dict:
    key = stored.cache_key(scope.quarter, _unit_ids(scope))
    figures: dict | None
    if not settings.REPORT_CACHE_SECONDS:
        figures = _computed(scope)
    elif (figures := _cached(key)) is not None:
        pass
    elif (figures := _stored(scope)) is not None:
        _cache(key, figures)
    else:
        lock = f"{key}:lock"
        if _locked(lock):
            try:
                figures = _computed(scope)
                stored.save(scope.quarter, _unit_ids(scope), figures, municipal=scope.municipal)
                _cache(key, figures)
            finally:
                try:
                    cache.delete(lock)
                except Exception:
                    logger.warning("The cache does not answer; the lock lapses by itself.")
        else:
            figures = _wait_for(key) or _computed(scope)
    # Name a drill-down by its filters, not by the list of its units.
    figures["scope"]["label"] = scope.label
    return figures


def _protected(figures: dict) -> dict:
    """`protect(figures)`, kept in the cache with the figures it protects: finding
    the complementary cells takes most of a warm dashboard's time when there are
    many small counts (88 ms of 90 at 1,000 children)."""
    if not settings.REPORT_CACHE_SECONDS:
        return protect(figures)
    scope = figures["scope"]
    which = f"{figures['quarter']}:{scope['units']}:{scope['label']}:{figures['computed_at']}"
    key = "reports:protected:" + hashlib.sha256(which.encode()).hexdigest()
    if (protected := _cached(key)) is None:
        protected = protect(figures)
        _cache(key, protected)
    return protected


def _charts(figures: dict, suppress: bool) -> dict[str, tuple[str, str]]:
    """(chart, caption) to show above the table of the same key."""
    return {
        "zones_total": (
            charts.zone_distribution_chart(
                figures["zones"]["total"], suppress=suppress, chart_id="chart-zones"
            ),
            "",
        ),
        "comparison": (
            charts.comparison_chart(figures, suppress=suppress, chart_id="chart-comparison"),
            _("Andel af de vurderede børn i zone 4–5"),
        ),
        "staircase": (
            charts.staircase_chart(figures, suppress=suppress, chart_id="chart-staircase"),
            "",
        ),
    }


@login_required
@require_GET
@reads_from_replica
def report_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = report_scope(request)
    figures = _figures_for(scope)
    if scope.suppress:
        figures = _protected(figures)
    chart_by_key = _charts(figures, scope.suppress)
    sections = [
        {"table": table, "chart": chart_by_key.get(table.key, ("", ""))}
        for table in tables(figures, suppress=scope.suppress)
    ]
    ctx = {
        "scope": scope,
        "computed_at": datetime.fromisoformat(figures["computed_at"]),
        "is_current": scope.quarter == current_quarter(),
        "suppression_note": suppression_note(),
        "summary": summary(figures, suppress=scope.suppress),
        "sections": sections,
        "quarters": quarter_choices(scope.quarter),
        "districts": list(District.objects.all()) if scope.municipal else [],
        "unit_kinds": enrolling_kinds() if scope.municipal else [],
    }
    template = "reports/dashboard.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#main"
    return render(request, template, ctx)


@login_required
@require_GET
@reads_from_replica
def report_export(request: AuthenticatedHttpRequest, format: str) -> HttpResponse:
    scope = report_scope(request)
    figures = _figures_for(scope)
    heading = heading_rows(scope)
    blocks = tables(figures, suppress=scope.suppress)
    filename = f"kvartalsstatus-{scope.quarter}.{format}"
    if format == "xlsx":
        response = HttpResponse(
            xlsx_bytes(heading, blocks),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(csv_bytes(heading, blocks), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def heading_rows(scope: Scope) -> list[list[str]]:
    rows = [
        [_("Kvartalsstatus for Børne- og Skoleudvalget")],
        [_("Kvartal"), scope.quarter.label],
        [_("Periode"), f"{_date(scope.quarter.start)} – {_date(scope.quarter.end)}"],
        [_("Omfang"), scope.label],
        [_("Udtrukket"), _date(timezone.localdate())],
    ]
    if scope.suppress:
        rows.append([suppression_note()])
    return rows


def suppression_note() -> str:
    return _(
        "Tal fra 1 til 4 vises som <5, og procenter beregnet af dem vises ikke, "
        "så intet barn kan genkendes. Et tal vist som x er skjult, for at et <5 "
        "ikke kan regnes ud fra en total."
    )


def _date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


_INTEGER = re.compile(r"^\d+$")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?( ?%)?$")


def xlsx_bytes(heading: list[list[str]], blocks: list[Table]) -> bytes:
    """One sheet: the heading, then each table as a block under its bold title."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Kvartalsstatus")[:31]
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    row = 0

    def append(values: list, *, font: Font | None = None, measure: bool = True) -> None:
        nonlocal row
        row += 1
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=_xlsx_value(value))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if font:
                cell.font = font
            if measure:
                widths[column] = max(widths.get(column, 0), len(str(value)))

    for number, values in enumerate(heading):
        append(values, font=Font(bold=True, size=14) if number == 0 else None, measure=False)
    for table in blocks:
        append([])
        append([table.title], font=Font(bold=True, size=12), measure=False)
        append(table.columns, font=bold)
        for values in table.rows:
            append(values)
        if table.note:
            append([table.note], measure=False)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    for row in sheet.iter_rows(min_col=2):
        for cell in row:
            if isinstance(cell.value, int):
                cell.alignment = Alignment(horizontal="right")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: str):
    # Whole counts as numbers, so that they can be summed in Excel; "<5", "12 %"
    # and the like stay text.
    return int(value) if isinstance(value, str) and _INTEGER.match(value) else value


def csv_bytes(heading: list[list[str]], blocks: list[Table]) -> bytes:
    """Semicolon-separated UTF-8 with a byte order mark, as Danish Excel opens
    it without asking; the tables as blocks separated by a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([[_csv_value(v) for v in row] for row in heading])
    for table in blocks:
        writer.writerow([])
        writer.writerow([_csv_value(table.title)])
        writer.writerow([_csv_value(v) for v in table.columns])
        writer.writerows([[_csv_value(v) for v in row] for row in table.rows])
        if table.note:
            writer.writerow([_csv_value(table.note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula (a unit named "=…"
    # by an administrator); a signed number such as "+3" is left alone.
    if value[:1] in ("=", "@", "\t", "\r") or (
        value[:1] in ("+", "-") and not _NUMBER.match(value)
    ):
        return "'" + value
    return value
