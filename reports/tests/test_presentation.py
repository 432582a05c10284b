import json

from django.test import SimpleTestCase

from reports import presentation
from reports.charts import comparison_chart, staircase_chart, zone_distribution_chart
from reports.figures import quarter_figures
from reports.presentation import count_text, percent_text, summary, tables
from reports.tests import sample
from reports.tests.municipality import MunicipalityTestCase
from tidlig.lib.dates import Quarter


def by_key(figures: dict, *, suppress: bool) -> dict:
    return {table.key: table for table in tables(figures, suppress=suppress)}


class CountTextTestCase(SimpleTestCase):
    def test_it_suppresses_1_to_4(self) -> None:
        for n in (1, 2, 3, 4):
            self.assertEqual(count_text(n, suppress=True), "<5")
            self.assertEqual(count_text(n, suppress=False), str(n))

    def test_it_shows_0_and_5_and_more(self) -> None:
        self.assertEqual(count_text(0, suppress=True), "0")
        self.assertEqual(count_text(5, suppress=True), "5")
        self.assertEqual(count_text(12, suppress=True), "12")
        self.assertEqual(count_text(1234, suppress=True), "1.234")
        self.assertEqual(count_text(1234567, suppress=False), "1.234.567")
        self.assertEqual(count_text(None, suppress=True), "")


class PercentTextTestCase(SimpleTestCase):
    def test_it_formats_danish_style(self) -> None:
        self.assertEqual(percent_text(17, 50, suppress=True), "34 %")
        self.assertEqual(percent_text(0, 50, suppress=True), "0 %")
        self.assertEqual(percent_text(50, 50, suppress=True), "100 %")
        self.assertEqual(percent_text(1, 8, suppress=False), "13 %")  # 12.5 rounds up

    def test_it_is_empty_without_a_whole(self) -> None:
        self.assertEqual(percent_text(0, 0, suppress=True), "")
        self.assertEqual(percent_text(0, 0, suppress=False), "")

    def test_it_hides_shares_of_small_counts(self) -> None:
        self.assertEqual(percent_text(3, 50, suppress=True), "")
        self.assertEqual(percent_text(3, 4, suppress=True), "")
        self.assertEqual(percent_text(0, 4, suppress=True), "")
        self.assertEqual(percent_text(3, 50, suppress=False), "6 %")

    def test_it_hides_a_share_of_a_sum_with_a_small_count(self) -> None:
        self.assertEqual(percent_text([30, 3], 100, suppress=True), "")
        self.assertEqual(percent_text([30, 0], 100, suppress=True), "30 %")
        self.assertEqual(percent_text([30, 3], 100, suppress=False), "33 %")


class TablesTestCase(SimpleTestCase):
    def test_it_lists_the_tables_in_reading_order(self) -> None:
        keys = [table.key for table in tables(sample.figures(), suppress=True)]
        self.assertEqual(
            keys,
            [
                "zones_total",
                "zones_by_district",
                "zones_by_unit_kind",
                "zones_by_age_band",
                "movement",
                "movement_summary",
                "activity",
                "cases",
                "staircase",
                "beacon_early_detection",
                "beacon_coherence",
                "beacon_participation",
                "comparison",
            ],
        )
        for table in tables(sample.figures(), suppress=True):
            for cells in table.rows:
                self.assertEqual(len(cells), len(table.columns), table.key)
                self.assertTrue(all(isinstance(cell, str) for cell in cells))

    def test_the_zone_table_suppresses_small_cells(self) -> None:
        table = by_key(sample.figures(), suppress=True)["zones_total"]
        self.assertEqual(
            table.columns,
            [
                "",
                "Zone 1 Trivsel",
                "Zone 2 Moderat trivsel",
                "Zone 3 Sårbar",
                "Zone 4 Udsat",
                "Zone 5 Truet",
                "Ikke vurderet",
                "Børn i alt",
            ],
        )
        # The one unit kind's row (zone 5: 2) stands for the whole column, so its
        # complementary zones 3 and 4 ("x", reports.suppression) are hidden here too.
        self.assertEqual(
            table.rows[0], ["Hele kommunen", "1.200", "300", "x", "x", "<5", "367", "2.000"]
        )
        # Shares of the 1,633 assessed; those of hidden cells are hidden.
        self.assertEqual(
            table.rows[1], ["Andel af de vurderede", "73 %", "18 %", "", "", "", "", ""]
        )
        district = by_key(sample.figures(), suppress=True)["zones_by_district"]
        self.assertEqual(district.rows[1], ["Sydby", "600", "150", "50", "10", "0", "167", "977"])
        age = by_key(sample.figures(), suppress=True)["zones_by_age_band"]
        self.assertEqual(age.rows[0], ["0–2 år", "100", "10", "<5", "x", "x", "20", "134"])

    def test_unsuppressed_tables_show_every_count(self) -> None:
        table = by_key(sample.figures(), suppress=False)["zones_total"]
        self.assertEqual(table.rows[0][5], "3")
        self.assertEqual(table.rows[1][5], "0 %")

    def test_the_movement_matrix(self) -> None:
        found = by_key(sample.figures(), suppress=True)
        matrix = found["movement"]
        self.assertEqual(matrix.columns[0], "Zone sidste kvartal")
        self.assertEqual(
            [cells[1:] for cells in matrix.rows],
            [
                ["500", "20", "<5", "0", "0"],
                ["30", "100", "10", "0", "0"],
                ["<5", "12", "40", "6", "0"],
                # The 1 on the diagonal would follow from "Samme zone": 10 is hidden too.
                ["0", "0", "7", "x", "<5"],
                ["0", "0", "0", "<5", "<5"],
            ],
        )
        self.assertEqual(
            found["movement_summary"].rows,
            [
                ["Bedre zone", "54", "7 %"],
                ["Samme zone", "651", "88 %"],
                ["Dårligere zone", "39", "5 %"],
                ["Børn vurderet i begge kvartaler", "744", ""],
            ],
        )

    def test_activity_cases_and_staircase(self) -> None:
        found = by_key(sample.figures(), suppress=True)
        self.assertEqual(found["activity"].rows[3], ["Vurderet inden for 24 timer", "38", "95 %"])
        # Of the receipts due (owed to a professional, deadline passed), not of all received.
        self.assertEqual(
            found["activity"].rows[4], ["Kvittering sendt inden for 6 hverdage", "27", "90 %"]
        )
        self.assertEqual(found["cases"].rows[2], ["Åbne sager ved kvartalets udgang", "1.234", ""])
        self.assertEqual(found["cases"].rows[1], ["Sager lukket i kvartalet", "<5", ""])
        self.assertEqual(found["cases"].rows[4], ["Holdt til tiden", "41", "82 %"])
        self.assertEqual(found["cases"].rows[6], ["Ikke holdt", "<5", ""])
        stairs = found["staircase"].rows
        self.assertEqual(stairs[0], ["1. Tidlige indsatser i almenområdet", "40", "46 %"])
        self.assertEqual(stairs[3], ["4. Anbringelse i slægt eller netværk", "<5", ""])
        # Hidden so that the total of 87 does not give the 4 of step 4 back (the
        # smallest count above 0: a hidden 0 would leave the 4 as the rest).
        self.assertEqual(stairs[4], ["5. Anbringelse i familiepleje", "x", ""])
        self.assertEqual(stairs[5], ["6. Anbringelse på institution", "0", "0 %"])
        self.assertEqual(stairs[-2], ["Ned ad trappen", "x", ""])
        self.assertEqual(found["cases"].rows[5], ["Holdt for sent", "x", ""])
        self.assertEqual(stairs[-1], ["Op ad trappen", "<5", ""])

    def test_the_beacons(self) -> None:
        found = by_key(sample.figures(), suppress=True)
        self.assertEqual(
            found["beacon_early_detection"].rows,
            [
                ["Børn med deres første bekymring", "60", ""],
                ["Heraf vurderet i zone 1–3", "51", "85 %"],
                ["Heraf fulgt op med en LØFT-dialog", "45", "75 %"],
                ["Mediantid fra første bekymring til første LØFT-dialog", "12 dage", ""],
                ["Børn med højt fravær uden nylig vurdering", "20", ""],
                ["Heraf fulgt op inden for 30 dage", "14", "70 %"],
            ],
        )
        self.assertEqual(
            found["beacon_coherence"].rows[:3],
            [
                ["Overgange mellem tilbud", "120", ""],
                ["Heraf med overlevering", "90", "75 %"],
                ["Heraf kvitteret af den modtagende enhed", "<5", ""],
            ],
        )
        self.assertEqual(
            found["beacon_participation"].rows,
            [
                ["LØFT-dialoger holdt", "200", ""],
                ["Med forældre", "180", "90 %"],
                ["Med barnets stemme skrevet ned", "<5", ""],
            ],
        )

    def test_figures_made_before_the_handover_notes_say_so(self) -> None:
        # Figures cached or archived before the overleveringsnotater were counted.
        figures = sample.figures()
        coherence = figures["beacons"]["coherence"]
        coherence["transitions_with_handover"] = None
        del coherence["transitions_acknowledged"]
        rows = by_key(figures, suppress=True)["beacon_coherence"].rows
        self.assertEqual(rows[1], ["Heraf med overlevering", "Registreres endnu ikke", ""])
        self.assertEqual(rows[2][0], "Åbne sager")

    def test_a_median_of_few_children_is_hidden(self) -> None:
        figures = sample.figures()
        figures["beacons"]["early_detection"]["with_dialogue"] = 3
        row = by_key(figures, suppress=True)["beacon_early_detection"].rows[3]
        self.assertEqual(row[1], "")
        row = by_key(figures, suppress=False)["beacon_early_detection"].rows[3]
        self.assertEqual(row[1], "12 dage")

    def test_the_comparison(self) -> None:
        figures = sample.figures()
        # Without the zone groups, whose small cells would hide zone 4 of the total.
        for block in (figures, *figures["comparison"].values()):
            for group in ("by_district", "by_unit_kind", "by_age_band"):
                block["zones"][group] = []
        table = by_key(figures, suppress=True)["comparison"]
        self.assertEqual(
            table.columns, ["Nøgletal", "3. kvartal 2026", "2. kvartal 2026", "3. kvartal 2025"]
        )
        rows = {cells[0]: cells[1:] for cells in table.rows}
        # This quarter zone 5 is 3, last year 2: both shares hidden.
        self.assertEqual(rows["Andel i zone 4–5"], ["", "3 %", ""])
        self.assertEqual(rows["Børn i alt"], ["2.000", "2.017", "2.009"])
        self.assertEqual(rows["Møder holdt til tiden"], ["82 %", "82 %", "82 %"])

    def test_no_comparison_table_without_comparison(self) -> None:
        figures = sample.figures()
        del figures["comparison"]
        self.assertNotIn("comparison", by_key(figures, suppress=True))


class SummaryTestCase(SimpleTestCase):
    def test_it_says_the_key_figures(self) -> None:
        figures = sample.figures()
        figures["zones"]["total"]["zones"]["5"] = 20
        figures["zones"]["total"]["children"] += 17
        # Without the zone groups, whose small cells would hide zone 4 of the total.
        for block in (figures, *figures["comparison"].values()):
            for group in ("by_district", "by_unit_kind", "by_age_band"):
                block["zones"][group] = []
        sentences = summary(figures, suppress=True)
        self.assertTrue(4 <= len(sentences) <= 8)
        self.assertEqual(
            sentences[0],
            "Ved udgangen af 3. kvartal 2026 var 1.650 af 2.017 indskrevne børn vurderet "
            "på Børnelinealen inden for det seneste år.",
        )
        self.assertEqual(
            sentences[1], "3 % af de vurderede børn var i zone 4 eller 5 (sidste kvartal 3 %)."
        )
        self.assertIn("Der blev rejst 87 nye bekymringer og modtaget 40 underretninger.", sentences)
        self.assertIn("Forældrene deltog i 90 % af de 200 LØFT-dialoger.", sentences)

    def test_it_never_states_a_small_count_or_a_share_of_one(self) -> None:
        figures = sample.figures()  # zone 5 is 3
        figures["concerns"]["new"] = 2
        figures["meetings"]["missed"] = 0
        figures["meetings"]["on_time"] = 4
        figures["meetings"]["due"] = 10
        sentences = summary(figures, suppress=True)
        text = " ".join(sentences)
        self.assertNotIn("zone 4 eller 5", text)
        self.assertIn("rejst <5 nye bekymringer", text)
        self.assertNotIn("til tiden", text)
        for n in ("1 ", "2 ", "3 ", "4 "):
            self.assertNotIn(f" {n}nye", text)
        unsuppressed = " ".join(summary(figures, suppress=False))
        self.assertIn("2 % af de vurderede børn var i zone 4 eller 5", unsuppressed)

    def test_it_handles_an_empty_quarter(self) -> None:
        figures = sample.quarter("2026Q1")
        figures["zones"]["total"] = {
            "zones": dict.fromkeys("12345", 0),
            "unassessed": 0,
            "children": 0,
        }
        sentences = summary(figures, suppress=True)
        self.assertEqual(
            sentences[0], "Ved udgangen af 1. kvartal 2026 var der ingen børn indskrevet."
        )


class NoNamesTestCase(MunicipalityTestCase):
    def test_no_child_name_appears_anywhere(self) -> None:
        figures = quarter_figures(Quarter(2026, 3))
        rendered = [json.dumps(figures, ensure_ascii=False)]
        for suppress in (True, False):
            for table in tables(figures, suppress=suppress):
                rendered += [table.title, table.note, *table.columns]
                rendered += [cell for cells in table.rows for cell in cells]
            rendered += summary(figures, suppress=suppress)
            rendered.append(
                zone_distribution_chart(figures["zones"]["total"], suppress=suppress, chart_id="z")
            )
            rendered.append(comparison_chart(figures, suppress=suppress, chart_id="c"))
            rendered.append(staircase_chart(figures, suppress=suppress, chart_id="s"))
        text = "\n".join(rendered)
        children = [self.emma, self.noah, self.oskar, self.lukas, self.ida, self.viktor, self.alma]
        for child in children:
            self.assertNotIn(child.first_name, text)
            self.assertNotIn(child.last_name, text)
            self.assertNotIn(child.reveal_cpr()[:6], text)
        for free_text in ("Mette", "Peter", "Bekymret", "ked af det", "sulten", "Jeg bygger"):
            self.assertNotIn(free_text, text)

    def test_the_municipality_tables_suppress_its_small_counts(self) -> None:
        found = by_key(quarter_figures(Quarter(2026, 3)), suppress=True)
        self.assertEqual(
            found["zones_total"].rows[0],
            ["Hele kommunen", "<5", "<5", "<5", "<5", "<5", "<5", "x"],
        )
        self.assertEqual(found["zones_total"].rows[1][1:], [""] * 7)
        self.assertEqual(found["activity"].rows[0], ["Nye bekymringer", "6", ""])
        self.assertEqual(found["activity"].rows[3], ["Vurderet inden for 24 timer", "<5", ""])
        self.assertEqual(presentation.count_text(0, suppress=True), "0")
