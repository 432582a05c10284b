"""Absence (fravær) as a signal: a child's months, the chart, and the flag.

The flag (docs/import.md, "Absence as a signal"): a child whose absence at a unit
was at least settings.ABSENCE_FLAG_LAST_MONTH_PCT per cent in its latest complete
month on record, or at least ABSENCE_FLAG_THREE_MONTHS_PCT per cent over that month
and the two before it (all days or lessons added up), and about whom no concern
has been observed and no assessment made in the last ABSENCE_FLAG_QUIET_DAYS days.
The latest month counts only if it is one of the two months before the current
one: a month still running is not complete, and a flag must not live on old data.
"Ulovligt fravær" is shown beside the share, not counted on its own.

The assessments (ruler) are reached through the reverse relation
`Child.assessments`, so that `children` imports nothing from the apps above it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from children.models import AbsenceRecord, Child, Concern, share_percent
from tidlig.lib.charts import svg_open

# The months the three-month share adds up: the latest and the two before it.
WINDOW_MONTHS = 3
# The months the child page shows (a year).
PAGE_MONTHS = 12


@dataclass(frozen=True)
class Window:
    """A child's absence at one unit over the three months ending with `month`."""

    child_id: int
    unit_id: int
    month: date
    last: AbsenceRecord
    absent: Decimal
    possible: Decimal

    @property
    def percent(self) -> int:
        return self.last.percent

    @property
    def three_month_percent(self) -> int:
        return share_percent(self.absent, self.possible)

    @property
    def over_threshold(self) -> bool:
        last_month = self.last.absent * 100 >= settings.ABSENCE_FLAG_LAST_MONTH_PCT * (
            self.last.possible
        )
        three = self.absent * 100 >= settings.ABSENCE_FLAG_THREE_MONTHS_PCT * self.possible
        return last_month or three


@dataclass
class AbsenceFlag:
    child: Child
    window: Window

    @property
    def note(self) -> str:
        return absence_note(self.window)


def absence_note(window: Window) -> str:
    """The line a concern about the absence starts with (the one-click concern)."""
    text = _("Fravær: %(percent)s %% i %(month)s") % {
        "percent": window.percent,
        "month": date_format(window.month, "F Y"),
    }
    details = [
        _("%(absent)s af %(possible)s %(measure)s")
        % {
            "absent": _number(window.last.absent),
            "possible": _number(window.last.possible),
            "measure": window.last.get_measure_display(),
        }
    ]
    if window.last.unlawful:
        details.append(
            _("heraf %(unlawful)s ulovligt") % {"unlawful": _number(window.last.unlawful)}
        )
    details.append(
        _("%(percent)s %% de seneste tre måneder") % {"percent": window.three_month_percent}
    )
    return f"{text} ({', '.join(details)})."


def _number(value: Decimal) -> str:
    """4.5 as "4,5", 3.0 as "3"."""
    text = f"{value.normalize():f}" if value != value.to_integral() else f"{int(value)}"
    return text.replace(".", ",")


def _month_before(month: date, months: int) -> date:
    return month - relativedelta(months=months)


def windows(records, *, this_month: date) -> list[Window]:
    """Each (child, unit)'s window ending with its latest complete month on record,
    if that month is one of the two before `this_month`. `records` are AbsenceRecords
    of at least the last WINDOW_MONTHS + 1 complete months."""
    by_pair: dict[tuple[int, int], dict[date, AbsenceRecord]] = {}
    for record in records:
        if record.month < this_month:
            by_pair.setdefault((record.child_id, record.unit_id), {})[record.month] = record
    found = []
    oldest = _month_before(this_month, 2)
    for (child_id, unit_id), months in by_pair.items():
        latest = max(months)
        if latest < oldest:
            continue
        found.append(window_ending(child_id, unit_id, latest, months))
    return found


def window_ending(child_id: int, unit_id: int, month: date, months: dict) -> Window:
    first = _month_before(month, WINDOW_MONTHS - 1)
    inside = [r for m, r in months.items() if first <= m <= month]
    return Window(
        child_id=child_id,
        unit_id=unit_id,
        month=month,
        last=months[month],
        absent=sum((r.absent for r in inside), Decimal(0)),
        possible=sum((r.possible for r in inside), Decimal(0)),
    )


def active_children(child_ids, since: date, until: date | None = None) -> dict[int, list[date]]:
    """The days (observed or assessed) from `since` (to `until`) on which a concern
    was observed or an assessment made about one of the children (a list of ids or
    a queryset of them), by child: two queries, whatever the number of children."""
    if isinstance(child_ids, list | set | tuple):
        # Never an empty list, which Django answers without a query.
        child_ids = list(child_ids) or [0]
    concerns = Concern.objects.filter(child__in=child_ids, observed_on__gte=since)
    assessed = Child.objects.filter(pk__in=child_ids, assessments__assessed_on__gte=since)
    if until is not None:
        concerns = concerns.filter(observed_on__lte=until)
        assessed = assessed.filter(assessments__assessed_on__lte=until)
    found: dict[int, list[date]] = {}
    rows = [
        *concerns.values_list("child_id", "observed_on"),
        *assessed.values_list("pk", "assessments__assessed_on"),
    ]
    for child_id, day in rows:
        found.setdefault(child_id, []).append(day)
    return found


def flags(children: QuerySet, unit_ids: list[int], today: date | None = None) -> list[AbsenceFlag]:
    """The children of `children` (a Child queryset) flagged for their absence at one
    of the units, the highest latest share first; a child flagged at two units once,
    at the one with the highest share. Four queries, whatever the number of children."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    records = AbsenceRecord.objects.filter(
        child__in=children.values("pk"),
        unit_id__in=unit_ids,
        month__gte=_month_before(this_month, WINDOW_MONTHS + 1),
        month__lt=this_month,
    )
    over = [w for w in windows(records, this_month=this_month) if w.over_threshold]
    named = {
        child.pk: child for child in Child.objects.filter(pk__in={w.child_id for w in over} or {0})
    }
    since = today - timedelta(days=settings.ABSENCE_FLAG_QUIET_DAYS)
    active = active_children(list(named), since)
    best: dict[int, Window] = {}
    for w in over:
        if w.child_id in active:
            continue
        seen = best.get(w.child_id)
        if seen is None or (w.percent, w.three_month_percent) > (
            seen.percent,
            seen.three_month_percent,
        ):
            best[w.child_id] = w
    found = [AbsenceFlag(named[pk], w) for pk, w in best.items()]
    found.sort(key=lambda f: (-f.window.percent, -f.window.three_month_percent, str(f.child)))
    return found


def latest_note(child: Child, readable: Q, today: date | None = None) -> str:
    """The absence note (`absence_note`) of the child's highest latest month among the
    records the user reads, or "" when there is none: the text the one-click concern
    starts with."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    records = AbsenceRecord.objects.filter(
        readable,
        child=child,
        month__gte=_month_before(this_month, WINDOW_MONTHS + 1),
        month__lt=this_month,
    )
    found = windows(records, this_month=this_month)
    if not found:
        return ""
    return absence_note(max(found, key=lambda w: (w.percent, w.three_month_percent)))


# The child page


@dataclass(frozen=True)
class Month:
    record: AbsenceRecord
    unit_name: str
    over: bool


def months_of(child: Child, readable: Q, today: date | None = None) -> list[Month]:
    """The child's months of absence the user reads (children.access.readable_absence)
    from the last PAGE_MONTHS, oldest first."""
    today = today or timezone.localdate()
    first = _month_before(today.replace(day=1), PAGE_MONTHS - 1)
    records = (
        AbsenceRecord.objects.filter(readable, child=child, month__gte=first)
        .select_related("unit")
        .order_by("month", "unit__name", "pk")
    )
    limit = settings.ABSENCE_FLAG_LAST_MONTH_PCT
    return [Month(r, r.unit.name, r.absent * 100 >= limit * r.possible) for r in records]


CHART_BAR = "#0059b3"  # DKFDS primary blue
CHART_OVER = "#b51d09"  # DKFDS error red, for a month over the threshold
INK = "#1a1a1a"


def absence_chart(months: list[Month], *, chart_id: str = "absence-chart") -> SafeString | str:
    """Columns of the monthly share absent with the threshold as a dashed line, as
    inline SVG (presentation attributes only, no styles or script)."""
    if not months:
        return ""
    width, height = 640, 220
    left, right, top, bottom = 44, 84, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    limit = settings.ABSENCE_FLAG_LAST_MONTH_PCT
    scale = max(25, limit + 5, *(m.record.percent for m in months))
    scale = ((scale + 4) // 5) * 5
    slot = plot_w / len(months)
    bar_w = min(40.0, slot * 0.6)

    def y(value: float) -> float:
        return round(top + plot_h - plot_h * value / scale, 1)

    over = sum(1 for m in months if m.over)
    description = _(
        "%(count)s måneder fra %(first)s til %(last)s. Senest %(percent)s %% i %(month)s. "
        "%(over)s måneder på eller over %(limit)s %%."
    ) % {
        "count": len(months),
        "first": date_format(months[0].record.month, "F Y"),
        "last": date_format(months[-1].record.month, "F Y"),
        "percent": months[-1].record.percent,
        "month": date_format(months[-1].record.month, "F Y"),
        "over": over,
        "limit": limit,
    }
    parts = [
        svg_open(
            width, height, chart_id=chart_id, title=_("Fravær pr. måned"), description=description
        )
    ]
    for tick in range(0, scale + 1, 5 if scale <= 30 else 10):
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d9d9d9" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="11" fill="#454545" text-anchor="end" '
                'dominant-baseline="middle">{} %</text>',
                left,
                left + plot_w,
                y(tick),
                y(tick),
                left - 6,
                y(tick),
                tick,
            )
        )
    for i, month in enumerate(months):
        record = month.record
        x = round(left + slot * i + (slot - bar_w) / 2, 1)
        top_y = y(record.percent)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                x,
                top_y,
                round(bar_w, 1),
                round(y(0) - top_y, 1),
                CHART_OVER if month.over else CHART_BAR,
                f"{date_format(record.month, 'F Y')}, {month.unit_name}: {record.percent} %",
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="middle">{}</text>',
                round(x + bar_w / 2, 1),
                y(0) + 16,
                INK,
                date_format(record.month, "M y"),
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" '
            'stroke-dasharray="6 4"/><text x="{}" y="{}" font-size="11" fill="{}" '
            'dominant-baseline="middle">{}</text>',
            left,
            left + plot_w,
            y(limit),
            y(limit),
            INK,
            left + plot_w + 6,
            y(limit),
            INK,
            _("Grænse %(limit)s %%") % {"limit": limit},
        )
    )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#747474" stroke-width="1"/>',
            left,
            left + plot_w,
            y(0),
            y(0),
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 (every part is built with format_html)
