import re
from xml.etree import ElementTree

from django.test import SimpleTestCase

from reports.charts import comparison_chart, staircase_chart, zone_distribution_chart
from reports.tests import sample
from ruler.zones import STYLES

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own markup)


def bars(svg: str) -> list[dict]:
    return [rect.attrib for rect in parse(svg).iter(f"{SVG}rect")]


def texts(svg: str) -> list[str | None]:
    return [text.text for text in parse(svg).iter(f"{SVG}text")]


class ZoneDistributionChartTestCase(SimpleTestCase):
    def test_it_is_an_accessible_svg(self) -> None:
        svg = zone_distribution_chart(
            sample.figures()["zones"]["total"], suppress=True, chart_id="zoner"
        )
        root = parse(svg)
        self.assertEqual(root.get("role"), "img")
        self.assertEqual(root.get("aria-labelledby"), "zoner-title zoner-desc")
        self.assertEqual(root.findtext(f"{SVG}title"), "Børn fordelt på zoner")
        self.assertIn("Zone 5 Truet: <5", root.findtext(f"{SVG}desc", ""))
        self.assertNotIn("foreignObject", svg)
        self.assertNotIn("<script", svg)
        self.assertNotIn("var(", svg)
        self.assertNotIn("style=", svg)

    def test_suppressed_cells_draw_no_bar(self) -> None:
        svg = zone_distribution_chart(
            sample.figures()["zones"]["total"], suppress=True, chart_id="z"
        )
        fills = [bar["fill"] for bar in bars(svg)]
        # Zones 1–4 and not assessed; zone 5 (3 children) has no bar, only "<5".
        self.assertEqual(fills, [STYLES[z].colour for z in (1, 2, 3, 4)] + ["#d9d9d9"])
        self.assertIn("<5", texts(svg))
        self.assertNotIn("3", texts(svg))

    def test_unsuppressed_every_count_has_its_bar(self) -> None:
        svg = zone_distribution_chart(
            sample.figures()["zones"]["total"], suppress=False, chart_id="z"
        )
        self.assertEqual(len(bars(svg)), 6)
        self.assertIn("3", texts(svg))
        widths = [float(bar["width"]) for bar in bars(svg)]
        self.assertEqual(max(widths), widths[0])  # zone 1 is the largest

    def test_zero_draws_no_bar(self) -> None:
        row = {"zones": dict.fromkeys("12345", 0), "unassessed": 0, "children": 0}
        svg = zone_distribution_chart(row, suppress=True, chart_id="z")
        self.assertEqual(bars(svg), [])
        self.assertEqual(texts(svg).count("0"), 6)

    def test_the_chart_id_is_escaped(self) -> None:
        svg = zone_distribution_chart(
            sample.figures()["zones"]["total"], suppress=True, chart_id='a"b'
        )
        self.assertNotIn('a"b', svg)


class ComparisonChartTestCase(SimpleTestCase):
    def test_it_shows_the_three_quarters(self) -> None:
        svg = comparison_chart(sample.figures(), suppress=True, chart_id="cmp")
        labels = texts(svg)
        self.assertIn("3. kvartal 2026", labels)
        self.assertIn("2. kvartal 2026", labels)
        self.assertIn("3. kvartal 2025", labels)
        # This quarter and last year have a small zone-5 count: no share, no bar.
        self.assertEqual(labels.count("Kan ikke vises"), 2)
        self.assertIn("3 %", labels)
        self.assertEqual(len(bars(svg)), 1)
        self.assertEqual(parse(svg).get("role"), "img")

    def test_it_works_without_comparison(self) -> None:
        figures = sample.figures()
        del figures["comparison"]
        svg = comparison_chart(figures, suppress=False, chart_id="cmp")
        self.assertEqual(texts(svg)[-1], "2 %")


class StaircaseChartTestCase(SimpleTestCase):
    def test_it_has_a_bar_per_visible_step(self) -> None:
        svg = staircase_chart(sample.figures(), suppress=True, chart_id="trappe")
        labels = texts(svg)
        self.assertIn("1. Tidlige indsatser i almenområdet", labels)
        self.assertIn("6. Anbringelse på institution", labels)
        # Steps 1, 2, 3 and 5 have bars; step 4 has 4 (suppressed) and step 6 none.
        self.assertEqual(len(bars(svg)), 4)
        self.assertIn("<5", labels)
        self.assertTrue(re.search(r"<title id=\"trappe-title\">", svg))
