"""Small server-rendered SVG charts for pages and PDFs (no JavaScript, no styles).

`level_chart` draws values on a fixed scale over time: Børnelinealen's zones
(1–5, coloured bands) and LØFT's scaling answers (0–10). Colours are SVG
presentation attributes, which the Content-Security-Policy allows and
WeasyPrint renders. Callers also render the data as a table for screen readers.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Level:
    value: int
    label: str
    colour: str = ""  # a band behind the level; none if empty


def svg_open(width, height, *, chart_id: str, title: str, description: str) -> SafeString:
    """The opening <svg> of a chart, with its title and description for screen readers."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="tidlig-chart" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        description=description,
    )


_TITLE_AND_DESC = re.compile(
    r'(<title id="[^"]*">)(.*?)(</title><desc id="[^"]*">)(.*?)(</desc>)', re.DOTALL
)


def for_pdf(svg: SafeString) -> SafeString:
    """The chart for a tagged PDF: WeasyPrint takes a figure's alternative text from
    the SVG's <title> alone, so the description (the figures in words) joins it."""

    def joined(match: re.Match) -> str:
        opening, title, middle, description, closing = match.groups()
        if not description:
            return match[0]
        return f"{opening}{title}. {description}{middle}{description}{closing}"

    # Both parts were escaped when the chart was drawn (svg_open).
    return mark_safe(_TITLE_AND_DESC.sub(joined, svg, count=1))  # noqa: S308


def _ticks(first: date, last: date, count: int = 4) -> list[date]:
    if first == last:
        return [first]
    span = (last - first).days
    return [date.fromordinal(first.toordinal() + round(span * i / count)) for i in range(count + 1)]


def level_chart(
    points: list[tuple[date, int]],
    *,
    levels: list[Level],
    title: str,
    description: str = "",
    width: int = 640,
    height: int = 220,
    step: bool = True,
    label_width: int = 130,
    chart_id: str = "chart",
) -> SafeString:
    """An SVG chart of `points` (date, value) against `levels`, lowest value at the bottom.

    With `step`, the line holds each value until the next point (a zone holds
    until the next assessment); otherwise points are joined directly.
    """
    top, bottom, right = 10, 30, 36
    plot_w = width - label_width - right
    plot_h = height - top - bottom
    values = [level.value for level in levels]
    lo, hi = min(values), max(values)
    band = plot_h / (hi - lo + 1)

    def y(value: int) -> float:
        return round(top + (hi - value + 0.5) * band, 1)

    points = sorted(points)
    # Without points x() is never called; one day then stands for the empty range.
    first = points[0][0] if points else date.min
    last = points[-1][0] if points else date.min

    def x(day: date) -> float:
        if first == last:
            return round(label_width + plot_w / 2, 1)
        return round(label_width + plot_w * (day - first).days / (last - first).days, 1)

    parts = [svg_open(width, height, chart_id=chart_id, title=title, description=description)]
    for level in levels:
        top_y = round(y(level.value) - band / 2, 1)
        if level.colour:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" fill-opacity="0.35"/>',
                    label_width,
                    top_y,
                    plot_w,
                    round(band, 1),
                    level.colour,
                )
            )
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d9d9d9" stroke-width="1"/>',
                label_width,
                label_width + plot_w,
                top_y + band,
                top_y + band,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="#1a1a1a" text-anchor="end" '
                'dominant-baseline="middle">{}</text>',
                label_width - 8,
                y(level.value),
                level.label,
            )
        )
    axis_y = top + plot_h
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#747474" stroke-width="1"/>',
            label_width,
            label_width + plot_w,
            axis_y,
            axis_y,
        )
    )
    if points:
        for tick in sorted(set(_ticks(first, last))):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" fill="#454545" text-anchor="middle">'
                    "{}</text>",
                    x(tick),
                    axis_y + 18,
                    tick.strftime("%d.%m.%y"),
                )
            )
        coords: list[tuple[float, float]] = []
        for day, value in points:
            if step and coords:
                coords.append((x(day), coords[-1][1]))
            coords.append((x(day), y(value)))
        if len(coords) > 1:
            path = " ".join(f"{cx},{cy}" for cx, cy in coords)
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="#1a1a1a" stroke-width="2"/>', path
                )
            )
        for day, value in points:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="5" fill="#1a1a1a" stroke="#ffffff" '
                    'stroke-width="2"><title>{}: {}</title></circle>',
                    x(day),
                    y(value),
                    day.strftime("%d.%m.%Y"),
                    escape(str(value)),
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 (every part is built with format_html)
