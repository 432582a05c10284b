"""`manage.py verify_restore [--mark-sent-until TIME]`: is this database a whole Tidlig?

Run after restoring a backup (docs/operations.md), before web, worker and beat
start. It checks the database it is configured for, changes nothing, and exits
non-zero when a check fails:

- every migration is applied;
- every CPR number decrypts with CPR_ENCRYPTION_KEYS and matches its lookup hash
  under CPR_HASH_KEY (the keys are kept apart from the dump; a wrong or missing
  key shows here, not weeks later at a search that finds nothing);
- the audit trail is there (entries when there are children) and its newest
  entries read;
- each table's id sequence is ahead of its highest id (a restore that lost the
  sequences would fail at the first new row);
- every archived quarterly report's PDF is in MEDIA_ROOT and whole.

It also summarises the reminders. A restored older dump has forgotten the
reminders sent after it was made: they are unsent again, and the sweep would
write again those it had written since, and email them all a second time.
`--mark-sent-until` says when the old installation last sent mail: it writes the
reminders the sweeps had written up to that day, then marks every reminder due
on or before that day, and every bulk-read alert found by then, as sent. They
stay in the users' notification lists. Nothing is printed that names a child or
shows a CPR number: children appear by id only.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from auditlog.models import LogEntry
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from children import cpr
from children.models import BulkReadAlert, Child
from followups import reminders
from followups.models import Reminder
from reports.models import QuarterlyReport

# Enough to show that the JSON of the latest entries reads; the whole table can
# hold millions.
AUDIT_SAMPLE = 100
# A PDF ends with "%%EOF" followed at most by a line break or two; a file cut off
# by a broken copy does not.
PDF_TAIL = 1024
IDS_SHOWN = 10


@dataclass
class Result:
    lines: list[tuple[str, str]] = field(default_factory=list)
    failures: int = 0

    def ok(self, text: str) -> None:
        self.lines.append(("OK", text))

    def info(self, text: str) -> None:
        self.lines.append(("INFO", text))

    def fail(self, text: str) -> None:
        self.lines.append(("FEJL", text))
        self.failures += 1


def _ids(pks: list[int]) -> str:
    shown = ", ".join(str(pk) for pk in pks[:IDS_SHOWN])
    return shown + (f" og {len(pks) - IDS_SHOWN} flere" if len(pks) > IDS_SHOWN else "")


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "ingen"


def check_migrations(result: Result) -> None:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    loader = executor.loader
    missing = executor.migration_plan(loader.graph.leaf_nodes())
    if missing:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in missing[:IDS_SHOWN])
        result.fail(f"Migreringer: {len(missing)} er ikke anvendt ({names}).")
    else:
        result.ok(f"Migreringer: alle {len(loader.graph.nodes)} er anvendt.")
    # A dump from a newer Tidlig restored under older code: its data may need
    # columns this code does not know.
    unknown = sorted(
        f"{app}.{name}"
        for app, name in loader.applied_migrations
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    )
    if unknown:
        result.info(
            f"Migreringer: databasen har {len(unknown)} som koden ikke kender "
            f"({', '.join(unknown[:IDS_SHOWN])}): er backuppen fra en nyere version?"
        )


def check_cpr(result: Result) -> None:
    undecryptable: list[int] = []
    wrong_hash: list[int] = []
    total = 0
    rows = Child.objects.order_by("pk").values_list("pk", "cpr_encrypted", "cpr_hash")
    for pk, token, stored_hash in rows.iterator(chunk_size=2000):
        total += 1
        try:
            digits = cpr.decrypt(token)
        except ValueError:
            undecryptable.append(pk)
            continue
        if cpr.lookup_hash(digits) != stored_hash:
            wrong_hash.append(pk)
    if undecryptable:
        result.fail(
            f"CPR: {len(undecryptable)} af {total} CPR-numre kan ikke dekrypteres med "
            f"CPR_ENCRYPTION_KEYS (barn-id {_ids(undecryptable)})."
        )
    if wrong_hash:
        result.fail(
            f"CPR: {len(wrong_hash)} af {total} CPR-numre passer ikke med deres opslagsnøgle: "
            f"er CPR_HASH_KEY den rigtige? (barn-id {_ids(wrong_hash)})."
        )
    if not undecryptable and not wrong_hash:
        result.ok(
            f"CPR: alle {total} CPR-numre dekrypteres med CPR_ENCRYPTION_KEYS "
            "og passer med CPR_HASH_KEY."
        )


def check_audit(result: Result) -> None:
    entries = LogEntry.objects.count()
    children = Child.objects.count()
    if children and not entries:
        result.fail(f"Auditlog: ingen poster, men {children} børn.")
        return
    try:
        latest = list(LogEntry.objects.order_by("-pk")[:AUDIT_SAMPLE])
        for entry in latest:
            # The JSON columns are decoded here; a damaged row raises.
            _ = (entry.additional_data, entry.changes, entry.actor_id)
    except Exception as exc:  # any error reading the rows is the finding
        result.fail(f"Auditlog: de nyeste poster kan ikke læses ({type(exc).__name__}).")
        return
    newest = max((entry.timestamp for entry in latest), default=None)
    if newest and newest > timezone.now() + timedelta(minutes=5):
        result.fail(f"Auditlog: den nyeste post er fra fremtiden ({_when(newest)}).")
        return
    result.ok(
        f"Auditlog: {entries} poster, de nyeste {len(latest)} kan læses; "
        f"nyeste post {_when(newest)} (omtrent dér er backuppen taget)."
    )


def check_sequences(result: Result) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        result.info("Sekvenser: kontrolleres kun på PostgreSQL.")
        return
    quote = connection.ops.quote_name
    behind: list[str] = []
    checked = 0
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            pk = meta.pk
            if not meta.managed or meta.proxy or not isinstance(pk, models.AutoField):
                continue
            column = pk.column or pk.attname
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, column])
            sequence = cursor.fetchone()[0]
            if sequence is None:
                continue
            # `sequence` comes quoted from PostgreSQL itself.
            cursor.execute(
                f"SELECT s.last_value, s.is_called, (SELECT max({quote(column)}) "  # noqa: S608
                f"FROM {quote(meta.db_table)}) FROM {sequence} s"
            )
            last_value, is_called, highest = cursor.fetchone()
            checked += 1
            next_value = last_value + 1 if is_called else last_value
            if highest is not None and next_value <= highest:
                behind.append(meta.db_table)
    if behind:
        result.fail(
            f"Sekvenser: {len(behind)} tabeller vil give en id, der er brugt "
            f"({', '.join(behind[:IDS_SHOWN])}): gendan med pg_restore, ikke kun data."
        )
    else:
        result.ok(f"Sekvenser: alle {checked} er foran tabellernes højeste id.")


def _pdf_problem(report: QuarterlyReport) -> str | None:
    if not report.pdf:
        return "har ingen PDF"
    try:
        with report.pdf.open("rb") as pdf:
            head = pdf.read(5)
            size = pdf.size
            pdf.seek(max(size - PDF_TAIL, 0))
            tail = pdf.read()
    except FileNotFoundError:
        return f"filen {report.pdf.name} mangler"
    except OSError as exc:
        return f"filen {report.pdf.name} kan ikke åbnes ({type(exc).__name__})"
    if head != b"%PDF-" or b"%%EOF" not in tail:
        return f"filen {report.pdf.name} er ikke en hel PDF ({size} bytes)"
    return None


def check_reports(result: Result) -> None:
    archived = QuarterlyReport.objects.filter(status=QuarterlyReport.Status.DONE).order_by("pk")
    problems = []
    total = 0
    for report in archived:
        total += 1
        problem = _pdf_problem(report)
        if problem:
            problems.append(f"rapport {report.pk} ({report.quarter}) {problem}")
    if problems:
        result.fail(
            f"Kvartalsrapporter: {len(problems)} af {total} arkiverede PDF'er er ikke i orden: "
            + "; ".join(problems[:IDS_SHOWN])
            + "."
        )
    else:
        result.ok(f"Kvartalsrapporter: alle {total} arkiverede PDF'er findes og er hele.")


def summarise_reminders(result: Result) -> None:
    today = timezone.localdate()
    total = Reminder.objects.count()
    unsent = Reminder.objects.filter(sent_at__isnull=True)
    last_sent = Reminder.objects.aggregate(last=models.Max("sent_at"))["last"]
    overdue = unsent.filter(due_on__lt=today).count()
    alerts = BulkReadAlert.objects.filter(sent_at__isnull=True).count()
    result.info(
        f"Påmindelser: {total} i alt, {total - unsent.count()} sendt (senest {_when(last_sent)}), "
        f"{unsent.count()} venter på at blive sendt, heraf {overdue} med en dato før i dag; "
        f"{alerts} advarsler om mange opslag venter."
    )
    if overdue or alerts:
        result.info(
            "Er databasen gendannet fra en ældre backup, er de ventende påmindelser fra før "
            "nedbruddet sandsynligvis sendt allerede og vil blive sendt igen: kør "
            "verify_restore --mark-sent-until <hvornår den gamle installation sidst sendte> "
            "før worker og beat startes (docs/operations.md)."
        )


def mark_sent(until: datetime) -> tuple[int, int, int]:
    """Write the reminders the sweeps had written up to `until`'s day, then mark
    them and every older unsent one as sent at `until`, and the bulk-read alerts
    found by then; returns (written, reminders marked, alerts marked)."""
    day = timezone.localdate(until)
    with transaction.atomic():
        written = reminders.plan(day)
        marked = Reminder.objects.filter(sent_at__isnull=True, due_on__lte=day).update(
            sent_at=until
        )
        alerts = BulkReadAlert.objects.filter(sent_at__isnull=True, created_at__lte=until).update(
            sent_at=until
        )
    return written, marked, alerts


def _parse_until(value: str) -> datetime:
    moment = parse_datetime(value.strip().replace(" ", "T", 1))
    if moment is None:
        raise CommandError(f"{value!r} er ikke et tidspunkt; skriv det som 2026-12-04 21:30")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now():
        raise CommandError(f"{value!r} er i fremtiden; angiv hvornår der sidst blev sendt")
    return moment


class Command(BaseCommand):
    # The checks here are about the data; the system checks (about the code and
    # settings) would double the time of a run and find nothing a restore changed.
    requires_system_checks: list[str] = []
    help = (
        "Check a restored database: migrations, CPR numbers against the configured keys, "
        "the audit trail, id sequences, archived report PDFs; summarise the reminders. "
        "Exits non-zero when a check fails."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--mark-sent-until",
            metavar="TIME",
            help=(
                "when the old installation last sent mail (e.g. '2026-12-04 21:30', local "
                "time): reminders due up to that day and bulk-read alerts found by then "
                "are marked as sent, so they are not emailed again"
            ),
        )

    def handle(self, *args, mark_sent_until: str | None, **options) -> None:
        until = _parse_until(mark_sent_until) if mark_sent_until else None
        connection = connections[DEFAULT_DB_ALIAS]
        self.stdout.write(
            f"Kontrol af databasen {connection.settings_dict['NAME']} ({connection.vendor})"
        )
        result = Result()
        check_migrations(result)
        if result.failures:
            # The other checks read tables the missing migrations would create or change.
            self._report(result)
        if until is not None:
            written, marked, alerts = mark_sent(until)
            result.info(
                f"Markeret som sendt {_when(until)}: {marked} påmindelser og {alerts} "
                f"advarsler om mange opslag ({written} påmindelser skrevet nu, som sweepet "
                "ville have skrevet dem)."
            )
        check_cpr(result)
        check_audit(result)
        check_sequences(result)
        check_reports(result)
        summarise_reminders(result)
        self._report(result)

    def _report(self, result: Result) -> None:
        for status, text in result.lines:
            self.stdout.write(f"{status:<5} {text}")
        if result.failures:
            raise CommandError(
                f"{result.failures} kontrol(ler) fejlede: gendannelsen er ikke i orden."
            )
        self.stdout.write("Gendannelsen er i orden.")
