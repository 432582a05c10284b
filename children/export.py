"""Everything held about one child, for a parent's access request (indsigt/aktindsigt).

The export is a PDF made by `children.views.child_export_pdf`. `children` sits
below ruler, loeft and followups (DESIGN.md section 6) and must not import them,
so, as for the child page (children/timeline.py), each of them registers a
section in its AppConfig.ready():

    export.register_section(Section(order=20, template="ruler/export_section.html",
                                    context=assessment_context))

The child's own records (identity, guardians, enrollments, concerns) and the
audit trail (who looked at the child, when, what and why) are part of the main
template. docs/security.md says what is left out and why.
"""

from collections.abc import Callable
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.template.loader import render_to_string

from children import audit
from children.audit_forms import ACCESS_EVENTS, CHANGES
from children.models import Child


@dataclass(frozen=True)
class Section:
    order: int
    template: str
    context: Callable[[Child], dict]


_sections: list[Section] = []


def register_section(section: Section) -> Section:
    if section not in _sections:
        _sections.append(section)
    return section


def unregister_section(section: Section) -> None:
    if section in _sections:
        _sections.remove(section)


def sections_for(child: Child) -> list[str]:
    """The registered sections rendered to HTML, in their `order`."""
    return [
        render_to_string(section.template, {"child": child, **section.context(child)})
        for section in sorted(_sections, key=lambda section: section.order)
    ]


@dataclass(frozen=True)
class TrailRow:
    entry: LogEntry
    who: str
    action: str
    what: str
    reason: str


def _action(entry: LogEntry) -> str:
    if entry.action == LogEntry.Action.ACCESS:
        event = (entry.additional_data or {}).get("event", "")
        return str(ACCESS_EVENTS.get(event, event))
    for action, label in CHANGES.values():
        if entry.action == action:
            return str(label)
    return entry.get_action_display()


def _what(entry: LogEntry) -> str:
    data = entry.additional_data or {}
    if entry.action == LogEntry.Action.ACCESS:
        # The page that was read; a search shows the term (the parent's own child's
        # name or masked CPR, as children.audit stored it).
        return data.get("term") or data.get("what", "")
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return ""
    what = str(model._meta.verbose_name).capitalize()
    if entry.action == LogEntry.Action.UPDATE:
        fields = []
        for name in entry.changes_dict:
            try:
                fields.append(str(model._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:  # a field removed since the entry was written
                fields.append(name)
        if fields:
            what += " (" + ", ".join(fields) + ")"
    return what


def trail_rows(child: Child) -> list[TrailRow]:
    """The child's audit trail, oldest first, as the export prints it."""
    entries = audit.trail(child).select_related("content_type").order_by("timestamp", "pk")
    return [
        TrailRow(
            entry=entry,
            who=str(entry.actor) if entry.actor else "",
            action=_action(entry),
            what=_what(entry),
            reason=(entry.additional_data or {}).get("reason", "") or "",
        )
        for entry in entries
    ]
