"""The administrator's audit viewer and spot-check on a seed_scale database
(issue 17): server time through the Django test client, logged in as
`scale-admin`, unfiltered and with each filter. Every request runs in a
transaction that is rolled back, so the viewer's own audit entries are not kept.
Prints a Markdown table for docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tidlig_scale_100k \
        python -m tests.bench_audit [--repeat 20]
"""

import argparse
import os
import statistics
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")

import django

django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from tidlig.test import log_in  # noqa: E402


def _get(client: Client, url: str, params: dict) -> tuple[float, float]:
    """The request's time and the time its SQL took (as Django logs it with DEBUG on),
    in ms."""
    with transaction.atomic():
        reset_queries()
        start = time.perf_counter()
        response = client.get(url, params)
        took = (time.perf_counter() - start) * 1000
        transaction.set_rollback(True)
    assert response.status_code == 200, (url, params, response.status_code)
    return took, sum(float(query["time"]) for query in connection.queries) * 1000


def cases() -> list[tuple[str, str, dict]]:
    from auditlog.models import LogEntry

    # The busiest user and a child with many entries: the worst of their kind.
    busiest = (
        LogEntry.objects.exclude(actor=None)
        .values("actor")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "no audit entries: run seed_scale first"
    child = (
        LogEntry.objects.filter(pk__lt=200_000, additional_data__has_key="child")
        .values("additional_data__child")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert child is not None
    today = timezone.localdate()
    month = {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}
    two_years = {"start": (today - timedelta(days=730)).isoformat(), "end": today.isoformat()}
    viewer, sample = reverse("admin_audit"), reverse("admin_audit_sample")
    user, child_id = busiest["actor"], child["additional_data__child"]
    return [
        ("unfiltered", viewer, {}),
        ("unfiltered, page 20 (the last)", viewer, {"side": 20}),
        ("user", viewer, {"user": user}),
        ("user, 2 years", viewer, {"user": user, **two_years}),
        ("child", viewer, {"child": child_id}),
        ("child, 2 years", viewer, {"child": child_id, **two_years}),
        ("action: print", viewer, {"action": "print"}),
        ("action: read", viewer, {"action": "read"}),
        ("action: create", viewer, {"action": "create"}),
        ("last 30 days", viewer, {**month}),
        ("user, action: read, 30 days", viewer, {"user": user, "action": "read", **month}),
        ("spot check, 20", sample, {}),
        ("spot check, 100", sample, {"antal": 100}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--username", default="scale-admin")
    args = parser.parse_args()
    from accounts.models import User

    # Not setup_test_environment(): its copy of every template context (the user
    # filter renders an option per user) would be timed too.
    client = Client(HTTP_HOST="localhost")
    log_in(client, User.objects.get(username=args.username))
    found = cases()
    name = connection.settings_dict["NAME"]
    print(f"| {name} | median ms | p95 ms | SQL, median ms |", flush=True)
    print("|---|---|---|---|")
    for label, url, params in found:
        _get(client, url, params)  # warm-up
        runs = [_get(client, url, params) for _ in range(args.repeat)]
        times = [took for took, _sql in runs]
        top = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        sql = statistics.median(sql for _took, sql in runs)
        print(f"| {label} | {statistics.median(times):.0f} | {top:.0f} | {sql:.0f} |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} after the run")


if __name__ == "__main__":
    main()
