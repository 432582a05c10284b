"""Cases and escalations as plain queries for the pages above `followups` (desk):
the child page's case panel and the access-request export."""

from django.db.models import Min, Prefetch, Q, QuerySet

from children.models import Child
from followups.models import Case, Escalation, Meeting, Underretning


def cases_of(child: Child) -> list[Case]:
    """The child's cases with their coordinator and next unheld meeting date."""
    return list(
        Case.objects.filter(child=child)
        .select_related("coordinator")
        .annotate(next_meeting_on=Min("meetings__scheduled_on", filter=Q(meetings__held_on=None)))
    )


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
                queryset=Meeting.objects.prefetch_related("participants").order_by(
                    "scheduled_on", "pk"
                ),
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
