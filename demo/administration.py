"""What the administrator's front page shows in the demo: a test run of the children
import (the example file, dry: nothing saved) and one bulk-read alert.

Both only once: a second seed_demo keeps them. The alert is synthetic (no reads
behind it in the audit trail); it shows where such an alert appears and links.
"""

from datetime import timedelta

from auditlog.models import LogEntry
from django.utils import timezone

from children.audit import Event
from children.importer import import_children, template_csv
from children.models import BulkReadAlert


def create_admin_signals(users: dict) -> None:
    if not LogEntry.objects.filter(additional_data__event=Event.IMPORT).exists():
        import_children(template_csv(), user=users["adam"], dry_run=True, name="boern.csv")
    if not BulkReadAlert.objects.exists():
        start = timezone.now() - timedelta(days=2, hours=3)
        BulkReadAlert.objects.create(
            user=users["mette"], window_start=start, children_count=42, sent_at=start
        )
