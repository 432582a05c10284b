"""Seed a synthetic demo municipality for `make demo`.

Everything here is invented: district and unit names, staff, and ~300 children
whose names are random combinations from `tidlig.lib.demo_names`. The command is
safe to run again: districts, units and users are upserted by their natural keys,
the demo children are created once and kept (so `make demo` can be restarted
without losing what was done in it), and `--reset` replaces them.

Later steps (dialogues, cases …) belong here as further small
`create_<things>()` functions called from `Command.handle`, each with its own
random generator from `step_rng()` so that adding a step never changes the data
of the steps before it.
"""

import random
from base64 import b32encode
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import ENROLLING_KINDS, District, Membership, Role, Unit, UnitKind, User
from children.models import Child, Concern, Enrollment, Gender, Guardian, Relation
from followups.demo import create_cases
from followups.models import Case
from loeft.demo import create_dialogues
from loeft.models import Dialogue
from reports.generate import generate_due_report
from ruler.models import Assessment, Reason
from ruler.zones import CONCERN_ZONES, STALE_AFTER_DAYS
from tidlig.lib.demo_names import BOY_NAMES, GIRL_NAMES, NEUTRAL_NAMES, SURNAMES

DEFAULT_SEED = 2026
DEFAULT_CHILDREN = 300

NORDBY = "Nordby"
SOENDERMARK = "Søndermark"
VESTERVIG = "Vestervig Land"
DISTRICTS = [NORDBY, SOENDERMARK, VESTERVIG]

SOLSIKKEN = "Børnehaven Solsikken"
PPR = "PPR"
RAADGIVNINGEN = "Børn & Ungerådgivningen"
FORVALTNINGEN = "Børn og Skole, forvaltningen"

# (name, kind, district); the services without a district cover the whole municipality.
UNITS: list[tuple[str, str, str | None]] = [
    ("Dagplejen Vestervig Land", UnitKind.DAGPLEJE, VESTERVIG),
    ("Vuggestuen Mælkebøtten", UnitKind.VUGGESTUE, NORDBY),
    ("Vuggestuen Spirerne", UnitKind.VUGGESTUE, SOENDERMARK),
    (SOLSIKKEN, UnitKind.BOERNEHAVE, NORDBY),
    ("Børnehaven Regnbuen", UnitKind.BOERNEHAVE, SOENDERMARK),
    ("Børnehaven Skovtrolden", UnitKind.BOERNEHAVE, VESTERVIG),
    ("Nordby Skole", UnitKind.SKOLE, NORDBY),
    ("Søndermarkskolen", UnitKind.SKOLE, SOENDERMARK),
    ("Vestervig Landsbyskole", UnitKind.SKOLE, VESTERVIG),
    ("SFO Nordby", UnitKind.SFO, NORDBY),
    ("SFO Søndermark", UnitKind.SFO, SOENDERMARK),
    ("SFO Vestervig Land", UnitKind.SFO, VESTERVIG),
    ("Klubben Fyrtårnet", UnitKind.KLUB, NORDBY),
    ("Sundhedsplejen", UnitKind.SUNDHEDSPLEJE, None),
    (PPR, UnitKind.PPR, None),
    (RAADGIVNINGEN, UnitKind.RAADGIVNING, None),
    ("Ungeindsatsen", UnitKind.UNGEINDSATS, None),
    (FORVALTNINGEN, UnitKind.FORVALTNING, None),
]

# Where children go at each stage, with weights. Solsikken is weighted up so that
# Pia and Lars (below) have 25-30 children to work with.
DAGTILBUD_CHOICES = {
    "Dagplejen Vestervig Land": 3,
    "Vuggestuen Mælkebøtten": 4,
    "Vuggestuen Spirerne": 3,
}
BOERNEHAVE_CHOICES = {SOLSIKKEN: 7, "Børnehaven Regnbuen": 3, "Børnehaven Skovtrolden": 2}
SCHOOL_CHOICES = {"Nordby Skole": 5, "Søndermarkskolen": 4, "Vestervig Landsbyskole": 2}
SFO_OF_SCHOOL = {
    "Nordby Skole": "SFO Nordby",
    "Søndermarkskolen": "SFO Søndermark",
    "Vestervig Landsbyskole": "SFO Vestervig Land",
}
KLUB = "Klubben Fyrtårnet"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    title: str
    role: str
    unit: str


# One login per role, plus a second caseworker (Mette, who hands a case to Rasmus)
# and the leader of Børn & Ungerådgivningen (Rita, who follows the meetings).
# Forvaltning and administrator have no unit kind of their own; what they may see
# comes from the role alone (municipality-wide aggregates / no child data), so their
# membership only anchors them in the organisation. Børn & Ungerådgivningen is the
# district-less unit closest to the department, and parking them there is less
# misleading than inventing a unit whose kind would lie (a second "rådgivning" would
# turn up in intake lists and counts).
USERS = [
    DemoUser("pia", "Pia", "Pedersen", "Pædagog", Role.FAGPERSON, SOLSIKKEN),
    DemoUser("lars", "Lars", "Holm", "Institutionsleder", Role.LEDER, SOLSIKKEN),
    DemoUser("rasmus", "Rasmus", "Kjær", "Socialrådgiver", Role.RAADGIVER, RAADGIVNINGEN),
    DemoUser("mette", "Mette", "Juhl", "Socialrådgiver", Role.RAADGIVER, RAADGIVNINGEN),
    DemoUser("rita", "Rita", "Lund", "Afdelingsleder", Role.LEDER, RAADGIVNINGEN),
    DemoUser("karen", "Karen", "Vestergaard", "Psykolog", Role.KONSULENT, PPR),
    DemoUser("frida", "Frida", "Dam", "Børne- og ungechef", Role.FORVALTNING, FORVALTNINGEN),
    DemoUser("adam", "Adam", "Berg", "Systemadministrator", Role.ADMINISTRATOR, FORVALTNINGEN),
]
SUPERUSER = "admin"
# The authenticator "app" seed_demo gives each demo user; demo_code reads only these.
DEMO_DEVICE_NAME = "Demo"
EMAIL_DOMAIN = "tidlig-kommune.example"


def demo_password(username: str) -> str:
    # Published on purpose: this is a demo, and the table printed at the end says so.
    return f"tidlig-demo-{username}"


def ensure_demo_authenticator(user: User) -> tuple[TOTPDevice, list[str]]:
    """The demo user's authenticator app and some recovery codes.

    Kept between runs, so an authenticator app set up with the printed key keeps
    working; `manage.py demo_code <username>` prints its current code for a
    tester without a phone. Recovery codes are made anew when few are left.
    """
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True).first()
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
    codes = list(
        StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True)
    )
    if len(codes) < 3:
        codes = mfa.new_recovery_codes(user)
    return device, codes


def step_rng(seed: int, step: str) -> random.Random:
    # One generator per step, derived from the seed (string seeds are hashed with
    # SHA-512, so this is stable across processes and Python runs).
    return random.Random(f"{seed}:{step}")  # noqa: S311 - demo data, not secrets


def create_units() -> dict[str, Unit]:
    districts = {name: District.objects.get_or_create(name=name)[0] for name in DISTRICTS}
    units = {}
    for name, kind, district in UNITS:
        units[name], _ = Unit.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "district": districts[district] if district else None,
                "active": True,
            },
        )
    return units


def create_users(units: dict[str, Unit]) -> dict[str, User]:
    users = {}
    for spec in USERS:
        user, created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "title": spec.title,
                "email": f"{spec.username}@{EMAIL_DOMAIN}",
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
            },
        )
        _ensure_password(user, demo_password(spec.username), created)
        # Exactly the one membership described above, whatever was clicked in the demo.
        Membership.objects.filter(user=user).exclude(unit=units[spec.unit]).delete()
        Membership.objects.update_or_create(
            user=user, unit=units[spec.unit], defaults={"role": spec.role}
        )
        users[spec.username] = user
    return users


def create_superuser() -> User:
    user, created = User.objects.update_or_create(
        username=SUPERUSER,
        defaults={
            "first_name": "Demo",
            "last_name": "Superbruger",
            "email": f"{SUPERUSER}@{EMAIL_DOMAIN}",
            "is_active": True,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    _ensure_password(user, demo_password(SUPERUSER), created)
    return user


def _ensure_password(user: User, password: str, created: bool) -> None:
    # Only rehash when needed, so a second run leaves the row (salt included) alone.
    # Each hash costs a noticeable fraction of a second, hence no check on a new user.
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])


def delete_demo_children() -> None:
    """Delete the children enrolled only in demo units (with what hangs on them).

    Child has no natural key, and the demo children's birth dates move with "today",
    so an upsert by (name, birth date) would duplicate them on another day. Replacing
    them in the same transaction is simple and never duplicates; the price is that a
    re-seed also resets what was done to demo children in the demo, which is what a
    demo reset should do. Children with any enrollment outside the demo units, or with
    none at all, are never touched.
    """
    demo_units = [name for name, kind, _ in UNITS if kind in ENROLLING_KINDS]
    in_demo = Enrollment.objects.filter(unit__name__in=demo_units).values("child")
    elsewhere = Enrollment.objects.exclude(unit__name__in=demo_units).values("child")
    doomed = Child.objects.filter(pk__in=in_demo).exclude(pk__in=elsewhere)
    doomed.delete()


def demo_children() -> QuerySet[Child]:
    demo_units = [name for name, kind, _ in UNITS if kind in ENROLLING_KINDS]
    return Child.objects.filter(enrollments__unit__name__in=demo_units).distinct()


def synthetic_cpr(rng: random.Random, birth: date, gender: str, taken: set[str]) -> str:
    """A CPR number for an invented child: right birth date, century digit 4-9
    (born 2000-2036), last digit odd for boys and even otherwise."""
    while True:
        serial = rng.randrange(4000, 10000)
        if (serial % 2 == 1) != (gender == Gender.BOY):
            serial = serial + 1 if serial < 9999 else serial - 1
        number = birth.strftime("%d%m%y") + f"{serial:04d}"
        if number not in taken:
            taken.add(number)
            return number


def create_children(
    rng: random.Random, units: dict[str, Unit], today: date, count: int = DEFAULT_CHILDREN
) -> tuple[list[Child], list[Enrollment]]:
    delete_demo_children()
    seen, cprs = set(), set()
    children, histories = [], []
    for _ in range(count):
        # Ages 0-17 spread evenly; 18 years are at least 6574 days.
        birth = today - timedelta(days=rng.randrange(6570))
        gender, first_name, last_name = _draw_name(rng)
        while (first_name, last_name, birth) in seen:
            gender, first_name, last_name = _draw_name(rng)
        seen.add((first_name, last_name, birth))
        child = Child(first_name=first_name, last_name=last_name, gender=gender)
        child.set_cpr(synthetic_cpr(rng, birth, gender, cprs))
        children.append(child)
        histories.append(_as_of(_life_plan(rng, birth), today))

    Child.objects.bulk_create(children)
    enrollments = [
        Enrollment(child=child, unit=units[unit], start=start, end=end)
        for child, history in zip(children, histories, strict=True)
        for unit, start, end in history
    ]
    Enrollment.objects.bulk_create(enrollments, batch_size=500)
    return children, enrollments


def create_guardians(rng: random.Random, children: list[Child]) -> list[Guardian]:
    """One or two invented parents per child, with example.dk addresses and
    numbers from the 2x xx xx xx range left unused for this demo."""
    guardians = []
    for child in children:
        mother = rng.choice(GIRL_NAMES)
        father = rng.choice(BOY_NAMES)
        pairs = [(mother, Relation.MOTHER), (father, Relation.FATHER)]
        if rng.random() < 0.25:
            pairs = pairs[:1] if rng.random() < 0.5 else pairs[1:]
        for first, relation in pairs:
            name = f"{first} {child.last_name}"
            guardians.append(
                Guardian(
                    child=child,
                    name=name,
                    relation=relation,
                    phone=f"2{rng.randrange(1000000, 9999999)}",
                    email=f"{first.lower()}.{child.pk}@example.dk",
                    has_custody=rng.random() > 0.05,
                )
            )
    Guardian.objects.bulk_create(guardians, batch_size=500)
    return guardians


CONCERN_TEXTS = [
    "Har flere gange grædt længe ved aflevering og vil ikke slippe mor. Falder til ro, når en "
    "kendt voksen tager imod.",
    "Spiser meget lidt af madpakken og virker træt om formiddagen. Fortæller, at der er larm "
    "derhjemme om aftenen.",
    "Trækker sig fra legen i de større grupper og leger mest alene. Har én god ven, som hun "
    "søger, når han er her.",
    "Har været fraværende mange dage den seneste måned uden besked. Kommer ofte for sent og "
    "uden overtøj, der passer til vejret.",
    "Slår de andre børn, når han bliver frustreret, og har svært ved at falde til ro igen. Det "
    "går bedre i små grupper med en fast voksen.",
    "Virker bekymret og spørger tit, om mor henter i dag. Far har fortalt, at de er ved at "
    "blive skilt.",
]


def create_concerns(
    rng: random.Random,
    children: list[Child],
    users: dict[str, User],
    units: dict[str, Unit],
    today: date,
) -> list[Concern]:
    """Concerns written by Pia about some of the children at Solsikken today."""
    solsikken = units[SOLSIKKEN]
    at_solsikken = [
        child
        for child in children
        if Enrollment.objects.active(today).filter(child=child, unit=solsikken).exists()
    ]
    concerns = [
        Concern(
            child=child,
            author=users["pia"],
            observed_on=today - timedelta(days=rng.randrange(3, 120)),
            text=rng.choice(CONCERN_TEXTS),
            parents_informed=rng.random() < 0.7,
        )
        for child in rng.sample(at_solsikken, k=min(8, len(at_solsikken)))
    ]
    Concern.objects.bulk_create(concerns)
    return concerns


# Børnelinealen. The free texts are written for "{name}" (the child's first name) and
# "{place}" ("i børnehaven", "i skolen" …); "young" is dagtilbud and børnehave.
PLACES = {
    UnitKind.DAGPLEJE: "i dagplejen",
    UnitKind.VUGGESTUE: "i vuggestuen",
    UnitKind.BOERNEHAVE: "i børnehaven",
    UnitKind.SKOLE: "i skolen",
    UnitKind.SFO: "i SFO'en",
    UnitKind.KLUB: "i klubben",
}
WHAT_WORKS = {
    "young": [
        "{name} har en god ven på stuen og søger de kendte voksne, når noget er svært.",
        "{name} er glad for at komme {place} og falder hurtigt ind i legen om morgenen.",
        "Forældrene er lette at samarbejde med og fortæller, hvis noget er anderledes derhjemme.",
        "{name} elsker at være ude og er god til rollelege med de andre børn.",
        "Spiser og sover godt {place}. Søger trøst hos de voksne og kan tage imod den.",
        "{name} har et godt sprog og fortæller gerne om, hvad der er sket derhjemme.",
        "Når dagen har faste rammer og en kendt voksen, deltager {name} fint i samlingen.",
        "Mormor henter to gange om ugen og er en stabil voksen i hverdagen.",
    ],
    "school": [
        "{name} har et par gode kammerater i klassen og er med i legen i frikvartererne.",
        "Er god til matematik og bliver glad og stolt, når opgaverne lykkes.",
        "{name} spiller fodbold i den lokale klub to gange om ugen og er glad for det.",
        "Har tillid til klasselæreren og siger til, når noget er svært.",
        "Forældrene kommer til samtalerne og bakker op om aftalerne med skolen.",
        "{name} møder som regel til tiden og har madpakke og det, der skal bruges, med.",
        "Er hjælpsom over for de yngre elever og får anerkendelse for det.",
    ],
}
WHAT_WORRIES = {
    2: [
        "{name} er mere stille end tidligere og trækker sig lidt fra legen. Vi holder øje med det.",
        "Har svært ved at koncentrere sig i længere tid og bliver let urolig.",
        "Har været en del syg i perioden og virker træt efter fraværet.",
        "Kommer af og til sent og går glip af starten på dagen.",
        "Familien er lige flyttet, og {name} har brug for ekstra tryghed i en periode.",
    ],
    3: [
        "{name} er ofte ked af det ved aflevering og har svært ved at falde til ro. Leger "
        "mest alene.",
        "Konflikter med de andre børn flere gange om ugen, hvor {name} slår eller skubber. "
        "Det sker især i overgangene.",
        "Sproget er bagud i forhold til alderen, og {name} bliver frustreret, når de andre "
        "ikke forstår.",
        "Mange fraværsdage uden besked den seneste tid. Kommer ofte uden madpakke.",
        "Virker træt og uoplagt om morgenen. Forældrene fortæller om uro og sene aftener "
        "derhjemme.",
    ],
    4: [
        "{name} er fortsat meget utryg, isolerer sig og har tabt sig. Hygiejnen er "
        "mangelfuld, og tøjet passer ikke til vejret.",
        "Hyppige voldsomme udbrud, hvor {name} ikke kan guides tilbage. Forældrene virker "
        "pressede og har svært ved at overholde aftaler.",
        "Højt fravær over flere måneder. Forældrene har ikke reageret på vores henvendelser.",
        "{name} fortæller om skænderier derhjemme og om at være bange om aftenen.",
    ],
    5: [
        "{name} har fortalt en voksen, at der bliver slået derhjemme, og har mærker på overarmen.",
        "En forælder mødte påvirket op ved afhentningen og kunne ikke tage sig af {name}. "
        "Det er sket før.",
        "{name} er ikke blevet hentet flere gange, og forældrene har ikke kunnet kontaktes.",
    ],
}
WHAT_MUST_HAPPEN = {
    1: ["Ingen særlige tiltag. Næste vurdering ved den løbende opfølgning."],
    2: [
        "Vi holder øje og taler med forældrene ved næste samtale. Ny vurdering om tre måneder.",
        "En fast voksen tager imod om morgenen i en periode. Vi følger op på næste personalemøde.",
        "Forældrene inddrages, og vi aftaler små fælles mål. Ny vurdering efter seks uger.",
    ],
    3: [
        "Samtale med forældrene inden for to uger. Sparring med leder og PPR på næste "
        "tværfaglige møde. Ny vurdering om tre måneder.",
        "Handleplan med en fast voksen og små grupper. Forældrene inddrages, og vi følger op "
        "om otte uger.",
        "Tværfagligt møde med sundhedsplejen og PPR. Vi kontakter forældrene i denne uge.",
    ],
    4: [
        "Leder er orienteret, og der sendes underretning til Børn & Ungerådgivningen. "
        "Forældrene orienteres om underretningen. Opfølgning om fire uger.",
        "Underretning er sendt. Tæt samarbejde med PPR og sundhedsplejen og en fast voksen "
        "hver dag. Ny vurdering om seks uger.",
        "Tværfagligt møde med rådgiver og PPR inden for to uger, forældrene er inviteret.",
    ],
    5: [
        "Underretning sendt til Børn & Ungerådgivningen samme dag, og rådgiver er ringet "
        "op. Forældrene orienteres først, når rådgiver har vurderet sagen.",
        "Rådgiver er kontaktet med det samme, uden for åbningstid den sociale døgnvagt. "
        "Leder følger op næste morgen.",
        "Akut underretning sendt. Barnet bliver, indtil rådgiver har taget stilling.",
    ],
}
OTHERS_INVOLVED = {
    "young": {
        "low": ["", "", "Kollega på stuen", "Leder"],
        "high": [
            "Leder",
            "Leder og sundhedsplejerske",
            "Leder og psykolog fra PPR",
            "Talepædagog fra PPR",
            "Kollega på stuen og leder",
        ],
    },
    "school": {
        "low": ["", "", "Klasselærer", "Pædagog fra SFO'en"],
        "high": [
            "Klasselærer og AKT-lærer",
            "Skoleleder",
            "Klasselærer og skolesundhedsplejerske",
            "Psykolog fra PPR",
        ],
    },
}
CORRECTION_NOTES = {
    "zone": "Zonen var tastet forkert: det skulle være zone {zone}.",
    "date": "Forkert dato: vurderingen blev lavet den {day:%d.%m.%Y}.",
}
# Latest zones of the assessed children, roughly as in a municipality.
ZONE_WEIGHTS = {1: 55, 2: 25, 3: 12, 4: 6, 5: 2}
ASSESSED_SHARE = 0.6
HISTORY_DAYS = 730
MAIN_LINE_KINDS = (UnitKind.DAGPLEJE, UnitKind.VUGGESTUE, UnitKind.BOERNEHAVE, UnitKind.SKOLE)


@dataclass(frozen=True)
class Stay:
    unit: str
    kind: str
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class Planned:
    """One assessment before it becomes a row; `wrong_*` make it a corrected version."""

    day: date
    zone: int
    concern: Concern | None = None
    wrong_zone: int | None = None
    wrong_day: date | None = None


def create_assessments(
    rng: random.Random,
    children: list[Child],
    users: dict[str, User],
    units: dict[str, Unit],
    today: date,
) -> list[Assessment]:
    """Place the children on Børnelinealen, each with up to five assessments.

    About 60% of the children in a unit today are assessed, most in zone 1-2.
    Solsikken, where the demo logins work, is planned by hand so that its overview
    shows every zone, children in zone 3-5 not assessed for a long time, children
    never assessed, the concerns from `create_concerns` and a corrected assessment.
    Every assessment lies within an enrollment and is written by a demo user of that
    unit when there is one (otherwise by Pia).
    """
    stays: dict[int, list[Stay]] = {child.pk: [] for child in children}
    rows = Enrollment.objects.filter(child__in=children).order_by("child", "start", "pk")
    for child_id, unit, kind, start, end in rows.values_list(
        "child_id", "unit__name", "unit__kind", "start", "end"
    ):
        stays[child_id].append(Stay(unit, kind, start, end))
    concerns: dict[int, Concern] = {}
    for concern in Concern.objects.filter(child__in=children).order_by("pk"):
        concerns.setdefault(concern.child_id, concern)

    active = [c for c in children if any(s.covers(today) for s in stays[c.pk])]
    at_solsikken = [c for c in active if _stay_at(stays[c.pk], SOLSIKKEN, today)]
    plans = _plan_solsikken(rng, at_solsikken, stays, concerns, today)
    planned_by_hand = {child.pk for child in at_solsikken}
    for child in active:
        if child.pk in planned_by_hand or rng.random() >= ASSESSED_SHARE:
            continue
        lo = max(today - timedelta(days=HISTORY_DAYS), min(s.start for s in stays[child.pk]))
        zone = rng.choices(list(ZONE_WEIGHTS), weights=list(ZONE_WEIGHTS.values()))[0]
        if zone in CONCERN_ZONES:
            ago = rng.randint(3, 85) if rng.random() < 0.8 else rng.randint(95, 240)
        else:
            ago = rng.randint(1, 330)
        last = today - timedelta(days=ago)
        if last < lo:
            last = lo + timedelta(days=rng.randint(0, (today - lo).days))
        count = rng.choices([1, 2, 3, 4, 5], weights=[45, 25, 15, 10, 5])[0]
        plans[child.pk] = _history(rng, zone, last, lo, count)

    staff = _unit_staff(users)
    assessments, corrections = [], []
    for child in children:
        previous = None
        for planned in plans.get(child.pk, []):
            enrolled = any(s.covers(planned.day) for s in stays[child.pk])
            if not enrolled or not child.birth_date <= planned.day <= today:
                continue  # never outside an enrollment, whatever the plan said
            assessment = _assessment(rng, child, planned, previous, stays[child.pk], staff, users)
            if planned.wrong_zone or planned.wrong_day:
                corrections.append((assessment, planned))
                if planned.wrong_zone:
                    assessment.zone = planned.wrong_zone
                if planned.wrong_day:
                    assessment.assessed_on = planned.wrong_day
            assessments.append(assessment)
            previous = planned
    Assessment.objects.bulk_create(assessments, batch_size=500)

    for wrong, planned in corrections:
        kind = "zone" if planned.wrong_zone else "date"
        note = CORRECTION_NOTES[kind].format(zone=planned.zone, day=planned.day)
        author = wrong.author
        assessments.append(
            wrong.correct(author=author, note=note, zone=planned.zone, assessed_on=planned.day)
        )
    return assessments


def _plan_solsikken(
    rng: random.Random,
    children: list[Child],
    stays: dict[int, list[Stay]],
    concerns: dict[int, Concern],
    today: date,
) -> dict[int, list[Planned]]:
    """Solsikken's children, planned to show everything the unit overview can show.

    The children with a concern get an assessment with reason "bekymring" soon after
    it (the first three end in zone 5, 4 and 3, and a concern in zone 1-2 is usually
    followed up); two others in zone 3-4 were assessed long ago (stale); about a fifth
    are never assessed; the rest are mostly in zone 1-2, the first two exactly there.
    One latest zone and one earlier date are entered wrong and corrected.
    """
    plans: dict[int, list[Planned]] = {}
    stale_before = today - timedelta(days=STALE_AFTER_DAYS)
    with_concern = [c for c in children if c.pk in concerns]
    with_concern.sort(key=lambda c: concerns[c.pk].pk)
    others = [c for c in children if c.pk not in concerns]
    rng.shuffle(others)

    def since(child: Child) -> date:
        start = _stay_at(stays[child.pk], SOLSIKKEN, today).start
        return max(start, today - timedelta(days=HISTORY_DAYS))

    def count() -> int:
        return rng.choices([1, 2, 3, 4, 5], weights=[20, 30, 25, 15, 10])[0]

    tail = [4, 3, 2, 2, 1]
    rng.shuffle(tail)
    for child, zone in zip(with_concern, [5, 4, 3, *tail] * 4, strict=False):
        concern, lo = concerns[child.pk], since(child)
        day = min(today, max(concern.observed_on, lo) + timedelta(days=rng.randint(0, 10)))
        room = (today - day).days
        follow_up = room > 60 and (zone <= 2 or rng.random() < 0.4)
        concern_zone = zone
        if follow_up:  # things looked worse when the concern was raised
            concern_zone = 2 if zone == 1 else max(3, min(5, zone + rng.choice([0, 1])))
        earlier = _history(rng, concern_zone, day, lo, count(), worsening=True)
        earlier[-1].concern = concern
        if follow_up:
            later = day + timedelta(days=rng.randint(42, room))
            earlier.append(Planned(later, zone))
        plans[child.pk] = earlier

    never = max(3, round(len(children) * 0.2))
    long_enough = [c for c in others if since(c) <= stale_before - timedelta(days=30)]
    stale = long_enough[:2]
    for child, zone in zip(stale, [3, 4], strict=False):
        lo = since(child)
        oldest = max(lo, today - timedelta(days=300))
        last = oldest + timedelta(days=rng.randint(0, (stale_before - oldest).days - 5))
        plans[child.pk] = _history(rng, zone, last, lo, count())
    rest = [c for c in others if c not in stale]
    for i, child in enumerate(rest[: max(0, len(rest) - never)]):
        zone = i + 1 if i < 2 else rng.choices([1, 2, 3], weights=[60, 28, 12])[0]
        lo = since(child)
        ago = rng.randint(1, 150) if zone < 3 else rng.randint(5, 80)
        last = max(lo, today - timedelta(days=ago))
        plans[child.pk] = _history(rng, zone, last, lo, count())

    # Corrections: one latest zone 1 keyed in as 2 (or 2 as 1), one earlier date mistyped.
    assessed = [plans[c.pk] for c in rest if c.pk in plans]
    for zone, wrong_zone in [(1, 2), (2, 1)]:
        plan = next((p for p in assessed if p[-1].zone == zone), None)
        if plan is not None:
            plan[-1].wrong_zone = wrong_zone
            break
    for plan in assessed[::-1]:
        if len(plan) >= 2 and plan[-1].wrong_zone is None:
            first = plan[0]
            wrong = first.day + timedelta(days=7)
            if wrong < plan[1].day:
                first.wrong_day = wrong
                break
    return plans


def _history(
    rng: random.Random, zone: int, last: date, lo: date, count: int, worsening: bool = False
) -> list[Planned]:
    """Up to `count` assessments ending in `zone` on `last`, 2-8 months apart and none
    before `lo`; going back in time the zone drifts by one now and then (with
    `worsening`, it was never higher before)."""
    history = [Planned(last, zone)]
    day = last
    for _ in range(count - 1):
        day -= timedelta(days=rng.randint(60, 240))
        if day < lo:
            break
        steps = [-1, 0] if worsening else [-1, 0, 1]
        zone = min(5, max(1, zone + rng.choice(steps)))
        history.append(Planned(day, zone))
    return history[::-1]


def _assessment(
    rng: random.Random,
    child: Child,
    planned: Planned,
    previous: Planned | None,
    stays: list[Stay],
    staff: dict[str, tuple[list[User], list[User]]],
    users: dict[str, User],
) -> Assessment:
    day, zone = planned.day, planned.zone
    here = [s for s in stays if s.covers(day)]
    main = next((s for s in here if s.kind in MAIN_LINE_KINDS), here[0])
    age_group = "school" if main.kind == UnitKind.SKOLE else "young"
    texts = {"name": child.first_name, "place": PLACES.get(main.kind, "her")}

    if planned.concern is not None:
        reason = Reason.CONCERN
    elif previous is not None and previous.zone in CONCERN_ZONES:
        reason = Reason.FOLLOW_UP
    elif main is not stays[0] and (day - main.start).days <= 60:
        reason = Reason.TRANSITION
    else:
        reason = Reason.ONGOING

    works = worries = must = ""
    if zone in CONCERN_ZONES or rng.random() < 0.5:
        works = rng.choice(WHAT_WORKS[age_group])
    if zone in CONCERN_ZONES or (zone == 2 and rng.random() < 0.6):
        worries = rng.choice(WHAT_WORRIES[max(2, zone)])
    if zone in CONCERN_ZONES or rng.random() < 0.3:
        must = rng.choice(WHAT_MUST_HAPPEN[zone])

    child_zone = care_zone = None
    if rng.random() < 0.6:
        child_zone, care_zone = zone, max(1, zone - rng.choice([0, 1, 1, 2]))
        if rng.random() < 0.5:
            child_zone, care_zone = care_zone, child_zone

    fagpersons, ledere = next((staff[s.unit] for s in here if s.unit in staff), ([], []))
    if fagpersons and (not ledere or rng.random() < 0.75):
        author = rng.choice(fagpersons)
    elif ledere:
        author = rng.choice(ledere)
    else:
        author = users["pia"]
    others = OTHERS_INVOLVED[age_group]["high" if zone in CONCERN_ZONES else "low"]

    return Assessment(
        child=child,
        author=author,
        assessed_on=day,
        reason=reason,
        zone=zone,
        child_zone=child_zone,
        care_zone=care_zone,
        what_works=works.format(**texts),
        what_worries=worries.format(**texts),
        what_must_happen=must.format(**texts),
        parents_involved=rng.random() < (0.8 if zone in CONCERN_ZONES else 0.5),
        others_involved=rng.choice(others),
        concern=planned.concern,
    )


def _stay_at(stays: list[Stay], unit: str, day: date) -> Stay | None:
    return next((s for s in stays if s.unit == unit and s.covers(day)), None)


def _unit_staff(users: dict[str, User]) -> dict[str, tuple[list[User], list[User]]]:
    """Per unit name, the demo users working there as (fagpersoner, ledere)."""
    staff: dict[str, tuple[list[User], list[User]]] = {}
    for spec in USERS:
        if spec.role in (Role.FAGPERSON, Role.LEDER) and spec.username in users:
            fagpersons, ledere = staff.setdefault(spec.unit, ([], []))
            (fagpersons if spec.role == Role.FAGPERSON else ledere).append(users[spec.username])
    return staff


def _draw_name(rng: random.Random) -> tuple[str, str, str]:
    roll = rng.random()
    if roll < 0.49:
        gender, names = Gender.GIRL, GIRL_NAMES
    elif roll < 0.98:
        gender, names = Gender.BOY, BOY_NAMES
    else:
        gender, names = Gender.OTHER, NEUTRAL_NAMES
    return gender, rng.choice(names), rng.choice(SURNAMES)


Stage = tuple[str, date, date | None]


def _life_plan(rng: random.Random, birth: date) -> list[Stage]:
    """A child's whole path from dagtilbud to the end of school, past and future.

    Every draw is made whether or not a stage applies or has happened yet, so each
    child takes the same draws from the generator. The seed then gives the same
    children at the same ages on any day; only the calendar-bound dates (school
    starts in August) decide which stages have happened.
    """
    dagtilbud = _pick(rng, DAGTILBUD_CHOICES)
    dagtilbud_start = birth + timedelta(days=rng.randint(183, 426))  # 6-14 months
    boernehave = _pick(rng, BOERNEHAVE_CHOICES)
    moves = rng.random() < 0.06
    moved_on = rng.randint(180, 700)
    boernehave_after_move = _pick(
        rng, {name: w for name, w in BOERNEHAVE_CHOICES.items() if name != boernehave}
    )
    school = _pick(rng, SCHOOL_CHOICES)
    tenth_grade = rng.random() < 0.3
    in_sfo = rng.random() < 0.75
    sfo_years = rng.choice([1, 2, 3, 3, 4, 4])
    in_klub = rng.random() < 0.5
    klub_years = rng.randint(1, 4)

    # Børnehave from the 3rd birthday; school (børnehaveklassen) in the August of
    # the year the child turns 6; 9th grade ends in June ten years later.
    boernehave_start = _add_years(birth, 3)
    school_start = date(birth.year + 6, 8, 1)
    school_end = date(school_start.year + (11 if tenth_grade else 10), 6, 30)
    plan: list[Stage] = [(dagtilbud, dagtilbud_start, boernehave_start - timedelta(days=1))]
    if moves:
        move = boernehave_start + timedelta(days=moved_on)
        plan.append((boernehave, boernehave_start, move - timedelta(days=1)))
        plan.append((boernehave_after_move, move, school_start - timedelta(days=1)))
    else:
        plan.append((boernehave, boernehave_start, school_start - timedelta(days=1)))
    plan.append((school, school_start, school_end))
    if in_sfo:
        sfo_end = date(school_start.year + sfo_years, 7, 31)
        plan.append((SFO_OF_SCHOOL[school], school_start, sfo_end))
    if in_klub:
        klub_start = date(school_start.year + 4, 8, 1)  # from 4th grade
        plan.append((KLUB, klub_start, date(klub_start.year + klub_years, 7, 31)))
    return plan


def _as_of(plan: list[Stage], today: date) -> list[Stage]:
    """What the records show today: stages not yet started are left out, current
    ones are open-ended. An infant not yet in dagtilbud keeps its coming place, the
    way pladsanvisningen records it, so every demo child has an enrollment."""
    started = [
        (unit, start, end if end < today else None) for unit, start, end in plan if start <= today
    ]
    if started:
        return started
    unit, start, _ = plan[0]
    return [(unit, start, None)]


def _pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # born 29 February: a year older on 1 March
        return date(day.year + years, 3, 1)


class Command(BaseCommand):
    help = "Create or reset a synthetic demo municipality with one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Same seed, same day: same data."
        )
        parser.add_argument(
            "--children", type=int, default=DEFAULT_CHILDREN, help="How many demo children."
        )
        parser.add_argument(
            "--with-superuser",
            action="store_true",
            help=f"Also create a Django superuser '{SUPERUSER}'.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Replace the demo children (and all their data)."
        )
        parser.add_argument(
            "--no-report",
            action="store_true",
            help="Do not archive the last quarter's status report (it takes a few seconds).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is False.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to seed demo data with DEBUG=False: it creates logins with "
                "published passwords and replaces the children in the demo units. "
                "Use --force if this really is a demo installation."
            )
        seed = options["seed"]
        today = timezone.localdate()
        with transaction.atomic():
            units = create_units()
            users = create_users(units)
            superuser = create_superuser() if options["with_superuser"] else None
            authenticators = {
                user.username: ensure_demo_authenticator(user)
                for user in [*users.values(), *([superuser] if superuser else [])]
            }
            if options["reset"] or not demo_children().exists():
                children, enrollments = create_children(
                    step_rng(seed, "children"), units, today, options["children"]
                )
                create_guardians(step_rng(seed, "guardians"), children)
                create_concerns(step_rng(seed, "concerns"), children, users, units, today)
                create_assessments(step_rng(seed, "assessments"), children, users, units, today)
                dialogues = len(
                    create_dialogues(
                        step_rng(seed, "dialogues"),
                        children,
                        users["pia"],
                        users["lars"],
                        units[SOLSIKKEN],
                        today,
                    )
                )
                create_cases(step_rng(seed, "cases"), children, users, units[SOLSIKKEN], today)
            else:
                children = list(demo_children())
                enrollments = list(Enrollment.objects.filter(child__in=children))
                dialogues = Dialogue.objects.final().filter(child__in=children).count()
            cases = Case.objects.filter(child__in=children).count()
            # Counted after the cases: their follow-up meetings assess too.
            assessments = Assessment.objects.filter(child__in=children).count()
        # The archive is not empty: the last quarter's report, as beat makes it on the
        # first working day after the quarter (once; a second run keeps it).
        report = None if options["no_report"] else generate_due_report(today)

        if options["quiet"] or options["verbosity"] == 0:
            return
        rows = [
            (spec.role.label, users[spec.username].get_full_name(), spec.unit, spec.username)
            for spec in USERS
        ]
        if superuser:
            rows.append(("Superbruger (Django admin)", superuser.get_full_name(), "", SUPERUSER))
        self._print_logins([(*row, demo_password(row[3])) for row in rows])
        self._print_second_factor(authenticators)
        self.stdout.write(
            f"\n{len(DISTRICTS)} distrikter, {len(units)} enheder, {len(rows)} brugere, "
            f"{len(children)} børn, {len(enrollments)} indskrivninger, "
            f"{assessments} vurderinger, {dialogues} LØFT-dialoger, {cases} sager (seed {seed}, "
            f"dato {today:%d.%m.%Y})."
        )
        if report is not None:
            self.stdout.write(f"Kvartalsrapporten for {report.quarter} ligger i arkivet.")

    def _print_second_factor(self, authenticators: dict) -> None:
        self.stdout.write(
            "\nEfter adgangskoden spørger Tidlig om en kode (tofaktor-login). Skriv en af "
            "brugerens gendannelseskoder (hver virker én gang),\nkør `.venv/bin/python "
            "manage.py demo_code <brugernavn>` for den kode, appen ville vise nu, eller "
            "tilføj nøglen i en godkenderapp."
        )
        header = ("Brugernavn", "Nøgle til godkenderapp", "Gendannelseskoder")
        rows = [
            (username, b32encode(device.bin_key).decode(), " ".join(codes[:3]))
            for username, (device, codes) in authenticators.items()
        ]
        self._print_table(header, rows)

    def _print_logins(self, rows: list[tuple[str, ...]]) -> None:
        heading = f"Demo-logins for {settings.MUNICIPALITY_NAME}"
        self.stdout.write(self.style.MIGRATE_HEADING(heading))
        self._print_table(("Rolle", "Navn", "Enhed", "Brugernavn", "Adgangskode"), rows)

    def _print_table(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

        def line(row):
            cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            return "  ".join(cells).rstrip()

        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
