"""Followups on the child page and after an assessment: the child's cases, and the
buttons to send the child to Børn & Ungerådgivningen and to record an underretning."""

from django.db.models import Min, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from children import timeline
from children.models import Child
from followups.models import Case, Escalation
from ruler import actions


def panel_context(child: Child, request: HttpRequest) -> dict:
    return {
        "cases": list(
            Case.objects.filter(child=child)
            .select_related("coordinator")
            .annotate(
                next_meeting_on=Min("meetings__scheduled_on", filter=Q(meetings__held_on=None))
            )
        ),
        "waiting": child.escalations.filter(status=Escalation.Status.WAITING).exists(),
    }


timeline.register_panel(
    timeline.Panel(order=30, template="followups/child_panel.html", context=panel_context)
)

actions.register(
    actions.NextAction(
        key="escalate",
        label=_("Send til Børn & Ungerådgivningen"),
        zones=frozenset({3, 4, 5}),
        url=lambda assessment: reverse("escalate", args=[assessment.child_id]),
        order=20,
        primary_from=4,
    )
)
actions.register(
    actions.NextAction(
        key="underretning",
        label=_("Registrér underretning"),
        zones=frozenset({4, 5}),
        url=lambda assessment: reverse("underretning_create", args=[assessment.child_id]),
        order=5,
        primary_from=5,
    )
)
