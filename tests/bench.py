"""`make bench`: how "Mine børn", the child page and the quarterly figures behave
at municipal scale.

Builds a throwaway database (the configured one, under a bench_ name on
PostgreSQL, or a file in var/bench on SQLite) with N children spread over 20
units, then times requests through the Django test client, and
`reports.figures.quarter_figures` (every child assessed in two quarters, with
concerns, cases, meetings and interventions for some). Results go to stdout as a
Markdown table for docs/benchmarks.md.

    python -m tests.bench [--children 5000] [--repeat 20]
"""

import argparse
import os
import statistics
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")
os.environ.setdefault("TIDLIG_VAR_DIR", os.path.join(os.getcwd(), "var", "bench"))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tidlig.test import log_in  # noqa: E402


def build(children: int) -> tuple:
    from accounts.models import Membership, Role, Unit, UnitKind, User
    from children.models import Child, Enrollment

    units = [Unit.objects.create(name=f"Enhed {i}", kind=UnitKind.SKOLE) for i in range(20)]
    pia = User.objects.create_user("pia", password="bench-password-1")
    Membership.objects.create(user=pia, unit=units[0], role=Role.FAGPERSON)
    batch = []
    for i in range(children):
        child = Child(first_name=f"Barn{i}", last_name=f"Efternavn{i % 97}")
        birth = date(2012, 1, 1) + timedelta(days=i % 3000)
        child.set_cpr(birth.strftime("%d%m%y") + f"{4000 + i // 3000:04d}")
        batch.append(child)
    Child.objects.bulk_create(batch, batch_size=1000)
    Enrollment.objects.bulk_create(
        [
            Enrollment(child=c, unit=units[i % 20], start=date(2024, 8, 1))
            for i, c in enumerate(batch)
        ],
        batch_size=1000,
    )
    own = next(c for i, c in enumerate(batch) if i % 20 == 0)
    return pia, own


def build_report_data(author) -> None:
    """Two assessments per child (2026Q2 and 2026Q3), a concern for every tenth
    child, and a case with a meeting and two interventions for every 25th.

    Added after the requests above are timed, so that their rows stay comparable
    with earlier runs (which had no assessments)."""
    from children.models import Child, Concern
    from followups.models import Case, Intervention, Meeting
    from ruler.models import Assessment

    children = list(Child.objects.order_by("pk"))

    assessments, concerns, cases = [], [], []
    for i, child in enumerate(children):
        assessments.append(
            Assessment(child=child, author=author, assessed_on=date(2026, 5, 1), zone=1 + i % 5)
        )
        assessments.append(
            Assessment(
                child=child, author=author, assessed_on=date(2026, 8, 1), zone=1 + (i // 5) % 5
            )
        )
        if i % 10 == 0:
            concerns.append(
                Concern(child=child, author=author, observed_on=date(2026, 7, 20), text="…")
            )
        if i % 25 == 0:
            cases.append(Case(child=child, coordinator=author, opened_on=date(2026, 4, 1)))
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    Concern.objects.bulk_create(concerns, batch_size=1000)
    Case.objects.bulk_create(cases, batch_size=1000)
    Meeting.objects.bulk_create(
        [
            Meeting(case=case, scheduled_on=date(2026, 7, 1), held_on=date(2026, 7, 1))
            for case in cases
        ]
    )
    Intervention.objects.bulk_create(
        [
            Intervention(case=case, step=step, kind="…", start=start)
            for case in cases
            for step, start in ((3, date(2026, 4, 2)), (2, date(2026, 8, 2)))
        ]
    )


def timed(call, repeat: int) -> tuple[float, float]:
    call()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples), max(samples)


def timed_call(call, repeat: int) -> tuple[float, float]:
    call()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        pia, own = build(options.children)
        client = Client()
        log_in(client, pia)
        rows = [
            ("Mine børn, page 1", lambda: client.get("/boern/")),
            ("Mine børn, name search", lambda: client.post("/boern/", {"q": "Barn1"})),
            ("Mine børn, CPR search", lambda: client.post("/boern/", {"q": own.reveal_cpr()})),
            ("Child page", lambda: client.get(own.get_absolute_url())),
        ]
        print(
            f"{options.children} children in 20 units ({options.children // 20} visible "
            f"to the user), {connection.vendor}, {options.repeat} requests each\n"
        )
        print("| Request | median ms | max ms |\n|---|---|---|")
        for label, call in rows:
            median, worst = timed(call, options.repeat)
            print(f"| {label} | {median:.1f} | {worst:.1f} |")

        from reports.figures import quarter_figures
        from tidlig.lib.dates import Quarter

        build_report_data(pia)
        quarter = Quarter(2026, 3)
        figures = [
            ("quarter_figures, whole municipality", lambda: quarter_figures(quarter)),
            (
                "quarter_figures, one unit",
                lambda: quarter_figures(quarter, units=[pia.memberships.get().unit]),
            ),
        ]
        repeat = max(1, options.repeat // 4)
        print(f"\n| Quarterly figures (3 quarters each, {repeat} runs) | median ms | max ms |")
        print("|---|---|---|")
        for label, compute in figures:
            median, worst = timed_call(compute, repeat)
            print(f"| {label} | {median:.1f} | {worst:.1f} |")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
