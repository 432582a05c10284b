from datetime import date
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from ruler import zones
from tidlig.lib.charts import Level, level_chart


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


class ZoneStylesTestCase(SimpleTestCase):
    def test_every_zone_has_a_name_and_readable_text_on_its_colour(self):
        assert [s.label for s in zones.STYLES.values()] == [
            "Trivsel",
            "Moderat trivsel",
            "Sårbar",
            "Udsat",
            "Truet",
        ]
        for style in zones.STYLES.values():
            assert contrast(style.colour, style.ink) >= 4.5, style.label

    def test_the_committed_stylesheet_is_generated_from_the_zones(self):
        committed = (Path(settings.BASE_DIR) / "static" / "css" / "zones.css").read_text()
        assert committed == zones.css(), "run `make zones-css`"
        for style in zones.STYLES.values():
            assert f".{style.css_class} {{\n  --tidlig-zone-colour: {style.colour};" in committed


class LevelChartTestCase(SimpleTestCase):
    levels = [
        Level(n, f"{n} zone", colour) for n, colour in ((1, "#00ff00"), (2, ""), (3, "#ff0000"))
    ]

    def test_it_draws_one_point_per_value_on_its_level(self):
        svg = level_chart(
            [(date(2025, 1, 1), 1), (date(2025, 7, 1), 3)],
            levels=self.levels,
            title="Zoner",
            chart_id="c",
        )
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert '<title id="c-title">Zoner</title>' in svg
        assert svg.count("<circle") == 2
        assert "<title>01.01.2025: 1</title>" in svg and "<title>01.07.2025: 3</title>" in svg
        # Bands only where a colour is given, and every level is labelled.
        assert svg.count("<rect") == 2
        for level in self.levels:
            assert f">{level.label}</text>" in svg
        # The higher value is drawn higher up (smaller y), first date on the left.
        y_first = float(svg.split('<circle cx="')[1].split('cy="')[1].split('"')[0])
        y_last = float(svg.split('<circle cx="')[2].split('cy="')[1].split('"')[0])
        x_first = float(svg.split('<circle cx="')[1].split('"')[0])
        x_last = float(svg.split('<circle cx="')[2].split('"')[0])
        assert y_last < y_first and x_first < x_last

    def test_a_step_chart_holds_the_value_until_the_next_point(self):
        points = [(date(2025, 1, 1), 1), (date(2025, 2, 1), 3)]
        stepped = level_chart(points, levels=self.levels, title="t")
        direct = level_chart(points, levels=self.levels, title="t", step=False)
        count = lambda svg: len(svg.split('<polyline points="')[1].split('"')[0].split())  # noqa: E731
        assert count(stepped) == 3 and count(direct) == 2

    def test_it_draws_a_single_point_and_no_points(self):
        one = level_chart([(date(2025, 1, 1), 2)], levels=self.levels, title="t")
        assert one.count("<circle") == 1 and "<polyline" not in one
        none = level_chart([], levels=self.levels, title="t")
        assert "<circle" not in none and none.endswith("</svg>")

    def test_it_escapes_text(self):
        svg = level_chart(
            [(date(2025, 1, 1), 1)],
            levels=[Level(1, "<b>x</b>")],
            title="<script>alert(1)</script>",
        )
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        assert "<b>" not in svg
