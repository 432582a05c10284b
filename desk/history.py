"""What the child page says of notes the user may not read: that they exist, and
where (children.access.readable_entries decides what is read in full).

A unit reads in full what was written in it; what an earlier unit wrote stays
there unless the parents consent to share it. The page says how many
assessments, concerns and LØFT dialogues each other unit holds, and when they
were written, without their content, so that the professional knows whom to ask.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Min, Q

from children.models import Child, Concern
from loeft.models import Dialogue
from ruler.models import Assessment


@dataclass
class HiddenNotes:
    unit: str
    assessments: int = 0
    concerns: int = 0
    dialogues: int = 0
    first: date | None = None
    last: date | None = None
    kinds: list[str] = field(default_factory=list)


def hidden_notes(child: Child, readable: Q) -> list[HiddenNotes]:
    """Per unit, the child's entries the `readable` filter leaves out: three queries."""
    if readable == Q():
        return []
    # Each kind with the day it is about (as the timeline dates it).
    sources = {
        "assessments": (Assessment.objects.current(), "assessed_on"),
        "concerns": (Concern.objects.all(), "observed_on"),
        "dialogues": (Dialogue.objects.final(), "held_on"),
    }
    by_unit: dict[str, HiddenNotes] = {}
    for kind, (queryset, day) in sources.items():
        rows = (
            queryset.filter(child=child)
            .exclude(readable)
            .values("unit__name")
            .annotate(count=Count("pk"), first=Min(day), last=Max(day))
            .order_by("unit__name")
        )
        for row in rows:
            # An entry whose author had no unit (e.g. a caseworker's) is case material.
            name = row["unit__name"] or ""
            notes = by_unit.setdefault(name, HiddenNotes(unit=name))
            setattr(notes, kind, row["count"])
            first, last = row["first"], row["last"]
            if first is not None:
                notes.first = min(notes.first or first, first)
                notes.last = max(notes.last or last, last)
    return sorted(by_unit.values(), key=lambda n: n.last or date.min, reverse=True)
