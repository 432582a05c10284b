"""Synthetic cases for `seed_demo`: Rasmus coordinates the cases of Solsikken's
children in zone 4–5, with Karen (PPR) and Pia on the team, interventions on
Indsatstrappen and three-month follow-up meetings (held ones, mostly on time,
with minutes, a zone and next steps with owner and deadline, and the next one;
one is overdue). The effort's step fits the child's zone; a child in zone 4 whose
second meeting goes well steps down Indsatstrappen, and Rasmus sets that case's
prevention level himself. A meeting's steps were mostly done by the following
meeting; the last meeting's are open, some overdue, so they are in Mine opgaver. Mette, another
caseworker, has asked Rasmus to take over one of her cases. The day's reminders
are planned, so every login has notifications (the underretninger, in
demo.underretninger, come after). All invented."""

import itertools
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from accounts.models import User
from children.models import Child, Enrollment, written_in
from followups import reminders
from followups.models import (
    Case,
    CaseMember,
    Decision,
    Escalation,
    Handover,
    Intervention,
    Meeting,
    NewIntervention,
    PreventionLevel,
    Reminder,
    Step,
    follow_up_date,
)
from loeft.models import NextStep, Owner
from ruler.models import Assessment, Reason

CPH = ZoneInfo("Europe/Copenhagen")
# How far back the demo's cases go: they opened at most this long ago.
CASE_HISTORY = timedelta(days=400)
INTERVENTIONS = [
    (Step.EARLY, "Ekstra voksenstøtte i børnehaven", "Børnehaven Solsikken"),
    (Step.PREVENTIVE, "Familiebehandling, 10 samtaler", "Familiehuset"),
    (Step.PREVENTIVE, "Forældrekursus De Utrolige År", "PPR"),
    (Step.HOME_BASED, "Familiebehandler i hjemmet to gange om ugen", "Familiehuset"),
]
PLACES = [
    "Børnehaven Solsikken, personalestuen",
    "Familiehuset, mødelokale 2",
    "Rådhuset, lokale 114",
]
TIMES = [time(8, 30), time(9, 0), time(13, 0), time(14, 30)]
# Days late the meetings were held, in turn: mostly on the day, sometimes later.
LATENESS = [0, 0, 2, 0, 0, 0, 7, 0, 1, 0]
# Minutes, and the next steps agreed: (text, owner, days after the meeting). The
# owner is a user of the team by username, "parent" (the child's first guardian)
# or "child".
MINUTES = [
    (
        "Mor fortæller, at morgenerne er roligere, siden de står op til fast tid. "
        "Pædagogen ser et barn, der leger længere med de andre. Forældrene sætter sig selv "
        "på 5 (sidst 3).",
        [
            ("Giv mor en kort besked hver fredag om ugen", "pia", 14),
            ("Hold fast i den faste tid om morgenen", "parent", 30),
        ],
    ),
    (
        "Familiebehandlingen er i gang, 6 af 10 samtaler holdt. Far deltager nu også. "
        "Barnet sover bedre, men er stadig ked af det ved aflevering.",
        [
            ("Observér i børnehaven en formiddag", "karen", 21),
            ("Følg barnet i børnehave om tirsdagen", "parent", 14),
            ("Send referatet til forældrene", "rasmus", 3),
        ],
    ),
    (
        "Det er gået op og ned. Barnet har haft en svær periode efter en flytning. "
        "Familien vil gerne fortsætte med samme støtte.",
        [
            ("Afklar med Familiehuset, om en mindre indsats er mulig", "rasmus", 45),
            ("Fortæl Pia om én god ting hver uge", "child", 28),
        ],
    ),
]


def create_cases(
    rng: random.Random, children: list[Child], users: dict[str, User], solsikken, today: date
) -> list[Case]:
    # Children at Solsikken now or until recently (CASE_HISTORY): the case was
    # opened there, and a child who has since started school took it along.
    recent = Enrollment.objects.filter(unit=solsikken).filter(
        Q(end__isnull=True) | Q(end__gte=today - CASE_HISTORY)
    )
    latest: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.current()
        .filter(child__in=children, child_id__in=recent.values("child_id"))
        .order_by("assessed_on", "pk")
    ):
        latest[a.child_id] = a
    cases = []
    lateness = itertools.cycle(LATENESS)
    for _, assessment in sorted(latest.items()):
        if assessment.zone < 4:
            continue
        cases.append(_case(rng, lateness, assessment, users, solsikken, today))
    if len(cases) >= 2:
        _hand_over(cases[-1], users, today)
    _overdue(cases, today)
    _waiting_in_intake(latest, users, solsikken, today)
    reminders.plan(today)
    return cases


def _case(rng: random.Random, lateness, assessment: Assessment, users, solsikken, today) -> Case:
    child = assessment.child
    # Cases open some months before the child's latest assessment, which was
    # then made while the case ran; while the child was at Solsikken, which
    # escalated it (a child who has moved on to school took the case along).
    there = child.enrollments.filter(unit=solsikken).latest("start")
    left = min(there.end or today, today)
    opened = assessment.assessed_on - timedelta(days=rng.randint(0, 300))
    opened = min(max(opened, there.start, today - CASE_HISTORY), left)
    escalation = Escalation.objects.create(
        child=child,
        from_unit=solsikken,
        escalated_by=users["lars"],
        reason="Bekymringen er vokset trods LØFT-dialoger med familien.",
        status=Escalation.Status.ACCEPTED,
        accepted_by=users["rasmus"],
        accepted_at=datetime.combine(opened, time(10), tzinfo=CPH),
    )
    case = Case.objects.create(
        child=child, coordinator=users["rasmus"], escalation=escalation, opened_on=opened
    )
    CaseMember.objects.create(case=case, user=users["karen"], profession="Psykolog, PPR")
    CaseMember.objects.create(case=case, user=users["pia"], profession="Pædagog")
    # The effort fits the zone: a child in zone 5 (truet) has at least a measure
    # in the home (step 3), one in zone 4 (udsat) a preventive effort or more.
    lowest = Step.HOME_BASED if assessment.zone >= 5 else Step.PREVENTIVE
    step, kind, provider = rng.choice([i for i in INTERVENTIONS if i[0] >= lowest])
    current = Intervention.objects.create(
        case=case, step=step, kind=kind, provider=provider, start=opened
    )
    place, at = rng.choice(PLACES), rng.choice(TIMES)
    meeting = Meeting.objects.create(
        case=case,
        scheduled_on=follow_up_date(opened),
        starts_at=at,
        location=place,
    )
    # The zone at each meeting is the child's zone then: the latest assessment
    # stays the child's latest zone.
    zone = assessment.zone
    for number in itertools.count(1):
        held_on = meeting.scheduled_on + timedelta(days=next(lateness))
        if held_on > today:
            break
        # A child in zone 4 whose second meeting goes well moves a step down.
        step_down = current.step > Step.EARLY and zone == 4 and number == 2
        decision = Decision.STEP_DOWN if step_down else Decision.CONTINUE
        minutes, steps = rng.choice(MINUTES)
        meeting.participants.set([users["rasmus"], users["karen"], users["pia"]])
        meeting.parents_present = rng.random() < 0.85
        meeting.zone, meeting.minutes = zone, minutes
        if _enrolled(child, held_on):
            meeting.assessment = Assessment.objects.create(
                child=child,
                author=users["rasmus"],
                unit=written_in(users["rasmus"], child.pk, on=held_on),
                assessed_on=held_on,
                reason=Reason.FOLLOW_UP,
                zone=zone,
                parents_involved=meeting.parents_present,
                what_works="Familien holder fast i aftalerne." if zone >= 3 else "",
                what_worries="Barnet er stadig utrygt ved skift." if zone >= 3 else "",
                what_must_happen="Indsatsen fortsætter til næste møde." if zone >= 3 else "",
            )
        meeting.save()
        # The steps the last meeting agreed are gone through at this one.
        for earlier in NextStep.objects.filter(meeting__case=case, done_on__isnull=True):
            if rng.random() < 0.8:  # the rest stay open: overdue by now
                earlier.mark_done(on=min(earlier.due, held_on), comment="", by=users["rasmus"])
        lower = NewIntervention(
            current.step - 1, "Netværksmøder og støtte i børnehaven", "Børnehaven Solsikken"
        )
        next_meeting = meeting.hold(
            on=held_on,
            decision=decision,
            by=users["rasmus"],
            # Trin ned ends the running intervention and starts the lower one that day.
            intervention=lower if step_down else None,
        )
        _agree(meeting, steps, users, held_on)
        if step_down:
            current = case.interventions.latest("start", "pk")
            # The coordinator judges the lower step by itself, not the zone, for now.
            case.set_prevention_level(
                PreventionLevel.SECONDARY,
                reason="Trin ned efter mødet: barnet klarer sig med støtten i børnehaven. "
                "Zonen vurderes igen ved næste møde.",
            )
        if next_meeting is None:  # the case was closed (no demo case is)
            break
        meeting = next_meeting
    if rng.random() < 0.3:
        # Not every next meeting is set for the first free slot three months on.
        meeting.scheduled_on += timedelta(days=rng.choice([-3, 2, 5]))
        meeting.scheduled_on = max(meeting.scheduled_on, today + timedelta(days=1))
        meeting.save(update_fields=["scheduled_on"])
    return case


def _agree(meeting: Meeting, steps, users: dict[str, User], held_on: date) -> None:
    child = meeting.case.child
    guardian = child.guardians.first()
    for text, owner, days in steps:
        step = NextStep(meeting=meeting, child=child, text=text, due=held_on + timedelta(days=days))
        if owner == "parent" and guardian is not None:
            step.owner_kind, step.owner_guardian = Owner.PARENT, guardian
        elif owner in ("parent", "child"):
            step.owner_kind = Owner.CHILD
        else:
            step.owner_kind, step.owner_user = Owner.PROFESSIONAL, users[owner]
        step.save()


def _enrolled(child: Child, day: date) -> bool:
    return (
        Enrollment.objects.filter(child=child, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .exists()
    )


def _hand_over(case: Case, users: dict[str, User], today: date) -> None:
    """The case was Mette's; she has asked Rasmus to take it over, and he has not answered."""
    case.coordinator = users["mette"]
    case.save(update_fields=["coordinator"])
    Handover.objects.create(
        case=case,
        from_user=users["mette"],
        to_user=users["rasmus"],
        note="Jeg går på orlov fra januar. Familien kender dig fra et netværksmøde i foråret.",
        stay_on_team=False,
    )
    handover = case.handovers.get()
    reminders.notify(
        reminders.Due(
            Reminder.Kind.HANDOVER,
            f"handover:{handover.pk}",
            users["rasmus"],
            today,
            {"handover": handover},
        )
    )


def _overdue(cases: list[Case], today: date) -> None:
    """One meeting that should have been held last week, for 'Mine møder' and the reminders."""
    due = today - timedelta(days=4)
    for case in cases:
        held = case.meetings.filter(held_on__isnull=False).order_by("-held_on")
        last = held.values_list("held_on", flat=True).first()
        if (last or case.opened_on) < due - timedelta(days=30):
            meeting = case.meetings.filter(held_on__isnull=True).get()
            meeting.scheduled_on = due
            meeting.save(update_fields=["scheduled_on"])
            return


def _waiting_in_intake(latest: dict, users: dict[str, User], solsikken, today: date) -> None:
    """Something for Rasmus's intake: a child Lars has just sent over (Lars's
    underretning about it is in demo.underretninger)."""
    here = Enrollment.objects.active(today).filter(unit=solsikken).values("child_id")
    candidates = [
        a.child
        for a in latest.values()
        if a.zone == 3 and a.child_id in {r["child_id"] for r in here}
    ]
    if not candidates:
        return
    child = sorted(candidates, key=lambda c: c.pk)[0]
    Escalation.objects.create(
        child=child,
        from_unit=solsikken,
        escalated_by=users["lars"],
        reason="To LØFT-dialoger har ikke flyttet noget. Mor har selv bedt om hjælp.",
    )
