"""What `import_children` and `import_absence` share (children/management/commands):
the arguments, the file read, the user recorded, and the errors printed.

Both print counts or the list of errors, never a name or a CPR number: the output
ends up in terminals, cron mails and CI logs.
"""

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    """`manage.py <command> FILE [--dry-run] [--user USERNAME]`: `importer` reads the
    file all or nothing; `report` prints what a file without errors did."""

    importer: Callable

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

        result = type(self).importer(data, user=actor, dry_run=dry_run, name=file.name)

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
        self.report(result, dry_run=dry_run)

    def report(self, result, *, dry_run: bool) -> None:
        raise NotImplementedError
