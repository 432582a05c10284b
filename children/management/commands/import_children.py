"""`manage.py import_children FILE [--dry-run] [--user USERNAME]` (docs/import.md).

Prints counts or the list of errors, never a name or a CPR number: the output
ends up in terminals, cron mails and CI logs. A dry run counts what the file
holds, never which of its children are in Tidlig already.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from children.importer import Counts, import_children


class Command(BaseCommand):
    help = "Import children, guardians and enrollments from a CSV file (docs/import.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="CSV file; see docs/import.md")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, but save nothing"
        )
        parser.add_argument(
            "--user", help="username recorded as the actor in the audit trail (default: none)"
        )

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, **options) -> None:
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(
                    _("Der findes ingen bruger med brugernavnet %s.") % user
                ) from None
        try:
            data = file.read_bytes()
        except OSError as e:
            raise CommandError(_("Filen kan ikke læses: %s") % e.strerror) from None

        result = import_children(data, user=actor, dry_run=dry_run, name=file.name)

        if result.ignored_columns:
            self.stdout.write(
                _("Disse kolonner kender Tidlig ikke, så de er ikke brugt: %s")
                % ", ".join(result.ignored_columns)
            )
        if result.errors:
            for error in result.errors:
                column = f" ({error.column})" if error.column else ""
                self.stderr.write(
                    _("Linje %(line)d%(column)s: %(message)s")
                    % {"line": error.line, "column": column, "message": error.message}
                )
            raise CommandError(
                _("Filen har %(count)d fejl. Intet er importeret.") % {"count": len(result.errors)}
            )

        if dry_run:
            self.stdout.write(
                _("Filen har %(rows)d rækker og ingen fejl. Intet er gemt (--dry-run).")
                % {"rows": result.rows}
            )
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
            message = _("Filen er importeret: %(rows)d rækker.") % {"rows": result.rows}
            self.stdout.write(self.style.SUCCESS(message))
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
