"""Børnelinealen's five zones: numbers, names and colours, defined once.

Pages, PDFs and charts all read their zone names and colours from here, so a
zone looks and reads the same everywhere. Colour is never the only signal:
every place a colour is shown also shows the number and the name.
`static/css/zones.css` is generated from this module (`make zones-css`), and a
test fails if the committed file differs.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Zone(models.IntegerChoices):
    TRIVSEL = 1, _("Trivsel")
    MODERAT_TRIVSEL = 2, _("Moderat trivsel")
    SAARBAR = 3, _("Sårbar")
    UDSAT = 4, _("Udsat")
    TRUET = 5, _("Truet")


@dataclass(frozen=True)
class ZoneStyle:
    zone: Zone
    colour: str  # background, as #rrggbb
    ink: str  # text on that background; contrast at least 4.5:1 (WCAG AA)
    summary: str | Promise  # one line for the clickable ruler and the guide (lazy)

    @property
    def number(self) -> int:
        return int(self.zone)

    @property
    def label(self) -> str:
        return str(self.zone.label)

    @property
    def css_class(self) -> str:
        return f"tidlig-zone-{self.number}"


STYLES: dict[int, ZoneStyle] = {
    style.number: style
    for style in (
        ZoneStyle(
            Zone.TRIVSEL, "#1e7b34", "#ffffff", _("Barnet trives og udvikler sig alderssvarende.")
        ),
        ZoneStyle(
            Zone.MODERAT_TRIVSEL,
            "#a6d26b",
            "#1a1a1a",
            _("Barnet trives overvejende, men noget skal holdes øje med."),
        ),
        ZoneStyle(
            Zone.SAARBAR,
            "#ffd23f",
            "#1a1a1a",
            _("Der er bekymring for barnets trivsel eller udvikling."),
        ),
        ZoneStyle(
            Zone.UDSAT,
            "#f28c28",
            "#1a1a1a",
            _("Barnets trivsel eller udvikling er alvorligt truet over tid."),
        ),
        ZoneStyle(
            Zone.TRUET, "#b3261e", "#ffffff", _("Barnets sundhed eller udvikling er i fare nu.")
        ),
    )
}

# Zones where the three columns must be filled in and the guide asks for action.
CONCERN_ZONES = {Zone.SAARBAR, Zone.UDSAT, Zone.TRUET}

# An assessment in zone 3–5 older than this is flagged on the unit overview.
STALE_AFTER_DAYS = 90


def is_stale(zone: int, assessed_on: date, today: date) -> bool:
    """A concern zone not assessed again for more than STALE_AFTER_DAYS."""
    return zone in CONCERN_ZONES and assessed_on < today - timedelta(days=STALE_AFTER_DAYS)


def style(zone: int | None) -> ZoneStyle | None:
    return STYLES.get(zone) if zone else None


def css() -> str:
    """The stylesheet `static/css/zones.css`, generated from STYLES."""
    lines = [
        "/* Generated from ruler/zones.py by `make zones-css`: do not edit by hand. */",
        "",
    ]
    for s in STYLES.values():
        lines += [
            f".{s.css_class} {{",
            f"  --tidlig-zone-colour: {s.colour};",
            f"  --tidlig-zone-ink: {s.ink};",
            "}",
            "",
        ]
    lines += [
        "/* A zone anywhere in the text: number and name on the zone's colour. */",
        ".tidlig-zone-badge {",
        "  display: inline-block;",
        "  padding: 0.2rem 0.8rem;",
        "  border-radius: 1.2rem;",
        "  border: 1px solid #1a1a1a;",
        "  background: var(--tidlig-zone-colour, #f5f5f5);",
        "  color: var(--tidlig-zone-ink, #1a1a1a);",
        "  font-weight: 600;",
        "  white-space: nowrap;",
        "}",
        "",
    ]
    return "\n".join(lines)
