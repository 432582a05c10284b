"""The access-request export (indsigt/aktindsigt): everything held about one child.

The PDF (desk.views.child_export_pdf) has the child's own records (identity,
guardians, enrollments, concerns), each app's section (ruler, loeft, followups)
and the audit trail: who looked at the child, when, what and why.
docs/security.md says what is left out and why.
"""

from dataclasses import dataclass

from auditlog.models import LogEntry

from children import audit
from children.audit_views import action_label, changed_fields, list_name
from children.models import Child


@dataclass(frozen=True)
class TrailRow:
    entry: LogEntry
    who: str
    action: str
    what: str
    reason: str


def _what(entry: LogEntry) -> str:
    data = entry.additional_data or {}
    if entry.action == LogEntry.Action.ACCESS:
        if data.get("event") == audit.Event.LIST:
            # A list that showed the child among others: which list, not the others.
            return list_name(entry)
        # The page that was read; a search shows the term (the parent's own child's
        # name or masked CPR, as children.audit stored it).
        return data.get("term") or data.get("what", "")
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return ""
    return str(model._meta.verbose_name).capitalize() + changed_fields(entry, model)


def trail_rows(child: Child) -> list[TrailRow]:
    """The child's audit trail, oldest first, as the export prints it."""
    entries = audit.trail(child).select_related("content_type").order_by("timestamp", "pk")
    return [
        TrailRow(
            entry=entry,
            who=str(entry.actor) if entry.actor else "",
            action=action_label(entry),
            what=_what(entry),
            reason=(entry.additional_data or {}).get("reason", "") or "",
        )
        for entry in entries
    ]
