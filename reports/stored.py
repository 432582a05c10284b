"""The quarterly status's figures kept in the database between computations.

The dashboard keeps each quarter-and-population's figures in the cache for
REPORT_CACHE_SECONDS. When the cache has let them go, the figures last computed
are here (StoredFigures): the page shows them, with the time they were computed,
and if they are older than REPORT_CACHE_SECONDS asks the worker to compute them
again (`refresh`, once at a time per population). So a request computes figures
only the first time anyone asks for a population at all, and the worker keeps the
forvaltning's figures of the quarter the dashboard opens on fresh before anyone
asks (`refresh_municipal`, every REPORT_CACHE_SECONDS by beat): at 100,000
children they take about two seconds, which no request should wait for.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from reports.figures import quarter_figures
from reports.models import StoredFigures
from tidlig.lib.dates import Quarter

logger = logging.getLogger(__name__)

ALL = "all"  # the scope key of the whole municipality


def scope_key(unit_ids: list[int] | None) -> str:
    return ALL if unit_ids is None else ",".join(str(pk) for pk in sorted(unit_ids))


def cache_key(quarter: Quarter | str, unit_ids: list[int] | None) -> str:
    units = "all" if unit_ids is None else sorted(unit_ids)
    return f"reports:figures:{quarter}:{units}"


def compute(quarter: Quarter, units=None) -> dict:
    figures = quarter_figures(quarter, units=units)
    figures["computed_at"] = timezone.now().isoformat()
    return figures


def load(quarter: Quarter, unit_ids: list[int] | None) -> StoredFigures | None:
    return StoredFigures.objects.filter(quarter=str(quarter), scope=scope_key(unit_ids)).first()


def save(quarter: Quarter, unit_ids: list[int] | None, figures: dict, *, municipal: bool) -> None:
    StoredFigures.objects.update_or_create(
        quarter=str(quarter),
        scope=scope_key(unit_ids),
        defaults={
            "figures": figures,
            "computed_at": timezone.now(),
            "municipal": municipal,
        },
    )


def is_stale(stored: StoredFigures) -> bool:
    return stored.computed_at < timezone.now() - timedelta(seconds=settings.REPORT_CACHE_SECONDS)


def refresh(quarter: Quarter, unit_ids: list[int] | None, *, municipal: bool) -> dict:
    """Compute the figures again, keep them here and in the cache."""
    from accounts.models import Unit

    units = None if unit_ids is None else list(Unit.objects.filter(pk__in=unit_ids))
    figures = compute(quarter, units)
    save(quarter, unit_ids, figures, municipal=municipal)
    try:
        cache.set(cache_key(quarter, unit_ids), figures, settings.REPORT_CACHE_SECONDS)
    except Exception:  # redis-py's ConnectionError, TimeoutError…
        logger.warning("The cache does not answer; the refreshed figures are only stored.")
    return figures


def ask_for_refresh(quarter: Quarter, unit_ids: list[int] | None, *, municipal: bool) -> None:
    """Have the worker compute stale figures again, once: the first request that
    finds them stale takes a lock for REPORT_CACHE_SECONDS; with the broker or the
    cache down the stale figures are shown a while longer, which the page says."""
    from reports.tasks import refresh_figures

    try:
        if not cache.add(
            f"{cache_key(quarter, unit_ids)}:refresh", 1, settings.REPORT_CACHE_SECONDS
        ):
            return
        refresh_figures.delay(str(quarter), unit_ids, municipal)
    except Exception:
        logger.warning("Could not ask the worker to refresh the figures of %s.", quarter)


def refresh_municipal() -> list[str]:
    """The forvaltning's figures of the quarter the dashboard opens on (the last
    finished one) and of the running one, and every drill-down of those quarters
    someone has asked for: computed again if older than REPORT_CACHE_SECONDS."""
    from reports.views import current_quarter, default_quarter

    if not settings.REPORT_CACHE_SECONDS:
        return []  # the dashboard computes on every request
    refreshed = []
    quarters = {str(default_quarter()), str(current_quarter())}
    wanted = {(quarter, ALL) for quarter in quarters}
    asked = StoredFigures.objects.filter(quarter__in=quarters, municipal=True)
    wanted |= {(row.quarter, row.scope) for row in asked}
    fresh = {(row.quarter, row.scope) for row in asked if not is_stale(row)}
    for quarter, scope in sorted(wanted - fresh):
        unit_ids = None if scope == ALL else [int(pk) for pk in scope.split(",") if pk]
        refresh(Quarter.parse(quarter), unit_ids, municipal=True)
        refreshed.append(f"{quarter}:{scope}")
    return refreshed
