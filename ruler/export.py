"""Børnelinealen in the export for a parent's access request (children.export):
every assessment, corrected versions included."""

from children import export
from children.models import Child
from ruler.models import Assessment


def assessment_context(child: Child) -> dict:
    assessments = (
        Assessment.objects.filter(child=child)
        .select_related("author", "corrects")
        .order_by("assessed_on", "created_at", "pk")
    )
    return {"assessments": assessments}


export.register_section(
    export.Section(order=20, template="ruler/export_section.html", context=assessment_context)
)
