"""Seed a synthetic municipality of any size for benchmarks (issue 17).

    python manage.py seed_scale --children 100000

The data and how it is written are described in demo/scale.py. A second run with
the same number of children finds the dataset (its forvaltning unit names the
number) and does nothing. `--force` rebuilds: it empties the tables the dataset
lives in, and so refuses on a database holding anything seed_scale did not make
(a user outside its e-mail domain, or units and children without its marker).
Use a database of its own, e.g. `createdb tidlig_scale_100k` and `migrate`.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo import scale

DEFAULT_SEED = 2026


class Command(BaseCommand):
    help = "Create a synthetic municipality with N children (deterministic, for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True, help="How many children.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--years", type=int, default=1, help="Years of history (assessments, audit trail)."
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="The day the data is made for (default: today); same day, same data.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Rebuild: empty the dataset's tables first (only a seed_scale database).",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even when DEBUG is False (the logins have a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "Refusing with DEBUG=False: seed_scale makes thousands of logins with a "
                "published password. Use --allow-without-debug on a benchmark database."
            )
        children = options["children"]
        if children < 1:
            raise CommandError("--children must be at least 1.")
        found = scale.existing_scale()
        if found == children and not options["force"]:
            self.stdout.write(
                f"The synthetic municipality with {children} children is here already; "
                "nothing to do (--force rebuilds it)."
            )
            return
        if scale.holds_other_data():
            raise CommandError(
                "This database holds data that seed_scale did not make; use an empty "
                "database (createdb, migrate) for the synthetic municipality."
            )
        if found is not None and not options["force"]:
            raise CommandError(
                f"This database has the synthetic municipality with {found} children; "
                "--force replaces it."
            )
        today = options["today"] or timezone.localdate()
        log = self.stdout.write if options["verbosity"] else (lambda text: None)
        with transaction.atomic():
            if found is not None:
                scale.wipe()
            summary = scale.build(
                children, seed=options["seed"], today=today, years=options["years"], log=log
            )
        if not options["verbosity"]:
            return
        total = sum(summary.seconds.values())
        self.stdout.write(f"\nDone in {total:.1f} s (seed {options['seed']}, day {today}).")
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(self.style.MIGRATE_HEADING("\nLogins (all with the same password)"))
        for username, role, unit, password in summary.logins:
            self.stdout.write(f"  {username:<18} {role:<14} {password}  {unit}")
        self.stdout.write(
            "The second factor: `manage.py demo_code <username>` prints the current code."
        )
