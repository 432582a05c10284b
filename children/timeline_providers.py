"""The children app's own timeline events: concerns and enrollments.

Imported once from ChildrenConfig.ready(). Both read through the child's
related managers, so the child page's prefetch (children.views) serves them
without further queries.
"""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from children import timeline
from children.models import Child


@timeline.register_events
def concern_events(child: Child, user) -> Iterator[timeline.Event]:
    for concern in child.concerns.all():
        yield timeline.Event(
            when=concern.observed_on,
            kind="concern",
            title=_("Bekymring"),
            text=Truncator(concern.text).words(30),
            url=f"{child.get_absolute_url()}#bekymring-{concern.pk}",
            author=str(concern.author),
        )


@timeline.register_events
def enrollment_events(child: Child, user) -> Iterator[timeline.Event]:
    today = timezone.localdate()
    for enrollment in child.enrollments.all():
        unit = enrollment.unit.name
        yield timeline.Event(
            when=enrollment.start,
            kind="enrollment",
            title=_("Startede i %(unit)s") % {"unit": unit},
        )
        # An end date still ahead is a plan, not something that happened.
        if enrollment.end is not None and enrollment.end < today:
            yield timeline.Event(
                when=enrollment.end,
                kind="enrollment",
                title=_("Sluttede i %(unit)s") % {"unit": unit},
            )
