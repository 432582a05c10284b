"""Children leaving Børnehaven Solsikken for school, and the parents' consents.

- The oldest child at Solsikken who is old enough left at the end of last month
  and started at Nordby Skole, in class 0.A (Sofie's), on the 1st of this month.
  Before that Pia held a LØFT dialogue with the family and assessed the child,
  then wrote the overleveringsnotat: finished, seen and agreed by the parents,
  with the latest zone and the open next steps. A parent with custody consented
  to Nordby Skole reading what Solsikken wrote (Purpose.OTHER_UNITS_NOTES). Sofie
  has not acknowledged the note yet.
- The next oldest leaves at the end of this month for Søndermarkskolen (the family
  moves); there is no note yet, so Lars is reminded (followups.reminders).
- At Solsikken one consent for PPR expires within 30 days (Lars, who recorded it,
  is warned, and Karen reads the child until then), and one for the sundhedspleje
  has been withdrawn.

Dates count from the seed day, so "this month" and "next month" hold on any day.
All names and texts are invented.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.formats import date_format

from accounts.models import Unit, UnitGroup, User
from children.models import Child, Consent, Enrollment, Guardian, TransitionNote
from children.sharing import Purpose
from demo.organisation import NORDBY_SKOLE, SOLSIKKEN
from loeft.models import Dialogue, DialogueVersion, NextStep, Owner, Status
from ruler.models import Assessment, Reason

CPH = ZoneInfo("Europe/Copenhagen")
MOVING_TO = "Søndermarkskolen"
# Børnehaveklassen starts at 5 or 6 (tests/test_seed_demo.py checks the ages).
SCHOOL_AGES = (5, 6)


@dataclass
class Move:
    sending: Enrollment
    receiving: Enrollment

    @property
    def child(self) -> Child:
        return self.sending.child


@dataclass
class Moves:
    this_month: Move | None = None
    next_month: Move | None = None


def first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def plan_moves(
    children: list[Child],
    units: dict[str, Unit],
    groups: dict[tuple[str, str], UnitGroup],
    today: date,
) -> Moves:
    """End two children's Solsikken enrollment and enroll them in school: one from
    the 1st of this month (in 0.A), one from the 1st of next month."""
    this_month = today.replace(day=1)
    next_month = first_of_next_month(today)
    with_custody = set(
        Guardian.objects.filter(child__in=children, has_custody=True).values_list(
            "child_id", flat=True
        )
    )
    at_solsikken = sorted(
        Enrollment.objects.active(today)
        .filter(unit=units[SOLSIKKEN], child__in=children, end__isnull=True)
        .select_related("child"),
        key=lambda e: (e.child.birth_date, e.child.pk),
    )
    candidates = [e for e in at_solsikken if e.child_id in with_custody]
    moves = Moves()
    for starts, school, group in (
        (this_month, units[NORDBY_SKOLE], groups[(NORDBY_SKOLE, "0.A")]),
        (next_month, units[MOVING_TO], None),
    ):
        sending = next(
            (
                e
                for e in candidates
                if e.child.age(starts) in SCHOOL_AGES and e.start < starts - timedelta(days=1)
            ),
            None,
        )
        if sending is None:
            continue
        candidates.remove(sending)
        sending.end = starts - timedelta(days=1)
        sending.save(update_fields=["end"])
        receiving = Enrollment.objects.create(
            child=sending.child, unit=school, start=starts, group=group
        )
        move = Move(sending, receiving)
        if starts == this_month:
            moves.this_month = move
        else:
            moves.next_month = move
    return moves


def create_consents(
    rng: random.Random,
    children: list[Child],
    moves: Moves,
    users: dict[str, User],
    units: dict[str, Unit],
    today: date,
) -> list[Consent]:
    """The consent that goes with the note, one about to expire, one withdrawn."""
    made = []
    move = moves.this_month
    if move is not None:
        consent = Consent.objects.create(
            child=move.child,
            guardian=_custodian(move.child),
            purpose=Purpose.OTHER_UNITS_NOTES,
            given_on=_meeting_day(move, today),
            note="Givet på overleveringsmødet, hvor forældrene så notatet.",
            recorded_by=users["pia"],
        )
        consent.units.set([units[NORDBY_SKOLE]])
        made.append(consent)

    expires = today + timedelta(days=25)
    given = _a_year_before(expires)
    moving = {m.child.pk for m in (moves.this_month, moves.next_month) if m is not None}
    staying = (
        Enrollment.objects.active(today)
        .filter(unit=units[SOLSIKKEN], child__in=children, start__lte=given)
        .exclude(child_id__in=moving)
        .filter(child__guardians__has_custody=True)
        .values_list("child_id", flat=True)
        .distinct()
        .order_by("child_id")
    )
    chosen = rng.sample(list(staying), k=min(2, len(staying)))
    by_pk = {child.pk: child for child in children}
    if chosen:
        # PPR observes in the børnehave for a year; Karen reads the child until then.
        consent = Consent.objects.create(
            child=by_pk[chosen[0]],
            guardian=_custodian(by_pk[chosen[0]]),
            purpose=Purpose.PPR,
            given_on=given,
            expires_on=expires,
            note="Karen fra PPR observerer i børnehaven og deltager i forældresamtalerne.",
            recorded_by=users["lars"],
        )
        consent.units.set([units["PPR"]])
        made.append(consent)
    if len(chosen) > 1:
        consent = Consent.objects.create(
            child=by_pk[chosen[1]],
            guardian=_custodian(by_pk[chosen[1]]),
            purpose=Purpose.HEALTH_VISITOR,
            given_on=today - timedelta(days=120),
            note="Sundhedsplejersken ser på søvn og spisning.",
            recorded_by=users["lars"],
            withdrawn_on=today - timedelta(days=20),
            withdrawn_by=users["lars"],
        )
        consent.units.set([units["Sundhedsplejen"]])
        made.append(consent)
    return made


def create_handover(moves: Moves, users: dict[str, User], today: date) -> TransitionNote | None:
    """Pia's assessment, LØFT dialogue and overleveringsnotat for the child who
    started school this month (written in Solsikken while the child went there)."""
    move = moves.this_month
    if move is None:
        return None
    pia, child = users["pia"], move.child
    solsikken, left = move.sending.unit, move.sending.end
    assert left is not None
    first = child.first_name
    earliest = move.sending.start

    earlier = (
        Assessment.objects.current()
        .filter(child=child, assessed_on__lt=left - timedelta(days=38))
        .latest_first()
        .first()
    )
    zone = max(2, earlier.zone - 1) if earlier else 2
    assessment = Assessment.objects.create(
        child=child,
        author=pia,
        unit=solsikken,
        assessed_on=max(earliest, left - timedelta(days=38)),
        reason=Reason.TRANSITION,
        zone=zone,
        what_works=f"{first} glæder sig til at begynde i skole og leger godt med de ældste "
        "børn. Kan vente på tur og fortæller gerne om det, der er sket.",
        what_worries=f"{first} bliver usikker ved skift og nye voksne og har brug for at "
        "vide, hvad der skal ske.",
        what_must_happen="Overleveringsnotat til Nordby Skole, som forældrene ser først. "
        "Et besøg i 0.A inden første skoledag.",
        parents_involved=True,
        others_involved="Leder",
    )

    held_on = max(earliest, left - timedelta(days=35))
    guardian = _custodian(child)
    dialogue = Dialogue.objects.create(
        child=child,
        author=pia,
        unit=solsikken,
        status=Status.FINAL,
        held_on=held_on,
        assessment=assessment,
        child_took_part=True,
        what_works=f"{first} falder til ro, når en kendt voksen tager imod, og har to gode "
        "venner, som også skal i skole.",
        wished_future=f"At {first} går glad ind i klassen om morgenen og har en ven at lege "
        "med i frikvarteret. Det vil mor se på, at der bliver fortalt om skolen ved "
        "aftensmaden.",
        scale_now=6,
        scale_goal=8,
        scale_step=f"At {first} selv hænger tasken på knagen og siger farvel i døren.",
        child_voice="Jeg skal have en blå skoletaske. Jeg vil sidde ved siden af Ali.",
        agreements=f"Pia besøger 0.A med {first} og mor. Forældrene øver morgenrutinen. "
        "Pia skriver overleveringsnotatet, som forældrene ser, før det sendes.",
        version=1,
        finalised_at=_at(held_on, 15),
    )
    dialogue.professionals.set([pia])
    dialogue.guardians.set([guardian])
    DialogueVersion.objects.create(
        dialogue=dialogue, number=1, saved_by=pia, data=dialogue.snapshot()
    )
    this_month = move.receiving.start
    steps = [
        NextStep(
            dialogue=dialogue,
            child=child,
            text=f"Besøger 0.A på Nordby Skole sammen med {first} og mor",
            owner_kind=Owner.PROFESSIONAL,
            owner_user=pia,
            due=left - timedelta(days=14),
            done_on=min(today, left - timedelta(days=15)),
            done_comment=f"{first} fik sin egen knage og hilste på Sofie.",
            done_by=pia,
        ),
        NextStep(
            dialogue=dialogue,
            child=child,
            text="Øver morgenrutinen med skoletaske og madpakke",
            owner_kind=Owner.PARENT,
            owner_guardian=guardian,
            due=this_month + timedelta(days=14),
        ),
        NextStep(
            dialogue=dialogue,
            child=child,
            text="Fortæller Sofie om sin yndlingsbog",
            owner_kind=Owner.CHILD,
            due=this_month + timedelta(days=21),
        ),
    ]
    NextStep.objects.bulk_create(steps)

    finished_on = _meeting_day(move, today)
    latest = (
        Assessment.objects.current()
        .filter(child=child, assessed_on__lte=finished_on)
        .latest_first()
        .first()
    )
    note = TransitionNote.objects.create(
        from_enrollment=move.sending,
        to_enrollment=move.receiving,
        author=pia,
        what_works=f"{first} er glad for at komme i børnehaven og har to gode venner, som "
        "også begynder på Nordby Skole. Elsker at tegne og kan sidde længe med et "
        "puslespil.",
        needs=f"{first} bliver usikker ved skift og nye voksne. Det hjælper, når en fast "
        "voksen tager imod om morgenen og fortæller, hvad dagen byder på. Har brug for "
        "pauser, når gruppen er stor.",
        parents_wish="At skolen ved, at morgenerne er den svære tid, og at mor gerne vil "
        "ringes op, hvis noget går galt de første uger.",
        latest_zone=latest.zone if latest else None,
        latest_zone_on=latest.assessed_on if latest else None,
        open_steps=_steps_text([s for s in steps if s.done_on is None]),
        parents_seen=True,
        parents_agree=True,
        finished_at=_at(finished_on, 14),
    )
    # Started a week before it was finished.
    TransitionNote.objects.filter(pk=note.pk).update(
        created_at=_at(finished_on - timedelta(days=7), 10), updated_at=note.finished_at
    )
    return note


def _steps_text(steps: list[NextStep]) -> str:
    # As the note's form offers them (desk.transition_views): what, who and when.
    with translation.override("da"):
        return "\n".join(
            f"{step.text} ({step.owner_label}, senest {date_format(step.due, 'j. F Y')})"
            for step in steps
        )


def _custodian(child: Child) -> Guardian:
    return child.guardians.filter(has_custody=True).order_by("pk").first()  # type: ignore[return-value]


def _meeting_day(move: Move, today: date) -> date:
    """The day the parents saw the note (finished then) and gave their consent."""
    assert move.sending.end is not None
    return min(move.sending.end - timedelta(days=5), today)


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CPH)
