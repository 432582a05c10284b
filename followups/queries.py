"""Cases, escalations and underretninger as plain queries: for the pages above
`followups` (desk: the child page's panel, the access-request export; reports: the
quarterly figures) and the rådgivning leader's overview of underretninger."""

from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Unit
from children.access import UNIT_ROLES, handles_intake_of, visible_children
from children.models import Child, Enrollment
from followups import workdays
from followups.models import (
    REPEAT_WINDOW,
    Case,
    CaseMember,
    Escalation,
    Meeting,
    Underretning,
)
from loeft.models import NextStep


def cases_of(child: Child) -> list[Case]:
    """The child's cases with their coordinator and next unheld meeting date."""
    return list(
        Case.objects.filter(child=child)
        .select_related("coordinator")
        .annotate(next_meeting_on=Min("meetings__scheduled_on", filter=Q(meetings__held_on=None)))
    )


def on_team_of(user) -> Q:
    """Cases the user coordinates or is on the team of."""
    return Q(coordinator=user) | Q(
        Exists(CaseMember.objects.filter(case=OuterRef("pk"), user=user))
    )


def unheld_meetings_of(user) -> QuerySet[Meeting]:
    """The meetings not held yet of the open cases the user is on, soonest first:
    "Mine møder" and the front page's meetings of the week."""
    cases = Case.objects.open().filter(on_team_of(user))
    # The access rule for the cases' children only, read first: a consultant sees
    # thousands of children by consent, and with the ids as a subquery PostgreSQL
    # still read all of them (10 ms at 100,000 children).
    children = list(cases.values_list("child_id", flat=True))
    return (
        Meeting.objects.filter(
            held_on__isnull=True,
            case__in=cases,
            case__child__in=visible_children(user, among=children),
        )
        .select_related("case__child", "case__coordinator")
        .order_by("scheduled_on", "starts_at", "pk")
    )


def escalating_unit(user, child: Child) -> Unit | None:
    """The user's own unit (as fagperson or leder) where the child is enrolled today:
    only its staff send the child to Børn & Ungerådgivningen, from there. None for
    anyone else (a caseworker, a consultant)."""
    units = user.units_with_role(*UNIT_ROLES).values("pk")
    enrollment = Enrollment.objects.active().filter(child=child, unit__in=units).first()
    return enrollment.unit if enrollment else None


def escalation_waiting(child: Child) -> bool:
    """Whether the child has been sent to Børn & Ungerådgivningen and not yet taken."""
    return child.escalations.filter(status=Escalation.Status.WAITING).exists()


def records_for_export(child: Child) -> dict[str, QuerySet]:
    """Escalations, cases (team, interventions, meetings) and underretninger, oldest
    first, for a parent's access request.

    Who made an underretning is left out of the export's template (docs/security.md):
    the municipality decides case by case whether the notifier's identity may be
    disclosed (forvaltningsloven § 15 b), and the export is handed over without that
    review.
    """
    cases = (
        Case.objects.filter(child=child)
        .select_related("coordinator")
        .prefetch_related(
            "members__user",
            "interventions",
            Prefetch(
                "meetings",
                queryset=Meeting.objects.prefetch_related(
                    "participants", "next_steps__owner_user", "next_steps__owner_guardian"
                ).order_by("scheduled_on", "pk"),
            ),
        )
        .order_by("opened_on", "pk")
    )
    return {
        "escalations": Escalation.objects.filter(child=child).select_related(
            "from_unit", "escalated_by"
        ),
        "cases": cases,
        "underretninger": Underretning.objects.filter(child=child),
    }


def underretninger_for(child: Child, user) -> list[dict]:
    """The child's underretninger of the last 12 months that concern the user, newest
    first: all of them for the staff of Børn & Ungerådgivningen, who are to look at
    repeated underretninger together; for the team of one of the child's cases, those
    handed on to it; none for anyone else, so that a pædagog at the child's unit does
    not learn of underretninger other people made.

    Rows of the underretning and `may_open`: whether its page lets the user in (the
    intake's staff while it is open, its case's team; followups.underretninger).
    """
    team = Q(coordinator=user) | Q(members__user=user)
    on_team = set(
        Case.objects.visible_to_team().filter(team, child=child).values_list("pk", flat=True)
    )
    intake = handles_intake_of(user, child)
    if not intake and not on_team:
        return []
    since = timezone.now() - REPEAT_WINDOW
    items = Underretning.objects.about_child_since(child.pk, since).order_by("-received_at", "-pk")
    if not intake:
        items = items.filter(case__in=on_team)
    return [
        {"item": item, "may_open": (intake and item.is_open) or item.case_id in on_team}
        for item in items
    ]


# Underretninger in figures ------------------------------------------------------------


def received_between(start: date, end: date) -> QuerySet[Underretning]:
    """The underretninger received on the days `start` to `end`, Copenhagen dates."""
    first = datetime.combine(start, time.min, tzinfo=workdays.COPENHAGEN)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=workdays.COPENHAGEN)
    return Underretning.objects.filter(received_at__gte=first, received_at__lt=after)


def underretning_figures(
    start: date, end: date, children: QuerySet | None = None, *, now: datetime | None = None
) -> dict:
    """How the underretninger received from `start` to `end` were handled, as counts
    (the leader's overview and the quarterly report; docs/figures.md). `children`
    limits them to those children; `now` is when the deadlines still running are
    told from the ones that have passed.

    Every underretning is in one of four states for the 24-hour assessment
    (`assessed_within_24h`, `assessed_late`, `assessment_waiting`: not assessed and
    its 24 hours still running, `assessment_overdue`) and, if its notifier is owed a
    receipt, in one of four for the receipt within 6 hverdage (`receipt_within_6_days`,
    `receipt_late`, `receipt_waiting`, `receipt_overdue`). `assessments_due` and
    `receipts_due` leave out the waiting ones: the shares are of those. `by_decision`
    counts the current decision, by `Underretning.Decision` value.

    Two queries, whatever the number of underretninger.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    qs = received_between(start, end)
    if children is not None:
        qs = qs.filter(child__in=children)

    # 24 elapsed hours, which SQL adds correctly to a timestamp (followups.workdays).
    hours = timedelta(hours=workdays.ASSESSMENT_HOURS)
    deadline = ExpressionWrapper(F("received_at") + hours, output_field=DateTimeField())
    states = (
        qs.values("decision")
        .annotate(
            received=Count("pk"),
            within=Count("pk", filter=Q(assessed_at__lte=deadline)),
            late=Count("pk", filter=Q(assessed_at__gt=deadline)),
            overdue=Count("pk", filter=Q(assessed_at__isnull=True, received_at__lt=now - hours)),
        )
        .order_by()
    )
    figures: dict = dict.fromkeys(
        [
            "received",
            "assessed_within_24h",
            "assessed_late",
            "assessment_waiting",
            "assessment_overdue",
            "receipts_owed",
            "receipt_within_6_days",
            "receipt_late",
            "receipt_waiting",
            "receipt_overdue",
        ],
        0,
    )
    by_decision = {str(decision): 0 for decision in Underretning.Decision.values}
    for state in states:
        figures["received"] += state["received"]
        figures["assessed_within_24h"] += state["within"]
        figures["assessed_late"] += state["late"]
        figures["assessment_overdue"] += state["overdue"]
        if state["decision"]:
            by_decision[state["decision"]] += state["received"]
    figures["assessment_waiting"] = figures["received"] - (
        figures["assessed_within_24h"] + figures["assessed_late"] + figures["assessment_overdue"]
    )

    # The receipt's deadline counts hverdage, which SQL does not know: group by (day
    # received, day the receipt was sent) and compare each group in Python. Only a
    # professional notifier is owed one (Underretning.wants_receipt).
    receipts = (
        qs.filter(Underretning.OWED_RECEIPT)
        .annotate(received_on=TruncDate("received_at", tzinfo=workdays.COPENHAGEN))
        .values("received_on", "receipt_sent_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in receipts:
        deadline_on = workdays.add_hverdage(row["received_on"], workdays.RECEIPT_HVERDAGE)
        sent_on = row["receipt_sent_on"]
        if sent_on is None:
            key = "receipt_overdue" if today > deadline_on else "receipt_waiting"
        else:
            key = "receipt_within_6_days" if sent_on <= deadline_on else "receipt_late"
        figures[key] += row["n"]
        figures["receipts_owed"] += row["n"]

    figures["assessments_due"] = figures["received"] - figures["assessment_waiting"]
    figures["receipts_due"] = figures["receipts_owed"] - figures["receipt_waiting"]
    figures["by_decision"] = by_decision
    return figures


def underretninger_past_deadline(now: datetime | None = None) -> list[dict]:
    """Every underretning past a deadline now, whenever it was received: not assessed
    24 hours after it was received, or a professional notifier's receipt not sent by
    its deadline (also after it was handed on to a case, whose coordinator then owes
    it). Rows of the underretning and which deadlines it has missed, the one received
    first at the top.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    # 6 hverdage are at least 6 days: nothing received within the last 5 days can be
    # late with its receipt. Python decides the rest (the hverdage).
    candidates = (
        Underretning.objects.filter(
            Q(
                assessed_at__isnull=True,
                received_at__lt=now - timedelta(hours=workdays.ASSESSMENT_HOURS),
            )
            | Underretning.OWED_RECEIPT
            & Q(receipt_sent_on__isnull=True, received_at__lt=now - timedelta(days=5))
        )
        .select_related("child", "case__coordinator")
        .order_by("received_at", "pk")
    )
    rows = []
    for item in candidates:
        assessment, receipt = item.assessment_overdue(now), item.receipt_overdue(today)
        if assessment or receipt:
            rows.append(
                {"item": item, "assessment_overdue": assessment, "receipt_overdue": receipt}
            )
    return rows


def case_open_steps(case: Case) -> list[NextStep]:
    """The open next steps agreed at the case's meetings, soonest due first."""
    steps = NextStep.objects.filter(meeting__case=case, done_on__isnull=True)
    return list(steps.select_related("child", "owner_user", "owner_guardian").order_by("due", "pk"))
