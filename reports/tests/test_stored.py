"""The figures kept between computations (reports.stored): a cold cache reads them
instead of computing, stale ones are shown while the worker computes them again,
and the worker keeps the forvaltning's figures fresh before anyone asks."""

from datetime import date, timedelta
from unittest import mock

from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from reports import stored
from reports.models import StoredFigures
from reports.tasks import refresh_figures, refresh_municipal_figures
from reports.tests.test_dashboard import ReportTestCase
from ruler.tests.factories import assess
from tidlig.celery import app
from tidlig.lib.dates import Quarter

Q3 = Quarter(2026, 3)


class StoredFiguresTestCase(ReportTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        settings = override_settings(REPORT_CACHE_SECONDS=600)
        settings.enable()
        self.addCleanup(settings.disable)

    def _zones(self, response) -> list:
        return self._table(response, "zones_total").rows

    def test_a_cold_cache_shows_the_stored_figures_without_computing_them(self):
        first = self._get(self.frida)
        row = StoredFigures.objects.get(quarter="2026Q3", scope=stored.ALL)
        assert row.municipal and row.figures["quarter"] == "2026Q3"
        cache.clear()  # the cache lets them go
        with mock.patch.object(stored, "quarter_figures", side_effect=AssertionError("computed")):
            again = self._get(self.frida)
        assert again.status_code == 200
        assert self._zones(again) == self._zones(first)

    def test_stale_figures_are_shown_once_while_the_worker_computes_them_again(self):
        first = self._get(self.frida)
        StoredFigures.objects.update(computed_at=timezone.now() - timedelta(hours=1))
        cache.clear()
        assess(self.oskar, self.sofie, 5, on=date(2026, 9, 1))
        with mock.patch.object(refresh_figures, "delay") as delay:
            stale = self._get(self.frida)
            self._get(self.frida)  # asked once, not per request
        assert self._zones(stale) == self._zones(first)
        delay.assert_called_once_with("2026Q3", None, True)
        refresh_figures(*delay.call_args.args)  # what the worker does
        cache.clear()
        fresh = self._get(self.frida)
        assert self._zones(fresh)[0][5] == "<5"  # Oskar is in zone 5 now
        assert self._zones(first)[0][5] == "0"

    def test_a_leaders_figures_are_stored_for_their_units_not_as_the_municipalitys(self):
        self._get(self.lars)
        (row,) = StoredFigures.objects.all()
        assert not row.municipal and row.scope == str(self.solsikken.pk)

    def test_the_worker_keeps_the_forvaltnings_figures_fresh_before_anyone_asks(self):
        refreshed = refresh_municipal_figures()
        assert refreshed == ["2026Q3:all", "2026Q4:all"]
        assert set(StoredFigures.objects.values_list("quarter", "scope")) == {
            ("2026Q3", "all"),
            ("2026Q4", "all"),
        }
        # Fresh: nothing to do; a drill-down someone asked for is kept fresh too,
        # a leader's own figures are left to their next visit.
        self._get(self.frida, f"?kvartal=2026Q3&distrikt={self.sydby.pk}")
        self._get(self.lars)
        assert refresh_municipal_figures() == []
        StoredFigures.objects.update(computed_at=timezone.now() - timedelta(hours=1))
        refreshed = refresh_municipal_figures()
        assert sorted(refreshed) == sorted(
            ["2026Q3:all", f"2026Q3:{self.sydskolen.pk}", "2026Q4:all"]
        )
        entry = app.conf.beat_schedule["report-figures"]
        assert entry["task"] == "reports.tasks.refresh_municipal_figures"

    def test_without_the_cache_nothing_is_stored(self):
        with override_settings(REPORT_CACHE_SECONDS=0):
            self._get(self.frida)
            assert refresh_municipal_figures() == []
        assert not StoredFigures.objects.exists()

    def test_the_suppressed_figures_are_kept_with_the_figures(self):
        from reports import views

        with mock.patch.object(views, "protect", wraps=views.protect) as protect:
            first = self._get(self.frida)
            again = self._get(self.frida)
        assert protect.call_count == 1
        assert self._zones(again) == self._zones(first)
