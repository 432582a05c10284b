"""`manage.py reencrypt_cpr [--dry-run]`: the last step of a CPR key rotation.

Re-encrypts every child's CPR number with the first key in CPR_ENCRYPTION_KEYS,
so that the older keys can then be removed (docs/security.md). Rows already
encrypted with that key are left alone, so a second run changes nothing and an
interrupted run can simply be started again. The lookup hash does not depend on
the Fernet keys and is not touched. Prints counts only, never a CPR number.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from children import cpr
from children.models import Child

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Re-encrypt every CPR number with the newest key in CPR_ENCRYPTION_KEYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would change, but save nothing"
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, dry_run: bool, batch_size: int, **options) -> None:
        reencrypted = current = 0
        # Walk by primary key rather than one long cursor, so that each batch is
        # its own short transaction and children created meanwhile are harmless
        # (they are encrypted with the newest key already).
        last_pk = 0
        while True:
            batch = list(
                Child.objects.filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "cpr_encrypted")[:batch_size]
            )
            if not batch:
                break
            last_pk = batch[-1].pk
            stale = [child for child in batch if not cpr.is_current(child.cpr_encrypted)]
            current += len(batch) - len(stale)
            try:
                for child in stale:
                    child.cpr_encrypted = cpr.rotate(child.cpr_encrypted)
            except ValueError:
                raise CommandError(
                    _(
                        "Et CPR-nummer kan ikke dekrypteres med nogen af nøglerne i "
                        "CPR_ENCRYPTION_KEYS. Intet i denne portion er ændret."
                    )
                ) from None
            if stale and not dry_run:
                # bulk_update sends no signals, so auditlog writes no entry: the
                # CPR columns are excluded from the audit trail anyway.
                with transaction.atomic():
                    Child.objects.bulk_update(stale, ["cpr_encrypted"])
            reencrypted += len(stale)

        if dry_run:
            message = _(
                "Prøvekørsel: %(stale)d CPR-numre ville blive krypteret igen, "
                "%(current)d er allerede krypteret med den nyeste nøgle."
            )
        else:
            message = _(
                "%(stale)d CPR-numre er krypteret igen med den nyeste nøgle, "
                "%(current)d var det allerede."
            )
        self.stdout.write(message % {"stale": reencrypted, "current": current})
