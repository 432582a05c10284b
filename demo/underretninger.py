"""The demo's underretninger, in every state the intake and the leader's overview
show, dated back from the seed's day:

- waiting: Pia made one in Tidlig three hours ago, its 24 hours still running;
- 24 hours passed: Lars's about the child he has just sent to the rådgivning;
- a screening still open, whose receipt is due the next hverdag: the third
  underretning in 12 months about one school child (a teacher's by letter, the child's
  own in person, now the teacher's by e-mail);
- a screening still open whose receipt was never sent (past its deadline);
- assessed late: a neighbour phoned on a Friday evening, assessed on the Monday,
  closed without a case (decision ingen, with its reason);
- assessed in time, receipt sent, closed without a case: the health visitor's by
  Digital Post;
- an anonymous letter, closed without a case;
- led to a case: Pia's about a child in zone 5, a børnefaglig undersøgelse in the
  child's demo case, with the receipt and the tilbagemelding sent.

They go through `followups.underretninger` (register, assess, close) as the pages
do; the workflow stamps the moment of closing, which is set back to when the demo
says it happened. All invented.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Unit, UnitKind, User
from children.models import Child, Enrollment
from demo.organisation import SOLSIKKEN
from followups import reminders, underretninger, workdays
from followups.models import Case, Escalation, Underretning
from ruler.models import Assessment

CPH = workdays.COPENHAGEN
Source = Underretning.Source
Channel = Underretning.Channel
Decision = Underretning.Decision


def create_underretninger(
    rng: random.Random, children: list[Child], users: dict[str, User], today: date
) -> list[Underretning]:
    rasmus, mette = users["rasmus"], users["mette"]
    without_case = _without_case(children, today)
    made: list[Underretning] = []

    # Waiting: made in Tidlig about a child at Solsikken three hours before the seed
    # ran, so that its 24 hours are running while the demo is looked at.
    lately = (timezone.now() - timedelta(hours=3, minutes=25)).replace(second=0, microsecond=0)
    lately -= timedelta(minutes=lately.minute % 5)
    child = _pick(rng, without_case, today, unit_name=SOLSIKKEN)
    made.append(
        underretninger.register(
            child=child,
            about="Barnet har et mærke på kinden og siger, at far blev vred i går. Det er "
            "tredje gang på en måned, at barnet kommer med mærker.",
            received_at=lately,
            registered_by=users["pia"],
            made_by=users["pia"],
            notifier="Pia Pedersen, pædagog",
            notifier_contact="Børnehaven Solsikken, pia@tidlig-kommune.example",
        )
    )

    # 24 hours passed: about the child Lars has just sent to the rådgivning.
    escalation = (
        Escalation.objects.filter(child__in=children, status=Escalation.Status.WAITING)
        .select_related("child")
        .order_by("pk")
        .first()
    )
    if escalation is not None:
        made.append(
            underretninger.register(
                child=escalation.child,
                about="Barnet er flere gange hentet af en voksen, der virkede påvirket.",
                received_at=_at(_hverdag(today - timedelta(days=2)), 14, 10),
                registered_by=users["lars"],
                made_by=users["lars"],
                notifier="Lars Holm, leder",
                notifier_contact="Børnehaven Solsikken, lars@tidlig-kommune.example",
            )
        )

    # Three in 12 months about one school child; the third is being screened, and its
    # receipt is due the next hverdag.
    child = _pick(rng, without_case, today, kind=UnitKind.SKOLE, ages=(11, 15))
    school = _school(child, today)
    teacher = "Ole Jensen, klasselærer"
    first = _received(
        child,
        _at(_hverdag(today - timedelta(days=300)), 11, 0),
        "Barnet har haft meget fravær siden efterårsferien og virker træt og indelukket.",
        registered_by=mette,
        channel=Channel.LETTER,
        notifier=teacher,
        notifier_contact=school,
    )
    _assess(
        first,
        mette,
        hours=5,
        decision=Decision.NO_ACTION,
        reason="Fraværet skyldtes en længere sygdomsperiode, som forældrene har dokumenteret.",
    )
    _handled(
        first,
        receipt_after=2,
        feedback="Underretningen har ikke givet anledning til at iværksætte en børnefaglig "
        "undersøgelse eller indsatser.",
    )
    made.append(first)
    second = _received(
        child,
        _at(_hverdag(today - timedelta(days=110)), 15, 30),
        "Barnet kom selv forbi rådgivningen efter skole og fortalte, at der er mange "
        "skænderier derhjemme, og at det ikke har lyst til at gå hjem.",
        registered_by=rasmus,
        source=Source.CHILD,
        channel=Channel.IN_PERSON,
    )
    _assess(
        second,
        rasmus,
        hours=1,
        decision=Decision.NO_ACTION,
        reason="Samtale med barnet og forældrene sammen. Konflikten er talt igennem, og "
        "barnet ved, hvor det kan henvende sig.",
    )
    _handled(second)
    made.append(second)
    received_on = _received_for_receipt_due(workdays.add_hverdage(today, 1), today)
    third = _received(
        child,
        _at(received_on, 8, 5),
        "Barnet har igen meget fravær og fortalte en kammerat, at det ikke får aftensmad.",
        registered_by=rasmus,
        channel=Channel.EMAIL,
        notifier=teacher,
        notifier_contact=f"{school}, ole.jensen@skole.example",
    )
    _assess(
        third,
        rasmus,
        hours=3,
        decision=Decision.SCREENING,
        reason="Tredje underretning på et år: de ses samlet. Vi indhenter oplysninger fra "
        "skolen og sundhedsplejen.",
    )
    made.append(third)

    # A screening whose receipt was never sent.
    child = _pick(rng, without_case, today, kind=UnitKind.SKOLE, ages=(7, 10))
    item = _received(
        child,
        _at(_hverdag(today - timedelta(days=14)), 10, 40),
        "Barnet har tabt sig og spiser ikke sin madpakke. Mor aflyser møderne med skolen.",
        registered_by=mette,
        channel=Channel.EMAIL,
        notifier="Bente Lauridsen, skolesundhedsplejerske",
        notifier_contact=f"{_school(child, today)}, bente.lauridsen@skole.example",
    )
    _assess(
        item,
        mette,
        hours=4,
        decision=Decision.SCREENING,
        reason="Vi indhenter oplysninger fra egen læge og skolen.",
    )
    made.append(item)

    # Assessed late: a neighbour phoned on a Friday evening, assessed on the Monday.
    friday = today - timedelta(days=8)
    while friday.weekday() != 4:
        friday -= timedelta(days=1)
    child = _pick(rng, without_case, today, kind=UnitKind.SKOLE, ages=(6, 12))
    item = _received(
        child,
        _at(friday, 19, 40),
        "Naboen hører råb og gråd fra lejligheden de fleste aftener.",
        registered_by=rasmus,
        source=Source.CITIZEN,
        channel=Channel.PHONE,
        notifier="Jens Nielsen, nabo",
        notifier_contact="Telefon 20 30 40 50",
    )
    _assess(
        item,
        rasmus,
        at=_at(friday + timedelta(days=3), 8, 30),
        decision=Decision.NO_ACTION,
        reason="Skolen og sundhedsplejen har ingen bekymring. Mor fortæller, at lillebror har "
        "kolik; familien har fået tilbud om støtte fra sundhedsplejen.",
    )
    _handled(item)
    made.append(item)

    # Assessed in time, receipt sent, closed: the health visitor's by Digital Post.
    child = _pick(rng, without_case, today, ages=(0, 2))
    item = _received(
        child,
        _at(_hverdag(today - timedelta(days=25)), 9, 15),
        "Mor virker meget nedtrykt og har svært ved at tage sig af barnet. Barnet er undervægtigt.",
        registered_by=mette,
        channel=Channel.DIGITAL_POST,
        notifier="Hanne Friis, sundhedsplejerske",
        notifier_contact="Sundhedsplejen, Rådhuspladsen 1",
    )
    _assess(
        item,
        mette,
        hours=5,
        decision=Decision.NO_ACTION,
        reason="Mor er i behandling hos egen læge, og sundhedsplejen kommer hver uge. Barnet "
        "tager på igen. Ingen yderligere handling nu.",
    )
    _handled(item, receipt_after=2)
    made.append(item)

    # An anonymous letter.
    child = _pick(rng, without_case, today, kind=UnitKind.SKOLE)
    item = _received(
        child,
        _at(_hverdag(today - timedelta(days=6)), 10, 0),
        "Barnet er alene hjemme om aftenen, og der kommer mange fremmede voksne.",
        registered_by=rasmus,
        source=Source.ANONYMOUS,
        channel=Channel.LETTER,
    )
    _assess(
        item,
        rasmus,
        hours=2,
        decision=Decision.NO_ACTION,
        reason="Brevet nævner ingen konkrete hændelser, og skolen ser ingen tegn på mistrivsel.",
    )
    _handled(item)
    made.append(item)

    # Led to a case: Pia's about a child in zone 5, the day before its case opened.
    case = _case_in_zone_5(children, rasmus)
    if case is not None:
        made.append(_led_to_case(case, users))

    reminders.plan(today)
    return made


def _led_to_case(case: Case, users: dict[str, User]) -> Underretning:
    # Made directly: registered through the workflow, the case's coordinator would be
    # told today of an underretning from before the case.
    item = Underretning.objects.create(
        child=case.child,
        about="Barnet fortæller om vold i hjemmet. Forældrene er ikke orienteret.",
        received_at=_at(_hverdag(case.opened_on - timedelta(days=1)), 13, 30),
        registered_by=users["pia"],
        made_by=users["pia"],
        notifier="Pia Pedersen, pædagog",
        notifier_contact="Børnehaven Solsikken, pia@tidlig-kommune.example",
    )
    _assess(
        item,
        users["rasmus"],
        hours=3,
        decision=Decision.UNDERSOEGELSE,
        reason="Barnet fortæller om vold. Børnefaglig undersøgelse i barnets sag.",
    )
    _handled(
        item,
        receipt_after=3,
        feedback="Underretningen har givet anledning til, at kommunen har iværksat en "
        "børnefaglig undersøgelse (Barnets Lov § 20).",
        close=False,  # handed on to the case when it was assessed
    )
    return item


def _received(child: Child, received_at: datetime, about: str, **kw) -> Underretning:
    kw.setdefault("source", Source.PROFESSIONAL)
    return underretninger.register(child=child, about=about, received_at=received_at, **kw)


def _assess(
    item: Underretning,
    user: User,
    *,
    decision: str,
    hours: int = 0,
    at: datetime | None = None,
    reason: str = "",
) -> None:
    assessed_at = at or item.received_at + timedelta(hours=hours)
    underretninger.assess(
        item, user=user, assessed_at=assessed_at, acute=False, decision=decision, reason=reason
    )
    item.refresh_from_db()
    if item.closed_at is not None:  # handed on to a case: then, not now
        Underretning.objects.filter(pk=item.pk).update(closed_at=assessed_at)


def _handled(
    item: Underretning,
    *,
    receipt_after: int | None = None,
    feedback: str = "",
    close: bool = True,
) -> None:
    """The receipt `receipt_after` hverdage after it came, the tilbagemelding a week
    (5 hverdage) after the assessment, and closing it the hverdag after the last of them."""
    received_on = timezone.localdate(item.received_at)
    assessed_on = timezone.localdate(item.assessed_at)
    fields: dict = {}
    last = assessed_on
    if receipt_after is not None:
        fields["receipt_sent_on"] = workdays.add_hverdage(received_on, receipt_after)
        last = max(last, fields["receipt_sent_on"])
    if feedback:
        fields["feedback_sent_on"] = workdays.add_hverdage(assessed_on, 5)
        fields["feedback_text"] = feedback
        last = max(last, fields["feedback_sent_on"])
    Underretning.objects.filter(pk=item.pk).update(**fields)
    if close:
        underretninger.close(item)
        closed_at = _at(workdays.add_hverdage(last, 1), 9, 0)
        Underretning.objects.filter(pk=item.pk).update(closed_at=closed_at)


def _hverdag(day: date) -> date:
    """The day, or the hverdag before it: letters and visits come on hverdage."""
    while not workdays.is_hverdag(day):
        day -= timedelta(days=1)
    return day


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CPH)


def _received_for_receipt_due(deadline: date, today: date) -> date:
    """The latest hverdag before today whose receipt is due on `deadline`."""
    day = today - timedelta(days=1)
    while not (
        workdays.is_hverdag(day)
        and workdays.add_hverdage(day, workdays.RECEIPT_HVERDAGE) <= deadline
    ):
        day -= timedelta(days=1)
    return day


def _without_case(children: list[Child], today: date) -> dict[Child, list[Unit]]:
    """Children in a unit today, with those units, who have no case, escalation or
    underretning yet, youngest first."""
    busy = Q(cases__isnull=False) | Q(escalations__isnull=False) | Q(underretninger__isnull=False)
    free = (
        Child.objects.filter(pk__in=[child.pk for child in children])
        .exclude(busy)
        .distinct()
        .order_by("-birth_date", "pk")
    )
    units: dict[Child, list[Unit]] = {child: [] for child in free}
    by_pk = {child.pk: child for child in units}
    running = Enrollment.objects.active(today).filter(child__in=list(by_pk)).select_related("unit")
    for enrollment in running.order_by("child", "start", "pk"):
        units[by_pk[enrollment.child_id]].append(enrollment.unit)
    return {child: its_units for child, its_units in units.items() if its_units}


def _pick(
    rng: random.Random,
    pool: dict[Child, list[Unit]],
    today: date,
    *,
    kind: str | None = None,
    unit_name: str | None = None,
    ages: tuple[int, int] = (0, 17),
) -> Child:
    """A child of the pool in such a unit and of such an age (taken out of the pool,
    so that each story has a child of its own)."""
    fits = [
        child
        for child, units in pool.items()
        if ages[0] <= child.age(today) <= ages[1]
        and any(
            (kind is None or unit.kind == kind) and (unit_name is None or unit.name == unit_name)
            for unit in units
        )
    ]
    child = rng.choice(fits or list(pool))
    del pool[child]
    return child


def _school(child: Child, today: date) -> str:
    enrollment = (
        Enrollment.objects.active(today)
        .filter(child=child, unit__kind=UnitKind.SKOLE)
        .select_related("unit")
        .first()
    )
    return enrollment.unit.name if enrollment else "Skolen"


def _case_in_zone_5(children: list[Child], coordinator: User) -> Case | None:
    """The coordinator's open case about a child in zone 5, or else the first."""
    cases = list(
        Case.objects.open()
        .filter(child__in=children, coordinator=coordinator)
        .select_related("child")
        .order_by("opened_on", "pk")
    )
    in_zone_5 = set(
        Assessment.objects.current()
        .filter(child__in=[case.child_id for case in cases], zone=5)
        .values_list("child", flat=True)
    )
    return next((case for case in cases if case.child_id in in_zone_5), cases[0] if cases else None)
