"""Underretninger for the leader of Børn & Ungerådgivningen: this month's and this
quarter's figures side by side, counted by `followups.queries.underretning_figures`
as the quarterly report counts them, and every underretning past a deadline now.

The list of those past a deadline names the children, as the intake queue does, so
that the leader can act on them; opening one is audited (followups.underretninger).
"""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Role, UnitKind
from children import audit
from children.access import in_intake_of
from followups import law
from followups.models import Underretning
from followups.queries import underretning_figures, underretninger_past_deadline
from tidlig.lib.dates import Quarter


def _share(part: int, whole: int) -> str:
    if not whole:
        return str(part)
    return _("%(part)s af %(whole)s (%(percent)s %%)") % {
        "part": part,
        "whole": whole,
        "percent": round(100 * part / whole),
    }


def _table(periods: list[dict], rows: list[tuple[str, str, str | None]]) -> list:
    """(label, one cell per period) for each (label, key, key of the whole): a count,
    or a count of the whole with its share."""
    return [
        (
            label,
            [str(f[key]) if whole is None else _share(f[key], f[whole]) for f in periods],
        )
        for label, key, whole in rows
    ]


@role_required(Role.LEDER, unit_kind=UnitKind.RAADGIVNING)
@require_GET
def underretning_overview(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    quarter = Quarter.containing(today)
    month = underretning_figures(month_start, month_end, now=now)
    this_quarter = underretning_figures(quarter.start, quarter.end, now=now)
    periods = [month, this_quarter]
    assessments = _table(
        periods,
        [
            (_("Modtaget"), "received", None),
            (_("Vurderet inden for 24 timer"), "assessed_within_24h", "assessments_due"),
            (_("Vurderet for sent"), "assessed_late", None),
            (_("Ikke vurderet, fristen er overskredet"), "assessment_overdue", None),
            (_("Ikke vurderet, fristen løber endnu"), "assessment_waiting", None),
        ],
    )
    receipts = _table(
        periods,
        [
            (_("Fra en fagperson, der skal have kvittering"), "receipts_owed", None),
            (_("Kvittering sendt inden for 6 hverdage"), "receipt_within_6_days", "receipts_due"),
            (_("Kvittering sendt for sent"), "receipt_late", None),
            (_("Kvittering ikke sendt, fristen er overskredet"), "receipt_overdue", None),
            (_("Kvittering ikke sendt, fristen løber endnu"), "receipt_waiting", None),
        ],
    )
    decisions = [
        (str(label), [str(f["by_decision"][value]) for f in periods])
        for value, label in Underretning.Decision.choices
    ]
    decisions.append(
        (
            _("Ingen beslutning endnu"),
            [str(f["received"] - sum(f["by_decision"].values())) for f in periods],
        )
    )
    past_deadline = underretninger_past_deadline(now)
    # Named children: only those the leader's intake team handles (INTAKE_BY_DISTRICT).
    mine = set(
        Underretning.objects.filter(
            in_intake_of(request.user, child_ref="child"),
            pk__in=[row["item"].pk for row in past_deadline],
        ).values_list("pk", flat=True)
    )
    past_deadline = [row for row in past_deadline if row["item"].pk in mine]
    audit.log_list_view(request, [row["item"].child_id for row in past_deadline])
    ctx = {
        "month_label": formats.date_format(month_start, "F Y").capitalize(),
        "quarter_label": quarter.label,
        "assessments": assessments,
        "receipts": receipts,
        "decisions": decisions,
        "past_deadline": past_deadline,
        "law": law,
        "now": now,
    }
    return render(request, "followups/underretning_overview.html", ctx)
