"""The quarterly snapshot (reports.snapshot): the zone figures are read from each
child's state at the quarter's end, and that state follows every change."""

from datetime import date

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import Enrollment
from reports import snapshot
from reports.figures import quarter_figures
from reports.models import QuarterSnapshot, QuarterState
from reports.tasks import build_snapshots
from reports.tests.municipality import MunicipalityTestCase
from ruler.models import Assessment
from tidlig.celery import app
from tidlig.lib.dates import Quarter
from tidlig.test import make_child

Q3 = Quarter(2026, 3)


class SnapshotTestCase(MunicipalityTestCase):
    def figures(self) -> dict:
        return quarter_figures(Q3, comparison=True)

    def rebuilt(self) -> dict:
        """The figures from snapshots written from scratch."""
        for quarter in [
            Quarter.parse(q) for q in QuarterSnapshot.objects.values_list("quarter", flat=True)
        ]:
            snapshot.build(quarter)
        return self.figures()

    def assert_true_to_the_data(self) -> None:
        kept = self.figures()
        assert kept["zones"] == self.rebuilt()["zones"]
        assert kept["movement"] == self.rebuilt()["movement"]
        assert (
            kept["comparison"]["previous"]["zones"]
            == self.rebuilt()["comparison"]["previous"]["zones"]
        )

    def test_the_first_asking_builds_the_quarter_and_its_comparisons_once(self):
        assert not QuarterSnapshot.objects.exists()
        self.figures()
        built = set(QuarterSnapshot.objects.values_list("quarter", flat=True))
        assert built == {"2026Q3", "2026Q2", "2025Q3"}
        rows = QuarterState.objects.filter(quarter="2026Q3")
        # Lukas is in Nordby Skole and Sydby SFO: a row each, one child.
        assert rows.filter(child=self.lukas).count() == 2
        with CaptureQueriesContext(connection) as again:
            self.figures()
        assert not any("INSERT" in q["sql"] for q in again)

    def test_an_assessment_saved_later_moves_the_figures_at_once(self):
        before = self.figures()["zones"]["total"]
        Assessment.objects.create(
            child=self.alma, author=self.pia, assessed_on=date(2026, 9, 20), zone=4
        )
        after = self.figures()["zones"]["total"]
        assert after["unassessed"] == before["unassessed"] - 1
        assert after["zones"]["4"] == before["zones"]["4"] + 1
        self.assert_true_to_the_data()

    def test_a_correction_a_deletion_and_a_new_enrollment_are_followed(self):
        self.figures()
        noah = Assessment.objects.current().filter(child=self.noah).latest_first().first()
        noah.correct(author=noah.author, note="Forkert zone", zone=2)
        self.assert_true_to_the_data()
        Assessment.objects.filter(child=self.ida).delete()
        self.assert_true_to_the_data()
        newcomer = make_child("Bo", "Ny", date(2021, 5, 1))
        Enrollment.objects.create(child=newcomer, unit=self.solsikken, start=date(2026, 8, 1))
        assert QuarterState.objects.filter(quarter="2026Q3", child=newcomer).exists()
        self.assert_true_to_the_data()

    def test_the_import_is_followed(self):
        from children.signals import enrollments_changed

        self.figures()
        child = make_child("Bo", "Ny", date(2021, 5, 1))
        Enrollment.objects.bulk_create(
            [Enrollment(child=child, unit=self.solsikken, start=date(2026, 8, 1))]
        )  # as the import writes: no post_save
        assert not QuarterState.objects.filter(child=child).exists()
        enrollments_changed.send(sender=Enrollment, child_ids={child.pk}, since=date(2026, 8, 1))
        assert QuarterState.objects.filter(quarter="2026Q3", child=child).exists()

    @time_machine.travel(date(2026, 10, 15), tick=False)
    def test_the_worker_builds_the_quarters_the_dashboard_offers_every_night(self):
        rebuilt = build_snapshots()
        assert rebuilt == ["2026Q4", "2026Q3"]
        built = set(QuarterSnapshot.objects.values_list("quarter", flat=True))
        assert {"2026Q4", "2026Q3", "2026Q2", "2025Q3", "2024Q3"} <= built
        entry = app.conf.beat_schedule["quarter-snapshots"]
        assert entry["task"] == "reports.tasks.build_snapshots"
        assert entry["schedule"].hour == {4} and entry["schedule"].minute == {30}


class RetentionTestCase(MunicipalityTestCase):
    def test_a_deleted_child_takes_its_rows_without_rewriting_the_quarters(self):
        quarter_figures(Q3, comparison=True)
        rows = QuarterState.objects.filter(child=self.noah)
        assert rows.exists()
        with CaptureQueriesContext(connection) as deleting:
            self.noah.delete()
        assert not rows.exists()
        assert not any("reports_quartersnapshot" in q["sql"] for q in deleting)
