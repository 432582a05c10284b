"""`make bench`: the key pages, the quarterly figures and PDF and the CSV import
at 1,000 and 100,000 children, on PostgreSQL.

Each size is a synthetic municipality of `manage.py seed_scale` in its own
database (tidlig_scale_1k, tidlig_scale_100k), created and seeded when missing
and reused when present (seed_scale finds its dataset and does nothing); either
way migrated first.
Each size is measured in a child process with DATABASE_URL pointing at its
database: requests through the Django test client in process, logged in with a
verified session as tidlig.test.log_in does, timed around `client.get`, queries
counted with CaptureQueriesContext on a separate request. The parent prints one
Markdown table with the median and p95 at each size, the queries and the ratio
100k/1k, and with --write puts it into docs/benchmarks.md.

The pages are picked from the data, so every run takes the same ones: the child
with the most assessments that scale-paedagog sees, the largest school and its
first leader, the case of scale-raadgiver with the most meetings and its latest
meeting. The requests write audit entries and sessions to the scale databases
as they would in production; the import is rolled back.

    python -m tests.bench [--sizes 1000 100000] [--repeat 20] [--write]
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Key pages at 1,000 and 100,000 children"
SERVER = "postgres://postgres@127.0.0.1:5432"
# Its own Redis database, so that "cold" can empty the cache without touching
# anyone else's (the tests use 9-12).
REDIS_URL = "redis://127.0.0.1:6379/14"
IMPORT_ROWS = 50_000
JOB_RUNS = 3

# The targets.
TARGET_P95_MS = 100
TARGET_RATIO = 1.5
TARGET_COLD_MS = 300
TARGET_PDF_S = 5


def database_name(children: int) -> str:
    if children % 1000 == 0:
        return f"tidlig_scale_{children // 1000}k"
    return f"tidlig_scale_{children}"


# --- the parent: databases, child processes, the table ---


def prepare(server: str, children: int) -> str:
    """The URL of the size's database, created, migrated and seeded if need be."""
    import psycopg

    name = database_name(children)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating {name}", file=sys.stderr)
            conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Also on a database that is there: the code measured expects its migrations.
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    # Does nothing when the dataset is there already.
    subprocess.run([*manage, "seed_scale", "--children", str(children)], env=env, check=True)
    return url


def measure_in_child(url: str, children: int, repeat: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", REDIS_URL),
    }
    command = [sys.executable, "-m", "tests.bench", "--measure", str(children)]
    command += ["--repeat", str(repeat)]
    done = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, cwd=ROOT)
    return json.loads(done.stdout)


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table(results: dict[int, dict]) -> str:
    small, large = min(results), max(results)
    a, b = results[small], results[large]
    sa, sb = f"{small:,}", f"{large:,}"
    lines = [
        f"| Request | {sa} median ms | {sa} p95 ms | {sb} median ms | {sb} p95 ms "
        f"| queries {sa} / {sb} | ratio of medians | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, row in b["pages"].items():
        first = a["pages"][label]
        ratio = row["median"] / first["median"] if first["median"] else 0
        missed = []
        limit = TARGET_COLD_MS if "cold" in label else TARGET_P95_MS
        if row["p95"] > limit:
            missed.append(f"p95 > {limit} ms")
        if ratio > TARGET_RATIO:
            missed.append(f"> {TARGET_RATIO} × 1k")
        if row["queries"] > first["queries"]:
            missed.append("queries grow")
        # Fewer at the larger size: a panel with nothing to show there asks nothing
        # (a prefetch with no rows, a list audit entry with no child).
        fewer = " (fewer queries)" if row["queries"] < first["queries"] else ""
        lines.append(
            f"| {label} | {_ms(first['median'])} | {_ms(first['p95'])} | {_ms(row['median'])} "
            f"| {_ms(row['p95'])} | {first['queries']} / {row['queries']} | {ratio:.2f} "
            f"| {'**missed**: ' + ', '.join(missed) if missed else 'ok' + fewer} |"
        )
    lines += [
        "",
        f"| Job | {sa} median s | {sa} max s | {sb} median s | {sb} max s "
        f"| queries {sa} / {sb} | ratio | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, row in b["jobs"].items():
        first = a["jobs"][label]
        ratio = row["median"] / first["median"] if first["median"] else 0
        target = ""
        if "PDF" in label:
            target = "ok" if row["max"] <= TARGET_PDF_S else f"**missed**: > {TARGET_PDF_S} s"
        lines.append(
            f"| {label} | {first['median']:.2f} | {first['max']:.2f} | {row['median']:.2f} "
            f"| {row['max']:.2f} | {first['queries']} / {row['queries']} | {ratio:.1f} "
            f"| {target} |"
        )
    return "\n".join(lines)


def section(results: dict[int, dict], command: str) -> str:
    some = next(iter(results.values()))
    machine = (
        f"{platform.node() or 'this machine'}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"PostgreSQL {some['postgres']}; load average at the start of each size: "
        + ", ".join(r["load"] for r in results.values())
        + "; CPU speed (seconds for a fixed 10 M-step Python loop, lower is faster): "
        + ", ".join(r["cpu"] for r in results.values())
    )
    picked = "\n".join(f"- {size:,} children: {r['picked']}" for size, r in results.items())
    return f"""{SECTION}

{date.today().isoformat()}; {machine}.

Django test client in process (DEBUG off, Redis cache), logged in with a verified
session; median and p95 of {some["repeat"]} requests after a warm-up ({some["repeat_cold"]} for
"cold", each after emptying the cache: the figures last computed are then read from
the database, reports.stored, as in production once the worker has run); queries
counted on the warm-up request (for "cold", on the first cold one after it). The
jobs run {JOB_RUNS} times (the import once, rolled back). "target" names what misses the
issue's targets: p95 ≤ {TARGET_P95_MS} ms (dashboards cold ≤ {TARGET_COLD_MS} ms), at 100,000
children ≤ {TARGET_RATIO} × the median at 1,000 and no more queries than there, the
quarterly PDF ≤ {TARGET_PDF_S} s. The machine is shared with other work (see the load
average and the CPU speed), so compare medians, and runs only at the same CPU speed.

`{command}`

Picked from the data:

{picked}

{table(results)}
"""


def write(text: str, heading: str = SECTION) -> None:
    """Put the section into docs/benchmarks.md, replacing an earlier one."""
    doc = DOC.read_text()
    pattern = re.compile("^" + re.escape(heading) + r"$.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(doc):
        doc = pattern.sub(lambda _m: text.rstrip() + "\n\n", doc, count=1).rstrip() + "\n"
    else:
        doc = doc.rstrip() + "\n\n" + text
    DOC.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES", SERVER))
    parser.add_argument("--write", action="store_true", help="put the table in docs")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.measure, options.repeat)))
        return

    results = {}
    for children in sorted(options.sizes):
        url = prepare(options.server, children)
        print(f"Measuring {children:,} children", file=sys.stderr)
        results[children] = measure_in_child(url, children, options.repeat)
    command = "python -m tests.bench " + " ".join(sys.argv[1:])
    text = section(results, command.replace(" --write", "").strip() + " (make bench)")
    print(text)
    if options.write:
        write(text)
        print(f"Written to {DOC.relative_to(ROOT)}", file=sys.stderr)


# --- the child: one size, in-process ---


def samples(call, repeat: int, before=None) -> list[float]:
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        if getattr(response, "status_code", 200) != 200:
            raise AssertionError(f"status {response.status_code}")
    return times


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def queries(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def import_file(rows: int) -> str:
    """A synthetic import file: new children (CPR numbers nobody has) in the
    enrolling units, with two guardians each."""
    from accounts.models import ENROLLING_KINDS, Unit
    from children import cpr
    from children.models import Child

    units = list(Unit.objects.filter(kind__in=ENROLLING_KINDS).order_by("pk"))
    candidates = []
    day = date(2016, 1, 1)
    while len(candidates) < rows * 1.1:
        for serial in range(5000, 5040):
            candidates.append(day.strftime("%d%m%y") + f"{serial:04d}")
        day += timedelta(days=1)
    hashes = {cpr.lookup_hash(number): number for number in candidates}
    taken = set(Child.objects.filter(cpr_hash__in=hashes).values_list("cpr_hash", flat=True))
    numbers = [number for h, number in hashes.items() if h not in taken][:rows]
    lines = [
        "cpr;fornavn;efternavn;køn;enhed;gruppe;start;slut;forælder1_navn;forælder1_relation;"
        "forælder1_telefon;forælder1_email;forælder1_forældremyndighed;forælder2_navn;"
        "forælder2_relation;forælder2_telefon;forælder2_email;forælder2_forældremyndighed"
    ]
    for i, number in enumerate(numbers):
        girl = int(number[-1]) % 2 == 0
        unit = units[i % len(units)].name
        lines.append(
            f"{number[:6]}-{number[6:]};{'Ida' if girl else 'Alfred'}{i};Import{i % 500};"
            f"{'pige' if girl else 'dreng'};{unit};;01-08-2026;;Maja Import{i};mor;"
            f"2{i:07d};maja{i}@example.org;ja;Jens Import{i};far;3{i:07d};;ja"
        )
    return "\n".join(lines) + "\n"


def measure(children: int, repeat: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")
    import django

    django.setup()

    from django.core.cache import cache
    from django.db import connection, transaction
    from django.db.models import Count, Exists, OuterRef
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from accounts.models import Membership, Role, Unit, UnitKind, User
    from children.access import in_intake_of, visible_children
    from children.importer import import_children
    from children.models import Consent, Enrollment, active_q
    from followups.models import Case, Underretning
    from followups.views import PAGE_SIZE as INTAKE_PAGE
    from reports.figures import quarter_figures
    from reports.generate import pdf_context
    from reports.views import default_quarter
    from ruler.models import Assessment
    from tidlig.lib.pdf import render_pdf
    from tidlig.test import log_in

    vacuum(connection)
    load = f"{os.getloadavg()[0]:.1f}"
    cpu = cpu_seconds()
    setup_test_environment()  # DEBUG off, "testserver" allowed
    users = {u.username: u for u in User.objects.filter(username__startswith="scale-")}
    clients = {}

    def client(username: str) -> Client:
        if username not in clients:
            clients[username] = Client()
            log_in(clients[username], users.get(username) or User.objects.get(username=username))
            # A session's first request does more (its entry in the list of
            # sessions): not what the pages cost afterwards.
            clients[username].get("/")
        return clients[username]

    paedagog = users["scale-paedagog"]
    # The child with the longest history: consents first (a page with none skips
    # the query for their units), then the most assessments.
    child = (
        Assessment.objects.filter(child__in=visible_children(paedagog))
        .values("child")
        .annotate(
            n=Count("pk"),
            consented=Exists(Consent.objects.filter(child=OuterRef("child"))),
        )
        .order_by("-consented", "-n", "child")
        .first()
    )
    child = visible_children(paedagog).get(pk=child["child"])
    school = (
        Enrollment.objects.filter(active_q(), unit__kind=UnitKind.SKOLE)
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit")
        .first()
    )
    school = Unit.objects.get(pk=school["unit"])
    school_leader = (
        Membership.objects.filter(unit=school, role=Role.LEDER).order_by("user_id").first().user
    )
    raadgiver = users["scale-raadgiver"]
    case = (
        Case.objects.filter(coordinator=raadgiver)
        .annotate(n=Count("meetings"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = case.meetings.order_by("-scheduled_on", "-pk").first()
    start = timezone.localdate() - timedelta(days=7)
    picked = (
        f"child {child.pk} ({child.assessments.count()} assessments), "
        f"{school.name} ({school.pk}, led by {school_leader.username}), "
        f"case {case.pk} and meeting {meeting.pk}"
    )

    def get(username, url):
        return lambda: client(username).get(url)

    def post(username, url, data):
        return lambda: client(username).post(url, data)

    audit = "/administration/log/"
    pages = {
        "Mine børn (scale-paedagog)": get("scale-paedagog", "/boern/"),
        "Mine børn, name search": post("scale-paedagog", "/boern/", {"q": child.first_name}),
        "Mine børn, CPR search": post("scale-paedagog", "/boern/", {"q": child.reveal_cpr()}),
        "Child page, most assessments": get("scale-paedagog", child.get_absolute_url()),
        # The one form for a concern and its zone (issue 20).
        "Assessment form": get("scale-paedagog", f"/boern/{child.pk}/bekymring/"),
        "Unit overview, largest school": get(
            school_leader.username, f"/oversigt/?enhed={school.pk}"
        ),
        **{
            f"Front page, {name}": get(name, "/")
            for name in (
                "scale-paedagog",
                "scale-laerer",
                "scale-leder",
                "scale-raadgiver",
                "scale-konsulent",
                "scale-forvaltning",
                "scale-admin",
            )
        },
        "Intake, a full page (scale-raadgiver)": get("scale-raadgiver", "/raadgivning/indgang/"),
        "Mine møder (scale-raadgiver)": get("scale-raadgiver", "/mine-moeder/"),
        "Mine sager (scale-raadgiver)": get("scale-raadgiver", "/mine-sager/"),
        "Case page": get("scale-raadgiver", f"/sager/{case.pk}/"),
        "Meeting page": get("scale-raadgiver", f"/moeder/{meeting.pk}/"),
        "Forvaltning dashboard, cold": get("scale-forvaltning", "/rapporter/status/"),
        "Forvaltning dashboard, warm": get("scale-forvaltning", "/rapporter/status/"),
        "Leader dashboard, cold": get("scale-leder", "/rapporter/status/"),
        "Leader dashboard, warm": get("scale-leder", "/rapporter/status/"),
        "Audit log, no filter": get("scale-admin", audit),
        "Audit log, user": get("scale-admin", f"{audit}?user={paedagog.username}"),
        "Audit log, child": get("scale-admin", f"{audit}?child={child.pk}"),
        "Audit log, action read": get("scale-admin", f"{audit}?action=read"),
        "Audit log, action create": get("scale-admin", f"{audit}?action=create"),
        "Audit log, last 7 days": get(
            "scale-admin", f"{audit}?start={start}&end={timezone.localdate()}"
        ),
        "Audit log, page 50": get("scale-admin", f"{audit}?side=50"),
    }

    @contextmanager
    def full_intake():
        """The intake with a full page at either size, so that the two sizes show the
        same rows: on a given day one or two underretninger are open at 1,000
        children, dozens at 100,000, and the page shows at most PAGE_SIZE. The
        missing ones are copies of the intake's latest closed ones, received in the
        last hours, added in a transaction that is rolled back."""
        mine = in_intake_of(raadgiver, child_ref="child")
        in_intake = Underretning.objects.filter(mine)
        found = in_intake.open().count()
        with transaction.atomic():
            copies = list(in_intake.exclude(closed_at=None).order_by("-received_at"))
            now = timezone.now()
            for hours, copy in enumerate(copies[: max(0, INTAKE_PAGE - found)], start=1):
                copy.pk = None
                copy.received_at = now - timedelta(hours=hours)
                copy.assessed_at = copy.closed_at = copy.receipt_sent_on = None
                copy.decision = ""
                copy.case = None
            Underretning.objects.bulk_create(copies[: max(0, INTAKE_PAGE - found)])
            filled.append(f"{found} open underretninger in scale-raadgiver's intake")
            yield
            transaction.set_rollback(True)

    filled: list[str] = []
    fill = {"Intake, a full page (scale-raadgiver)": full_intake}
    # Logged in before anything is counted or timed.
    for username in [*users, school_leader.username]:
        client(username)
    repeat_cold = max(3, repeat // 4)
    results: dict = {"pages": {}, "jobs": {}}
    for label, call in pages.items():
        cold = "cold" in label
        before = cache.clear if cold else None
        with fill.get(label, nullcontext)():
            if before:
                # The first request ever for these figures computes and stores them
                # (reports.stored): a warm-up, then the cold one is counted.
                call()
                before()
            count = queries(call)  # also the warm-up
            times = samples(call, repeat_cold if cold else repeat, before)
        results["pages"][label] = {
            "median": statistics.median(times),
            "p95": p95(times),
            "queries": count,
        }
        print(f"{children}: {label} {results['pages'][label]}", file=sys.stderr)

    quarter = default_quarter()
    runs = JOB_RUNS

    def job(label, call, runs=runs):
        # No warm-up: these take seconds, and a Celery worker runs each once.
        from django.test.utils import CaptureQueriesContext

        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                call()
                times.append(time.perf_counter() - start)
        results["jobs"][label] = {"median": statistics.median(times), "max": max(times)}
        results["jobs"][label]["queries"] = len(captured)
        print(f"{children}: {label} {results['jobs'][label]}", file=sys.stderr)

    job(f"Quarterly figures {quarter}, whole municipality", lambda: quarter_figures(quarter))
    job(
        f"Quarterly PDF {quarter} (figures + PDF)",
        lambda: render_pdf(
            "reports/quarterly_pdf.html",
            pdf_context(quarter_figures(quarter), generated_at=timezone.now()),
        ),
    )

    data = import_file(IMPORT_ROWS)
    admin = users["scale-admin"]

    def import_rolled_back():
        with transaction.atomic():
            result = import_children(data, user=admin, name="bench.csv")
            assert not result.errors, result.errors[:3]
            assert result.children.created == IMPORT_ROWS, result.children
            transaction.set_rollback(True)

    job(f"CSV import, {IMPORT_ROWS:,} new children (rolled back)", import_rolled_back, runs=1)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    results.update(
        picked=", ".join([picked, *filled]),
        repeat=repeat,
        repeat_cold=repeat_cold,
        postgres=version,
        load=load,
        cpu=cpu,
    )
    return results


def vacuum(connection) -> None:
    """What autovacuum does in production, which this machine's PostgreSQL runs
    without: the rows an earlier run's rolled-back import left dead made the
    planner read the ends of the indexes past them, thousands of pages a query
    (planning 8 ms instead of 2)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE n_dead_tup > 0")
        for (table,) in cursor.fetchall():
            cursor.execute(f'VACUUM ANALYZE "{table}"')


def cpu_seconds() -> str:
    """How fast this shared machine runs just now: the same runs of the same code
    differ by two times between hours, so each table says what speed it had."""
    start = time.perf_counter()
    total = 0
    for step in range(10_000_000):
        total += step
    return f"{time.perf_counter() - start:.2f}"


if __name__ == "__main__":
    main()
