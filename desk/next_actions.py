"""What to do next after an assessment: the buttons under the zone's handleguide.

Chosen here, in one place, from the zone: from
zone 3 a LØFT dialogue with the family and sending the child to Børn &
Ungerådgivningen; from zone 4 an underretning as well, which is the first and
primary choice at zone 5, where the professional must notify (Barnets Lov § 133).
Sending the child on is offered only to the staff of the child's unit, who may
(followups.queries.escalating_unit).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from followups.queries import escalating_unit
from ruler.models import Assessment


@dataclass(frozen=True)
class NextAction:
    label: str | Promise
    url: str
    primary: bool
    # A POST creates something (a LØFT draft): the button is a form with these fields.
    post_fields: dict[str, object] = field(default_factory=dict)

    @property
    def post(self) -> bool:
        return bool(self.post_fields)


def next_actions(assessment: Assessment, user) -> list[NextAction]:
    zone, child = assessment.zone, assessment.child_id
    actions = []
    if zone >= 4:
        actions.append(
            NextAction(
                _("Registrér underretning"),
                reverse("underretning_create", args=[child]),
                primary=zone >= 5,
            )
        )
    if zone >= 3:
        actions.append(
            NextAction(
                _("Start LØFT-dialog med familien"),
                reverse("dialogue_create", args=[child]),
                primary=True,
                post_fields={"vurdering": assessment.pk},
            )
        )
    if zone >= 3 and escalating_unit(user, assessment.child) is not None:
        actions.append(
            NextAction(
                _("Send til Børn & Ungerådgivningen"),
                reverse("escalate", args=[child]),
                primary=zone >= 4,
            )
        )
    return actions
