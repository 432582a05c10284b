"""The next actions offered with the zone guide after an assessment is saved.

Starting a LØFT dialogue, escalating to Børn & Ungerådgivningen and recording an
underretning belong to apps above `ruler` (DESIGN.md section 6), so those apps
register their buttons here in AppConfig.ready() and `ruler` never imports them:

    actions.register(NextAction(key="loeft", label=_("Start LØFT-dialog"),
                                zones={3, 4, 5}, url=lambda a: reverse(...)))
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NextAction:
    key: str
    label: str
    zones: frozenset[int]
    url: Callable[..., str]  # (assessment) -> URL
    order: int = 50
    # Shown as the primary button from this zone up (e.g. an underretning at 5).
    primary_from: int = 6
    # A further check, e.g. the user's role: (assessment, user) -> bool.
    allowed: Callable[..., bool] = field(default=lambda assessment, user: True)
    # "post" for an action that creates something (e.g. a LØFT draft): the button
    # is then a form posting `fields(assessment)` (a dict) to the URL.
    method: str = "get"
    fields: Callable[..., dict] = field(default=lambda assessment: {})

    def is_primary(self, zone: int) -> bool:
        return zone >= self.primary_from


_actions: dict[str, NextAction] = {}


def register(action: NextAction) -> NextAction:
    _actions[action.key] = action
    return action


def unregister(key: str) -> None:
    _actions.pop(key, None)


def for_assessment(assessment, user) -> Iterable[NextAction]:
    candidates = sorted(_actions.values(), key=lambda a: a.order)
    return [a for a in candidates if assessment.zone in a.zones and a.allowed(assessment, user)]
