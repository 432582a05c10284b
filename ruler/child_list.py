"""The latest zone on "Mine børn": a column and a filter (registered with children.listing)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from children import listing
from ruler import zones
from ruler.models import annotate_latest

NOT_ASSESSED = "ingen"


def zone_choices() -> list[tuple[str, str]]:
    return [
        *((str(s.number), f"{s.number} · {s.label}") for s in reversed(zones.STYLES.values())),
        (NOT_ASSESSED, str(_("Ikke vurderet endnu"))),
    ]


def filter_by_zone(children: QuerySet, value: str) -> QuerySet:
    if value == NOT_ASSESSED:
        return children.filter(latest_zone__isnull=True)
    return children.filter(latest_zone=int(value))


listing.register(
    listing.Extension(
        name="zone",
        label=_("Zone"),
        annotate=annotate_latest,
        choices=zone_choices,
        all_label=_("Alle zoner"),
        apply=filter_by_zone,
        cell_template="ruler/child_list_cell.html",
    )
)
