"""Complementary suppression (reports.suppression): no "<5" can be worked out from
the published totals. The checks here solve the published equations themselves,
through a null space of their own."""

import random
from fractions import Fraction

from django.test import SimpleTestCase

from reports.presentation import HIDDEN, SUPPRESSED, tables
from reports.suppression import Hidden, figure_system, protect, suppress
from reports.tests import sample


def _null_space(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """A basis of {x : rows · x = 0}, by Gauss–Jordan elimination."""
    rows = [list(row) for row in rows]
    pivots: dict[int, int] = {}  # column: row
    r = 0
    for column in range(width):
        pivot = next((i for i in range(r, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [x / rows[r][column] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][column] != 0:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots[column] = r
        r += 1
    basis = []
    for free in (c for c in range(width) if c not in pivots):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for column, row in pivots.items():
            vector[column] = -rows[row][free]
        basis.append(vector)
    return basis


def pinned(unknowns: list, equations: list[list[tuple]]) -> list:
    """The unknowns that the equations fix to one value. Each equation is a list of
    (cell, coefficient) summing to a known number. The solutions are one solution
    plus the null space, so an unknown is fixed iff every null space vector is 0
    at it."""
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows = []
    for terms in equations:
        row = [Fraction(0)] * len(unknowns)
        for cell, coefficient in terms:
            if cell in index:
                row[index[cell]] += coefficient
        if any(row):
            rows.append(row)
    basis = _null_space(rows, len(unknowns))
    return [cell for cell, i in index.items() if all(vector[i] == 0 for vector in basis)]


def margin_system(matrix: list[list[int]]) -> tuple[dict, list]:
    """A table with its row totals, column totals and grand total, as published."""
    rows, columns = len(matrix), len(matrix[0])
    values: dict[tuple, int] = {(i, j): matrix[i][j] for i in range(rows) for j in range(columns)}
    for i in range(rows):
        values[(i, "total")] = sum(matrix[i])
    for j in range(columns):
        values[("total", j)] = sum(matrix[i][j] for i in range(rows))
    values[("total", "total")] = sum(map(sum, matrix))
    equations: list[tuple[tuple, list[tuple]]] = [
        ((i, "total"), [(i, j) for j in range(columns)]) for i in range(rows)
    ]
    equations += [(("total", j), [(i, j) for i in range(rows)]) for j in range(columns)]
    equations.append((("total", "total"), [(i, "total") for i in range(rows)]))
    equations.append((("total", "total"), [("total", j) for j in range(columns)]))
    return values, equations


def published_equations(equations: list) -> list[list[tuple]]:
    return [[(total, -1), *((part, 1) for part in parts)] for total, parts in equations]


class PropertyTestCase(SimpleTestCase):
    def test_no_suppressed_cell_of_a_random_table_is_pinned(self) -> None:
        generator = random.Random(18)  # noqa: S311 -- a seeded test, not a secret
        for _round in range(500):
            rows, columns = generator.randint(2, 5), generator.randint(2, 5)
            matrix = [
                [generator.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 20]) for _j in range(columns)]
                for _i in range(rows)
            ]
            values, equations = margin_system(matrix)
            primary, complementary = suppress(values, equations)
            hidden = sorted(primary | complementary, key=str)
            with self.subTest(matrix=matrix):
                self.assertEqual(primary, {c for c, n in values.items() if 1 <= n <= 4})
                self.assertFalse(pinned(hidden, published_equations(equations)))

    def test_primary_suppression_alone_lets_a_small_cell_be_worked_out(self) -> None:
        # What the report did before: only the 1 is hidden, the row total gives it back.
        values, equations = margin_system([[1, 10], [7, 9]])
        self.assertEqual(pinned([(0, 0)], published_equations(equations)), [(0, 0)])
        primary, complementary = suppress(values, equations)
        self.assertEqual(primary, {(0, 0)})
        self.assertEqual(complementary, {(0, 1), (1, 0), (1, 1)})


def _number(text: str) -> int:
    return int(text.replace(".", ""))


class PublishedZoneTablesTestCase(SimpleTestCase):
    """The zone tables as a reader gets them: the rows by district, unit kind and age
    band add up to their row's "Børn i alt" and, column by column, to the
    municipality's row (a child in two districts counts in both, so a reader may
    assume they do). No "<5" may follow from those equations."""

    def figures(self) -> dict:
        figures = sample.figures()
        zones = figures["zones"]
        # A district whose zone 3 is 1: total − the other zones = 1 on today's report.
        zones["by_district"][1]["zones"]["3"] = 1
        zones["by_district"][1]["children"] = 977 - 50 + 1
        zones["total"]["zones"]["3"] = 51
        zones["total"]["children"] = 2000 - 50 + 1
        # The age bands partition the total: one band with a 2 in zone 5.
        band = zones["by_age_band"][0]
        band["zones"] = dict(zones["total"]["zones"])
        band["zones"]["5"] = 2
        band["zones"]["1"] += 1
        band["unassessed"] = zones["total"]["unassessed"]
        band["children"] = zones["total"]["children"]
        return figures

    def assert_nothing_pinned(self, figures: dict) -> None:
        published = {t.key: t for t in tables(figures, suppress=True)}
        unknowns: list = []
        equations: list[list[tuple]] = []

        def cell(key: str, row: int, column: int):
            text = published[key].rows[row][column]
            if text in (SUPPRESSED, HIDDEN):
                name = (key, row, column)
                if name not in unknowns:
                    unknowns.append(name)
                return name, None
            return None, _number(text)

        def equation(total: tuple, parts: list[tuple]) -> None:
            terms, constant = [], 0
            for sign, (key, row, column) in [(-1, total), *((1, part) for part in parts)]:
                name, value = cell(key, row, column)
                if name is None:
                    constant += sign * value
                else:
                    terms.append((name, sign))
            equations.append(terms)

        width = len(published["zones_total"].columns)  # name, 5 zones, unassessed, total
        for key in ("zones_total", "zones_by_district", "zones_by_unit_kind", "zones_by_age_band"):
            rows = published[key].rows if key != "zones_total" else published[key].rows[:1]
            for r in range(len(rows)):
                equation((key, r, width - 1), [(key, r, c) for c in range(1, width - 1)])
            if key != "zones_total":
                for c in range(1, width):
                    equation(("zones_total", 0, c), [(key, r, c) for r in range(len(rows))])
        self.assertTrue(unknowns)
        self.assertEqual(pinned(unknowns, equations), [])

    def test_no_small_count_of_the_zone_tables_can_be_worked_out(self) -> None:
        self.assert_nothing_pinned(self.figures())

    def test_the_district_row_hides_a_second_cell(self) -> None:
        row = {t.key: t for t in tables(self.figures(), suppress=True)}["zones_by_district"].rows[1]
        self.assertEqual(row[3], SUPPRESSED)
        self.assertEqual(sum(text in (SUPPRESSED, HIDDEN) for text in row[1:]), 2)

    def test_children_assessed_is_hidden_when_it_would_give_the_unassessed(self) -> None:
        figures = sample.figures()
        total = figures["zones"]["total"]
        total["unassessed"] = 3
        total["children"] = sum(total["zones"].values()) + 3
        shown = protect(figures)["zones"]["total"]
        # "Børn i alt" − "Børn vurderet" would be the 3: one of them is hidden.
        self.assertTrue(
            isinstance(shown["assessed"], Hidden) or isinstance(shown["children"], Hidden)
        )

    def test_protect_is_idempotent_and_leaves_the_figures(self) -> None:
        figures = self.figures()
        once = protect(figures)
        self.assertEqual(protect(once), once)
        self.assertNotIn("protected", figures)
        self.assertEqual(figures, self.figures())


class CrossTableTestCase(SimpleTestCase):
    def test_no_small_zone_count_follows_from_another_table_of_the_report(self) -> None:
        """Random zone figures: the municipality's row, and districts, unit kinds and
        age bands adding up to it column by column, solved together."""
        generator = random.Random(2026)  # noqa: S311 -- a seeded test, not a secret

        def group(size: int) -> list[dict]:
            rows = []
            for _i in range(size):
                zones = {str(z): generator.choice([0, 1, 2, 3, 6, 9, 15]) for z in range(1, 6)}
                unassessed = generator.choice([0, 2, 7, 11])
                rows.append(
                    {
                        "zones": zones,
                        "unassessed": unassessed,
                        "children": sum(zones.values()) + unassessed,
                    }
                )
            return rows

        for _round in range(60):
            figures = sample.figures()
            del figures["comparison"]
            zones = figures["zones"]
            bands = group(generator.randint(1, 4))
            zones["by_age_band"] = bands
            zones["by_district"] = group(generator.randint(1, 3))
            zones["by_unit_kind"] = group(generator.randint(1, 3))
            zones["total"] = {
                "zones": {z: sum(b["zones"][z] for b in bands) for z in ("1", "2", "3", "4", "5")},
                "unassessed": sum(b["unassessed"] for b in bands),
                "children": sum(b["children"] for b in bands),
            }
            values, equations = figure_system(figures)
            primary, complementary = suppress(values, equations)
            hidden = sorted(primary | complementary, key=str)
            with self.subTest(zones=zones):
                self.assertFalse(pinned(hidden, published_equations(equations)))
