"""LØFT as plain queries for the pages above `loeft` (desk): a child's dialogues,
open next steps and scaling chart, and a unit's open next steps. Each costs a
fixed number of queries."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Unit
from children.access import visible_children
from children.models import Child, Enrollment
from loeft.models import Dialogue, NextStep
from tidlig.lib.charts import Level, level_chart


def dialogues_of(child: Child, user, where: Q | None = None) -> list[Dialogue]:
    """Finalised dialogues and this user's own drafts, oldest first; `where`
    narrows them to those the user reads (children.access.readable_entries)."""
    return list(
        Dialogue.objects.visible_to(user)
        .filter(where or Q(), child=child)
        .select_related("author")
        .order_by("held_on", "created_at", "pk")
    )


def final_dialogues(child: Child) -> QuerySet[Dialogue]:
    """Every finalised dialogue with its people and next steps, oldest first. A draft
    is its author's working note until it is finalised, and no one else reads it."""
    return (
        Dialogue.objects.final()
        .filter(child=child)
        .select_related("author", "child")
        .prefetch_related(
            "guardians", "professionals", "next_steps__owner_user", "next_steps__owner_guardian"
        )
        .order_by("held_on", "pk")
    )


def open_steps(child: Child) -> list[NextStep]:
    return list(
        NextStep.objects.open()
        .filter(child=child)
        .select_related("owner_user", "owner_guardian", "dialogue")
    )


def unit_open_steps(unit: Unit, user, *, child_ids: list[int] | None = None) -> list[NextStep]:
    """The open next steps of the unit's children that the user sees, soonest due first.
    `child_ids`: those children, when the caller has them already (the unit overview):
    a list of ids is planned in a millisecond, where PostgreSQL misjudged the access
    rule's UNION inside this join and aggregated it again for every step (18 ms at
    100,000 children)."""
    if child_ids is None:
        enrolled = Enrollment.objects.active().filter(child=OuterRef("child_id"), unit=unit)
        steps = NextStep.objects.open().filter(Exists(enrolled), child__in=visible_children(user))
    else:
        steps = NextStep.objects.open().filter(child_id__in=child_ids)
    return list(steps.select_related("child", "owner_user", "owner_guardian").order_by("due", "pk"))


def scale_chart(dialogues: list[Dialogue], *, chart_id: str = "scale-chart") -> str:
    """The answers to "where are you now?" over time as inline SVG ("" if none)."""
    points = [
        (d.held_on, d.scale_now)
        for d in dialogues
        if d.held_on is not None and d.scale_now is not None
    ]
    if not points:
        return ""
    levels = [Level(n, str(n)) for n in range(11)]
    first, last = points[0], points[-1]
    return level_chart(
        points,
        levels=levels,
        title=_("Skalering over tid"),
        description=_(
            "%(count)s svar fra %(first)s til %(last)s på spørgsmålet »hvor er I nu?«, "
            "senest %(value)s af 10."
        )
        % {
            "count": len(points),
            "first": first[0].strftime("%d.%m.%Y"),
            "last": last[0].strftime("%d.%m.%Y"),
            "value": last[1],
        },
        chart_id=chart_id,
        step=False,
        height=260,
        label_width=40,
    )


def contact_unit(dialogue: Dialogue) -> Unit | None:
    """The unit the parents reach the dialogue's author at, for the end of their PDF:
    the author's unit where the child was enrolled when the dialogue was held (the
    latest such enrollment), else the author's first unit."""
    authors_units = Unit.objects.filter(memberships__user=dialogue.author_id)
    enrollments = Enrollment.objects.filter(child=dialogue.child_id, unit__in=authors_units)
    if dialogue.held_on:
        enrollments = enrollments.filter(start__lte=dialogue.held_on)
    enrolled = enrollments.select_related("unit").order_by("-start").first()
    return enrolled.unit if enrolled else authors_units.order_by("name").first()
