"""The access-request export (indsigt/aktindsigt): everything held about one child.

The PDF (desk.views.child_export_pdf) has the child's own records (identity,
guardians, enrollments, concerns), each app's section (ruler, loeft, followups)
and the audit trail: who looked at the child, when, what and why.
docs/security.md says what is left out and why.
"""

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist

from children import audit
from children.audit_forms import ACCESS_EVENTS, CHANGES
from children.models import Child


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
