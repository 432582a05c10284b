"""Børnelinealen on the child page: the latest zone in the header, the zone
history chart and the assessments on the timeline (registered with
children.timeline, so that `children` never imports `ruler`).

The three read the same list of assessments, fetched once per child object, so
the child page costs the same number of queries however long the history is.
"""

from collections.abc import Iterator

from django.http import HttpRequest
from django.utils.translation import gettext as _

from children import timeline
from children.models import Child
from ruler import zones
from ruler.models import Assessment
from tidlig.lib.charts import Level, level_chart


def assessments_of(child: Child) -> list[Assessment]:
    """The child's assessments in force (not corrected), oldest first; cached on the child."""
    if not hasattr(child, "_current_assessments"):
        child._current_assessments = list(
            Assessment.objects.current()
            .filter(child=child)
            .select_related("author")
            .order_by("assessed_on", "created_at", "pk")
        )
    return child._current_assessments


def zone_chart(assessments: list[Assessment], *, chart_id: str = "zone-chart"):
    levels = [Level(s.number, f"{s.number} {s.label}", s.colour) for s in zones.STYLES.values()]
    points = [(a.assessed_on, a.zone) for a in assessments]
    first, last = assessments[0], assessments[-1]
    return level_chart(
        points,
        levels=levels,
        title=_("Børnelinealen over tid"),
        description=_("%(count)s vurderinger fra %(first)s til %(last)s, senest zone %(zone)s.")
        % {
            "count": len(assessments),
            "first": first.assessed_on.strftime("%d.%m.%Y"),
            "last": last.assessed_on.strftime("%d.%m.%Y"),
            "zone": f"{last.zone} {last.style.label}",
        },
        chart_id=chart_id,
    )


def header_context(child: Child, request: HttpRequest) -> dict:
    assessments = assessments_of(child)
    return {"latest": assessments[-1] if assessments else None}


def panel_context(child: Child, request: HttpRequest) -> dict:
    assessments = assessments_of(child)
    return {
        "assessments": assessments,
        "latest": assessments[-1] if assessments else None,
        "chart": zone_chart(assessments) if assessments else "",
    }


timeline.register_panel(
    timeline.Panel(
        order=0, slot="header", template="ruler/child_header.html", context=header_context
    )
)
timeline.register_panel(
    timeline.Panel(order=10, template="ruler/child_panel.html", context=panel_context)
)


@timeline.register_events
def assessment_events(child: Child, user) -> Iterator[timeline.Event]:
    for assessment in assessments_of(child):
        yield timeline.Event(
            when=assessment.assessed_on,
            kind="assessment",
            title=_("Børnelinealen: zone %(number)s · %(label)s")
            % {"number": assessment.zone, "label": assessment.style.label},
            text=assessment.get_reason_display(),
            url=assessment.get_absolute_url(),
            author=str(assessment.author),
        )
