"""The demo children: names, CPR numbers, their path through dagtilbud, børnehave,
school, SFO and klub (the enrollments), their class or stue, their parents, and
Pia's concerns.
"""

import random
from datetime import date, timedelta

from django.db.models import QuerySet

from accounts.models import ENROLLING_KINDS, Unit, UnitGroup, User
from children.models import (
    Child,
    Concern,
    Enrollment,
    Gender,
    Guardian,
    Relation,
    TransitionNote,
)
from demo.names import BOY_NAMES, GIRL_NAMES, NEUTRAL_NAMES, SURNAMES
from demo.organisation import CLASSES, NORDBY_SKOLE, SOLSIKKEN, STUER, UNITS

DEFAULT_CHILDREN = 300

# Where children go at each stage, with weights. Solsikken is weighted up so that
# Pia and Lars (demo.organisation) have 25-30 children to work with.
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
    # The notes first: in one big cascade their enrollments may go before them, and
    # the audit entry of a note reads its enrollment (TransitionNote.get_additional_data).
    TransitionNote.objects.filter(from_enrollment__child__in=doomed).delete()
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
    seen: set[tuple[str, str, date]] = set()
    cprs: set[str] = set()
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


def school_year(day: date) -> int:
    """The year the school year containing `day` began (1 August)."""
    return day.year if day.month >= 8 else day.year - 1


def place_in_groups(
    rng: random.Random, groups: dict[tuple[str, str], UnitGroup], today: date
) -> int:
    """Put the children enrolled today at Nordby Skole in a class of their grade (A
    or B; 10.A for 10th grade) and those at Solsikken in one of its stuer. An
    enrollment that has a group already (demo.transitions chose it) keeps it.

    One class name follows a cohort from børnehaveklassen on (the school renames
    its classes each summer), so the grade is counted from the enrollment's start.
    """
    enrollments = (
        Enrollment.objects.active(today)
        .filter(unit__name__in=[NORDBY_SKOLE, SOLSIKKEN], group__isnull=True)
        .select_related("unit")
        .order_by("pk")
    )
    placed = []
    for enrollment in enrollments:
        if enrollment.unit.name == NORDBY_SKOLE:
            grade = school_year(today) - school_year(enrollment.start)
            name = f"{grade}.{rng.choice('AB')}" if grade < 10 else "10.A"
            if name not in CLASSES:
                continue
        else:
            name = rng.choice(STUER)
        enrollment.group = groups[(enrollment.unit.name, name)]
        placed.append(enrollment)
    Enrollment.objects.bulk_update(placed, ["group"], batch_size=500)
    return len(placed)


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
    # Written where Pia works and the child goes (children.models.written_in);
    # bulk_create skips the save() that would set it.
    concerns = [
        Concern(
            child=child,
            author=users["pia"],
            unit=solsikken,
            observed_on=today - timedelta(days=rng.randrange(3, 120)),
            text=rng.choice(CONCERN_TEXTS),
            parents_informed=rng.random() < 0.7,
        )
        for child in rng.sample(at_solsikken, k=min(8, len(at_solsikken)))
    ]
    Concern.objects.bulk_create(concerns)
    return concerns


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
        (unit, start, end if end and end < today else None)
        for unit, start, end in plan
        if start <= today
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
