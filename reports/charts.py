"""Charts of the quarterly figures as inline SVG, drawn on the server.

Plain SVG with presentation attributes only (no CSS, no script, no foreignObject),
so the same markup works on the page and in WeasyPrint's PDF. Each chart has
role="img", a <title> and a <desc> that says the figures in words, and the page
shows the same figures in a table beside it.

Suppression: a suppressed count (1–4) draws no bar of its size, only the label
"<5", and the scale is taken from the visible counts only, so that the length of
the other bars does not reveal it either.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.presentation import (
    STEP_KEYS,
    ZONE_KEYS,
    assessed_count,
    count_text,
    is_small,
    percent_value,
    quarter_label,
    step_name,
    zone_name,
)
from ruler.zones import STYLES
from tidlig.lib.charts import svg_open

UNASSESSED_COLOUR = "#d9d9d9"
NEUTRAL_COLOUR = "#0059b3"  # DKFDS primary blue; white text on it is AA
INK = "#1a1a1a"


def _bars(
    bars: list[tuple[str, int | None, str, str]],
    *,
    title: str,
    description: str,
    chart_id: str,
    width: int = 640,
    label_width: int = 220,
    max_value: int | None = None,
) -> SafeString:
    """Horizontal bars: (label, value or None for "draw no bar", value text, colour)."""
    row_h, gap, top = 24, 8, 8
    value_w = 70
    plot_w = width - label_width - value_w
    height = top * 2 + len(bars) * (row_h + gap)
    visible = [value for _label, value, _text, _colour in bars if value]
    scale = max_value or max(visible, default=0)
    parts = [svg_open(width, height, chart_id=chart_id, title=title, description=description)]
    for i, (label, value, text, colour) in enumerate(bars):
        y = top + i * (row_h + gap)
        middle = y + row_h / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="end" '
                'dominant-baseline="middle">{}</text>',
                label_width - 8,
                middle,
                INK,
                label,
            )
        )
        bar_w = round(plot_w * value / scale, 1) if value and scale else 0
        if bar_w:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
                    'stroke-width="0.5"/>',
                    label_width,
                    y,
                    bar_w,
                    row_h,
                    colour,
                    INK,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}" dominant-baseline="middle">{}</text>',
                round(label_width + bar_w + 6, 1),
                middle,
                INK,
                text,
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#747474" stroke-width="1"/>',
            label_width,
            label_width,
            top - 2,
            height - top + 2,
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 (every part is built with format_html)


def _drawn(n: int, *, suppress: bool) -> int | None:
    return None if suppress and is_small(n) else n


def _describe(bars: list[tuple[str, int | None, str, str]]) -> str:
    return "; ".join(f"{label}: {text or '–'}" for label, _value, text, _colour in bars)


def zone_distribution_chart(zones_row: dict, *, suppress: bool, chart_id: str) -> SafeString:
    """Children by zone (and not assessed), one bar each, in the zones' colours."""
    bars = [
        (
            zone_name(z),
            _drawn(zones_row["zones"][z], suppress=suppress),
            count_text(zones_row["zones"][z], suppress=suppress),
            STYLES[int(z)].colour,
        )
        for z in ZONE_KEYS
    ]
    bars.append(
        (
            _("Ikke vurderet"),
            _drawn(zones_row["unassessed"], suppress=suppress),
            count_text(zones_row["unassessed"], suppress=suppress),
            UNASSESSED_COLOUR,
        )
    )
    return _bars(
        bars,
        title=_("Børn fordelt på zoner"),
        description=_describe(bars),
        chart_id=chart_id,
    )


def _share_45(figures: dict, *, suppress: bool) -> int | None:
    total = figures["zones"]["total"]
    assessed = assessed_count(total)
    return percent_value([total["zones"]["4"], total["zones"]["5"]], assessed, suppress=suppress)


def comparison_chart(figures: dict, *, suppress: bool, chart_id: str) -> SafeString:
    """Share of the assessed children in zone 4–5: this quarter, the previous one and
    the same quarter last year (only this quarter without comparison figures)."""
    columns = [figures]
    comparison = figures.get("comparison") or {}
    columns += [comparison[key] for key in ("previous", "last_year") if key in comparison]
    bars = []
    for column in columns:
        value = _share_45(column, suppress=suppress)
        text = _("Kan ikke vises") if value is None else f"{value} %"
        bars.append((quarter_label(column), value, text, STYLES[4].colour))
    return _bars(
        bars,
        title=_("Andel af de vurderede børn i zone 4–5"),
        description=_describe(bars),
        chart_id=chart_id,
        label_width=160,
        max_value=100,
    )


def staircase_chart(figures: dict, *, suppress: bool, chart_id: str) -> SafeString:
    """Interventions running at the quarter's end, by step on Indsatstrappen."""
    by_step = figures["staircase"]["by_step"]
    bars = [
        (
            step_name(s),
            _drawn(by_step[s], suppress=suppress),
            count_text(by_step[s], suppress=suppress),
            NEUTRAL_COLOUR,
        )
        for s in STEP_KEYS
    ]
    return _bars(
        bars,
        title=_("Indsatser på Indsatstrappen ved kvartalets udgang"),
        description=_describe(bars),
        chart_id=chart_id,
        label_width=300,
    )
