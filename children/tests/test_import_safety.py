"""Issue 18: what the CSV import gives away, and the files it must refuse.

- A dry run answers the same for a CPR number already in Tidlig as for a new
  one (the administrator who imports sees no child), on the page and in the
  command; every run writes one audit entry naming the file, not a child.
- A NUL byte or another control character in any field is a Danish error on
  its line and column, and nothing is saved (on PostgreSQL a NUL used to reach
  the database and end in a 500).
- A file saved as UTF-16 is refused with a message saying how to save it.
"""

import codecs
import hashlib
import re
from datetime import date
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from children import cpr
from children.importer import CONTROL, IMPORT_EVENT, import_children
from children.models import Child, Enrollment, Guardian
from tidlig.test import BaseTestCase, make_cpr

URL = "/administration/import/"
HEADER = "cpr;fornavn;efternavn;enhed;gruppe;start;slut;forælder1_navn;forælder1_relation"
UTF16_MESSAGE = "Filen er gemt som UTF-16"


def line(number: str, first: str = "Ida", unit: str = "Børnehaven Solsikken") -> str:
    return f"{number};{first};Mortensen;{unit};;01-08-2025;;Maja Mortensen;mor"


def csv_file(*lines: str) -> bytes:
    return "\n".join((HEADER, *lines)).encode() + b"\n"


def saved() -> tuple[int, int, int]:
    return Child.objects.count(), Enrollment.objects.count(), Guardian.objects.count()


def import_entries():
    return LogEntry.objects.filter(additional_data__event=IMPORT_EVENT).order_by("pk")


def run_command(data: bytes, tmp_name: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / tmp_name
        path.write_bytes(data)
        try:
            call_command("import_children", str(path), *args, stdout=out, stderr=err)
        except CommandError as e:
            err.write(f"CommandError: {e}\n")
    return out.getvalue(), err.getvalue()


class DryRunRevealsNothingTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.known = cpr.decrypt(self.emma.cpr_encrypted)
        self.new = make_cpr(date(2020, 3, 15))

    def test_a_dry_run_answers_the_same_for_a_known_and_a_new_cpr_number(self):
        before = saved()
        known = import_children(csv_file(line(self.known)), user=self.adam, dry_run=True)
        new = import_children(csv_file(line(self.new)), user=self.adam, dry_run=True)

        assert known.ok and new.ok
        assert known == new
        assert (known.in_file.children, known.in_file.enrollments) == (1, 1)
        assert known.children.total == 0
        assert saved() == before

    def test_the_page_answers_the_same_for_a_known_and_a_new_cpr_number(self):
        self.login(self.adam)

        def check(number: str) -> str:
            upload = SimpleUploadedFile("børn.csv", csv_file(line(number)), "text/csv")
            html = self.client.post(URL, {"file": upload, "dry_run": "on"}).content.decode()
            assert "Filen er i orden" in html
            return re.sub(r"[A-Za-z0-9]{64}", "", html)  # the CSRF tokens

        assert check(self.known) == check(self.new)

    def test_the_command_answers_the_same_for_a_known_and_a_new_cpr_number(self):
        known = run_command(csv_file(line(self.known)), "børn.csv", "--dry-run")
        new = run_command(csv_file(line(self.new)), "børn.csv", "--dry-run")

        assert known == new
        assert "I filen: 1 børn, 1 indskrivninger (0 med slutdato)" in known[0]

    def test_the_errors_do_not_depend_on_the_cpr_number_being_known(self):
        # The same line, wrong in the same ways, for a child in Tidlig and a new one.
        def errors(number: str) -> list[tuple[int, str, str]]:
            data = csv_file(line(number, unit="Ukendt"), line(number, first="Idda"))
            result = import_children(data, user=self.adam, dry_run=True)
            return [(e.line, e.column, e.message) for e in result.errors]

        assert errors(self.known) == errors(self.new)

    def test_every_run_writes_one_audit_entry_naming_the_file_not_a_child(self):
        data = csv_file(line(self.known), line(self.new))

        import_children(data, user=self.adam, dry_run=True, name="C:\\udtræk\\børn.csv")
        import_children(data, user=self.adam, name="/srv/udtræk/børn.csv")
        import_children(csv_file(line("123")), user=self.adam, name=f"{self.known}.csv")

        dry, real, bad = import_entries()
        digest = hashlib.sha256(data).hexdigest()
        for entry in (dry, real):
            assert entry.actor == self.adam
            assert entry.object_id is None and entry.object_repr == ""
            assert entry.additional_data["file"] == {
                "name": "børn.csv",
                "size": len(data),
                "sha256": digest,
            }
            assert entry.additional_data["in_file"]["children"] == 2
        assert dry.additional_data["dry_run"] is True
        assert "children" not in dry.additional_data
        assert real.additional_data["dry_run"] is False
        assert real.additional_data["children"] == {"created": 1, "updated": 1, "unchanged": 0}
        # The per-child changes stay in auditlog's own entries.
        assert LogEntry.objects.filter(content_type__model="child", action=0).count() >= 1
        assert bad.additional_data["errors"] == 1
        assert bad.additional_data["file"]["name"] == "xxxxxx-xxxx.csv"
        assert self.known not in str(bad.additional_data)


class ControlCharacterTestCase(BaseTestCase):
    def test_a_nul_byte_is_an_error_on_its_line_and_column_and_nothing_is_saved(self):
        number = make_cpr(date(2020, 3, 15))
        before = saved()
        data = csv_file(line(make_cpr(date(2021, 1, 2))), line(number, first="I\x00da"))

        result = import_children(data, user=self.adam)

        assert [(e.line, e.column) for e in result.errors] == [(3, "fornavn")]
        assert result.errors[0].message.startswith(
            "Feltet indeholder et usynligt kontroltegn (U+0000), som ikke må stå i filen."
        )
        assert saved() == before
        assert not Child.objects.with_cpr(number).exists()

    def test_every_field_is_checked_for_c0_and_c1_control_characters(self):
        data = csv_file(
            f"{make_cpr(date(2020, 1, 1))};Ida;Mor\x1btensen;Børnehaven Solsikken;Måne\x85;"
            "01-08-2025;;Maja\x7f;mor",
            f"{make_cpr(date(2020, 1, 1))}\x00;Bo;Berg;Børnehaven Solsikken;;01-08-2025;;;",
        )

        result = import_children(data, user=self.adam, dry_run=True)

        assert [(e.line, e.column, e.message.split(",")[0]) for e in result.errors] == [
            (2, "efternavn", "Feltet indeholder et usynligt kontroltegn (U+001B)"),
            (2, "gruppe", "Feltet indeholder et usynligt kontroltegn (U+0085)"),
            (2, "forælder1_navn", "Feltet indeholder et usynligt kontroltegn (U+007F)"),
            (3, "cpr", "Feltet indeholder et usynligt kontroltegn (U+0000)"),
        ]

    def test_a_control_character_in_the_header_is_reported_once_on_line_1(self):
        data = (
            "cpr;for\x00navn;efternavn;enhed;start\n" + line(make_cpr(date(2020, 1, 1)))
        ).encode()

        result = import_children(data, user=self.adam, dry_run=True)

        assert [(e.line, e.column) for e in result.errors] == [(1, "")]
        assert "kontroltegn (U+0000)" in result.errors[0].message

    def test_tabs_and_line_breaks_inside_a_name_are_spaces(self):
        number = make_cpr(date(2020, 3, 15))
        data = csv_file(f'{number};"Ida\tMarie";"Morten-\nsen";Børnehaven Solsikken;;01-08-2025;;;')

        result = import_children(data, user=self.adam)

        assert result.errors == []
        child = Child.objects.with_cpr(number).get()
        assert (child.first_name, child.last_name) == ("Ida Marie", "Morten- sen")

    def test_the_page_and_the_command_answer_a_nul_byte_in_danish(self):
        data = csv_file(line(make_cpr(date(2020, 3, 15)), first="I\x00da"))
        before = saved()
        self.login(self.adam)

        response = self.client.post(URL, {"file": SimpleUploadedFile("b.csv", data, "text/csv")})
        _out, err = run_command(data, "b.csv")

        html = response.content.decode()
        assert response.status_code == 200
        assert "Intet er importeret" in html
        assert "usynligt kontroltegn (U+0000)" in html
        assert "Linje 2 (fornavn): Feltet indeholder et usynligt kontroltegn (U+0000)" in err
        assert "CommandError: Filen har 1 fejl. Intet er importeret." in err
        assert saved() == before


class EncodingTestCase(BaseTestCase):
    def utf16_files(self) -> dict[str, bytes]:
        text = "\n".join((HEADER, line(make_cpr(date(2020, 3, 15))))) + "\n"
        return {
            "le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
            "be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
            "le": text.encode("utf-16-le"),
            "be": text.encode("utf-16-be"),
        }

    def test_a_utf16_file_is_refused_with_a_message_saying_how_to_save_it(self):
        before = saved()
        for kind, data in self.utf16_files().items():
            result = import_children(data, user=self.adam)

            assert len(result.errors) == 1, kind
            assert result.errors[0].line == 1
            assert result.errors[0].message.startswith(UTF16_MESSAGE), kind
            assert "CSV UTF-8" in result.errors[0].message
        assert saved() == before

    def test_the_page_and_the_command_refuse_utf16(self):
        data = self.utf16_files()["le-bom"]
        self.login(self.adam)

        response = self.client.post(URL, {"file": SimpleUploadedFile("b.csv", data, "text/csv")})
        _out, err = run_command(data, "b.csv")

        assert UTF16_MESSAGE in response.content.decode()
        assert f"Linje 1: {UTF16_MESSAGE}" in err

    def test_utf8_with_a_byte_order_mark_still_imports(self):
        number = make_cpr(date(2020, 3, 15))
        data = codecs.BOM_UTF8 + csv_file(line(number, first="Åse"))

        result = import_children(data, user=self.adam)

        assert result.errors == []
        assert Child.objects.with_cpr(number).get().first_name == "Åse"


@pytest.mark.parametrize("value", ["\x00", "\x01", "\x1f", "\x7f", "\x80", "\x9f"])
def test_the_control_pattern_covers_c0_del_and_c1(value):
    assert CONTROL.search(f"a{value}b")


@pytest.mark.parametrize("value", ["\t", "\n", "\r", " ", "æøå", "é", "\u00a0"])
def test_the_control_pattern_spares_whitespace_and_letters(value):
    assert not CONTROL.search(f"a{value}b")


class AuditViewerTestCase(BaseTestCase):
    def test_the_audit_viewer_names_the_import_and_its_file(self):
        import_children(csv_file(line(make_cpr(date(2020, 3, 15)))), user=self.adam, name="b.csv")
        self.login(self.adam)

        html = self.client.get("/administration/log/", {"action": IMPORT_EVENT}).content.decode()

        assert "Import af børn" in html
        assert "b.csv" in html
