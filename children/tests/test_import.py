"""children.importer: the CSV import of children, guardians and enrollments.

The fixture files in tests/fixtures/import/ describe three invented children:
Ida at Solsikken, Alfred who moved from Solsikken to Nordby Skole, and Sara at
Solsikken. bad.csv lacks the efternavn column and has an error on most rows.
"""

from datetime import date
from pathlib import Path

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children import cpr
from children.importer import RowError, import_children
from children.models import Child, Enrollment, Guardian
from tidlig.test import BaseTestCase, make_cpr

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures" / "import"
HEADER = "cpr;fornavn;efternavn;køn;enhed;start;slut;forælder1_navn;forælder1_relation"


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.csv").read_bytes()


def cpr_numbers(data: bytes) -> set[str]:
    """Every CPR number of a fixture file, in the forms it could be echoed in."""
    numbers = set()
    for line in data.decode("utf-8-sig").splitlines()[1:]:
        value = line.split(";")[0]
        if value:
            numbers |= {value, value.replace("-", ""), cpr.formatted(cpr.normalize(value))}
    return numbers


class ImportGoodFileTestCase(BaseTestCase):
    def test_it_imports_children_enrollments_and_guardians(self):
        result = import_children(fixture("good"), user=self.adam)

        assert result.errors == []
        assert result.rows == 4
        assert (result.children.created, result.children.updated) == (3, 0)
        assert (result.enrollments.created, result.guardians.created) == (4, 5)

        ida = Child.objects.with_cpr("150320-4002").get()
        assert (ida.first_name, ida.last_name, ida.gender) == ("Ida", "Mortensen", "pige")
        assert ida.birth_date == date(2020, 3, 15)
        assert ida.reveal_cpr() == "150320-4002"
        assert list(ida.enrollments.values_list("unit__name", "start", "end")) == [
            ("Børnehaven Solsikken", date(2023, 8, 1), None)
        ]
        assert list(
            ida.guardians.values_list("name", "relation", "phone", "email", "has_custody")
        ) == [
            ("Jens Mortensen", "far", "+45 30123456", "", True),
            ("Maja Mortensen", "mor", "20 12 34 56", "maja@example.org", True),
        ]

        # Two rows, one child: Alfred moved from the børnehave to school.
        alfred = Child.objects.with_cpr("0711174011").get()
        assert alfred.gender == "dreng"
        assert list(alfred.enrollments.values_list("unit__name", "start", "end")) == [
            ("Børnehaven Solsikken", date(2020, 9, 1), date(2024, 7, 31)),
            ("Nordby Skole", date(2024, 8, 1), None),
        ]
        assert list(alfred.guardians.values_list("name", "relation", "has_custody")) == [
            ("Line Nygaard", "mor", True),
            ("Ole Madsen", "plejeforælder", False),
        ]

        sara = Child.objects.with_cpr("220619-4028").get()
        assert sara.gender == ""
        assert list(sara.guardians.values_list("name", "relation", "has_custody")) == [
            ("Yasmin Ali", "anden", True)
        ]

    def test_it_changes_nothing_when_the_same_file_is_imported_again(self):
        import_children(fixture("good"), user=self.adam)
        before = (Child.objects.count(), Enrollment.objects.count(), Guardian.objects.count())
        entries = LogEntry.objects.count()

        result = import_children(fixture("good"), user=self.adam)

        assert result.errors == []
        for counts, total in ((result.children, 3), (result.enrollments, 4), (result.guardians, 5)):
            assert (counts.created, counts.updated, counts.unchanged) == (0, 0, total)
        after = (Child.objects.count(), Enrollment.objects.count(), Guardian.objects.count())
        assert after == before
        # Only the import's own entry (file and counts): no child changed.
        assert LogEntry.objects.count() == entries + 1
        assert LogEntry.objects.latest("pk").additional_data["event"] == "import"

    def test_it_applies_what_changed_in_a_later_file(self):
        import_children(fixture("good"), user=self.adam)

        result = import_children(fixture("updated"), user=self.adam)

        assert result.errors == []
        assert (result.children.created, result.children.updated) == (0, 0)
        assert (result.enrollments.created, result.enrollments.updated) == (0, 1)
        assert (result.guardians.created, result.guardians.updated) == (0, 1)
        ida = Child.objects.with_cpr("150320-4002").get()
        assert ida.enrollments.get().end == date(2026, 7, 31)
        assert Guardian.objects.get(name="Yasmin Ali").phone == "61234567"
        assert Child.objects.count() == 3 + 3
        assert Enrollment.objects.count() == 3 + 4

    def test_it_updates_a_child_already_in_tidlig(self):
        emma_cpr = cpr.decrypt(self.emma.cpr_encrypted)
        # The order of the columns is free.
        text = (
            "efternavn;fornavn;cpr;køn;slut;enhed;start\n"
            f"Holm-Nielsen;Emma;{emma_cpr};pige;31-07-2026;Børnehaven Solsikken;01-08-2025\n"
        )

        result = import_children(text, user=self.adam)

        assert result.errors == []
        assert (result.children.created, result.children.updated) == (0, 1)
        assert (result.enrollments.created, result.enrollments.updated) == (0, 1)
        self.emma.refresh_from_db()
        assert (self.emma.last_name, self.emma.gender) == ("Holm-Nielsen", "pige")
        assert self.emma.enrollments.get().end == date(2026, 7, 31)
        assert Child.objects.count() == 3

    def test_it_saves_nothing_on_a_dry_run_but_counts_what_the_file_holds(self):
        entries = LogEntry.objects.count()

        result = import_children(fixture("good"), user=self.adam, dry_run=True)

        assert result.ok and result.dry_run
        # Not which children are new: the dry run does not look them up.
        assert (result.children.total, result.enrollments.total) == (0, 0)
        in_file = result.in_file
        assert (in_file.children, in_file.enrollments, in_file.ended) == (3, 4, 1)
        assert in_file.guardians == 5
        assert Child.objects.count() == 3
        # Only the import's own entry: who checked which file.
        assert LogEntry.objects.count() == entries + 1

    def test_it_reads_commas_windows_1252_and_loose_headers(self):
        birth = date(2019, 5, 5)
        number = make_cpr(birth)
        text = (
            " CPR ,Fornavn,EFTERNAVN,Koen,Enhed,Start,Foraelder1_navn,Foraelder1 relation,Noter\r\n"
            f'{number},Søren,"Ærø, Østergård",dreng,Nordby Skole,2025-08-11,Åse Ærø,mor,x\r\n'
        )

        result = import_children(text.encode("cp1252"))

        assert result.errors == []
        assert result.ignored_columns == ["noter"]
        child = Child.objects.with_cpr(number).get()
        assert (child.first_name, child.last_name, child.birth_date) == (
            "Søren",
            "Ærø, Østergård",
            birth,
        )
        assert child.guardians.get().name == "Åse Ærø"

    def test_it_records_the_changes_in_the_audit_trail_with_the_administrator_as_actor(self):
        import_children(fixture("good"), user=self.adam)
        ida = Child.objects.with_cpr("150320-4002").get()
        enrollment = ida.enrollments.get()

        entries = LogEntry.objects.filter(additional_data__child=ida.pk)
        assert entries.count() == 1 + 1 + 2  # the child, its enrollment, two guardians
        assert {e.actor for e in entries} == {self.adam}
        assert {e.action for e in entries} == {LogEntry.Action.CREATE}

        # The same entry django-auditlog writes for an ordinary save.
        created = entries.get(content_type__model="enrollment")
        assert created.object_id == enrollment.pk
        assert created.object_repr == str(enrollment)
        assert created.changes["start"] == ["None", "2023-08-01"]
        assert created.additional_data == {"child": ida.pk}

        # An ordinary save of the same guardian, for comparison.
        with set_actor(self.adam):
            Guardian.objects.create(
                child=self.emma,
                name="Maja Mortensen",
                relation="mor",
                phone="20 12 34 56",
                email="maja@example.org",
            )
        ordinary, imported = (
            LogEntry.objects.get_for_object(child.guardians.get(name="Maja Mortensen")).get()
            for child in (self.emma, ida)
        )
        for name in ("action", "object_repr", "actor", "actor_email", "serialized_data"):
            assert getattr(imported, name) == getattr(ordinary, name)
        assert imported.changes.keys() == ordinary.changes.keys()
        for name in ("name", "relation", "phone", "email", "has_custody"):
            assert imported.changes[name] == ordinary.changes[name]

        import_children(fixture("updated"), user=self.adam)
        updated = LogEntry.objects.get(
            object_id=enrollment.pk,
            content_type__model="enrollment",
            action=LogEntry.Action.UPDATE,
        )
        assert updated.changes == {"end": ["None", "2026-07-31"]}
        assert updated.actor == self.adam

        for entry in LogEntry.objects.all():
            text = str(entry.changes) + entry.object_repr + str(entry.additional_data)
            assert "150320-4002" not in text and "1503204002" not in text
            assert "cpr" not in str(entry.changes)

    def test_it_keeps_the_number_of_queries_independent_of_the_number_of_rows(self):
        def queries(rows: int) -> int:
            lines = [HEADER]
            for i in range(rows):
                number = make_cpr(date(2018, 1, 1 + i % 28))
                lines.append(f"{number};Barn;Nr{i};;Nordby Skole;01-08-2024;;Forælder {i};mor")
            with CaptureQueriesContext(connection) as captured:
                result = import_children("\n".join(lines), user=self.adam)
            assert result.ok
            return len(captured)

        queries(1)  # warm up Django's content type cache
        assert queries(5) == queries(40)


class ImportBadFileTestCase(BaseTestCase):
    def test_it_imports_nothing_and_reports_every_error_with_its_line(self):
        result = import_children(fixture("bad"), user=self.adam)

        assert [(e.line, e.column) for e in result.errors] == [
            (1, ""),
            (3, "cpr"),
            (4, "cpr"),
            (5, "enhed"),
            (7, "start"),
            (8, "slut"),
            (9, "køn"),
            (9, "enhed"),
            (9, "forælder1_relation"),
            (9, "forælder1_email"),
            (10, "fornavn"),
        ]
        messages = {(e.line, e.column): e.message for e in result.errors}
        assert messages[(1, "")] == (
            "Filen mangler disse kolonner: efternavn. Overskriften skal være linje 1."
        )
        assert "gyldig fødselsdato" in messages[(3, "cpr")]
        assert "10 cifre" in messages[(4, "cpr")]
        assert messages[(5, "enhed")] == (
            "Der findes ingen enhed med navnet »Børnehaven Mælkevejen«."
        )
        assert "»32-13-2024«" in messages[(7, "start")]
        assert messages[(8, "slut")] == "Slutdatoen ligger før startdatoen."
        assert "PPR" in messages[(9, "enhed")]
        assert messages[(10, "fornavn")] == "Afviger fra linje 2, som har samme CPR-nummer."

        assert Child.objects.count() == 3
        assert Enrollment.objects.count() == 3
        assert Guardian.objects.count() == 0

    def test_it_never_repeats_a_cpr_number_in_an_error(self):
        data = fixture("bad")
        result = import_children(data)
        messages = " ".join(e.message for e in result.errors)
        for number in cpr_numbers(data):
            assert number not in messages

        # Not even when a shifted column puts the CPR number where a name or a unit goes.
        number = make_cpr(date(2017, 2, 2))
        text = f"{HEADER}\n{number};Bo;Berg;{number};{number};{number};;;\n"
        result = import_children(text)
        assert {e.column for e in result.errors} == {"køn", "enhed", "start"}
        messages = " ".join(e.message for e in result.errors)
        assert number not in messages and cpr.formatted(number) not in messages
        assert "xxxxxx-xxxx" in messages

    def test_it_refuses_conflicting_rows_for_the_same_child(self):
        number = make_cpr(date(2016, 9, 9))
        text = (
            "cpr;fornavn;efternavn;enhed;start;slut;forælder1_navn;forælder1_relation;"
            "forælder2_navn;forælder2_relation\n"
            f"{number};Ea;Bak;Nordby Skole;01-08-2023;;Jon Bak;far;;\n"
            f"{number};Ea;Bak;Nordby Skole;01-08-2023;30-06-2024;;;Jon Bak;mor\n"
        )

        result = import_children(text)

        assert result.errors == [
            RowError(
                3,
                "slut",
                "Linje 2 har samme barn, enhed og startdato, men en anden slutdato.",
            ),
            RowError(
                3,
                "forælder2_navn",
                "Linje 2 har en forælder med samme navn, men andre oplysninger.",
            ),
        ]
        assert Child.objects.count() == 3

    def test_it_checks_guardians_dates_and_the_rows_shape(self):
        number = make_cpr(date(2015, 4, 1))
        text = (
            "cpr;fornavn;efternavn;enhed;start;forælder1_navn;forælder1_telefon;"
            "forælder1_forældremyndighed;forælder2_navn;forælder2_relation\n"
            f"{number};Ib;Ry;Nordby Skole;01-08-2014;;abc;måske;Ib Ry;far\n"
            f"{number};Ib;Ry;Nordby Skole;01-08-2021;;;;;;ekstra\n"
            "\n"
            ";;;;\n"
        )

        result = import_children(text)

        assert [(e.line, e.column) for e in result.errors] == [
            (2, "start"),  # before the birth date in the CPR number
            (2, "forælder1_navn"),
            (2, "forælder1_relation"),
            (2, "forælder1_telefon"),
            (2, "forælder1_forældremyndighed"),
            (3, ""),  # one field too many
        ]

    def test_it_reports_an_empty_file_and_a_file_in_another_format(self):
        assert import_children(b"").errors == [
            RowError(1, "", "Filen er tom eller starter med en tom linje.")
        ]
        assert import_children(f"{HEADER}\n").errors == [
            RowError(2, "", "Der er ingen rækker under overskriften.")
        ]
        result = import_children("navn|adresse\nIda|Vej 1\n")
        assert [(e.line, e.column) for e in result.errors] == [(1, "")]
        assert "cpr, fornavn, efternavn, enhed, start" in result.errors[0].message
