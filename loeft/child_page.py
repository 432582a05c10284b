"""LØFT on the child page (registered with children.timeline) and after an
assessment (ruler.actions): dialogues, open next steps and the scaling answers
over time. Everything is read with a fixed number of queries per child."""

from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children import timeline
from children.access import visible_children
from children.models import Child, Enrollment
from loeft.models import Dialogue, NextStep
from ruler import actions, overview
from tidlig.lib.charts import Level, level_chart


def dialogues_of(child: Child, user) -> list[Dialogue]:
    """Finalised dialogues and this user's own drafts, oldest first; cached on the child."""
    cache = getattr(child, "_loeft_dialogues", None)
    if cache is None or cache[0] != user.pk:
        rows = list(
            Dialogue.objects.visible_to(user)
            .filter(child=child)
            .select_related("author")
            .order_by("held_on", "created_at", "pk")
        )
        child._loeft_dialogues = cache = (user.pk, rows)
    return cache[1]


def scale_chart(dialogues: list[Dialogue], *, chart_id: str = "scale-chart"):
    points = [(d.held_on, d.scale_now) for d in dialogues if d.scale_now is not None]
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


def panel_context(child: Child, request: HttpRequest) -> dict:
    dialogues = dialogues_of(child, request.user)
    final = [d for d in dialogues if not d.is_draft]
    open_steps = list(
        NextStep.objects.open()
        .filter(child=child)
        .select_related("owner_user", "owner_guardian", "dialogue")
    )
    return {
        "dialogues": list(reversed(final)),
        "drafts": [d for d in dialogues if d.is_draft],
        "open_steps": open_steps,
        "scaled": [d for d in final if d.scale_now is not None],
        "chart": scale_chart(final),
    }


timeline.register_panel(
    timeline.Panel(order=20, template="loeft/child_panel.html", context=panel_context)
)


@timeline.register_events
def dialogue_events(child: Child, user) -> Iterator[timeline.Event]:
    for dialogue in dialogues_of(child, user):
        if dialogue.is_draft:
            continue
        yield timeline.Event(
            when=dialogue.held_on,
            kind="dialogue",
            title=_("LØFT-dialog"),
            text=dialogue.agreements,
            url=dialogue.get_absolute_url(),
            author=str(dialogue.author),
        )


actions.register(
    actions.NextAction(
        key="loeft",
        label=gettext_lazy("Start LØFT-dialog med familien"),
        zones=frozenset({3, 4, 5}),
        url=lambda assessment: reverse("dialogue_create", args=[assessment.child_id]),
        order=10,
        primary_from=3,
        method="post",
        fields=lambda assessment: {"vurdering": assessment.pk},
    )
)


def overview_steps(unit, user) -> dict:
    """The unit's open next steps, for the unit overview: one query."""
    enrolled = Enrollment.objects.active().filter(child=OuterRef("child_id"), unit=unit)
    steps = (
        NextStep.objects.open()
        .filter(Exists(enrolled), child__in=visible_children(user))
        .select_related("child", "owner_user", "owner_guardian")
        .order_by("due", "pk")
    )
    return {"steps": list(steps)}


overview.register_section(
    overview.Section(order=10, template="loeft/overview_steps.html", context=overview_steps)
)
