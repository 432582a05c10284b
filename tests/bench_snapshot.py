"""The quarterly figures and the report dashboards on a seed_scale database, read
from the per-quarter snapshot (reports.snapshot, issue 17): the snapshot build the
worker does at night, then the figures, the forvaltning dashboard and a leader's
dashboard with the cache emptied before each request ("cold"). Prints a Markdown
table for docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tidlig_scale_100k \\
        python -m tests.bench_snapshot [--repeat 5]
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import (  # noqa: E402
    Membership,
    Role,
    User,
)
from reports import snapshot  # noqa: E402
from reports.figures import quarter_figures  # noqa: E402
from tidlig.lib.dates import Quarter  # noqa: E402
from tidlig.test import log_in  # noqa: E402


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    quarter = Quarter.containing(timezone.localdate()).previous()
    rows = []

    build = _timed(lambda: snapshot.build(quarter))
    snapshot.ensure(quarter.previous(), quarter.same_last_year())
    rows.append((f"Snapshot build {quarter} (the worker, nightly)", [build]))
    rows.append(
        (
            f"Quarterly figures {quarter}, whole municipality",
            [_timed(lambda: quarter_figures(quarter)) for _ in range(args.repeat)],
        )
    )

    forvaltning = Client(HTTP_HOST="localhost")
    log_in(forvaltning, User.objects.get(username="scale-forvaltning"))
    leader = Client(HTTP_HOST="localhost")
    led = Membership.objects.filter(role=Role.LEDER).select_related("user").first()
    assert led is not None
    log_in(leader, led.user)
    for name, client in (("Forvaltning", forvaltning), ("Leader", leader)):

        def cold(client=client) -> None:
            cache.clear()
            response = client.get("/rapporter/status/", {"kvartal": str(quarter)})
            assert response.status_code == 200, response.status_code

        cold()  # the session's first request
        rows.append((f"{name} dashboard, cold", [_timed(cold) for _ in range(args.repeat)]))

    print("| Job | median s | max s |")
    print("|---|---|---|")
    for name, times in rows:
        print(f"| {name} | {statistics.median(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()
