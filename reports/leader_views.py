"""Status for leaders, on screen and as PDF.

- An institution leader prints the quarterly status of their own unit(s): the
  committee's template (templates/reports/quarterly_pdf.html) with the figures of
  their dashboard, not suppressed, for they are the unit's own children.
  `reports.views.report_scope` decides the population, as for the dashboard.
- The leader of a Børn & Ungerådgivning unit sees the status of the unit for a
  quarter: the caseload per caseworker, the follow-up meetings held on time
  (followups.punctuality) and the intake's deadlines met (followups.queries,
  counted as for the quarterly report) — on a page and as a PDF.

Counts only: no page or file here names a child, so nothing is audited.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role, UnitKind, User
from children.access import in_intake_of, intake_districts
from children.models import Child
from followups.models import Case
from followups.punctuality import Tally, coordinator_rows
from followups.queries import underretning_figures
from reports.generate import pdf_context
from reports.views import _figures_for, current_quarter, quarter_choices, report_scope
from tidlig.lib.dates import Quarter
from tidlig.lib.pdf import pdf_response, render_pdf
from tidlig.lib.replica import reads_from_replica


def in_filename(name: str) -> str:
    """A unit's name as part of a file name: "Børnehaven Solsikken" → "børnehaven-solsikken"
    (Danish letters kept; pdf_response encodes them)."""
    return re.sub(r"[\W_]+", "-", name.lower()).strip("-")


# The institution leader's quarterly status ---------------------------------------------


@login_required
@require_GET
@reads_from_replica
def leader_status_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = report_scope(request)
    if scope.municipal:
        # The forvaltning's PDF is the committee's, from the archive.
        raise PermissionDenied
    figures = _figures_for(scope)
    ctx = pdf_context(figures, generated_at=timezone.now(), suppress=False)
    ctx["municipality"] = settings.MUNICIPALITY_NAME
    pdf = render_pdf("reports/quarterly_pdf.html", ctx, request=request)
    what = in_filename(scope.unit.name) if scope.unit else "mine-enheder"
    return pdf_response(pdf, f"kvartalsstatus-{what}-{scope.quarter.in_filename}.pdf")


# The rådgivning leader's status ----------------------------------------------------------


@dataclass
class Caseworker:
    user: User
    open_cases: int = 0
    opened: int = 0
    closed: int = 0
    meetings: Tally = field(default_factory=Tally)


def _quarter(request: HttpRequest) -> Quarter:
    """The quarter asked for (?kvartal=2026Q3), the current one by default or when
    the value is no quarter offered."""
    current = current_quarter()
    try:
        quarter = Quarter.parse(request.GET.get("kvartal", ""))
    except ValueError:
        return current
    offered = {value for value, _label in quarter_choices(current)}
    return quarter if str(quarter) in offered else current


def _share(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return _("%(part)s af %(whole)s (%(percent)s %%)") % {
        "part": part,
        "whole": whole,
        "percent": round(100 * part / whole),
    }


def raadgivning_status_context(user: User, quarter: Quarter) -> dict:
    units = list(user.units_with_role(Role.LEDER).filter(kind=UnitKind.RAADGIVNING))
    today = timezone.localdate()
    now = timezone.now()
    staff = list(
        User.objects.filter(
            is_active=True,
            memberships__unit__in=units,
            memberships__role=Role.RAADGIVER,
        ).distinct()
    )
    rows = {worker.pk: Caseworker(worker) for worker in staff}
    caseload = (
        Case.objects.filter(coordinator__in=staff)
        .values("coordinator")
        .annotate(
            open_cases=Count("pk", filter=Q(closed_on__isnull=True)),
            opened=Count("pk", filter=Q(opened_on__range=(quarter.start, quarter.end))),
            closed=Count("pk", filter=Q(closed_on__range=(quarter.start, quarter.end))),
        )
        .order_by()
    )
    for row in caseload:
        worker = rows[row["coordinator"]]
        worker.open_cases, worker.opened, worker.closed = (
            row["open_cases"],
            row["opened"],
            row["closed"],
        )
    for row in coordinator_rows(quarter.start, quarter.end, today=today).filter(
        case__coordinator__in=staff
    ):
        rows[row["coordinator"]].meetings += Tally(row["on_time"], row["late"], row["missed"])
    caseworkers = sorted(rows.values(), key=lambda row: str(row.user).lower())
    meetings = sum((row.meetings for row in caseworkers), Tally())

    # The intake the leader's team handles: all of it, or its districts' children.
    children = None
    if intake_districts(user) is not None:
        children = Child.objects.filter(in_intake_of(user))
    intake = underretning_figures(quarter.start, quarter.end, children, now=now)
    return {
        "units": units,
        "unit_label": ", ".join(unit.name for unit in units),
        "quarter": quarter,
        "is_current": quarter == current_quarter(),
        "caseworkers": caseworkers,
        "totals": {
            "open_cases": sum(row.open_cases for row in caseworkers),
            "opened": sum(row.opened for row in caseworkers),
            "closed": sum(row.closed for row in caseworkers),
            "meetings": meetings,
        },
        "intake": intake,
        "intake_rows": [
            (_("Modtaget"), str(intake["received"])),
            (
                _("Vurderet inden for 24 timer"),
                _share(intake["assessed_within_24h"], intake["assessments_due"]),
            ),
            (_("Ikke vurderet, fristen er overskredet"), str(intake["assessment_overdue"])),
            (
                _("Kvittering sendt inden for 6 hverdage"),
                _share(intake["receipt_within_6_days"], intake["receipts_due"]),
            ),
            (_("Kvittering ikke sendt, fristen er overskredet"), str(intake["receipt_overdue"])),
        ],
        "meeting_share": _share(meetings.on_time, meetings.total),
        "generated_at": now,
        "municipality": settings.MUNICIPALITY_NAME,
    }


@role_required(Role.LEDER, unit_kind=UnitKind.RAADGIVNING)
@require_GET
@reads_from_replica
def raadgivning_status(request: AuthenticatedHttpRequest) -> HttpResponse:
    quarter = _quarter(request)
    ctx = raadgivning_status_context(request.user, quarter)
    ctx["quarters"] = quarter_choices(quarter)
    return render(request, "reports/raadgivning_status.html", ctx)


@role_required(Role.LEDER, unit_kind=UnitKind.RAADGIVNING)
@require_GET
@reads_from_replica
def raadgivning_status_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    quarter = _quarter(request)
    ctx = raadgivning_status_context(request.user, quarter)
    pdf = render_pdf("reports/raadgivning_status_pdf.html", ctx, request=request)
    return pdf_response(pdf, f"status-raadgivningen-{quarter.in_filename}.pdf")
