"""Complementary (secondary) suppression of the quarterly figures.

Primary suppression hides a count from 1 to 4 ("<5", reports.presentation). That
alone is not enough: a published total minus the visible cells of its row gives
the hidden one back. This module models the figures the report publishes as a
system of linear equations, "total = sum of parts" (a zone row, a zone column
against the municipality's total row, the movement summary, the staircase total,
...), and hides more cells until no hidden cell is fixed by the equations.

The method (docs/figures.md, "Suppression"):

1. Hide every count from 1 to 4.
2. While some hidden cell is determined by the equations (its coordinate is 0 in
   every vector of the null space of the equations restricted to the hidden
   cells), hide more: the smallest visible cell of every equation in which a
   determined cell is the only hidden one, or, when there is none, the smallest
   visible cell of any equation with a determined cell. "Smallest"
   means the smallest count above 0, a 0 only when there is no other: a hidden
   0 beside a "<5" would leave the "<5" equal to the rest of the total. A total
   is a cell like any other, so a total can be hidden too.

Every step hides at least one more cell, so it ends. The check is exact (fractions).
`protect(figures)` returns a copy of the figures whose complementary cells are
`Hidden` ints, which reports.presentation shows as "x".
"""

import copy
from collections.abc import Hashable, Sequence
from fractions import Fraction

SMALL = range(1, 5)

Cell = Hashable
# (total, parts): the published `total` equals the sum of the `parts`.
Equation = tuple[Cell, Sequence[Cell]]


class Hidden(int):
    """A count hidden to protect a small one (complementary suppression)."""


def determined(hidden: Sequence[Cell], values: dict, equations: list[Equation]) -> set:
    """The hidden cells whose value the equations and the visible cells fix."""
    index = {cell: i for i, cell in enumerate(hidden)}
    rows: list[list[Fraction]] = []
    for total, parts in equations:
        terms = [(total, -1), *((part, 1) for part in parts)]
        row = [Fraction(0)] * len(hidden)
        for cell, sign in terms:
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            rows.append(row)
    # Reduced row echelon form: a cell is fixed iff its pivot row is a unit vector.
    pivots: list[int] = []
    r = 0
    for c in range(len(hidden)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [x - factor * y for x, y in zip(rows[i], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    fixed = set()
    for row_index, c in enumerate(pivots):
        if all(x == 0 for j, x in enumerate(rows[row_index]) if j != c):
            fixed.add(hidden[c])
    return fixed


def suppress(values: dict, equations: list[Equation]) -> tuple[set, set]:
    """(primary, complementary): the cells to hide so that no hidden one can be
    worked out from the visible cells through `equations`."""
    primary = {cell for cell, n in values.items() if n in SMALL}
    hidden = set(primary)
    order = {cell: i for i, cell in enumerate(values)}

    def smallest(cells: list) -> Cell:
        # A hidden 0 next to a "<5" would tell that the "<5" is the rest.
        return min(cells, key=lambda c: (values[c] == 0, values[c], order[c]))

    while True:
        ordered = sorted(hidden, key=order.__getitem__)
        fixed = sorted(determined(ordered, values, equations), key=order.__getitem__)
        if not fixed:
            break
        # Every equation in which a fixed cell is the only hidden one (a row total
        # minus the visible cells of the row): hide its smallest other cell.
        added = False
        for cell in fixed:
            for total, parts in equations:
                line = [total, *parts]
                if cell in line and sum(c in hidden for c in line) == 1:
                    others = [c for c in line if c not in hidden]
                    if others:
                        hidden.add(smallest(others))
                        added = True
        if added:
            continue
        # Fixed only by a combination of equations: the smallest visible cell of
        # any equation with a fixed cell.
        candidates = [
            c
            for total, parts in equations
            if set(fixed) & {total, *parts}
            for c in (total, *parts)
            if c not in hidden
        ]
        if not candidates:
            break
        hidden.add(smallest(candidates))
    return primary, hidden - primary


# The report's figures ---------------------------------------------------------------

_ZONE_COLUMNS = ("1", "2", "3", "4", "5", "unassessed", "children")


def _zone_cells(path: tuple, row: dict) -> dict:
    cells = {(*path, "zones", z): row["zones"][z] for z in _ZONE_COLUMNS[:5]}
    cells[(*path, "unassessed")] = row["unassessed"]
    cells[(*path, "children")] = row["children"]
    return cells


def _zone_row_equation(path: tuple) -> Equation:
    parts = [(*path, "zones", z) for z in _ZONE_COLUMNS[:5]] + [(*path, "unassessed")]
    return ((*path, "children"), parts)


def _cell_of(path: tuple, column: str) -> tuple:
    return (*path, "zones", column) if column in _ZONE_COLUMNS[:5] else (*path, column)


def figure_system(figures: dict) -> tuple[dict, list[Equation]]:
    """The counts the report publishes (cell: value) and their equations.

    A cell is the path of the count in `figures`. Rows by district and by unit kind
    may add up to more than the total (a child in two districts counts in both), but
    they are treated as adding up to it, which can only hide more."""
    values: dict = {}
    equations: list[Equation] = []

    zones = figures["zones"]
    total = ("zones", "total")
    values.update(_zone_cells(total, zones["total"]))
    total_row = zones["total"]
    values[(*total, "assessed")] = total_row["children"] - total_row["unassessed"]
    equations.append(_zone_row_equation(total))
    equations.append(((*total, "assessed"), [(*total, "zones", z) for z in _ZONE_COLUMNS[:5]]))
    for group in ("by_district", "by_unit_kind", "by_age_band"):
        paths = [("zones", group, i) for i in range(len(zones[group]))]
        for path, row in zip(paths, zones[group], strict=True):
            values.update(_zone_cells(path, row))
            equations.append(_zone_row_equation(path))
        if paths:
            for column in _ZONE_COLUMNS:
                equations.append(
                    (_cell_of(total, column), [_cell_of(path, column) for path in paths])
                )

    movement = figures["movement"]
    size = len(movement["matrix"])
    cells = {
        ("movement", "matrix", i, j): movement["matrix"][i][j]
        for i in range(size)
        for j in range(size)
    }
    values.update(cells)
    for key in ("children", "improved", "unchanged", "worsened"):
        values[("movement", key)] = movement[key]
    equations += [
        (("movement", "children"), list(cells)),
        (("movement", "improved"), [c for c in cells if c[3] < c[2]]),
        (("movement", "unchanged"), [c for c in cells if c[3] == c[2]]),
        (("movement", "worsened"), [c for c in cells if c[3] > c[2]]),
    ]

    meetings = figures["meetings"]
    for key in ("due", "on_time", "late", "missed"):
        values[("meetings", key)] = meetings[key]
    equations.append(
        (("meetings", "due"), [("meetings", k) for k in ("on_time", "late", "missed")])
    )

    stairs = figures["staircase"]
    steps = [("staircase", "by_step", s) for s in stairs["by_step"]]
    for cell in steps:
        values[cell] = stairs["by_step"][cell[2]]
    values[("staircase", "running")] = sum(stairs["by_step"].values())
    equations.append((("staircase", "running"), steps))
    for key in ("moves", "moves_down", "moves_up"):
        values[("staircase", key)] = stairs[key]
    equations.append(
        (("staircase", "moves"), [("staircase", "moves_down"), ("staircase", "moves_up")])
    )
    return values, equations


def _set(figures: dict, cell: tuple, value: int) -> None:
    target = figures
    for key in cell[:-1]:
        target = target[key]
    target[cell[-1]] = value


def protect(figures: dict) -> dict:
    """A copy of `figures` (and of its comparison blocks) with the complementary
    cells as `Hidden`, and the derived totals the report shows (`zones.total.assessed`,
    `staircase.running`) added."""
    if figures.get("protected"):
        return figures
    result = copy.deepcopy(figures)
    result["protected"] = True
    blocks = [result, *(result.get("comparison") or {}).values()]
    for block in blocks:
        values, equations = figure_system(block)
        block["zones"]["total"]["assessed"] = values[("zones", "total", "assessed")]
        block["staircase"]["running"] = values[("staircase", "running")]
        _primary, complementary = suppress(values, equations)
        for cell in complementary:
            _set(block, cell, Hidden(values[cell]))
    return result
