"""Escalations, cases and underretninger in the export for a parent's access
request (children.export).

Who made an underretning is left out (docs/security.md): the municipality
decides case by case whether the notifier's identity may be disclosed
(forvaltningsloven § 15 b), and this export is handed over without that review.
"""

from django.db.models import Prefetch

from children import export
from children.models import Child
from followups.models import Case, Escalation, Meeting, Underretning


def followups_context(child: Child) -> dict:
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


export.register_section(
    export.Section(order=40, template="followups/export_section.html", context=followups_context)
)
