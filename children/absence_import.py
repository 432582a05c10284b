"""Import monthly absence (fravær) per child and unit from a CSV file (docs/import.md).

The same steps as the import of children (children.importer), whose reading,
unit lookup, masking and audit-writing helpers it uses: the file is read into
rows, every row is validated and every error collected, and only a file without
a single error is saved, in one transaction.

A month of a unit in the file replaces that month of that unit in Tidlig: a
child's record is created, updated or left as it is, and a record of that unit
and month for a child the file no longer names is deleted. Other months and
units are not touched, so the same file imported again changes nothing.

The administrator who imports sees no child, so nothing the importer answers
depends on which children are in Tidlig, except the counts of a real import
(as for children, docs/import.md "What the import does not tell"): a dry run
looks up no child, and the errors are about the file's own content and its
units. A row whose child is not in Tidlig, or not enrolled in the unit in that
month, is skipped and only counted, since the unit's system knows children
Tidlig does not (a child who has just started); it is never named or numbered
by line.
"""

import calendar
import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from auditlog.cid import get_cid
from auditlog.context import disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit
from children import cpr
from children.audit import Event
from children.importer import (
    BATCH,
    Counts,
    RowError,
    Writer,
    find_unit,
    parse_date,
    read_rows,
    shown,
    units_by_name,
)
from children.models import AbsenceMeasure, AbsenceRecord, Child, Enrollment

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ["cpr", "enhed", "måned", "fravær", "mulige"]
# In the order of docs/import.md, which is also the order errors are listed in.
COLUMNS = ["cpr", "enhed", "måned", "fravær", "mulige", "ulovligt_fravær", "opgjort_i"]
COLUMN_ALIASES = {
    "maaned": "måned",
    "fraværsdage": "fravær",
    "mulige_dage": "mulige",
    "ulovligt": "ulovligt_fravær",
}
MONTH = re.compile(r"(?:(\d{4})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{4}))")
MEASURES = {"": AbsenceMeasure.DAYS, "dage": AbsenceMeasure.DAYS, "dag": AbsenceMeasure.DAYS}
MEASURES |= {"lektioner": AbsenceMeasure.LESSONS, "lektion": AbsenceMeasure.LESSONS}
MAX_VALUE = Decimal("9999.9")


@dataclass
class AbsenceCounts(Counts):
    deleted: int = 0


@dataclass
class AbsenceImportResult:
    rows: int = 0
    records: AbsenceCounts = field(default_factory=AbsenceCounts)
    # Rows of a child not in Tidlig or not enrolled in the unit in the month.
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    # The months the file holds, per unit: (unit name, month, rows), by unit and month.
    months: list[tuple[str, date, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class AbsenceRow:
    line: int
    digits: str
    unit: Unit
    month: date
    measure: str
    absent: Decimal
    possible: Decimal
    unlawful: Decimal | None


def import_absence(
    file_or_text, *, user=None, dry_run: bool = False, name: str = ""
) -> AbsenceImportResult:
    """Validate the whole file, then import it in one transaction or not at all.

    `file_or_text` is a str, bytes, or a file opened in text or binary mode; `name`
    is the file's name for the audit entry. A dry run validates and counts what the
    file holds and looks up no child.
    """
    result = AbsenceImportResult(dry_run=dry_run)
    data = file_or_text.read() if hasattr(file_or_text, "read") else file_or_text
    name = name or str(getattr(file_or_text, "name", "") or "")
    rows = read_rows(
        data, result, columns=COLUMNS, required=REQUIRED_COLUMNS, aliases=COLUMN_ALIASES
    )
    absences = _validate(rows, result)
    if result.errors:
        result.errors.sort(key=lambda e: (e.line, _column_order(e.column)))
    else:
        result.months = _months(absences)
        if not dry_run:
            with transaction.atomic():
                _apply(absences, result, user)
    _log_import(user, name, data, result)
    if not result.errors:
        logger.info(
            "Absence import%s: %d rows, %d unit months, records %s, %d deleted, %d skipped",
            " (dry run)" if dry_run else "",
            result.rows,
            len(result.months),
            result.records,
            result.records.deleted,
            result.skipped,
        )
    return result


def _months(rows: list[AbsenceRow]) -> list[tuple[str, date, int]]:
    found: dict[tuple[Unit, date], int] = {}
    for row in rows:
        found[(row.unit, row.month)] = found.get((row.unit, row.month), 0) + 1
    return sorted(((u.name, m, n) for (u, m), n in found.items()), key=lambda r: (r[0], r[1]))


def _log_import(user, name: str, data: str | bytes, result: AbsenceImportResult) -> LogEntry:
    """One audit entry per run, like the import of children's (no child named)."""
    raw = data.encode() if isinstance(data, str) else data
    name = shown(name.replace("\\", "/").rsplit("/", 1)[-1]) if name else ""
    counts = {
        "records": {
            "created": result.records.created,
            "updated": result.records.updated,
            "unchanged": result.records.unchanged,
            "deleted": result.records.deleted,
        },
        "skipped": result.skipped,
    }
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(AbsenceRecord),
        object_pk="",
        object_id=None,
        object_repr="",
        action=LogEntry.Action.ACCESS,
        actor=user,
        actor_email=getattr(user, "email", None),
        cid=get_cid(),
        additional_data={
            "event": Event.ABSENCE_IMPORT,
            "what": name,
            "file": {"name": name, "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()},
            "dry_run": result.dry_run,
            "rows": result.rows,
            "errors": len(result.errors),
            "months": [[unit, month.isoformat(), n] for unit, month, n in result.months],
            **({} if result.dry_run or result.errors else counts),
        },
    )


def template_csv() -> bytes:
    """The example file offered for download: Excel-friendly UTF-8 with a BOM."""
    return "\ufeff".encode() + EXAMPLE.encode()


# Synthetic example rows (docs/import.md shows the same file).
EXAMPLE = """\
cpr;enhed;måned;fravær;mulige;ulovligt_fravær;opgjort_i
071117-4011;Nordby Skole;2026-10;1;22;0;dage
071117-4011;Nordby Skole;2026-11;4,5;20;2;dage
150320-4002;Børnehaven Solsikken;2026-11;3;20;;dage
"""


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else -1


# Validating


def parse_month(value: str) -> date | None:
    """`åååå-mm`, `mm-åååå` (also with / or .) or a date in the month."""
    match = MONTH.fullmatch(value)
    if match:
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if 1 <= int(month) <= 12 and int(year) >= 1900:
            return date(int(year), int(month), 1)
        return None
    day = parse_date(value)
    return day.replace(day=1) if day else None


def _number(row: dict[str, str], column: str, error) -> Decimal | None:
    value = row.get(column, "").replace(" ", "")
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number > MAX_VALUE:
        error(
            column,
            _("Ugyldigt tal »%(value)s«. Skriv et tal fra 0, f.eks. 3 eller 4,5.")
            % {"value": shown(row[column])},
        )
        return None
    if number != number.quantize(Decimal("0.1")):
        error(column, _("Højst én decimal, f.eks. 4,5."))
        return None
    return number


def _validate(rows: list[tuple[int, dict[str, str]]], result) -> list[AbsenceRow]:
    units = units_by_name()
    this_month = timezone.localdate().replace(day=1)
    seen: dict[tuple[str, int, date], int] = {}
    found = []
    for line, row in rows:
        errors: list[RowError] = []

        def error(column: str, message: str, errors: list = errors, line: int = line) -> None:
            errors.append(RowError(line, column, message))

        for column in REQUIRED_COLUMNS:
            if column in row and not row[column]:
                error(column, _("Feltet skal udfyldes."))
        digits = birth = None
        if row.get("cpr"):
            try:
                digits = cpr.validate(row["cpr"])
                birth = cpr.birth_date(digits)
            except ValidationError as e:
                error("cpr", e.messages[0])

        unit = None
        if row.get("enhed"):
            unit = find_unit(units, " ".join(row["enhed"].split()))
            if unit is None:
                error(
                    "enhed",
                    _("Der findes ingen enhed med navnet »%(value)s«.")
                    % {"value": shown(row["enhed"])},
                )
            elif not unit.enrolls_children:
                error(
                    "enhed",
                    _(
                        "%(unit)s er af typen %(kind)s og har ikke fravær. Brug en dagpleje, "
                        "vuggestue, børnehave, skole, SFO eller klub."
                    )
                    % {"unit": unit.name, "kind": unit.get_kind_display()},
                )
                unit = None

        month = None
        if row.get("måned"):
            month = parse_month(row["måned"])
            if month is None:
                error(
                    "måned",
                    _("Ugyldig måned »%(value)s«. Skriv måneden som åååå-mm, f.eks. 2026-11.")
                    % {"value": shown(row["måned"])},
                )
            elif month > this_month:
                error("måned", _("Måneden ligger i fremtiden."))
                month = None
            elif birth and month < birth.replace(day=1):
                error("måned", _("Måneden ligger før barnets fødsel."))
                month = None

        absent = _number(row, "fravær", error)
        possible = _number(row, "mulige", error)
        unlawful = _number(row, "ulovligt_fravær", error)
        if possible is not None and possible == 0:
            error("mulige", _("Antallet af mulige dage eller lektioner skal være større end 0."))
        if absent is not None and possible and absent > possible:
            error("fravær", _("Fraværet er større end det mulige antal dage eller lektioner."))
        if unlawful is not None and absent is not None and unlawful > absent:
            error("ulovligt_fravær", _("Det ulovlige fravær er større end fraværet i alt."))

        measure = MEASURES.get(row.get("opgjort_i", "").lower())
        if measure is None:
            error(
                "opgjort_i",
                _("Ukendt enhed »%(value)s«. Skriv dage eller lektioner (tomt betyder dage).")
                % {"value": shown(row["opgjort_i"])},
            )

        if errors or None in (digits, unit, month, absent, possible, measure):
            result.errors += errors
            continue
        assert digits and unit and month and absent is not None and possible and measure
        key = (digits, unit.pk, month)
        if key in seen:
            error(
                "måned",
                _("Linje %(line)d har samme barn, enhed og måned.") % {"line": seen[key]},
            )
            result.errors += errors
            continue
        seen[key] = line
        found.append(AbsenceRow(line, digits, unit, month, measure, absent, possible, unlawful))
    return found


# Saving


def _last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _apply(rows: list[AbsenceRow], result: AbsenceImportResult, user) -> None:
    hashes = {cpr.lookup_hash(digits) for digits in {row.digits for row in rows}}
    children: dict[str, int] = {}
    listed = list(hashes)
    for i in range(0, len(listed), BATCH):
        found = Child.objects.filter(cpr_hash__in=listed[i : i + BATCH])
        children.update(found.values_list("cpr_hash", "pk"))

    unit_ids = {row.unit.pk for row in rows}
    first = min(row.month for row in rows)
    last = _last_day(max(row.month for row in rows))
    # The enrollments of the children found in the file's units over its months.
    enrolled: dict[tuple[int, int], list[Enrollment]] = {}
    ids = list(children.values())
    for i in range(0, len(ids), BATCH):
        for e in Enrollment.objects.filter(
            Q(end__isnull=True) | Q(end__gte=first),
            child_id__in=ids[i : i + BATCH],
            unit_id__in=unit_ids,
            start__lte=last,
        ):
            enrolled.setdefault((e.child_id, e.unit_id), []).append(e)

    replaced = {(row.unit.pk, row.month) for row in rows}
    existing: dict[tuple[int, int, date], AbsenceRecord] = {}
    months = {month for _unit, month in replaced}
    for record in AbsenceRecord.objects.filter(unit_id__in=unit_ids, month__in=months):
        if (record.unit_id, record.month) in replaced:
            existing[(record.child_id, record.unit_id, record.month)] = record

    writer = Writer(AbsenceRecord, result.records, user)
    kept: set[tuple[int, int, date]] = set()
    for row in rows:
        child_id = children.get(cpr.lookup_hash(row.digits))
        month_end = _last_day(row.month)
        runs = [
            e
            for e in enrolled.get((child_id or 0, row.unit.pk), [])
            if e.start <= month_end and (e.end is None or e.end >= row.month)
        ]
        if child_id is None or not runs:
            result.skipped += 1
            continue
        values = {
            "measure": row.measure,
            "absent": row.absent,
            "possible": row.possible,
            "unlawful": row.unlawful,
        }
        key = (child_id, row.unit.pk, row.month)
        kept.add(key)
        saved = existing.get(key)
        if saved is None:
            writer.create(
                AbsenceRecord(child_id=child_id, unit=row.unit, month=row.month, **values)
            )
        else:
            writer.update(saved, values)
    writer.save()

    gone = [record for key, record in existing.items() if key not in kept]
    if gone:
        entries = [
            LogEntry(
                content_type=ContentType.objects.get_for_model(AbsenceRecord),
                object_pk=str(record.pk),
                object_id=record.pk,
                object_repr=str(record),
                action=LogEntry.Action.DELETE,
                changes=model_instance_diff(
                    record, None, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
                ),
                additional_data=record.get_additional_data(),
                actor=user,
                actor_email=getattr(user, "email", None),
                cid=get_cid(),
            )
            for record in gone
        ]
        # Our own entries, with the importing user as the actor (see children.importer).
        with disable_auditlog():
            AbsenceRecord.objects.filter(pk__in=[record.pk for record in gone]).delete()
        LogEntry.objects.bulk_create(entries, batch_size=BATCH)
        result.records.deleted = len(gone)
