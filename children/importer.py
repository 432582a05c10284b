"""Import children, guardians and enrollments from a CSV file (docs/import.md).

The import runs in three steps. `_read` turns the file into rows of trimmed
strings, `_validate` turns every row into domain values and collects every
error, and only a file without a single error reaches `_apply`, which upserts
in one transaction: children by CPR hash, enrollments by (child, unit, start),
guardians by (child, name). The groups the file names (stue, klasse…) that a
unit does not have yet are created first, and listed beforehand by a dry run;
a closed group is refused. Importing the same file again finds nothing to
change, so it writes nothing and duplicates nothing.

The writes are bulk queries, which send no signals, so the importer writes the
django-auditlog entries itself (`Writer`), with `user` as the actor. It does not
use `auditlog.context.set_actor`: nested inside AuditlogMiddleware's context (the
upload page) that replaces the request's context for the rest of the request and
leaves the middleware's signal receiver connected for good.

Error messages never repeat a CPR number: they end up on screen, in a
terminal's scrollback and in logs. Values from the file are echoed only
through `shown`, which masks anything that looks like a CPR number (a shifted
column can put one anywhere).

Nothing the importer answers depends on whether a CPR number is already in
Tidlig, except the counts of a real import: the administrator who imports sees
no child (docs/security.md). The errors are about the file's own content, its
units and their groups; a dry run validates and counts what the file holds,
without looking up a single child. Every run, dry or not, writes one audit
entry (`_log_import`): who, which file (name, size, SHA-256) and the counts;
the per-child changes of a real import are auditlog's entries as always.

A file saved as UTF-16 is refused as such, and a field holding a control
character (NUL and the other C0 and C1 characters, except tab and line breaks)
is an error on its line and column, before anything reaches the database.
"""

import codecs
import copy
import csv
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.groups import clean_name, default_kind, name_key
from accounts.models import Unit, UnitGroup
from children import cpr
from children.audit import Event
from children.models import Child, Enrollment, Gender, Guardian, Relation
from children.signals import enrollments_changed

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ["cpr", "fornavn", "efternavn", "enhed", "start"]
GUARDIAN_FIELDS = ["navn", "relation", "telefon", "email", "forældremyndighed"]
GUARDIAN_SLOTS = (1, 2)
# In the order of docs/import.md, which is also the order errors are listed in.
COLUMNS = ["cpr", "fornavn", "efternavn", "køn", "enhed", "gruppe", "start", "slut"] + [
    f"forælder{n}_{name}" for n in GUARDIAN_SLOTS for name in GUARDIAN_FIELDS
]
# What a school or a børnehave may call the group column.
COLUMN_ALIASES = {"klasse": "gruppe", "stue": "gruppe", "hold": "gruppe", "team": "gruppe"}

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
YES = {"ja": True, "j": True, "nej": False, "n": False, "": True}
PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,28}")
CPR_LIKE = re.compile(r"\d{6}[-\s]?\d{4}")
# C0 and C1 control characters and DEL. Tab, line feed and carriage return are
# whitespace: a separator, the end of a line, or a line break inside a quoted
# field (Alt+Enter in Excel), which names turn into a space and the other
# columns' formats refuse.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BATCH = 1000
# The event of the import's own audit entry.
IMPORT_EVENT = Event.IMPORT


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportResult:
    rows: int = 0
    children: Counts = field(default_factory=Counts)
    enrollments: Counts = field(default_factory=Counts)
    guardians: Counts = field(default_factory=Counts)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    # The groups the file names that the units do not have yet: (unit, group)
    # names, created by the import (by a dry run: would be created).
    new_groups: list[tuple[str, str]] = field(default_factory=list)
    # What the file holds, whatever is in Tidlig already: all a dry run counts.
    in_file: "FileCounts" = field(default_factory=lambda: FileCounts())

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class FileCounts:
    children: int = 0
    enrollments: int = 0
    # Enrollments with an end date.
    ended: int = 0
    guardians: int = 0


@dataclass(frozen=True)
class GuardianRow:
    name: str
    relation: str
    phone: str
    email: str
    has_custody: bool


# A group of a unit, by the unit's pk and accounts.groups.name_key.
GroupKey = tuple[int, str]


@dataclass
class ChildRow:
    """One child as the file describes it, merged over all its rows."""

    line: int
    digits: str
    first_name: str
    last_name: str
    gender: str
    # (unit, start) -> (end, line)
    enrollments: dict[tuple[Unit, date], tuple[date | None, int]] = field(default_factory=dict)
    # (unit, start) -> (group, line), for the enrollments whose row names a group
    groups: dict[tuple[Unit, date], tuple[GroupKey, int]] = field(default_factory=dict)
    # name -> (guardian, line)
    guardians: dict[str, tuple[GuardianRow, int]] = field(default_factory=dict)


def import_children(
    file_or_text, *, user=None, dry_run: bool = False, name: str = ""
) -> ImportResult:
    """Validate the whole file, then import it in one transaction or not at all.

    `file_or_text` is a str, bytes, or a file opened in text or binary mode;
    `name` is the file's name for the audit entry (default: the file's own).
    With `dry_run` the result counts what the file holds, and nothing is saved:
    a dry run does not look up the children, so it cannot tell which are new.
    """
    result = ImportResult(dry_run=dry_run)
    data = file_or_text.read() if hasattr(file_or_text, "read") else file_or_text
    name = name or str(getattr(file_or_text, "name", "") or "")
    children, groups = _validate(_read(data, result), result)
    if result.errors:
        result.errors.sort(key=lambda e: (e.line, _column_order(e.column)))
        result.new_groups = []
    else:
        result.in_file = _count_file(children)
    if not result.errors and not dry_run:
        with transaction.atomic():
            groups.create_new(user)
            _apply(children, groups, result, user)
    _log_import(user, name, data, result)
    if not result.errors:
        logger.info(
            "Child import%s: %d rows, children %s, enrollments %s, guardians %s, new groups %d",
            " (dry run)" if dry_run else "",
            result.rows,
            result.children,
            result.enrollments,
            result.guardians,
            len(result.new_groups),
        )
    return result


def _count_file(children: list["ChildRow"]) -> FileCounts:
    counts = FileCounts(children=len(children))
    for child in children:
        counts.enrollments += len(child.enrollments)
        counts.ended += sum(1 for end, _line in child.enrollments.values() if end)
        counts.guardians += len(child.guardians)
    return counts


def _log_import(user, name: str, data: str | bytes, result: ImportResult) -> LogEntry:
    """One audit entry per run: who, which file, and what came of it. It names
    no child (the file's name is masked like an error message's values); the
    changes of a real import are in the children's own trails."""
    raw = data.encode() if isinstance(data, str) else data
    counts = {
        label: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
        for label, c in (
            ("children", result.children),
            ("enrollments", result.enrollments),
            ("guardians", result.guardians),
        )
    }
    name = shown(name.replace("\\", "/").rsplit("/", 1)[-1]) if name else ""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Child),
        object_pk="",
        object_id=None,
        object_repr="",
        action=LogEntry.Action.ACCESS,
        actor=user,
        actor_email=getattr(user, "email", None),
        cid=get_cid(),
        additional_data={
            "event": IMPORT_EVENT,
            "what": name,
            "file": {"name": name, "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()},
            "dry_run": result.dry_run,
            "rows": result.rows,
            "errors": len(result.errors),
            "in_file": {
                "children": result.in_file.children,
                "enrollments": result.in_file.enrollments,
                "guardians": result.in_file.guardians,
            },
            **({} if result.dry_run or result.errors else counts),
            "new_groups": len(result.new_groups),
        },
    )


def template_csv() -> bytes:
    """The example file offered for download: Excel-friendly UTF-8 with a BOM."""
    return codecs.BOM_UTF8 + EXAMPLE.encode()


# Synthetic example rows (docs/import.md shows the same file). The units are the
# demo municipality's; a real municipality replaces them with its own names.
EXAMPLE = """\
cpr;fornavn;efternavn;køn;enhed;gruppe;start;slut;forælder1_navn;forælder1_relation;forælder1_telefon;forælder1_email;forælder1_forældremyndighed;forælder2_navn;forælder2_relation;forælder2_telefon;forælder2_email;forælder2_forældremyndighed
150320-4002;Ida;Mortensen;pige;Børnehaven Solsikken;Månestuen;01-08-2023;;Maja Mortensen;mor;20123456;maja@example.org;ja;Jens Mortensen;far;30123456;;ja
071117-4011;Alfred;Nygaard;dreng;Børnehaven Solsikken;;01-09-2020;31-07-2024;Line Nygaard;mor;40123456;line@example.org;ja;;;;;
071117-4011;Alfred;Nygaard;dreng;Nordby Skole;2.A;01-08-2024;;Line Nygaard;mor;40123456;line@example.org;ja;Ole Madsen;plejeforælder;50123456;;nej
"""  # noqa: E501


# Reading


def _read(data: str | bytes, result: ImportResult) -> list[tuple[int, dict[str, str]]]:
    return read_rows(
        data, result, columns=COLUMNS, required=REQUIRED_COLUMNS, aliases=COLUMN_ALIASES
    )


def read_rows(
    data: str | bytes,
    result,
    *,
    columns: list[str],
    required: list[str],
    aliases: dict[str, str] | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line, {column: trimmed value}), for a file whose header
    names `columns` (`required` must be there; `aliases` maps other names to them).
    Problems with the file as a whole and per line go to `result.errors`; the
    columns not in `columns` to `result.ignored_columns`; the count to `result.rows`."""
    if isinstance(data, bytes) and _is_utf16(data):
        result.errors.append(
            RowError(
                1,
                "",
                _(
                    "Filen er gemt som UTF-16 (i Excel: »Unicode-tekst«), og det kan Tidlig "
                    "ikke læse. Gem den som »CSV UTF-8 (kommasepareret)« eller »CSV "
                    "(semikolonsepareret)«, og importér den igen."
                ),
            )
        )
        return []
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        result.errors.append(RowError(1, "", _("Filen er tom eller starter med en tom linje.")))
        return []
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        raw_header = next(reader)
    except csv.Error:
        result.errors.append(RowError(1, "", _("Overskriften kan ikke læses som CSV.")))
        return []
    header = [_column_name(name, columns, aliases or {}) for name in raw_header]
    # Before any strip(), which takes NEL and the separators U+001C-U+001F as spaces.
    control = next((m for name in raw_header if (m := CONTROL.search(name))), None)
    if control:
        # The column names cannot be trusted, so neither can any error about them.
        result.errors.append(RowError(1, "", _control_message(control[0])))
        return []

    seen = set()
    for name in header:
        if name in seen and name:
            result.errors.append(
                RowError(1, name, _("Kolonnen står mere end én gang i overskriften."))
            )
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        result.errors.append(
            RowError(
                1,
                "",
                _("Filen mangler disse kolonner: %(columns)s. Overskriften skal være linje 1.")
                % {"columns": ", ".join(missing)},
            )
        )
    result.ignored_columns = [name for name in header if name and name not in columns]
    if len(missing) == len(required):
        # Not the format at all (or the wrong separator): row errors would only be noise.
        return []

    rows = []
    line = reader.line_num
    try:
        for cells in reader:
            start_line, line = line + 1, reader.line_num
            controls = [
                RowError(start_line, header[i] if i < len(header) else "", _control_message(m[0]))
                for i, cell in enumerate(cells)
                if (m := CONTROL.search(cell))
            ]
            if controls:
                # Checked before strip(); the line's other checks would only echo the garbage.
                result.errors += controls
                continue
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            if len(cells) > len(header):
                result.errors.append(
                    RowError(
                        start_line,
                        "",
                        _("Linjen har %(cells)d felter, men overskriften har kun %(columns)d.")
                        % {"cells": len(cells), "columns": len(header)},
                    )
                )
                continue
            cells += [""] * (len(header) - len(cells))
            rows.append((start_line, dict(zip(header, cells, strict=True))))
    except csv.Error:
        result.errors.append(
            RowError(line + 1, "", _("Linjen kan ikke læses som CSV (tjek anførselstegn)."))
        )
    result.rows = len(rows)
    if not rows and not result.errors:
        result.errors.append(RowError(2, "", _("Der er ingen rækker under overskriften.")))
    return rows


def _is_utf16(data: bytes) -> bool:
    """A UTF-16 byte order mark, or (without one) text whose every other byte
    is NUL, as Latin letters, digits and æøå are in UTF-16."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = data[:4096]
    if len(sample) < 4:
        return False
    return max(sample[0::2].count(0), sample[1::2].count(0)) > len(sample) // 4


def _control_message(char: str) -> str:
    return _(
        "Feltet indeholder et usynligt kontroltegn (%(code)s), som ikke må stå i filen. "
        "Slet tegnet i regnearket, eller gem filen igen som CSV."
    ) % {"code": f"U+{ord(char):04X}"}


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Excel versions on Windows save "CSV" in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def _column_name(name: str, columns: list[str], aliases: dict[str, str]) -> str:
    name = re.sub(r"[\s-]+", "_", name.strip().lower())
    # Some systems keep their headers ASCII: "foraelder1_navn", "koen".
    spelled = name.replace("ae", "æ").replace("oe", "ø")
    name = spelled if spelled in columns or spelled in aliases else name
    return aliases.get(name, name)


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else -1


def shown(value: str) -> str:
    """A value from the file as it may appear in an error message."""
    value = CPR_LIKE.sub("xxxxxx-xxxx", value)
    return value if len(value) <= 40 else value[:39] + "…"


# Validating


def _validate(
    rows: list[tuple[int, dict[str, str]]], result: ImportResult
) -> tuple[list[ChildRow], "_Groups"]:
    units = units_by_name()
    groups = _Groups()
    children: dict[str, ChildRow] = {}
    for line, row in rows:
        errors: list[RowError] = []

        def error(column: str, message: str, errors: list = errors, line: int = line) -> None:
            errors.append(RowError(line, column, message))

        digits = birth = None
        # A missing column is reported once, on line 1; the rest of the row is still checked.
        for column in REQUIRED_COLUMNS:
            if column in row and not row[column]:
                error(column, _("Feltet skal udfyldes."))
        if row.get("cpr"):
            try:
                digits = cpr.validate(row["cpr"])
                birth = cpr.birth_date(digits)
            except ValidationError as e:
                error("cpr", e.messages[0])
        first_name = _name(row.get("fornavn", ""), "fornavn", 100, error)
        last_name = _name(row.get("efternavn", ""), "efternavn", 100, error)

        gender = row.get("køn", "").lower()
        if gender not in Gender.values and gender:
            error(
                "køn",
                _("Ukendt køn »%(value)s«. Brug pige, dreng, andet eller lad feltet være tomt.")
                % {"value": shown(row["køn"])},
            )

        unit = None
        if row.get("enhed"):
            unit = find_unit(units, row["enhed"])
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
                        "Børn kan ikke indskrives i %(unit)s, som er af typen %(kind)s. Brug en "
                        "dagpleje, vuggestue, børnehave, skole, SFO eller klub."
                    )
                    % {"unit": unit.name, "kind": unit.get_kind_display()},
                )

        group = None
        group_name = _name(row.get("gruppe", ""), "gruppe", 100, error)
        if group_name and unit is not None and unit.enrolls_children:
            group = groups.find(unit, group_name, error)

        start = _date(row, "start", error)
        end = _date(row, "slut", error)
        if start and end and end < start:
            error("slut", _("Slutdatoen ligger før startdatoen."))
        if start and birth and start < birth:
            error("start", _("Startdatoen ligger før barnets fødselsdato."))

        guardians: dict[int, GuardianRow] = {}  # slot -> guardian
        for slot in GUARDIAN_SLOTS:
            guardian = _guardian(row, slot, error)
            if guardian and guardian.name in {g.name for g in guardians.values()}:
                error(f"forælder{slot}_navn", _("Forælder 1 og forælder 2 har samme navn."))
            elif guardian:
                guardians[slot] = guardian

        if errors or not (digits and unit and start):
            result.errors += errors
            continue

        child = children.get(digits)
        if child is None:
            child = children[digits] = ChildRow(line, digits, first_name, last_name, gender)
        else:
            _merge_child(child, first_name, last_name, gender, error)
        _add_enrollment(child, unit, start, end, line, error)
        if group is not None:
            _add_group(child, unit, start, group, line, error)
        for slot, guardian in guardians.items():
            _add_guardian(child, guardian, slot, line, error)
        result.errors += errors
    result.new_groups = groups.new_names()
    return list(children.values()), groups


class _Groups:
    """The units' groups by GroupKey, and the ones the file names that do not
    exist yet: made (open, of the unit's usual kind, named as first spelled in
    the file) by `create_new`, just before the enrollments that point at them."""

    def __init__(self) -> None:
        self.known: dict[GroupKey, UnitGroup] = {
            (g.unit_id, name_key(g.name)): g for g in UnitGroup.objects.select_related("unit")
        }
        self.new: dict[GroupKey, UnitGroup] = {}

    def find(self, unit: Unit, name: str, error) -> GroupKey | None:
        key = (unit.pk, name_key(name))
        group = self.known.get(key)
        if group is None:
            self.new.setdefault(
                key, UnitGroup(unit=unit, name=clean_name(name), kind=default_kind(unit))
            )
        elif not group.active:
            error(
                "gruppe",
                _(
                    "Gruppen »%(group)s« på %(unit)s er lukket. Åbn den igen på enhedens side "
                    "under Administration, eller ret linjen."
                )
                % {"group": group.name, "unit": unit.name},
            )
            return None
        return key

    def new_names(self) -> list[tuple[str, str]]:
        return sorted((g.unit.name, g.name) for g in self.new.values())

    def create_new(self, user) -> None:
        writer = Writer(UnitGroup, Counts(), user)
        for group in self.new.values():
            writer.create(group)
        writer.save()
        self.known.update(self.new)

    def __getitem__(self, key: GroupKey) -> UnitGroup:
        return self.known[key]


def units_by_name() -> dict[str, Unit]:
    units = {}
    for unit in Unit.objects.all():
        units[unit.name] = unit
        units.setdefault(_folded(unit.name), unit)
    return units


def find_unit(units: dict[str, Unit], name: str) -> Unit | None:
    return units.get(name) or units.get(_folded(name))


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _name(value: str, column: str, max_length: int, error) -> str:
    value = " ".join(value.split())
    if len(value) > max_length:
        error(column, _("Højst %(max)d tegn.") % {"max": max_length})
    return value


def parse_date(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    return None


def _date(row: dict[str, str], column: str, error) -> date | None:
    value = row.get(column, "")
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        error(
            column,
            _("Ugyldig dato »%(value)s«. Skriv datoen som dd-mm-åååå eller åååå-mm-dd.")
            % {"value": shown(value)},
        )
    return parsed


def _guardian(row: dict[str, str], slot: int, error) -> GuardianRow | None:
    def col(name: str) -> str:
        return f"forælder{slot}_{name}"

    values = {name: row.get(col(name), "") for name in GUARDIAN_FIELDS}
    if not any(values.values()):
        return None
    valid = True

    name = _name(values["navn"], col("navn"), 200, error)
    if not name:
        error(col("navn"), _("Navnet skal udfyldes, når der står andet om forælder %d.") % slot)
        valid = False

    relation = values["relation"].lower()
    if not relation:
        error(col("relation"), _("Skriv relationen: mor, far, plejeforælder eller anden."))
        valid = False
    elif relation not in Relation.values:
        error(
            col("relation"),
            _("Ukendt relation »%(value)s«. Brug mor, far, plejeforælder eller anden.")
            % {"value": shown(values["relation"])},
        )
        valid = False

    phone = values["telefon"]
    if phone and not PHONE.fullmatch(phone):
        error(col("telefon"), _("Ugyldigt telefonnummer."))
        valid = False

    email = values["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error(col("email"), _("Ugyldig e-mailadresse."))
            valid = False

    custody = YES.get(values["forældremyndighed"].lower())
    if custody is None:
        error(
            col("forældremyndighed"),
            _("Skriv ja eller nej (tomt betyder ja)."),
        )
        valid = False

    if not valid or custody is None:
        return None
    return GuardianRow(name, relation, phone, email, custody)


def _merge_child(child: ChildRow, first_name: str, last_name: str, gender: str, error) -> None:
    message = _("Afviger fra linje %(line)d, som har samme CPR-nummer.") % {"line": child.line}
    if first_name != child.first_name:
        error("fornavn", message)
    if last_name != child.last_name:
        error("efternavn", message)
    if gender and child.gender and gender != child.gender:
        error("køn", message)
    child.gender = child.gender or gender


def _add_enrollment(child: ChildRow, unit: Unit, start: date, end, line: int, error) -> None:
    seen = child.enrollments.get((unit, start))
    if seen is None:
        child.enrollments[(unit, start)] = (end, line)
    elif seen[0] != end:
        error(
            "slut",
            _("Linje %(line)d har samme barn, enhed og startdato, men en anden slutdato.")
            % {"line": seen[1]},
        )


def _add_group(child: ChildRow, unit: Unit, start: date, group: GroupKey, line: int, error) -> None:
    seen = child.groups.get((unit, start))
    if seen is None:
        child.groups[(unit, start)] = (group, line)
    elif seen[0] != group:
        error(
            "gruppe",
            _("Linje %(line)d har samme barn, enhed og startdato, men en anden gruppe.")
            % {"line": seen[1]},
        )


def _add_guardian(child: ChildRow, guardian: GuardianRow, slot: int, line: int, error) -> None:
    seen = child.guardians.get(guardian.name)
    if seen is None:
        child.guardians[guardian.name] = (guardian, line)
    elif seen[0] != guardian:
        error(
            f"forælder{slot}_navn",
            _("Linje %(line)d har en forælder med samme navn, men andre oplysninger.")
            % {"line": seen[1]},
        )


# Saving


class Writer:
    """Collects creates and updates of one model and saves them in bulk.

    Bulk queries send no signals, so django-auditlog would not see them; the
    writer makes the same log entries itself, with auditlog's own diff (which
    honours the registration, e.g. the CPR columns excluded from Child's trail).
    """

    def __init__(self, model, counts: Counts, user) -> None:
        self.model = model
        self.counts = counts
        self.user = user
        self.created: list = []
        self.updated: list[tuple] = []  # (old copy, instance)
        self.fields: set[str] = set()

    def create(self, instance) -> None:
        self.created.append(instance)
        self.counts.created += 1

    def update(self, instance, values: dict) -> None:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changed:
            self.counts.unchanged += 1
            return
        old = copy.copy(instance)
        for name in changed:
            setattr(instance, name, values[name])
        self.updated.append((old, instance))
        self.fields.update(changed)
        self.counts.updated += 1

    def save(self) -> None:
        self.model.objects.bulk_create(self.created, batch_size=BATCH)
        if self.updated:
            objs = [new for _old, new in self.updated]
            self.model.objects.bulk_update(objs, sorted(self.fields), batch_size=BATCH)
        entries = [self._entry(LogEntry.Action.CREATE, None, new) for new in self.created]
        entries += [self._entry(LogEntry.Action.UPDATE, old, new) for old, new in self.updated]
        LogEntry.objects.bulk_create(entries, batch_size=BATCH)

    def _entry(self, action: int, old, new) -> LogEntry:
        return LogEntry(
            content_type=ContentType.objects.get_for_model(self.model),
            object_pk=str(new.pk),
            object_id=new.pk,
            object_repr=str(new),
            action=action,
            changes=model_instance_diff(
                old, new, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
            ),
            additional_data=(
                new.get_additional_data() if hasattr(new, "get_additional_data") else None
            ),
            actor=self.user,
            actor_email=getattr(self.user, "email", None),
            cid=get_cid(),
        )


def _apply(children: list[ChildRow], groups: _Groups, result: ImportResult, user) -> None:
    hashes = {cpr.lookup_hash(child.digits): child for child in children}
    existing: dict[str, Child] = {}
    for chunk in _chunks(list(hashes)):
        existing.update((c.cpr_hash, c) for c in Child.objects.filter(cpr_hash__in=chunk))
    enrollments = {}
    guardians = {}
    for chunk in _chunks([c.pk for c in existing.values()]):
        of_chunk = Enrollment.objects.filter(child__in=chunk)
        for e in of_chunk.select_related("child", "unit", "group"):
            enrollments[(e.child_id, e.unit_id, e.start)] = e
        # Several guardians of one child may share a name in hand-entered data;
        # the oldest is the one the import keeps up to date.
        for g in Guardian.objects.filter(child__in=chunk).order_by("-pk"):
            guardians[(g.child_id, g.name)] = g

    # Children first: the enrollments and guardians need their ids.
    child_writer = Writer(Child, result.children, user)
    saved: list[tuple[ChildRow, Child]] = []
    for digest, row in hashes.items():
        child = existing.get(digest)
        if child is None:
            child = Child(first_name=row.first_name, last_name=row.last_name, gender=row.gender)
            child.set_cpr(row.digits)
            child_writer.create(child)
        else:
            values: dict[str, object] = {"first_name": row.first_name, "last_name": row.last_name}
            if row.gender:
                values["gender"] = row.gender
            child_writer.update(child, values)
        saved.append((row, child))
    child_writer.save()

    enrollment_writer = Writer(Enrollment, result.enrollments, user)
    guardian_writer = Writer(Guardian, result.guardians, user)
    for row, child in saved:
        for (unit, start), (end, _line) in row.enrollments.items():
            enrolled: dict[str, object] = {"end": end}
            # A row without a group leaves the enrollment's group as it is.
            if (unit, start) in row.groups:
                enrolled["group"] = groups[row.groups[(unit, start)][0]]
            enrollment = enrollments.get((child.pk, unit.pk, start))
            if enrollment is None:
                new = Enrollment(child=child, unit=unit, start=start, **enrolled)
                enrollment_writer.create(new)
            else:
                enrollment_writer.update(enrollment, enrolled)
        for name, (wanted, _line) in row.guardians.items():
            values = {
                "relation": wanted.relation,
                "phone": wanted.phone,
                "email": wanted.email,
                "has_custody": wanted.has_custody,
            }
            guardian = guardians.get((child.pk, name))
            if guardian is None:
                guardian_writer.create(Guardian(child=child, name=name, **values))
            else:
                guardian_writer.update(guardian, values)
    enrollment_writer.save()
    guardian_writer.save()
    changed = enrollment_writer.created + [new for _old, new in enrollment_writer.updated]
    if changed:
        enrollments_changed.send(
            sender=Enrollment,
            child_ids={e.child_id for e in changed},
            since=min(e.start for e in changed),
        )


def _chunks(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]
