"""`manage.py import_children FILE [--dry-run] [--user USERNAME]` (docs/import.md).

Prints counts or the list of errors, never a name or a CPR number
(children.import_command). A dry run counts what the file holds, never which of
its children are in Tidlig already.
"""

from django.utils.translation import gettext as _

from children.import_command import ImportCommand
from children.importer import Counts, import_children


class Command(ImportCommand):
    help = "Import children, guardians and enrollments from a CSV file (docs/import.md)."
    importer = import_children

    def report(self, result, *, dry_run: bool) -> None:
        if dry_run:
            found = result.in_file
            self.stdout.write(
                "  "
                + _(
                    "I filen: %(children)d børn, %(enrollments)d indskrivninger (%(ended)d med "
                    "slutdato), %(guardians)d forældre og værger."
                )
                % {
                    "children": found.children,
                    "enrollments": found.enrollments,
                    "ended": found.ended,
                    "guardians": found.guardians,
                }
            )
        else:
            for label, counts in (
                (_("Børn"), result.children),
                (_("Indskrivninger"), result.enrollments),
                (_("Forældre og værger"), result.guardians),
            ):
                self.stdout.write(f"  {label}: {self._counts(counts)}")
        if result.new_groups:
            heading = (
                _("Nye grupper, som oprettes:") if dry_run else _("Nye grupper, som er oprettet:")
            )
            self.stdout.write(f"  {heading}")
            for unit, group in result.new_groups:
                self.stdout.write(f"    {unit}: {group}")

    def _counts(self, counts: Counts) -> str:
        values = {"created": counts.created, "updated": counts.updated, "same": counts.unchanged}
        return _("%(created)d oprettet, %(updated)d opdateret, %(same)d uændret") % values
