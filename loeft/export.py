"""LØFT dialogues in the export for a parent's access request (children.export).

Only finalised dialogues: a draft is its author's working note until it is
finalised, and no one else can read it either."""

from children import export
from children.models import Child
from loeft.models import Dialogue


def dialogue_context(child: Child) -> dict:
    dialogues = (
        Dialogue.objects.final()
        .filter(child=child)
        .select_related("author", "child")
        .prefetch_related(
            "guardians", "professionals", "next_steps__owner_user", "next_steps__owner_guardian"
        )
        .order_by("held_on", "pk")
    )
    return {"dialogues": dialogues}


export.register_section(
    export.Section(order=30, template="loeft/export_section.html", context=dialogue_context)
)
