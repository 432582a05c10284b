"""The child page's timeline: what happened to the child, newest first, from the
apps that record it (concerns and enrollments, assessments, LØFT dialogues).

Each list is read from rows the child page has already fetched, so the timeline
costs no query of its own.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from children.models import Child
from loeft.models import Dialogue
from ruler.models import Assessment


@dataclass(frozen=True)
class Event:
    when: date
    kind: str  # "concern", "enrollment", "assessment", "dialogue": also a CSS modifier
    title: str
    text: str = ""
    url: str = ""
    author: str = ""


def _concerns(child: Child) -> list[Event]:
    return [
        Event(
            when=concern.observed_on,
            kind="concern",
            title=_("Bekymring"),
            text=Truncator(concern.text).words(30),
            url=f"{child.get_absolute_url()}#bekymring-{concern.pk}",
            author=str(concern.author),
        )
        for concern in child.concerns.all()
    ]


def _enrollments(child: Child) -> list[Event]:
    today = timezone.localdate()
    events = []
    for enrollment in child.enrollments.all():
        unit = enrollment.unit.name
        events.append(
            Event(
                when=enrollment.start,
                kind="enrollment",
                title=_("Startede i %(unit)s") % {"unit": unit},
            )
        )
        # An end date still ahead is a plan, not something that happened.
        if enrollment.end is not None and enrollment.end < today:
            events.append(
                Event(
                    when=enrollment.end,
                    kind="enrollment",
                    title=_("Sluttede i %(unit)s") % {"unit": unit},
                )
            )
    return events


def _assessments(assessments: list[Assessment]) -> list[Event]:
    return [
        Event(
            when=assessment.assessed_on,
            kind="assessment",
            title=_("Børnelinealen: zone %(number)s · %(label)s")
            % {"number": assessment.zone, "label": assessment.style.label},
            text=assessment.get_reason_display(),
            url=assessment.get_absolute_url(),
            author=str(assessment.author),
        )
        for assessment in assessments
    ]


def _dialogues(dialogues: list[Dialogue]) -> list[Event]:
    return [
        Event(
            when=dialogue.held_on,
            kind="dialogue",
            title=_("LØFT-dialog"),
            text=dialogue.agreements,
            url=dialogue.get_absolute_url(),
            author=str(dialogue.author),
        )
        for dialogue in dialogues
        if not dialogue.is_draft and dialogue.held_on is not None
    ]


def events_for(
    child: Child, *, assessments: list[Assessment], dialogues: list[Dialogue]
) -> list[Event]:
    """The child's events, newest first. `assessments` and `dialogues` are the ones
    this user may see (ruler.queries.current_assessments, loeft.queries.dialogues_of)."""
    events = [
        *_concerns(child),
        *_enrollments(child),
        *_assessments(assessments),
        *_dialogues(dialogues),
    ]
    return sorted(events, key=lambda event: event.when, reverse=True)
