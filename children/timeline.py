"""The child page's timeline and panels, filled by the apps that know the events.

`children` sits below ruler, loeft and followups in the dependency order
(DESIGN.md section 6), so it must never import them. Instead each of them
registers, in its AppConfig.ready(), an event provider and/or a panel here:

    timeline.register_events(assessment_events)   # (child, user) -> Iterable[Event]
    timeline.register_panel(Panel(order=10, template="ruler/child_panel.html",
                                  context=latest_assessment))

A provider gets the user so that it can leave out what this user may not see.
The child page asks `events_for` and `panels_for`; children's own concerns and
enrollments come from `children.timeline_providers`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.http import HttpRequest
from django.template.loader import render_to_string

from children.models import Child


@dataclass(frozen=True)
class Event:
    when: date
    kind: str  # e.g. "concern", "enrollment", "assessment": also a CSS modifier
    title: str
    text: str = ""
    url: str = ""
    author: str = ""


EventProvider = Callable[[Child, object], Iterable[Event]]


def _no_context(child: Child, request: HttpRequest) -> dict:
    return {}


@dataclass(frozen=True)
class Panel:
    """A block on the child page, rendered from `template` with `child` and `context(...)`."""

    order: int
    template: str
    context: Callable[[Child, HttpRequest], dict] = field(default=_no_context)
    # "header": beside the child's name (e.g. the latest zone); "main": below the facts.
    slot: str = "main"


_providers: list[EventProvider] = []
_panels: list[Panel] = []


def register_events(provider: EventProvider) -> EventProvider:
    """Add a provider; returns it, so that it can be used as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_events(provider: EventProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def register_panel(panel: Panel) -> Panel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def unregister_panel(panel: Panel) -> None:
    if panel in _panels:
        _panels.remove(panel)


def events_for(child: Child, user) -> list[Event]:
    """Every provider's events for the child, newest first."""
    events = [event for provider in _providers for event in provider(child, user)]
    return sorted(events, key=lambda event: event.when, reverse=True)


def panels_for(child: Child, request: HttpRequest, slot: str = "main") -> list[str]:
    """The registered panels of one slot rendered to HTML, in their `order`."""
    return [
        render_to_string(panel.template, {"child": child, **panel.context(child, request)}, request)
        for panel in sorted(_panels, key=lambda panel: panel.order)
        if panel.slot == slot
    ]
