"""Seed a synthetic demo municipality for `make demo`.

Everything here is invented: district and unit names, staff, and ~300 children
whose names are random combinations from `demo.names`. The command is safe to run
again: districts, units and users are upserted by their natural keys, the demo
children are created once and kept (so `make demo` can be restarted without losing
what was done in it), and `--reset` replaces them.

Each step is a small `create_<things>()` function in a module of `demo/`, called
from `Command.handle` with its own random generator from `step_rng()`, so that
adding a step never changes the data of the steps before it.
"""

import random
from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from children.models import Enrollment
from demo.absence import create_absence
from demo.administration import create_admin_signals
from demo.assessments import create_assessments
from demo.cases import create_cases
from demo.children import (
    DEFAULT_CHILDREN,
    create_children,
    create_concerns,
    create_guardians,
    demo_children,
    place_in_groups,
)
from demo.dialogues import create_dialogues
from demo.organisation import (
    DISTRICTS,
    SOLSIKKEN,
    SUPERUSER,
    USERS,
    create_groups,
    create_superuser,
    create_units,
    create_users,
    demo_password,
    ensure_demo_authenticator,
)
from demo.sparring import create_forum
from demo.transitions import create_consents, create_handover, plan_moves
from demo.underretninger import create_underretninger
from followups.models import Case
from loeft.models import Dialogue
from reports.generate import generate_due_report
from ruler.models import Assessment

DEFAULT_SEED = 2026


def step_rng(seed: int, step: str) -> random.Random:
    # One generator per step, derived from the seed (string seeds are hashed with
    # SHA-512, so this is stable across processes and Python runs).
    return random.Random(f"{seed}:{step}")  # noqa: S311 - demo data, not secrets


class Command(BaseCommand):
    help = "Create or reset a synthetic demo municipality with one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Same seed, same day: same data."
        )
        parser.add_argument(
            "--children", type=int, default=DEFAULT_CHILDREN, help="How many demo children."
        )
        parser.add_argument(
            "--with-superuser",
            action="store_true",
            help=f"Also create a Django superuser '{SUPERUSER}'.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Replace the demo children (and all their data)."
        )
        parser.add_argument(
            "--no-report",
            action="store_true",
            help="Do not archive the last quarter's status report (it takes a few seconds).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is False.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to seed demo data with DEBUG=False: it creates logins with "
                "published passwords and replaces the children in the demo units. "
                "Use --force if this really is a demo installation."
            )
        seed = options["seed"]
        today = timezone.localdate()
        with transaction.atomic():
            units = create_units()
            groups = create_groups(units)
            users = create_users(units, groups)
            superuser = create_superuser() if options["with_superuser"] else None
            authenticators = {
                user.username: ensure_demo_authenticator(user)
                for user in [*users.values(), *([superuser] if superuser else [])]
            }
            if options["reset"] or not demo_children().exists():
                children, _ = create_children(
                    step_rng(seed, "children"), units, today, options["children"]
                )
                create_guardians(step_rng(seed, "guardians"), children)
                # Before the notes and assessments: they follow where the children go.
                moves = plan_moves(children, units, groups, today)
                place_in_groups(step_rng(seed, "groups"), groups, today)
                create_consents(step_rng(seed, "consents"), children, moves, users, units, today)
                create_concerns(step_rng(seed, "concerns"), children, users, units, today)
                create_assessments(step_rng(seed, "assessments"), children, users, units, today)
                create_dialogues(
                    step_rng(seed, "dialogues"),
                    children,
                    users["pia"],
                    users["lars"],
                    units[SOLSIKKEN],
                    today,
                )
                create_handover(moves, users, today)
                create_cases(step_rng(seed, "cases"), children, users, units[SOLSIKKEN], today)
                create_underretninger(step_rng(seed, "underretninger"), children, users, today)
                # Last: who has a recent concern or assessment decides who is flagged.
                create_absence(step_rng(seed, "absence"), children, users, today)
                create_forum(users, units, today)
            else:
                children = list(demo_children())
            create_admin_signals(users)
            enrollments = Enrollment.objects.filter(child__in=children).count()
            dialogues = Dialogue.objects.final().filter(child__in=children).count()
            cases = Case.objects.filter(child__in=children).count()
            # Counted after the cases: their follow-up meetings assess too.
            assessments = Assessment.objects.filter(child__in=children).count()
        # The archive is not empty: the last quarter's report, as beat makes it on the
        # first working day after the quarter (once; a second run keeps it).
        report = None if options["no_report"] else generate_due_report(today)

        if options["quiet"] or options["verbosity"] == 0:
            return
        rows = [
            (str(spec.role.label), users[spec.username].get_full_name(), spec.place, spec.username)
            for spec in USERS
        ]
        if superuser:
            rows.append(("Superbruger (Django admin)", superuser.get_full_name(), "", SUPERUSER))
        self._print_logins([(*row, demo_password(row[3])) for row in rows])
        self._print_second_factor(authenticators)
        self.stdout.write(
            f"\n{len(DISTRICTS)} distrikter, {len(units)} enheder, {len(rows)} brugere, "
            f"{len(children)} børn, {enrollments} indskrivninger, "
            f"{assessments} vurderinger, {dialogues} LØFT-dialoger, {cases} sager (seed {seed}, "
            f"dato {today:%d.%m.%Y})."
        )
        if report is not None:
            self.stdout.write(f"Kvartalsrapporten for {report.quarter} ligger i arkivet.")

    def _print_second_factor(self, authenticators: dict) -> None:
        self.stdout.write(
            "\nEfter adgangskoden spørger Tidlig om en kode (tofaktor-login). Skriv en af "
            "brugerens gendannelseskoder (hver virker én gang),\nkør `.venv/bin/python "
            "manage.py demo_code <brugernavn>` for den kode, appen ville vise nu, eller "
            "tilføj nøglen i en godkenderapp."
        )
        header = ("Brugernavn", "Nøgle til godkenderapp", "Gendannelseskoder")
        rows: list[tuple[str, ...]] = [
            (username, b32encode(device.bin_key).decode(), " ".join(codes[:3]))
            for username, (device, codes) in authenticators.items()
        ]
        self._print_table(header, rows)

    def _print_logins(self, rows: list[tuple[str, ...]]) -> None:
        heading = f"Demo-logins for {settings.MUNICIPALITY_NAME}"
        self.stdout.write(self.style.MIGRATE_HEADING(heading))
        self._print_table(("Rolle", "Navn", "Enhed", "Brugernavn", "Adgangskode"), rows)

    def _print_table(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

        def line(row):
            cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            return "  ".join(cells).rstrip()

        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
