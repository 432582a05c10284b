"""A unit's groups (accounts.models.UnitGroup): how their names compare and what
kind a new one is, for the administrator's pages and the CSV import alike."""

import re

from accounts.models import GroupKind, Unit, UnitGroup, UnitKind

# The kind of group a new group of a unit most likely is.
DEFAULT_GROUP_KIND: dict[str, str] = {
    UnitKind.DAGPLEJE: GroupKind.TEAM,
    UnitKind.VUGGESTUE: GroupKind.STUE,
    UnitKind.BOERNEHAVE: GroupKind.STUE,
    UnitKind.SKOLE: GroupKind.KLASSE,
    UnitKind.SFO: GroupKind.HOLD,
    UnitKind.KLUB: GroupKind.HOLD,
}


def default_kind(unit: Unit) -> str:
    return DEFAULT_GROUP_KIND.get(unit.kind, GroupKind.TEAM)


def clean_name(name: str) -> str:
    """A group's name as stored: inner runs of spaces made one, none around it."""
    return " ".join(name.split())


def name_key(name: str) -> str:
    """What two names must share to be the same group ("0.a" is 0.A)."""
    return clean_name(name).casefold()


def same_name_group(unit: Unit, name: str) -> UnitGroup | None:
    """The unit's group with this name (see name_key), open or closed."""
    key = name_key(name)
    return next((g for g in unit.groups.all() if name_key(g.name) == key), None)


def sort_key(name: str) -> list:
    """Names in the order a person expects: 1.A, 2.A, … 9.B, 10.A (not 10.A after 1.B)."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]
