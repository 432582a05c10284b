"""Synthetic cases for `seed_demo`: Rasmus coordinates the cases of Solsikken's
children in zone 4–5, with Karen (PPR) on the team, an intervention on
Indsatstrappen and three-month follow-up meetings (held ones and the next one);
the child in zone 5 also has an underretning. All invented."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from accounts.models import User
from children.models import Child, Enrollment
from followups.models import (
    FOLLOW_UP_MONTHS,
    Case,
    CaseMember,
    Decision,
    Escalation,
    Intervention,
    Meeting,
    Step,
    Underretning,
)
from ruler.models import Assessment

CPH = ZoneInfo("Europe/Copenhagen")
INTERVENTIONS = [
    (Step.EARLY, "Ekstra voksenstøtte i børnehaven", "Børnehaven Solsikken"),
    (Step.PREVENTIVE, "Familiebehandling, 10 samtaler", "Familiehuset"),
    (Step.PREVENTIVE, "Forældrekursus De Utrolige År", "PPR"),
]


def create_cases(
    rng: random.Random, children: list[Child], users: dict[str, User], solsikken, today: date
) -> list[Case]:
    latest: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.current()
        .filter(child__in=children, child__enrollments__unit=solsikken)
        .order_by("assessed_on", "pk")
    ):
        latest[a.child_id] = a
    cases = []
    for _, assessment in sorted(latest.items()):
        if assessment.zone < 4:
            continue
        child = assessment.child
        opened = max(assessment.assessed_on + timedelta(days=7), today - timedelta(days=250))
        opened = min(opened, today)
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
        step, kind, provider = rng.choice(INTERVENTIONS)
        Intervention.objects.create(
            case=case, step=step, kind=kind, provider=provider, start=opened
        )
        meeting_on = opened + relativedelta(months=FOLLOW_UP_MONTHS)
        while meeting_on <= today:
            meeting = Meeting.objects.create(case=case, scheduled_on=meeting_on)
            meeting.participants.set([users["rasmus"], users["karen"], users["pia"]])
            meeting.parents_present = True
            meeting.zone = assessment.zone
            meeting.minutes = "Familien oplever fremgang. Indsatsen fortsætter uændret."
            meeting.save()
            meeting_on = meeting.hold(on=meeting_on, decision=Decision.CONTINUE).scheduled_on
        if not case.meetings.exists():
            case.schedule_first_meeting()
        if assessment.zone == 5:
            received = datetime.combine(assessment.assessed_on, time(13, 30), tzinfo=CPH)
            Underretning.objects.create(
                child=child,
                made_by=users["pia"],
                notifier="Pia Pedersen, pædagog",
                received_at=received,
                about="Barnet fortæller om vold i hjemmet. Forældrene er ikke orienteret.",
                assessed_at=received + timedelta(hours=20),
                receipt_sent_on=assessment.assessed_on + timedelta(days=3),
            )
        cases.append(case)
    _waiting_in_intake(latest, users, solsikken, today)
    return cases


def _waiting_in_intake(latest: dict, users: dict[str, User], solsikken, today: date) -> None:
    """Something for Rasmus's intake: a child Lars has just sent over, and a fresh
    underretning whose 24 hours have run out."""
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
    received = datetime.combine(today - timedelta(days=2), time(14, 10), tzinfo=CPH)
    Underretning.objects.create(
        child=child,
        made_by=users["lars"],
        notifier="Lars Holm, leder",
        received_at=received,
        about="Barnet er flere gange hentet af en voksen, der virkede påvirket.",
    )
