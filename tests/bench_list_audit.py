"""What the list audit entry (children.audit.log_list) costs on one list page:
"Mine børn" showing 50 children, timed and counted with the entry and without it
(log_list_view replaced by a no-op, as before issue 18). Uses a throwaway test
database (test_<name> on PostgreSQL, a file on SQLite). Prints a Markdown table.

    python -m tests.bench_list_audit [--repeat 50]
"""

import argparse
import os
import statistics
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

from children import audit  # noqa: E402
from tidlig.test import log_in, make_child, make_user  # noqa: E402


def _get(client: Client) -> float:
    start = time.perf_counter()
    assert client.get("/boern/").status_code == 200
    return (time.perf_counter() - start) * 1000


def _queries(client: Client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        client.get("/boern/")
    inserts = sum(q["sql"].startswith('INSERT INTO "auditlog_logentry"') for q in queries)
    return len(queries), inserts


def measure(client: Client, repeat: int) -> dict[str, tuple[float, float, int, int]]:
    """Requests with and without the entry taken in turn, so that load on the
    machine falls on both alike."""
    real = audit.log_list_view

    def use_entry(on: bool) -> None:
        audit.log_list_view = real if on else (lambda request, child_ids: None)

    times: dict[str, list[float]] = {"without": [], "with": []}
    counts = {}
    for label, on in (("without", False), ("with", True)):
        use_entry(on)
        _get(client)  # warm-up
        counts[label] = _queries(client)
    for _ in range(repeat):
        for label, on in (("without", False), ("with", True)):
            use_entry(on)
            times[label].append(_get(client))
    use_entry(True)
    return {
        label: (statistics.median(found), statistics.quantiles(found, n=10)[-1], *counts[label])
        for label, found in times.items()
    }


def log_list_alone(ids: list[int], user, repeat: int) -> float:
    """The median time of log_list itself with 50 ids, in ms."""
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        audit.log_list(user, "/boern/", ids, page="child_list")
        found.append((time.perf_counter() - start) * 1000)
    return statistics.median(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.models import Role, Unit, UnitKind
        from children.models import Child

        unit = Unit.objects.create(name="Solsikken", kind=UnitKind.BOERNEHAVE)
        pia = make_user("pia", unit, Role.FAGPERSON)
        for n in range(50):
            make_child("Barn", f"Nr{n:02d}", date(2021, 1, 1 + n % 28), unit=unit)
        client = Client()
        log_in(client, pia)

        results = measure(client, args.repeat)
        ids = list(Child.objects.values_list("pk", flat=True))
        alone = log_list_alone(ids, pia, args.repeat)
        print(
            f"| Mine børn, 50 children ({connection.vendor}) | median ms | p90 ms | queries "
            "| audit INSERTs |"
        )
        print("|---|---|---|---|---|")
        for label, (median, top, queries, inserts) in results.items():
            print(f"| {label} the list entry | {median:.1f} | {top:.1f} | {queries} | {inserts} |")
        print(f"\nlog_list alone, 50 ids: median {alone:.2f} ms")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
