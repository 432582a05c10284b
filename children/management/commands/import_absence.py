"""`manage.py import_absence FILE [--dry-run] [--user USERNAME]` (docs/import.md).

Prints counts or the list of errors, never a name or a CPR number, like
import_children (children.import_command).
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from children.absence_import import import_absence
from children.import_command import ImportCommand


class Command(ImportCommand):
    help = "Import monthly absence per child and unit from a CSV file (docs/import.md)."
    importer = import_absence

    def report(self, result, *, dry_run: bool) -> None:
        if not dry_run:
            counts = result.records
            self.stdout.write(
                "  "
                + _(
                    "Fravær: %(created)d oprettet, %(updated)d opdateret, %(same)d uændret, "
                    "%(deleted)d slettet"
                )
                % {
                    "created": counts.created,
                    "updated": counts.updated,
                    "same": counts.unchanged,
                    "deleted": counts.deleted,
                }
            )
            if result.skipped:
                self.stdout.write(
                    "  "
                    + _(
                        "Sprunget over: %(count)d rækker (barnet er ikke i Tidlig eller ikke "
                        "indskrevet i enheden i måneden)"
                    )
                    % {"count": result.skipped}
                )
        heading = _("Måneder, som erstattes:") if dry_run else _("Måneder, som er erstattet:")
        self.stdout.write(f"  {heading}")
        for unit, month, rows in result.months:
            self.stdout.write(f"    {unit}, {date_format(month, 'F Y')}: {rows}")
