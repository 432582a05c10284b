"""A synthetic municipality of any size, for benchmarks: `manage.py seed_scale`.

Everything is invented and drawn from generators seeded with `seed` (one per step),
so the same number of children, seed and day give the same data. Proportions:

- districts of about 10,000 children; per district a dagpleje, a sundhedspleje
  and a Børn & Ungerådgivning (the intake is per district, children.access);
  vuggestuer of ~50, børnehaver of ~80 (four stuer), schools of ~480 (classes
  0.A-9.B and 10.A, each with an SFO), a klub per two schools; one PPR, one
  ungeindsats and the forvaltning for the whole municipality;
- about one user per 20 children: a leader per unit, rådgivere, PPR consultants,
  sundhedsplejersker, and pædagoger/lærere spread over the units by their
  children (every third teacher limited to one class); every user has the same
  published password and an authenticator "app" (`demo_code` prints its code);
- children aged 0-17 with synthetic CPR numbers, one or two guardians, and their
  enrollments from dagtilbud to klub (as seed_demo plans them);
- in the last `years` of history: 30 % of the children assessed (most in zones
  1-2, a tail in 3-5), concerns, LØFT dialogues with next steps, cases with team,
  interventions and three-month meetings, underretninger, consents, and an audit
  trail of about AUDIT_PER_CHILD_YEAR entries per child and year (the creates of
  those rows, reads, prints, CPR reveals and searches by the child's staff, and
  list entries of "Mine børn").

Rows are written with ids chosen here (from the tables' current maximum), by
PostgreSQL COPY or, on SQLite, executemany; the sequences are set afterwards. For
a large audit load the audit table's secondary indexes and foreign keys are
dropped and re-created (and so re-checked) in the same transaction.
"""

import contextlib
import gc
import hashlib
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from auditlog.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import (
    District,
    GroupKind,
    Membership,
    Role,
    Unit,
    UnitGroup,
    UnitKind,
    User,
)
from children import cpr
from children.models import Child, Concern, Consent, Enrollment, Gender, Guardian, Relation
from children.sharing import Purpose
from demo.names import BOY_NAMES, GIRL_NAMES, NEUTRAL_NAMES, SURNAMES
from demo.organisation import DEMO_DEVICE_NAME
from followups.models import (
    Case,
    CaseMember,
    Decision,
    Intervention,
    Meeting,
    Underretning,
    prevention_level_for,
)
from loeft.models import Dialogue, DialogueVersion, NextStep, Owner
from ruler.models import Assessment, Reason

AUDIT_PER_CHILD_YEAR = 50
# Share of the audit entries that are list entries ("Mine børn" naming up to 50 children).
LIST_SHARE = 0.02
PASSWORD = "tidlig-scale"  # noqa: S105 - published on purpose, as seed_demo's
EMAIL_DOMAIN = "skala.tidlig-kommune.example"
MARKER_PREFIX = "Børne- og Ungdomsforvaltningen (syntetisk kommune, "
# Above this many audit rows, the audit table's indexes are rebuilt after the load.
REBUILD_INDEXES_FROM = 500_000

DISTRICT_NAMES = [
    "Amager Øst", "Amager Vest", "Bispebjerg", "Brønshøj-Husum", "Indre By", "Nørrebro",
    "Østerbro", "Valby", "Vanløse", "Vesterbro", "Kongens Enghave", "Christianshavn",
]  # fmt: skip
WORDS = [
    "Birken", "Egen", "Bøgen", "Kastanjen", "Lærken", "Svalen", "Mågen", "Ravnen", "Uglen",
    "Mejsen", "Spurven", "Stæren", "Solsikken", "Valmuen", "Kløveren", "Mosen", "Lyngen",
    "Hasselen", "Pilen", "Rønnen", "Elmen", "Asken", "Lindetræet", "Hylden", "Tjørnen",
    "Mælkebøtten", "Anemonen", "Skovsneglen", "Humlebien", "Mariehønen", "Myretuen",
    "Regnbuen", "Søstjernen", "Fyrtårnet", "Ankeret", "Bølgen", "Stjernen", "Månen",
    "Kometen", "Nordlyset",
]  # fmt: skip
STUER = ["Solstuen", "Månestuen", "Stjernestuen", "Regnbuestuen"]
CLASSES = [f"{grade}.{letter}" for grade in range(10) for letter in "AB"] + ["10.A"]

# (username, role, kind of the unit, title): the logins the benchmark uses. The unit
# is the first of its kind (the first district's), the teacher limited to class 0.A.
WELL_KNOWN = [
    ("scale-paedagog", Role.FAGPERSON, UnitKind.BOERNEHAVE, "Pædagog"),
    ("scale-leder", Role.LEDER, UnitKind.BOERNEHAVE, "Institutionsleder"),
    ("scale-laerer", Role.FAGPERSON, UnitKind.SKOLE, "Lærer"),
    ("scale-raadgiver", Role.RAADGIVER, UnitKind.RAADGIVNING, "Socialrådgiver"),
    ("scale-konsulent", Role.KONSULENT, UnitKind.PPR, "Psykolog"),
    ("scale-forvaltning", Role.FORVALTNING, UnitKind.FORVALTNING, "Børne- og ungechef"),
    ("scale-admin", Role.ADMINISTRATOR, UnitKind.FORVALTNING, "Systemadministrator"),
]

CONCERNS = [
    "Har flere gange grædt længe ved aflevering og falder først til ro hos en kendt voksen.",
    "Spiser meget lidt af madpakken og virker træt om formiddagen.",
    "Trækker sig fra legen i de store grupper og leger mest alene.",
    "Har været fraværende mange dage den seneste måned uden besked.",
    "Slår de andre børn, når han bliver frustreret, og har svært ved at falde til ro.",
    "Virker bekymret og spørger tit, om mor henter i dag.",
]
WORKS = [
    "Har en god ven i gruppen og søger de voksne, når noget er svært.",
    "Mor kommer til alle samtaler og følger op derhjemme.",
    "Trives i små grupper med en fast voksen.",
    "Er glad for at tegne og bygge og kan fordybe sig længe.",
]
WORRIES = [
    "Meget fravær og uro i overgangene i løbet af dagen.",
    "Virker træt og sulten om morgenen.",
    "Konflikter med de andre børn flere gange om ugen.",
    "Familien har svært ved at nå at følge op på aftalerne.",
]
MUST_HAPPEN = [
    "Samtale med forældrene inden for to uger, og en fast voksen ved aflevering.",
    "Sparring med PPR og opfølgning om en måned.",
    "Lederen inddrages, og vi drøfter en underretning.",
]
STEPS = [
    "Fast voksen tager imod om morgenen",
    "Forældrene skriver i kontaktbogen hver fredag",
    "Barnet vælger selv en legekammerat til tur i skoven",
    "Samtale med sundhedsplejersken",
    "Kort møde om, hvordan det går",
]
INTERVENTIONS = [
    (1, "Ekstra voksenstøtte i gruppen"),
    (2, "Familiebehandling i Familiehuset"),
    (2, "Forældrekursus (De Utrolige År)"),
    (3, "Familiebehandler i hjemmet"),
    (4, "Anbringelse hos morbror"),
    (5, "Anbringelse i familiepleje"),
    (6, "Anbringelse på døgninstitution"),
]

DAY = timedelta(days=1)


def step_rng(seed: int, step: str) -> random.Random:
    return random.Random(f"scale:{seed}:{step}")  # noqa: S311 - synthetic data, not secrets


def expected_audit_entries(children: int, years: int = 1) -> int:
    return AUDIT_PER_CHILD_YEAR * children * years


def marker_name(children: int) -> str:
    return f"{MARKER_PREFIX}{children} børn)"


def existing_scale() -> int | None:
    """The number of children of the scale dataset in the database, if there is one."""
    name = Unit.objects.filter(name__startswith=MARKER_PREFIX).values_list("name", flat=True)
    for found in name:
        digits = found[len(MARKER_PREFIX) :].split(" ")[0]
        if digits.isdigit():
            return int(digits)
    return None


def holds_other_data() -> bool:
    """Whether the database has data that seed_scale did not make."""
    if User.objects.exclude(email__endswith="@" + EMAIL_DOMAIN).exists():
        return True
    if existing_scale() is None:
        return Unit.objects.exists() or Child.objects.exists()
    return False


def wipe() -> None:
    """Empty every table the dataset lives in (and those that point at them)."""
    labels = {"accounts", "children", "ruler", "loeft", "followups", "reports", "auditlog"}
    labels |= {"otp_totp", "otp_static", "sessions", "axes"}
    tables = [
        model._meta.db_table
        for model in _all_models()
        if model._meta.app_label in labels and not model._meta.proxy
    ]
    existing = set(connection.introspection.table_names())
    tables = [t for t in tables if t in existing]
    sql = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses a table with checks pending in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in sql:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _all_models() -> list[type[models.Model]]:
    from django.apps import apps

    return list(apps.get_models(include_auto_created=True))


# --- writing rows -------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, date):  # datetimes too: aware, so with their offset
        return value.isoformat()
    return str(value)


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


class Writer:
    """Rows into tables, ids chosen here: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.written: list[type[models.Model]] = []

    def first_id(self, model: type[models.Model]) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            if self.postgres:
                # Other writers wait until the dataset is committed.
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - a table name
            return (cursor.fetchone()[0] or 0) + 1

    def write(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]
    ) -> int:
        if model not in self.written:
            self.written.append(model)
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    chunk: list[str] = []
                    for row in rows:
                        chunk.append("\t".join([_copy_value(v) for v in row]))
                        if len(chunk) == 5000:
                            chunk.append("")
                            copy.write("\n".join(chunk))
                            count += len(chunk) - 1
                            chunk = []
                    if chunk:
                        chunk.append("")
                        copy.write("\n".join(chunk))
                        count += len(chunk) - 1
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                batch: list[list] = []
                for row in rows:
                    batch.append([_sqlite_value(v) for v in row])
                    if len(batch) == 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        return count

    def write_lines(self, model: type[models.Model], columns: Sequence[str], chunks) -> None:
        """Ready-made COPY text (PostgreSQL only), for the audit trail's millions."""
        if model not in self.written:
            self.written.append(model)
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for chunk in chunks:
                copy.write(chunk)

    def set_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.written)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def analyze(self) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in self.written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class RebuiltIndexes:
    """Drop a table's secondary indexes and foreign keys, and re-create them on exit
    (PostgreSQL, inside the caller's transaction: the foreign keys are checked again
    when they are added, so nothing is left unchecked)."""

    def __init__(self, table: str, *, indexes: bool = True) -> None:
        self.table = table
        self.rebuild_indexes = indexes
        self.indexes: list[tuple[str, str]] = []
        self.foreign_keys: list[tuple[str, str]] = []

    def __enter__(self) -> "RebuiltIndexes":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "JOIN pg_class c ON c.relname = i.indexname "
                "JOIN pg_index x ON x.indexrelid = c.oid "
                "WHERE i.tablename = %s AND NOT x.indisprimary AND NOT x.indisunique",
                [self.table],
            )
            self.indexes = cursor.fetchall() if self.rebuild_indexes else []
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [self.table],
            )
            self.foreign_keys = cursor.fetchall()
            quote = connection.ops.quote_name
            # Altering a foreign key alters the table it points at, which must not have
            # checks pending: run the checks of what is written so far now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, _definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(self.table)} DROP CONSTRAINT {quote(name)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for name, _definition in self.indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            return  # the transaction rolls back, indexes and all
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for _name, definition in self.indexes:
                cursor.execute(definition)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, definition in self.foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {quote(self.table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- the municipality ---------------------------------------------------------------


@dataclass
class UnitRow:
    id: int
    name: str
    kind: str
    district: int | None  # index into districts
    staff: list[int] = field(default_factory=list)  # users who write about its children
    children: list[int] = field(default_factory=list)  # indexes of children enrolled today
    load: int = 0


@dataclass
class Stay:
    unit: int  # index into units
    start: date
    end: date | None
    group: int | None = None  # UnitGroup id
    id: int = 0


@dataclass
class Kid:
    id: int
    first_name: str
    last_name: str
    birth: date
    gender: str
    district: int
    stays: list[Stay]
    guardians: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    zone: int = 0  # latest zone, 0 when never assessed
    creates: list[tuple] = field(default_factory=list)  # audit entries of its rows
    case_staff: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class Summary:
    counts: dict[str, int]
    logins: list[tuple[str, str, str, str]]  # username, role, unit, password
    seconds: dict[str, float]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def _school_year(day: date) -> int:
    return day.year if day.month >= 8 else day.year - 1


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= DAY
    return day


class Build:
    def __init__(
        self, children: int, *, seed: int, today: date, years: int, log: Callable[[str], None]
    ) -> None:
        self.n = children
        self.seed = seed
        self.today = today
        self.years = years
        self.since = today - timedelta(days=365 * years)
        self.log = log
        self.writer = Writer()
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.units: list[UnitRow] = []
        self.by_kind: dict[str, list[list[int]]] = {}
        self.kids: list[Kid] = []
        # "Now" for the data is yesterday's end of the working day, and nothing happens
        # later (day_time): a timestamp of today's working hours would lie in the
        # future for a run in the night (the audit trail's reads, the sessions).
        self.now = datetime.combine(
            today - timedelta(days=1), datetime.min.time(), tzinfo=UTC
        ) + timedelta(hours=16)
        self.ct = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (
                Child,
                Enrollment,
                Concern,
                Consent,
                Assessment,
                Dialogue,
                NextStep,
                Case,
                Meeting,
                Underretning,
            )
        }

    # A phase prints what it made and how long it took.
    def phase(self, name: str, work: Callable[[], None]) -> None:
        started = time.perf_counter()
        work()
        self.seconds[name] = time.perf_counter() - started
        self.log(f"{name}: {self.seconds[name]:.1f} s")

    def run(self) -> Summary:
        self.phase("organisation", self.organisation)
        self.phase("children", self.make_children)
        self.phase("enrollments and guardians", self.enrollments_and_guardians)
        self.phase("users", self.users)
        self.phase("assessments, dialogues, cases", self.activity)
        self.phase("audit trail", self.audit)
        self.phase("sequences and statistics", self.finish)
        return Summary(self.counts, self.logins, self.seconds)

    def checked_later(self, model: type[models.Model]) -> contextlib.AbstractContextManager:
        """For a big table on PostgreSQL, its foreign keys dropped while it is loaded
        and added back (and so checked in one query each) instead of a deferred
        trigger per row and key at commit."""
        if self.writer.postgres and self.n >= 20_000:
            return RebuiltIndexes(model._meta.db_table, indexes=False)
        return contextlib.nullcontext()

    def day_time(self, day: date, rng: random.Random) -> datetime:
        """A time in the working day (06–16 UTC) of `day`, at the latest self.now."""
        moment = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(
            seconds=rng.randrange(6 * 3600, 16 * 3600)
        )
        return min(moment, self.now)

    # --- organisation ---

    def organisation(self) -> None:
        n, w = self.n, self.writer
        districts = max(1, round(n / 10_000))
        names = [
            DISTRICT_NAMES[i % len(DISTRICT_NAMES)]
            + (f" {i // len(DISTRICT_NAMES) + 1}" if i >= len(DISTRICT_NAMES) else "")
            for i in range(districts)
        ]
        first = w.first_id(District)
        self.district_ids = [first + i for i in range(districts)]
        w.write(District, ["id", "name"], zip(self.district_ids, names, strict=True))
        self.counts["districts"] = districts

        cohort = n / 18
        per_kind = {
            UnitKind.DAGPLEJE: districts,
            UnitKind.VUGGESTUE: max(districts, math.ceil(cohort * 2.5 * 0.65 / 50)),
            UnitKind.BOERNEHAVE: max(districts, math.ceil(cohort * 3 / 80)),
            UnitKind.SKOLE: max(districts, math.ceil(cohort * 10.3 / 480)),
            UnitKind.SUNDHEDSPLEJE: districts,
            UnitKind.RAADGIVNING: districts,
        }
        per_kind[UnitKind.SFO] = per_kind[UnitKind.SKOLE]
        per_kind[UnitKind.KLUB] = max(districts, math.ceil(per_kind[UnitKind.SKOLE] / 2))
        labels = {
            UnitKind.DAGPLEJE: "Dagplejen",
            UnitKind.VUGGESTUE: "Vuggestuen",
            UnitKind.BOERNEHAVE: "Børnehaven",
            UnitKind.SKOLE: "Skolen ved",
            UnitKind.SFO: "SFO",
            UnitKind.KLUB: "Klubben",
            UnitKind.SUNDHEDSPLEJE: "Sundhedsplejen",
            UnitKind.RAADGIVNING: "Børn & Ungerådgivningen",
        }
        uid = w.first_id(Unit)
        for kind, count in per_kind.items():
            self.by_kind[kind] = [[] for _ in range(districts)]
            for j in range(count):
                d, k = j % districts, j // districts
                if kind in (UnitKind.DAGPLEJE, UnitKind.SUNDHEDSPLEJE, UnitKind.RAADGIVNING):
                    name = f"{labels[kind]} {names[d]}"
                elif kind == UnitKind.SFO:
                    name = f"SFO {self.units[self.by_kind[UnitKind.SKOLE][d][k]].name}"
                else:
                    word = WORDS[k % len(WORDS)] + (
                        f" {k // len(WORDS) + 1}" if k >= len(WORDS) else ""
                    )
                    name = f"{labels[kind]} {word}, {names[d]}"
                self.by_kind[kind][d].append(len(self.units))
                self.units.append(UnitRow(uid, name, kind, d))
                uid += 1
        for kind, name in (
            (UnitKind.PPR, "PPR"),
            (UnitKind.UNGEINDSATS, "Ungeindsatsen"),
            (UnitKind.FORVALTNING, marker_name(n)),
        ):
            self.by_kind[kind] = [[len(self.units)]]
            self.units.append(UnitRow(uid, name, kind, None))
            uid += 1
        w.write(
            Unit,
            ["id", "name", "kind", "active", "district_id", "phone"],
            (
                (
                    u.id,
                    u.name,
                    u.kind,
                    True,
                    None if u.district is None else self.district_ids[u.district],
                    # Synthetic: the 70 10 xx xx series is no real municipality's.
                    f"70 10 {u.id // 100 % 100:02d} {u.id % 100:02d}",
                )
                for u in self.units
            ),
        )
        self.counts["units"] = len(self.units)

        # Groups: the schools' classes and the børnehaver's stuer.
        self.groups: dict[tuple[int, str], int] = {}
        gid = w.first_id(UnitGroup)
        rows = []
        for index, unit in enumerate(self.units):
            if unit.kind == UnitKind.SKOLE:
                names_kind: tuple[list[str], str] = (CLASSES, GroupKind.KLASSE)
            elif unit.kind == UnitKind.BOERNEHAVE:
                names_kind = (STUER, GroupKind.STUE)
            else:
                continue
            for name in names_kind[0]:
                self.groups[(index, name)] = gid
                rows.append((gid, unit.id, name, names_kind[1], True))
                gid += 1
        w.write(UnitGroup, ["id", "unit_id", "name", "kind", "active"], rows)
        self.counts["groups"] = len(rows)

    def pick(self, rng: random.Random, kind: str, district: int) -> int:
        return rng.choice(self.by_kind[kind][district])

    # --- children ---

    def make_children(self) -> None:
        rng = step_rng(self.seed, "children")
        today, n = self.today, self.n
        districts = len(self.district_ids)
        first = self.writer.first_id(Child)
        taken: set[str] = set()
        fernet_encrypt, lookup = cpr.encrypt, cpr.lookup_hash
        rows = []
        for i in range(n):
            birth = today - timedelta(days=rng.randrange(6570))
            roll = rng.random()
            if roll < 0.49:
                gender, first_name = Gender.GIRL, rng.choice(GIRL_NAMES)
            elif roll < 0.98:
                gender, first_name = Gender.BOY, rng.choice(BOY_NAMES)
            else:
                gender, first_name = Gender.OTHER, rng.choice(NEUTRAL_NAMES)
            last_name = rng.choice(SURNAMES)
            # Century digit 4-9 (born 2000-2036); odd last digit for boys.
            while True:
                serial = rng.randrange(2000, 5000) * 2 + (gender == Gender.BOY)
                number = birth.strftime("%d%m%y") + f"{serial:04d}"
                if number not in taken:
                    taken.add(number)
                    break
            district = rng.randrange(districts)
            kid = Kid(
                first + i,
                first_name,
                last_name,
                birth,
                gender,
                district,
                self.life(rng, birth, district),
            )
            self.kids.append(kid)
            rows.append(
                (
                    kid.id,
                    first_name,
                    last_name,
                    birth,
                    gender,
                    fernet_encrypt(number),
                    lookup(number),
                )
            )
            if i and i % 100_000 == 0:
                self.log(f"  {i} children")
        self.writer.write(
            Child,
            ["id", "first_name", "last_name", "birth_date", "gender", "cpr_encrypted", "cpr_hash"],
            rows,
        )
        self.counts["children"] = n

    def life(self, rng: random.Random, birth: date, district: int) -> list[Stay]:
        """The child's stays from dagtilbud to klub as the records show them today
        (as demo.children plans them: stages not started are left out, running ones
        open-ended; an infant keeps the place it is to start in)."""
        dagpleje = rng.random() < 0.35
        dagtilbud = self.pick(rng, UnitKind.DAGPLEJE if dagpleje else UnitKind.VUGGESTUE, district)
        dagtilbud_start = birth + timedelta(days=rng.randint(183, 426))
        boernehave = self.pick(rng, UnitKind.BOERNEHAVE, district)
        moves = rng.random() < 0.06
        moved_on = rng.randint(180, 700)
        boernehave_after = self.pick(rng, UnitKind.BOERNEHAVE, district)
        school_at = rng.randrange(len(self.by_kind[UnitKind.SKOLE][district]))
        tenth_grade = rng.random() < 0.3
        in_sfo = rng.random() < 0.75
        sfo_years = rng.choice([1, 2, 3, 3, 4, 4])
        in_klub = rng.random() < 0.5
        klub_years = rng.randint(1, 4)

        boernehave_start = _add_years(birth, 3)
        school_start = date(birth.year + 6, 8, 1)
        school_end = date(school_start.year + (11 if tenth_grade else 10), 6, 30)
        plan = [Stay(dagtilbud, dagtilbud_start, boernehave_start - DAY)]
        if moves and boernehave_after != boernehave:
            move = boernehave_start + timedelta(days=moved_on)
            plan.append(Stay(boernehave, boernehave_start, move - DAY))
            plan.append(Stay(boernehave_after, move, school_start - DAY))
        else:
            plan.append(Stay(boernehave, boernehave_start, school_start - DAY))
        school = self.by_kind[UnitKind.SKOLE][district][school_at]
        plan.append(Stay(school, school_start, school_end))
        if in_sfo:
            sfo = self.by_kind[UnitKind.SFO][district][school_at]
            plan.append(Stay(sfo, school_start, date(school_start.year + sfo_years, 7, 31)))
        if in_klub:
            klubs = self.by_kind[UnitKind.KLUB][district]
            klub_start = date(school_start.year + 4, 8, 1)
            plan.append(
                Stay(
                    klubs[school_at // 2 % len(klubs)],
                    klub_start,
                    date(klub_start.year + klub_years, 7, 31),
                )
            )
        today = self.today
        started = [
            Stay(s.unit, s.start, s.end if s.end and s.end < today else None)
            for s in plan
            if s.start <= today
        ]
        return started or [Stay(plan[0].unit, plan[0].start, None)]

    def enrollments_and_guardians(self) -> None:
        rng = step_rng(self.seed, "enrollments")
        today, since = self.today, self.since
        eid = self.writer.first_id(Enrollment)
        rows = []
        ct = self.ct[Enrollment]
        for index, kid in enumerate(self.kids):
            for stay in kid.stays:
                stay.id = eid
                eid += 1
                unit = self.units[stay.unit]
                running = stay.start <= today and stay.end is None
                if running:
                    unit.children.append(index)
                    if unit.kind == UnitKind.SKOLE:
                        grade = _school_year(today) - _school_year(stay.start)
                        name = f"{grade}.{rng.choice('AB')}" if grade < 10 else "10.A"
                        stay.group = self.groups.get((stay.unit, name))
                    elif unit.kind == UnitKind.BOERNEHAVE:
                        stay.group = self.groups[(stay.unit, rng.choice(STUER))]
                rows.append((stay.id, kid.id, unit.id, stay.start, stay.end, stay.group))
                if since <= stay.start <= today:
                    kid.creates.append(
                        (stay.start, ct, stay.id, f"{kid.name} · {unit.name}", None, None)
                    )
        with self.checked_later(Enrollment):
            self.writer.write(
                Enrollment, ["id", "child_id", "unit_id", "start", "end", "group_id"], rows
            )
        self.counts["enrollments"] = len(rows)

        rng = step_rng(self.seed, "guardians")
        gid = self.writer.first_id(Guardian)
        guardian_rows = []
        for kid in self.kids:
            pairs = [
                (rng.choice(GIRL_NAMES), Relation.MOTHER),
                (rng.choice(BOY_NAMES), Relation.FATHER),
            ]
            if rng.random() < 0.25:
                pairs = pairs[:1] if rng.random() < 0.5 else pairs[1:]
            for position, (first_name, relation) in enumerate(pairs):
                name = f"{first_name} {kid.last_name}"
                custody = position == 0 or rng.random() > 0.05
                guardian_rows.append(
                    (
                        gid,
                        kid.id,
                        name,
                        relation,
                        f"2{rng.randrange(1000000, 9999999)}",
                        f"{first_name.lower()}.{kid.id}@example.dk",
                        custody,
                    )
                )
                kid.guardians.append((gid, name))
                gid += 1
        with self.checked_later(Guardian):
            self.writer.write(
                Guardian,
                ["id", "child_id", "name", "relation", "phone", "email", "has_custody"],
                guardian_rows,
            )
        self.counts["guardians"] = len(guardian_rows)

    # --- users ---

    def users(self) -> None:
        rng = step_rng(self.seed, "users")
        w, n = self.writer, self.n
        uid = w.first_id(User)
        mid = w.first_id(Membership)
        users: list[tuple] = []
        memberships: list[tuple] = []
        limited: list[tuple[int, int]] = []  # (membership id, group id)
        self.logins: list[tuple[str, str, str, str]] = []
        password = make_password(PASSWORD)
        self.user_names: dict[int, str] = {}
        self.raadgivere: list[list[int]] = [[] for _ in self.district_ids]
        self.konsulenter: list[int] = []

        def add(unit_index: int, role: str, title: str, username: str = "", groups=()) -> int:
            nonlocal uid, mid
            roll = rng.random()
            first_name = rng.choice(GIRL_NAMES if roll < 0.7 else BOY_NAMES)
            last_name = rng.choice(SURNAMES)
            username = username or f"{first_name}.{last_name}.{uid}".lower()
            users.append(
                (
                    uid,
                    password,
                    False,
                    username,
                    first_name,
                    last_name,
                    f"{username}@{EMAIL_DOMAIN}",
                    False,
                    True,
                    self.now - timedelta(days=400),
                    title,
                )
            )
            memberships.append((mid, uid, self.units[unit_index].id, role))
            limited.extend((mid, group) for group in groups)
            self.user_names[uid] = f"{first_name} {last_name}"
            uid += 1
            mid += 1
            return uid - 1

        first = {kind: lists[0][0] for kind, lists in self.by_kind.items()}
        for username, role, kind, title in WELL_KNOWN:
            unit = first[kind]
            groups = [self.groups[(unit, "0.A")]] if username == "scale-laerer" else []
            user = add(unit, role, title, username, groups)
            if role in (Role.FAGPERSON, Role.LEDER) and not groups:
                self.units[unit].staff.append(user)
            if role == Role.RAADGIVER:
                self.raadgivere[0].append(user)
            if role == Role.KONSULENT:
                self.konsulenter.append(user)
            self.logins.append((username, str(role), self.units[unit].name, PASSWORD))

        titles: dict[str, str] = {
            UnitKind.DAGPLEJE: "Dagplejer",
            UnitKind.VUGGESTUE: "Pædagog",
            UnitKind.BOERNEHAVE: "Pædagog",
            UnitKind.SKOLE: "Lærer",
            UnitKind.SFO: "Pædagog",
            UnitKind.KLUB: "Klubpædagog",
        }
        enrolling = [i for i, u in enumerate(self.units) if u.kind in titles]
        for index in enrolling:
            if not self.units[index].staff:  # the first børnehave has scale-leder
                self.units[index].staff.append(add(index, Role.LEDER, "Leder"))
        for d in range(len(self.district_ids)):
            for unit in self.by_kind[UnitKind.RAADGIVNING][d]:
                add(unit, Role.LEDER, "Afdelingsleder")
                for _ in range(max(1, round(n / 400 / len(self.district_ids))) - (d == 0)):
                    self.raadgivere[d].append(add(unit, Role.RAADGIVER, "Socialrådgiver"))
                if not self.raadgivere[d]:
                    self.raadgivere[d].append(add(unit, Role.RAADGIVER, "Socialrådgiver"))
            for unit in self.by_kind[UnitKind.SUNDHEDSPLEJE][d]:
                for _ in range(max(1, round(n / 2500 / len(self.district_ids)))):
                    add(unit, Role.FAGPERSON, "Sundhedsplejerske")
        ppr = first[UnitKind.PPR]
        for _ in range(max(1, round(n / 2000)) - 1):
            self.konsulenter.append(add(ppr, Role.KONSULENT, "Psykolog"))
        add(first[UnitKind.UNGEINDSATS], Role.KONSULENT, "Ungekonsulent")

        # The rest of one user per 20 children: pædagoger and lærere, by children.
        budget = max(0, n // 20 - len(users))
        today_total = sum(len(self.units[i].children) for i in enrolling) or 1
        for index in enrolling:
            place = self.units[index]
            count = round(budget * len(place.children) / today_total)
            for k in range(count):
                title = titles[place.kind]
                if place.kind == UnitKind.SKOLE and k % 3 == 2:
                    group = self.groups[(index, rng.choice(CLASSES))]
                    add(index, Role.FAGPERSON, title, groups=[group])
                else:
                    place.staff.append(add(index, Role.FAGPERSON, title))

        w.write(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "title",
            ],
            users,
        )
        w.write(Membership, ["id", "user_id", "unit_id", "role"], memberships)
        through = Membership.groups.through
        first_link = w.first_id(through)
        w.write(
            through,
            ["id", "membership_id", "unitgroup_id"],
            ((first_link + i, m, g) for i, (m, g) in enumerate(limited)),
        )
        device = w.first_id(TOTPDevice)
        w.write(
            TOTPDevice,
            [
                "id",
                "user_id",
                "name",
                "confirmed",
                "key",
                "step",
                "t0",
                "digits",
                "tolerance",
                "drift",
                "last_t",
                "throttling_failure_count",
                "created_at",
            ],
            (
                (
                    device + i,
                    row[0],
                    DEMO_DEVICE_NAME,
                    True,
                    self.device_key(row[3]),
                    30,
                    0,
                    6,
                    1,
                    0,
                    -1,
                    0,
                    self.now,
                )
                for i, row in enumerate(users)
            ),
        )
        self.counts["users"] = len(users)
        self.counts["memberships"] = len(memberships)
        self.user_email = {row[0]: row[6] for row in users}

    def device_key(self, username: str) -> str:
        return hashlib.sha1(f"seed_scale:{self.seed}:{username}".encode()).hexdigest()  # noqa: S324

    # --- what happened in the last years ---

    def anchor(self, kid: Kid) -> tuple[int, date, date] | None:
        """The dagtilbud or school the child went to most recently within the history
        window, and the days of the window it was there."""
        main = (UnitKind.DAGPLEJE, UnitKind.VUGGESTUE, UnitKind.BOERNEHAVE, UnitKind.SKOLE)
        for stay in reversed(kid.stays):
            if self.units[stay.unit].kind not in main:
                continue
            lo = max(stay.start, self.since)
            hi = min(stay.end or self.today, self.today)
            if lo <= hi and self.units[stay.unit].staff:
                return stay.unit, lo, hi
        return None

    def activity(self) -> None:
        rng = step_rng(self.seed, "activity")
        w = self.writer
        today = self.today
        ids = {
            model: w.first_id(model)
            for model in (
                Concern,
                Assessment,
                Dialogue,
                DialogueVersion,
                NextStep,
                Case,
                CaseMember,
                Intervention,
                Meeting,
                Underretning,
                Consent,
            )
        }
        links = {
            model: w.first_id(model)
            for model in (
                Dialogue.professionals.through,
                Dialogue.guardians.through,
                Meeting.participants.through,
                Consent.units.through,
            )
        }
        rows: dict[type[models.Model], list[tuple]] = {model: [] for model in ids}
        link_rows: dict[type[models.Model], list[tuple]] = {model: [] for model in links}
        ppr = self.units[self.by_kind[UnitKind.PPR][0][0]].id
        ct = self.ct
        self.anchors: list[tuple[int, date, date] | None] = []

        def new_id(model) -> int:
            ids[model] += 1
            return ids[model] - 1

        def link(model, *values) -> None:
            link_rows[model].append((links[model], *values))
            links[model] += 1

        for kid in self.kids:
            anchor = self.anchor(kid)
            self.anchors.append(anchor)
            if anchor is None or rng.random() >= 0.3:
                continue
            unit_index, lo, hi = anchor
            unit = self.units[unit_index]
            span = (hi - lo).days
            zone = rng.choices((1, 2, 3, 4, 5), weights=(45, 30, 15, 7, 3))[0]
            kid.zone = zone
            author = rng.choice(unit.staff)
            guardian_id, guardian_name = kid.guardians[0]
            count = 1 + (zone >= 3) + (rng.random() < 0.3)
            days = sorted(lo + timedelta(days=rng.randint(0, span)) for _ in range(count))

            concern = None
            if zone >= 2 and rng.random() < 0.7:
                concern = new_id(Concern)
                observed = max(lo, days[0] - timedelta(days=rng.randint(0, 10)))
                rows[Concern].append(
                    (
                        concern,
                        kid.id,
                        author,
                        unit.id,
                        observed,
                        rng.choice(CONCERNS),
                        rng.random() < 0.7,
                        self.day_time(observed, rng),
                    )
                )
                kid.creates.append(
                    (observed, ct[Concern], concern, f"Bekymring {observed:%d.%m.%Y}", author, None)
                )
            assessment = 0
            for number, day in enumerate(days):
                last = number == len(days) - 1
                level = zone if last else max(1, min(5, zone + rng.choice((-1, 0, 0, 1))))
                assessment = new_id(Assessment)
                heavy = level >= 3
                rows[Assessment].append(
                    (
                        assessment,
                        kid.id,
                        author,
                        unit.id,
                        day,
                        Reason.CONCERN if number == 0 and concern else Reason.ONGOING,
                        level,
                        level if rng.random() < 0.5 else None,
                        max(1, level - 1) if rng.random() < 0.5 else None,
                        rng.choice(WORKS),
                        rng.choice(WORRIES) if heavy else "",
                        rng.choice(MUST_HAPPEN) if heavy else "",
                        rng.random() < 0.6,
                        "",
                        concern if number == 0 else None,
                        None,
                        "",
                        self.day_time(day, rng),
                    )
                )
                changes = json.dumps(
                    {"zone": ["None", str(level)], "assessed_on": ["None", day.isoformat()]}
                )
                kid.creates.append(
                    (
                        day,
                        ct[Assessment],
                        assessment,
                        f"Zone {level}, {day:%d.%m.%Y}",
                        author,
                        changes,
                    )
                )

            if (zone >= 3 and rng.random() < 0.7) or (zone == 2 and rng.random() < 0.15):
                held = min(hi, days[0] + timedelta(days=rng.randint(3, 20)))
                dialogue = new_id(Dialogue)
                scale_now = rng.randint(2, 6)
                at = self.day_time(held, rng)
                content = {
                    "held_on": held.isoformat(),
                    "what_works": rng.choice(WORKS),
                    "wished_future": "At barnet glæder sig til at komme om morgenen.",
                    "scale_now": scale_now,
                    "scale_goal": min(10, scale_now + 3),
                    "scale_step": "Et skridt op: en god morgen om ugen mere.",
                    "child_voice": "Jeg kan godt lide, når vi leger i skoven.",
                    "agreements": "Vi mødes igen om en måned.",
                }
                rows[Dialogue].append(
                    (
                        dialogue,
                        kid.id,
                        author,
                        unit.id,
                        "endelig",
                        held,
                        assessment,
                        "",
                        rng.random() < 0.4,
                        content["what_works"],
                        content["wished_future"],
                        scale_now,
                        content["scale_goal"],
                        content["scale_step"],
                        content["child_voice"],
                        content["agreements"],
                        "{}",
                        None,
                        1,
                        at,
                        at,
                    )
                )
                snapshot = {
                    **content,
                    "professionals": [self.user_names[author]],
                    "guardians": [guardian_name],
                    "others": "",
                    "child_took_part": False,
                }
                rows[DialogueVersion].append(
                    (
                        new_id(DialogueVersion),
                        dialogue,
                        1,
                        author,
                        at,
                        json.dumps(snapshot, ensure_ascii=False),
                    )
                )
                link(Dialogue.professionals.through, dialogue, author)
                link(Dialogue.guardians.through, dialogue, guardian_id)
                kid.creates.append(
                    (held, ct[Dialogue], dialogue, f"LØFT-dialog {held:%d.%m.%Y}", author, None)
                )
                for _ in range(rng.randint(1, 3)):
                    owner = rng.choice(
                        (Owner.PROFESSIONAL, Owner.PROFESSIONAL, Owner.PARENT, Owner.CHILD)
                    )
                    due = held + timedelta(days=rng.randint(14, 42))
                    done = due < today and rng.random() < 0.7
                    step = new_id(NextStep)
                    text = rng.choice(STEPS)
                    rows[NextStep].append(
                        (
                            step,
                            dialogue,
                            kid.id,
                            text,
                            owner,
                            author if owner == Owner.PROFESSIONAL else None,
                            guardian_id if owner == Owner.PARENT else None,
                            due,
                            due - timedelta(days=rng.randint(0, 7)) if done else None,
                            "Det gik godt." if done else "",
                            author if done else None,
                            at,
                        )
                    )
                    kid.creates.append((held, ct[NextStep], step, text, author, None))

            case_id = None
            if (
                (zone == 5 and rng.random() < 0.9)
                or (zone == 4 and rng.random() < 0.6)
                or (zone == 3 and rng.random() < 0.15)
            ):
                coordinator = rng.choice(self.raadgivere[kid.district])
                opened = min(today - DAY, days[0] + timedelta(days=rng.randint(5, 30)))
                closed = None
                case_id = new_id(Case)
                team = [author]
                if rng.random() < 0.5 and self.konsulenter:
                    team.append(rng.choice(self.konsulenter))
                kid.case_staff = [coordinator, *team]
                # Three-month meetings: the held ones, then the next one planned.
                meetings = []
                due = _weekday(opened + timedelta(days=91))
                while due < today:
                    meetings.append(due)
                    due = _weekday(due + timedelta(days=91))
                closes = len(meetings) >= 2 and rng.random() < 0.25
                if closes:
                    closed = meetings[-1]
                # The efforts on Indsatstrappen as [step, kind, start, end]: the first a
                # week after the case opens, then what each meeting decides, as
                # Meeting.hold does it (trin ned and justér end the running one on the
                # day and start the next; afslut ends it), so the staircase's moves
                # in the report are the meetings' decisions.
                candidates = [i for i in INTERVENTIONS if i[0] <= (6 if zone == 5 else 3)]
                step, kind = rng.choice(candidates)
                efforts: list[list] = []
                if opened + timedelta(days=7) < today:
                    efforts.append([step, kind, opened + timedelta(days=7), None])
                for position, day in enumerate(meetings):
                    meeting = new_id(Meeting)
                    last = position == len(meetings) - 1
                    current = efforts[-1] if efforts and efforts[-1][2] < day else None
                    if closes and last:
                        decision = Decision.CLOSE
                    elif current is None:
                        decision = Decision.CONTINUE
                    else:
                        decision = rng.choice(
                            (Decision.CONTINUE, Decision.CONTINUE, Decision.ADJUST)
                            + ((Decision.STEP_DOWN,) if current[0] > 1 else ())
                        )
                    if current is not None and decision != Decision.CONTINUE:
                        current[3] = day
                    if current is not None and decision in (Decision.ADJUST, Decision.STEP_DOWN):
                        to = current[0] - (decision == Decision.STEP_DOWN)
                        efforts.append(
                            [to, rng.choice([k for s, k in INTERVENTIONS if s == to]), day, None]
                        )
                    rows[Meeting].append(
                        (
                            meeting, case_id, day, "09:00:00", None, "Rådgivningen", 0, day,
                            rng.random() < 0.8, "", max(1, zone - position), None, decision,
                            "Vi gennemgik aftalerne fra sidste møde. Det går lidt bedre.",
                            "Fortsat fast voksen om morgenen.", coordinator,
                        )
                    )  # fmt: skip
                    for person in {coordinator, *team}:
                        link(Meeting.participants.through, meeting, person)
                    kid.creates.append(
                        (
                            day,
                            ct[Meeting],
                            meeting,
                            f"Opfølgningsmøde {day:%d.%m.%Y}",
                            coordinator,
                            None,
                        )
                    )
                if not closes:
                    meeting = new_id(Meeting)
                    rows[Meeting].append(
                        (
                            meeting, case_id, due, "09:00:00", None, "Rådgivningen", 0, None,
                            False, "", None, None, "", "", "", None,
                        )
                    )  # fmt: skip
                for step, kind, start, end in efforts:
                    rows[Intervention].append(
                        (new_id(Intervention), case_id, step, kind, "Familiehuset", start, end)
                    )
                running = [step for step, _kind, _start, end in efforts if end is None]
                rows[Case].append(
                    (
                        case_id,
                        kid.id,
                        coordinator,
                        # What Case.refresh_prevention_level stores: the rows are
                        # written in bulk, past the signals that keep it.
                        prevention_level_for(max(running, default=None), zone),
                        "",
                        "",
                        opened,
                        closed,
                        "Familien får støtte fra rådgivningen; I hører fra os ved næste møde.",
                        opened + timedelta(days=7) if opened + timedelta(days=7) < today else None,
                    )
                )
                kid.creates.append(
                    (opened, ct[Case], case_id, f"Sag om {kid.name}", coordinator, None)
                )
                for person in team:
                    rows[CaseMember].append(
                        (
                            new_id(CaseMember),
                            case_id,
                            person,
                            "Pædagog" if person == author else "Psykolog",
                            opened,
                        )
                    )

            # Underretninger at the national rate: about 15 a year per 100 children,
            # most about the few children in zones 3-5, often more than one each
            # (Danmarks Statistik, BU21: some 150,000 a year about 1.1 M children).
            reported = {5: rng.randint(3, 5), 4: rng.randint(2, 4), 3: rng.randint(0, 2)}.get(
                zone
            ) or int(zone == 2 and rng.random() < 0.1)
            notified = [days[-1] - timedelta(days=rng.randint(0, 5))]
            notified += [lo + timedelta(days=rng.randint(0, span)) for _ in range(reported - 1)]
            for notified_on in notified[:reported]:
                received = self.day_time(max(lo, min(notified_on, hi)), rng)
                still_open = (today - received.date()).days < 3 and rng.random() < 0.5
                assessed = None if still_open else received + timedelta(hours=rng.randint(1, 20))
                verdict: str = ""
                if assessed is None:
                    pass
                elif case_id is not None:
                    verdict = rng.choice(
                        (Underretning.Decision.AFDAEKNING, Underretning.Decision.UNDERSOEGELSE)
                    )
                else:
                    verdict = rng.choice(
                        (Underretning.Decision.SCREENING, Underretning.Decision.NO_ACTION)
                    )
                receipt = (
                    None
                    if assessed is None
                    else received.date() + timedelta(days=rng.randint(1, 4))
                )
                underretning = new_id(Underretning)
                rows[Underretning].append(
                    (
                        underretning,
                        kid.id,
                        author,
                        None,
                        Underretning.Source.PROFESSIONAL,
                        Underretning.Channel.TIDLIG,
                        f"{self.user_names[author]}, {unit.name}",
                        unit.name,
                        received,
                        rng.choice(CONCERNS),
                        received,
                        assessed,
                        None if assessed is None else rng.choice(self.raadgivere[kid.district]),
                        None if assessed is None else False,
                        verdict,
                        ""
                        if assessed is None
                        else "Vurderet ud fra underretningen og sagens oplysninger.",
                        case_id if verdict in Underretning.CASE_DECISIONS else None,
                        receipt if receipt is None or receipt < today else None,
                        None,
                        "",
                        None if assessed is None else assessed + timedelta(days=1),
                    )
                )
                kid.creates.append(
                    (received.date(), ct[Underretning], underretning,
                     f"{kid.name} ({received:%d.%m.%Y %H:%M})", author, None)
                )  # fmt: skip

            if rng.random() < 0.25:
                given = lo + timedelta(days=rng.randint(0, span))
                consent = new_id(Consent)
                purpose = rng.choice(Purpose.values)
                rows[Consent].append(
                    (consent, kid.id, guardian_id, purpose, given, _add_years(given, 1), "",
                     self.day_time(given, rng), None, author, None)
                )  # fmt: skip
                link(Consent.units.through, consent, ppr)
                if unit.id != ppr:
                    link(Consent.units.through, consent, unit.id)
                kid.creates.append(
                    (given, ct[Consent], consent, f"{purpose} · {kid.name}", author, None)
                )

        columns = {
            Concern: ["id", "child_id", "author_id", "unit_id", "observed_on", "text",
                      "parents_informed", "created_at"],
            Assessment: ["id", "child_id", "author_id", "unit_id", "assessed_on", "reason", "zone",
                         "child_zone", "care_zone", "what_works", "what_worries",
                         "what_must_happen", "parents_involved", "others_involved", "concern_id",
                         "corrects_id", "correction_note", "created_at"],
            Dialogue: ["id", "child_id", "author_id", "unit_id", "status", "held_on",
                       "assessment_id", "others", "child_took_part", "what_works",
                       "wished_future", "scale_now", "scale_goal", "scale_step", "child_voice",
                       "agreements", "draft_data", "draft_saved_at", "version", "finalised_at",
                       "created_at"],
            DialogueVersion: ["id", "dialogue_id", "number", "saved_by_id", "saved_at", "data"],
            NextStep: ["id", "dialogue_id", "child_id", "text", "owner_kind", "owner_user_id",
                       "owner_guardian_id", "due", "done_on", "done_comment", "done_by_id",
                       "created_at"],
            Case: ["id", "child_id", "coordinator_id", "prevention_level",
                   "prevention_level_override", "prevention_level_reason", "opened_on",
                   "closed_on", "shared_summary", "summary_shared_on"],
            CaseMember: ["id", "case_id", "user_id", "profession", "added_on"],
            Intervention: ["id", "case_id", "step", "kind", "provider", "start", "end"],
            Meeting: ["id", "case_id", "scheduled_on", "starts_at", "overdue_from", "location",
                      "revision", "held_on", "parents_present", "others", "zone", "assessment_id",
                      "decision", "minutes", "agreements", "held_by_id"],
            Underretning: ["id", "child_id", "made_by_id", "registered_by_id", "source", "channel",
                           "notifier", "notifier_contact", "received_at", "about", "created_at",
                           "assessed_at", "assessed_by_id", "acute", "decision", "decision_reason",
                           "case_id", "receipt_sent_on", "feedback_sent_on", "feedback_text",
                           "closed_at"],
            Consent: ["id", "child_id", "guardian_id", "purpose", "given_on", "expires_on", "note",
                      "recorded_at", "withdrawn_on", "recorded_by_id", "withdrawn_by_id"],
        }  # fmt: skip
        # Cases before what points at them (meetings, members, underretninger).
        order = [Concern, Assessment, Dialogue, DialogueVersion, NextStep, Case, CaseMember,
                 Intervention, Meeting, Underretning, Consent]  # fmt: skip
        for model in order:
            w.write(model, columns[model], rows[model])
            self.counts[model._meta.model_name or ""] = len(rows[model])
        link_columns = {
            Dialogue.professionals.through: ["id", "dialogue_id", "user_id"],
            Dialogue.guardians.through: ["id", "dialogue_id", "guardian_id"],
            Meeting.participants.through: ["id", "meeting_id", "user_id"],
            Consent.units.through: ["id", "consent_id", "unit_id"],
        }
        for model, link_list in link_rows.items():
            w.write(model, link_columns[model], link_list)
        for zone in range(1, 6):
            self.counts[f"children in zone {zone}"] = sum(kid.zone == zone for kid in self.kids)

    # --- the audit trail ---

    def audit(self) -> None:
        """About AUDIT_PER_CHILD_YEAR entries per child and year, spread by how much
        is going on: few for a child never assessed, many for one with a case."""
        rng = step_rng(self.seed, "audit")
        started = time.perf_counter()
        postgres = self.writer.postgres
        total = expected_audit_entries(self.n, self.years)
        weights = []
        for kid, anchor in zip(self.kids, self.anchors, strict=True):
            if anchor is None:
                weights.append(0.0)
            else:
                weight = (0.8, 1.2, 1.2, 2.0, 3.0, 3.0)[kid.zone]
                weights.append(weight * ((anchor[2] - anchor[1]).days + 1) / (365 * self.years + 1))
        lists = int(total * LIST_SHARE)
        per_weight = (total - lists) / (sum(weights) or 1)

        since = self.since
        window = (self.today - since).days + 1
        # Nothing is logged today: its working hours may lie ahead of a run in the
        # night (self.now); an entry that falls on today is written on yesterday.
        days = [(since + timedelta(days=min(d, window - 2))).isoformat() for d in range(window)]
        suffix = "+00" if postgres else ""
        clock = [
            f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}"
            for s in range(6 * 3600, 16 * 3600)
        ]
        ips = {
            uid: f"10.{20 + uid % 200}.{uid // 200 % 250}.{uid % 250 + 1}"
            for uid in self.user_email
        }
        emails = self.user_email
        child_ct = self.ct[Child]
        first = self.writer.first_id(LogEntry)
        columns = ["id", "content_type_id", "object_pk", "object_id", "object_repr", "action",
                   "changes_text", "changes", "actor_id", "remote_addr", "timestamp",
                   "additional_data", "serialized_data", "cid", "remote_port",
                   "actor_email"]  # fmt: skip
        next_id = first

        def entries():
            """(content type, object id, repr, action, changes, actor, day index, clock
            index, additional data); object id 0 for a list entry."""
            random_ = rng.random
            for kid, anchor, weight in zip(self.kids, self.anchors, weights, strict=True):
                kid_id = kid.id
                name = kid.name
                child = f'{{"child": {kid_id}}}'
                for day, ct, pk, text, actor, changes in kid.creates:
                    yield (
                        ct,
                        pk,
                        text,
                        0,
                        changes,
                        actor,
                        (day - since).days,
                        int(random_() * 36000),
                        child,
                    )
                if anchor is None:
                    continue
                count = int(weight * per_weight * (0.6 + 0.8 * random_())) - len(kid.creates)
                unit, lo, hi = anchor
                staff = self.units[unit].staff + kid.case_staff
                n_staff = len(staff)
                start = (lo - since).days
                span = (hi - lo).days + 1
                read = (
                    f'{{"child": {kid_id}, "event": "read", '
                    f'"what": "/boern/{kid_id}/", "reason": ""}}'
                )
                for _ in range(max(0, count)):
                    actor = staff[int(random_() * n_staff)]
                    day = start + int(random_() * span)
                    moment = int(random_() * 36000)
                    roll = random_()
                    if roll < 0.93:
                        data = read
                    elif roll < 0.96:
                        data = (
                            f'{{"child": {kid_id}, "event": "search", "term": "{kid.first_name}", '
                            f'"results": [{kid_id}]}}'
                        )
                    elif roll < 0.985:
                        data = (
                            f'{{"child": {kid_id}, "event": "print", '
                            f'"what": "/boern/{kid_id}/", "reason": ""}}'
                        )
                    else:
                        data = (
                            f'{{"child": {kid_id}, "event": "reveal_cpr", '
                            f'"what": "/boern/{kid_id}/cpr/", '
                            '"reason": "Kontakt til sundhedsplejen"}'
                        )
                    yield (child_ct, kid_id, name, 3, None, actor, day, moment, data)
            # "Mine børn": one entry per page view naming the unit's children shown.
            listed = [u for u in self.units if u.children and u.staff]
            size = sum(len(u.children) for u in listed) or 1
            for place in listed:
                shown = sorted(self.kids[i].id for i in place.children[:50])
                data = (
                    '{"event": "list", "what": "/boern/", "page": "child_list", '
                    f'"children": {json.dumps(shown)}, "count": {len(shown)}}}'
                )
                for _ in range(round(lists * len(place.children) / size)):
                    actor = place.staff[int(random_() * len(place.staff))]
                    yield (
                        child_ct,
                        0,
                        "",
                        3,
                        None,
                        actor,
                        int(random_() * window),
                        int(random_() * 36000),
                        data,
                    )

        def copy_chunks():
            nonlocal next_id
            chunk: list[str] = []
            for ct, pk, text, action, changes, actor, day, moment, data in entries():
                if pk:
                    head = f"{next_id}\t{ct}\t{pk}\t{pk}\t{text}\t{action}\t\t"
                else:
                    head = f"{next_id}\t{ct}\t\t\\N\t\t{action}\t\t"
                tail = "\\N\t\\N" if actor is None else f"{actor}\t{ips[actor]}"
                chunk.append(
                    f"{head}{changes or chr(92) + 'N'}\t{tail}\t{days[day]}{clock[moment]}\t{data}"
                    f"\t\\N\t\\N\t\\N\t{emails.get(actor, chr(92) + 'N')}\n"
                )
                next_id += 1
                if len(chunk) == 10_000:
                    yield "".join(chunk)
                    chunk = []
                    if (next_id - first) % 1_000_000 < 10_000:
                        self.log(f"  {next_id - first} audit entries")
            if chunk:
                yield "".join(chunk)

        def sqlite_rows():
            nonlocal next_id
            for ct, pk, text, action, changes, actor, day, moment, data in entries():
                yield (
                    next_id, ct, str(pk) if pk else "", pk or None, text, action, "", changes,
                    actor, ips.get(actor), days[day] + clock[moment], data, None, None, None,
                    emails.get(actor),
                )  # fmt: skip
                next_id += 1

        if postgres:
            big = total >= REBUILD_INDEXES_FROM
            if big:
                with RebuiltIndexes(LogEntry._meta.db_table):
                    self.writer.write_lines(LogEntry, columns, copy_chunks())
                    self.log(
                        f"  {next_id - first} audit entries written in "
                        f"{time.perf_counter() - started:.1f} s; indexes and foreign keys next"
                    )
            else:
                self.writer.write_lines(LogEntry, columns, copy_chunks())
        else:
            self.writer.write(LogEntry, columns, sqlite_rows())
        self.counts["audit entries"] = next_id - first

    def finish(self) -> None:
        self.writer.set_sequences()
        self.writer.analyze()


def build(
    children: int, *, seed: int, today: date, years: int = 1, log: Callable[[str], None] = print
) -> Summary:
    """Write the dataset; the caller holds the transaction."""
    # Millions of long-lived rows and no reference cycles: the cyclic garbage
    # collector would only walk them again and again (minutes at a million children).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Build(children, seed=seed, today=today, years=years, log=log).run()
    finally:
        if collecting:
            gc.enable()
