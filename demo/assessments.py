"""The demo children on Børnelinealen: up to five assessments each, with
Solsikken planned by hand so that its overview shows everything it can show.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import Role, Unit, UnitKind, User
from children.models import Child, Concern, Enrollment
from demo.organisation import SOLSIKKEN, USERS
from ruler.models import Assessment, Reason
from ruler.zones import CONCERN_ZONES, STALE_AFTER_DAYS

# Børnelinealen. The free texts are written for "{name}" (the child's first name) and
# "{place}" ("i børnehaven", "i skolen" …); "young" is dagtilbud and børnehave.
PLACES: dict[str, str] = {
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
    group: str | None = None

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
    unit (and group, for one limited to groups) when there is one, otherwise by Pia
    standing in for the unit's own staff. Its `unit` (written in) is the unit whose
    staff wrote it, as children.models.written_in gives for a demo user of the unit:
    set here, because bulk_create skips the save() that would set it.
    """
    stays: dict[int, list[Stay]] = {child.pk: [] for child in children}
    rows = Enrollment.objects.filter(child__in=children).order_by("child", "start", "pk")
    for child_id, unit, kind, start, end, group in rows.values_list(
        "child_id", "unit__name", "unit__kind", "start", "end", "group__name"
    ):
        stays[child_id].append(Stay(unit, kind, start, end, group))
    concerns: dict[int, Concern] = {}
    for concern in Concern.objects.filter(child__in=children).order_by("pk"):
        concerns.setdefault(concern.child_id, concern)

    active = [c for c in children if any(s.covers(today) for s in stays[c.pk])]
    at_solsikken = {
        child: stay for child in active if (stay := _stay_at(stays[child.pk], SOLSIKKEN, today))
    }
    plans = _plan_solsikken(rng, at_solsikken, concerns, today)
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
            assessment = _assessment(
                rng, child, planned, previous, stays[child.pk], staff, users, units
            )
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
    children: dict[Child, Stay],
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
        return max(children[child].start, today - timedelta(days=HISTORY_DAYS))

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
    staff: dict[str, list[tuple[User, str, tuple[str, ...]]]],
    users: dict[str, User],
    units: dict[str, Unit],
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

    # The first unit the child goes to that day with a demo user who sees the child.
    written_in, fagpersons, ledere = main, [], []
    for stay in here:
        fagpersons = [
            u
            for u, role, groups in staff.get(stay.unit, [])
            if role == Role.FAGPERSON and (not groups or stay.group in groups)
        ]
        ledere = [u for u, role, _groups in staff.get(stay.unit, []) if role == Role.LEDER]
        if fagpersons or ledere:
            written_in = stay
            break
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
        unit=units[written_in.unit],
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


def _unit_staff(users: dict[str, User]) -> dict[str, list[tuple[User, str, tuple[str, ...]]]]:
    """Per unit name, the demo users working there as fagperson or leder: (user,
    role, the groups a fagperson is limited to)."""
    staff: dict[str, list[tuple[User, str, tuple[str, ...]]]] = {}
    for spec in USERS:
        if spec.role in (Role.FAGPERSON, Role.LEDER) and spec.username in users:
            staff.setdefault(spec.unit, []).append((users[spec.username], spec.role, spec.groups))
    return staff
