"""`manage.py import_absence FILE [--dry-run] [--user USERNAME]` (docs/import.md).

Prints counts or the list of errors, never a name or a CPR number, like
import_children.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from children.absence_import import import_absence


class Command(BaseCommand):
    help = "Import monthly absence per child and unit from a CSV file (docs/import.md)."

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

        result = import_absence(data, user=actor, dry_run=dry_run, name=file.name)

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
        else:
            message = _("Filen er importeret: %(rows)d rækker.") % {"rows": result.rows}
            self.stdout.write(self.style.SUCCESS(message))
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
