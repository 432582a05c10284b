import json
from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import AbsenceRecord, Concern, Enrollment, TransitionNote
from followups.models import Case, CaseMember, Intervention, Meeting
from reports.figures import quarter_figures
from reports.tests.municipality import MunicipalityTestCase
from ruler.models import Assessment
from tidlig.lib.dates import Quarter
from tidlig.test import make_child

Q3 = Quarter(2026, 3)


def zones(*counts: int) -> dict:
    return {str(zone): n for zone, n in zip(range(1, 6), counts, strict=True)}


def row(counts: tuple, unassessed: int, **kw) -> dict:
    return {
        **kw,
        "zones": zones(*counts),
        "unassessed": unassessed,
        "children": sum(counts) + unassessed,
    }


def empty_matrix() -> list[list[int]]:
    return [[0] * 5 for _ in range(5)]


class QuarterFiguresTestCase(MunicipalityTestCase):
    def test_it_counts_the_zones_at_the_end_of_the_quarter(self) -> None:
        figures = quarter_figures(Q3, comparison=False)
        self.assertEqual(figures["quarter"], "2026Q3")
        self.assertEqual(figures["start"], "2026-07-01")
        self.assertEqual(figures["end"], "2026-09-30")
        self.assertEqual(figures["scope"], {"units": None, "label": "Hele kommunen"})
        self.assertNotIn("comparison", figures)
        z = figures["zones"]
        # Emma 1, Lukas 2, Oskar 3, Noah 4 (his 5 was corrected), Ida 5; Alma never
        # assessed, Viktor's assessment is exactly a year old; Freja is 18.
        self.assertEqual(z["total"], row((1, 1, 1, 1, 1), 2))
        # Lukas goes to Nordby Skole and Sydby SFO, so he is in both districts;
        # Ida is in two Sydby units and counts once there.
        self.assertEqual(
            z["by_district"],
            [
                row((1, 1, 1, 1, 0), 1, key=str(self.nordby.pk), name="Nordby"),
                row((0, 1, 0, 0, 1), 1, key=str(self.sydby.pk), name="Sydby"),
            ],
        )
        self.assertEqual(
            z["by_unit_kind"],
            [
                row((0, 0, 0, 0, 0), 1, key="vuggestue", name="Vuggestue"),
                row((1, 0, 0, 1, 0), 0, key="boernehave", name="Børnehave"),
                row((0, 1, 1, 0, 1), 1, key="skole", name="Skole"),
                row((0, 1, 0, 0, 1), 0, key="sfo", name="SFO"),
            ],
        )
        # Lukas turns 6 on the last day; Viktor turns 18 the day after.
        self.assertEqual(
            z["by_age_band"],
            [
                row((0, 0, 0, 0, 0), 1, key="0-2", name="0–2 år"),
                row((1, 0, 0, 1, 0), 0, key="3-5", name="3–5 år"),
                row((0, 1, 0, 0, 1), 0, key="6-9", name="6–9 år"),
                row((0, 0, 1, 0, 0), 0, key="10-13", name="10–13 år"),
                row((0, 0, 0, 0, 0), 1, key="14-17", name="14–17 år"),
            ],
        )

    def test_it_computes_the_movement_between_quarters(self) -> None:
        movement = quarter_figures(Q3, comparison=False)["movement"]
        matrix = empty_matrix()
        matrix[1][0] = 1  # Emma 2 → 1 (her latest in Q2 is 2, not the earlier 3)
        matrix[1][1] = 1  # Lukas 2 → 2
        matrix[2][2] = 1  # Oskar 3 → 3
        matrix[2][3] = 1  # Noah 3 → 4 (the corrected 5 does not count)
        self.assertEqual(
            movement,
            {"matrix": matrix, "children": 4, "improved": 1, "unchanged": 2, "worsened": 1},
        )

    def test_it_counts_the_activity_of_the_quarter(self) -> None:
        figures = quarter_figures(Q3, comparison=False)
        self.assertEqual(figures["concerns"], {"new": 6, "children": 5})
        # On time; assessed after 25 hours but receipt on the Monday after the
        # weekend; not handled; the one received at 00:30 on 1 October is in Q4.
        # All three receipts are due by 15 October (the last, on 8 October).
        self.assertEqual(
            figures["underretninger"],
            {
                "received": 3,
                "assessed_within_24h": 1,
                "receipts_due": 3,
                "receipt_within_6_days": 2,
            },
        )
        self.assertEqual(figures["cases"], {"opened": 1, "closed": 1, "open_at_end": 2})
        self.assertEqual(figures["meetings"], {"due": 3, "on_time": 1, "late": 1, "missed": 1})
        self.assertEqual(
            figures["staircase"],
            {
                "by_step": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1, "6": 0},
                "moves": 2,
                "moves_down": 1,
                "moves_up": 1,
            },
        )

    def test_it_computes_the_beacons(self) -> None:
        beacons = quarter_figures(Q3, comparison=False)["beacons"]
        # First concerns: Emma (linked assessment, zone 1), Ida (assessed 5 days
        # later, zone 5), Oskar (assessed 45 days later: no zone), Alma (never).
        # Noah's first concern was in Q2. Dialogues after 10, 14 and 30 days;
        # Alma's draft does not count.
        self.assertEqual(
            beacons["early_detection"],
            {
                "first_concerns": 4,
                "first_concerns_zone_1_3": 1,
                "first_concerns_assessed": 2,
                "median_days_to_dialogue": 14,
                "with_dialogue": 3,
                "absence_flagged": 0,
                "absence_acted_on": 0,
            },
        )
        # Lukas went from børnehave to skole and to SFO: two transitions, no notes
        # yet. Noah's team has two professions; Ida's two caseworkers are one
        # profession.
        self.assertEqual(
            beacons["coherence"],
            {
                "transitions": 2,
                "transitions_with_handover": 0,
                "transitions_acknowledged": 0,
                "cases": 2,
                "cases_two_professions": 1,
            },
        )
        self.assertEqual(
            beacons["participation"],
            {"dialogues": 3, "with_parents": 2, "with_child_voice": 1, "child_took_part": 1},
        )

    def test_it_counts_the_transitions_with_a_sent_and_an_acknowledged_note(self) -> None:
        solsikken = Enrollment.objects.get(child=self.lukas, unit=self.solsikken)
        to_school = Enrollment.objects.get(child=self.lukas, unit=self.skolen)
        to_sfo = Enrollment.objects.get(child=self.lukas, unit=self.sydby_sfo)
        TransitionNote.objects.create(
            from_enrollment=solsikken,
            to_enrollment=to_school,
            author=self.pia,
            needs="Tryghed om morgenen",
            finished_at=datetime(2026, 7, 20, 12, tzinfo=UTC),
            acknowledged_at=datetime(2026, 8, 11, 9, tzinfo=UTC),
            acknowledged_by=self.sofie,
        )
        # A draft does not count; sent, it counts as a handover not acknowledged.
        sfo_note = TransitionNote.objects.create(
            from_enrollment=solsikken, to_enrollment=to_sfo, author=self.pia
        )
        coherence = quarter_figures(Q3, comparison=False)["beacons"]["coherence"]
        self.assertEqual((coherence["transitions"], coherence["transitions_with_handover"]), (2, 1))
        self.assertEqual(coherence["transitions_acknowledged"], 1)
        sfo_note.finished_at = datetime(2026, 7, 21, 12, tzinfo=UTC)
        sfo_note.save()
        coherence = quarter_figures(Q3, comparison=False)["beacons"]["coherence"]
        self.assertEqual(coherence["transitions_with_handover"], 2)
        self.assertEqual(coherence["transitions_acknowledged"], 1)
        # Sydby Skole's children: Lukas was never there, so none of his transitions.
        scoped = quarter_figures(Q3, units=[self.sydby_skole], comparison=False)
        self.assertEqual(scoped["beacons"]["coherence"]["transitions"], 0)
        # Q2 has no transition at all.
        previous = quarter_figures(Q3)["comparison"]["previous"]["beacons"]["coherence"]
        self.assertEqual(previous["transitions"], 0)
        self.assertEqual(previous["transitions_with_handover"], 0)

    def test_it_compares_with_the_previous_quarter(self) -> None:
        previous = quarter_figures(Q3)["comparison"]["previous"]
        self.assertEqual(previous["quarter"], "2026Q2")
        self.assertNotIn("comparison", previous)
        # Emma 2, Lukas 2, Viktor 2, Noah 3, Oskar 3; Ida and Freja not assessed.
        self.assertEqual(previous["zones"]["total"], row((0, 3, 2, 0, 0), 2))
        self.assertEqual(previous["movement"]["matrix"], empty_matrix())
        self.assertEqual(previous["concerns"], {"new": 1, "children": 1})
        # Both received the day before Easter: the receipt on 14 April is within
        # six working days, the one on 15 April is not.
        self.assertEqual(
            previous["underretninger"],
            {
                "received": 2,
                "assessed_within_24h": 1,
                "receipts_due": 2,
                "receipt_within_6_days": 1,
            },
        )
        self.assertEqual(previous["cases"], {"opened": 1, "closed": 0, "open_at_end": 2})
        self.assertEqual(previous["meetings"], {"due": 1, "on_time": 0, "late": 1, "missed": 0})
        self.assertEqual(
            previous["staircase"],
            {
                "by_step": {"1": 1, "2": 0, "3": 1, "4": 0, "5": 0, "6": 0},
                "moves": 0,
                "moves_down": 0,
                "moves_up": 0,
            },
        )
        self.assertEqual(
            previous["beacons"]["early_detection"],
            {
                "first_concerns": 1,
                "first_concerns_zone_1_3": 1,
                "first_concerns_assessed": 1,
                "median_days_to_dialogue": None,
                "with_dialogue": 0,
                "absence_flagged": 0,
                "absence_acted_on": 0,
            },
        )
        self.assertEqual(previous["beacons"]["coherence"]["cases_two_professions"], 2)

    def test_it_compares_with_the_same_quarter_last_year(self) -> None:
        last_year = quarter_figures(Q3)["comparison"]["last_year"]
        self.assertEqual(last_year["quarter"], "2025Q3")
        # Only Viktor was assessed; Alma was not enrolled yet.
        self.assertEqual(last_year["zones"]["total"], row((0, 1, 0, 0, 0), 6))
        self.assertEqual(last_year["concerns"], {"new": 0, "children": 0})
        self.assertEqual(last_year["cases"], {"opened": 0, "closed": 0, "open_at_end": 0})
        self.assertEqual(last_year["beacons"]["coherence"]["transitions"], 0)

    def test_it_limits_everything_to_the_children_of_the_units(self) -> None:
        figures = quarter_figures(Q3, units=[self.solsikken], comparison=False)
        self.assertEqual(
            figures["scope"], {"units": [self.solsikken.pk], "label": "Børnehaven Solsikken"}
        )
        # At the end of the quarter only Emma and Noah are at Solsikken ...
        self.assertEqual(figures["zones"]["total"], row((1, 0, 0, 1, 0), 0))
        self.assertEqual(
            figures["zones"]["by_district"],
            [row((1, 0, 0, 1, 0), 0, key=str(self.nordby.pk), name="Nordby")],
        )
        self.assertEqual(figures["movement"]["children"], 2)
        # ... but Lukas was there in the quarter, so his transition counts.
        self.assertEqual(figures["concerns"], {"new": 3, "children": 2})
        self.assertEqual(
            figures["underretninger"],
            {
                "received": 1,
                "assessed_within_24h": 1,
                "receipts_due": 1,
                "receipt_within_6_days": 1,
            },
        )
        self.assertEqual(figures["cases"], {"opened": 0, "closed": 0, "open_at_end": 1})
        self.assertEqual(figures["meetings"], {"due": 2, "on_time": 1, "late": 1, "missed": 0})
        self.assertEqual(figures["staircase"]["by_step"]["2"], 1)
        self.assertEqual(figures["staircase"]["moves_down"], 1)
        self.assertEqual(figures["beacons"]["early_detection"]["first_concerns"], 1)
        self.assertEqual(figures["beacons"]["early_detection"]["median_days_to_dialogue"], 10)
        self.assertEqual(figures["beacons"]["coherence"]["transitions"], 2)
        self.assertEqual(figures["beacons"]["coherence"]["cases"], 1)
        self.assertEqual(figures["beacons"]["participation"]["dialogues"], 1)

    def test_it_accepts_a_queryset_of_units(self) -> None:
        from accounts.models import Unit

        figures = quarter_figures(
            Q3, units=Unit.objects.filter(pk__in=[self.skolen.pk, self.sydby_skole.pk])
        )
        self.assertEqual(figures["scope"]["label"], "Nordby Skole, Sydby Skole")
        # Oskar 3, Lukas 2, Ida 5, Viktor not assessed.
        self.assertEqual(figures["zones"]["total"], row((0, 1, 1, 0, 1), 1))
        self.assertEqual(figures["comparison"]["previous"]["scope"], figures["scope"])

    def test_it_is_json_and_has_no_names_or_cpr(self) -> None:
        text = json.dumps(quarter_figures(Q3), ensure_ascii=False)
        for child in (self.emma, self.noah, self.oskar, self.lukas, self.ida, self.viktor):
            self.assertNotIn(child.first_name, text)
            self.assertNotIn(child.last_name, text)
            self.assertNotIn(child.reveal_cpr().replace("-", ""), text)
        self.assertNotIn("Mette", text)
        self.assertNotIn("Bekymret", text)

    def test_queries_do_not_grow_with_the_number_of_children(self) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                quarter_figures(Q3, units=[self.solsikken, self.skolen])
            return len(context)

        queries()  # the first asking builds the quarters' snapshots (reports.snapshot)
        before = queries()
        for i in range(15):
            child = make_child(f"Ekstra{i}", "Barn", date(2019, 1, 1 + i), unit=self.solsikken)
            concern = Concern.objects.create(
                child=child, author=self.pia, observed_on=date(2026, 8, 1), text="..."
            )
            Assessment.objects.create(
                child=child, author=self.pia, assessed_on=date(2026, 5, 1), zone=1 + i % 5
            )
            Assessment.objects.create(
                child=child,
                author=self.pia,
                assessed_on=date(2026, 8, 2),
                zone=1 + (i + 1) % 5,
                concern=concern,
            )
            case = Case.objects.create(
                child=child, coordinator=self.rasmus, opened_on=date(2026, 7, 1)
            )
            CaseMember.objects.create(case=case, user=self.karen, profession="Psykolog")
            Meeting.objects.create(case=case, scheduled_on=date(2026, 9, 1))
            Intervention.objects.create(case=case, step=2, kind="x", start=date(2026, 7, 2))
            Intervention.objects.create(case=case, step=1, kind="x", start=date(2026, 8, 2))
            AbsenceRecord.objects.create(
                child=child, unit=self.solsikken, month=date(2026, 7, 1), absent=5, possible=20
            )
        self.assertEqual(queries(), before)
        figures = quarter_figures(Q3, units=[self.solsikken], comparison=False)
        self.assertEqual(figures["zones"]["total"]["children"], 17)
        self.assertEqual(figures["staircase"]["moves_down"], 16)
