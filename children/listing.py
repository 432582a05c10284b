"""Extra filters and columns on "Mine børn", registered by the apps above `children`.

Like `children.timeline`, this keeps `children` from importing the apps that
know more about a child. Each extension annotates the listing's queryset (so a
column costs no query per row), adds one choice field to the search form, and
renders one cell per child:

    listing.register(listing.Extension(
        name="zone", label=_("Zone"), annotate=annotate_latest,
        choices=zone_choices, apply=filter_zone, cell_template="ruler/child_list_cell.html"))
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Extension:
    name: str  # the form field and query parameter
    label: str  # the filter's label and the column's header
    annotate: Callable[[QuerySet], QuerySet]
    choices: Callable[[], list[tuple[str, str]]]  # without the empty "all" choice
    all_label: str  # the empty choice, e.g. "Alle zoner"
    apply: Callable[[QuerySet, str], QuerySet]  # filter by a chosen (valid) value
    cell_template: str  # rendered with `child`


_extensions: list[Extension] = []


def register(extension: Extension) -> Extension:
    if all(e.name != extension.name for e in _extensions):
        _extensions.append(extension)
    return extension


def unregister(name: str) -> None:
    _extensions[:] = [e for e in _extensions if e.name != name]


def extensions() -> list[Extension]:
    return list(_extensions)
