"""The import's optional group column (gruppe, or klasse/stue/hold/team): the
named group of the unit, created when the unit does not have it (and listed by
a dry run), refused when closed; without the column everything is as before."""

import tempfile
from datetime import date
from io import StringIO
from pathlib import Path

from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import GroupKind, UnitGroup
from children.access import visible_children
from children.importer import RowError, import_children
from children.models import Child, Enrollment
from tidlig.test import BaseTestCase, make_cpr

HEADER = "cpr;fornavn;efternavn;enhed;{group};start;slut"


class ImportGroupsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.a = UnitGroup.objects.create(unit=cls.skolen, name="0.A", kind=GroupKind.KLASSE)
        cls.ida = make_cpr(date(2020, 3, 15))
        cls.bo = make_cpr(date(2020, 5, 5), boy=True)

    def _file(self, *rows: str, column: str = "gruppe") -> str:
        return "\n".join([HEADER.format(group=column), *rows]) + "\n"

    def test_it_places_the_enrollment_in_the_units_group_whatever_the_case(self):
        text = self._file(f"{self.ida};Ida;Holm;Nordby Skole; 0.a ;01-08-2026;")

        result = import_children(text, user=self.adam)

        assert result.errors == [] and result.new_groups == []
        enrollment = Enrollment.objects.get(child=Child.objects.with_cpr(self.ida).get())
        assert enrollment.group == self.a
        assert UnitGroup.objects.count() == 1

    def test_it_creates_a_group_the_unit_lacks_and_says_so_on_a_dry_run(self):
        text = self._file(
            f"{self.ida};Ida;Holm;Nordby Skole;0.B;01-08-2026;",
            f"{self.bo};Bo;Lund;Børnehaven Solsikken;Månestuen;01-08-2024;",
            f"{self.bo};Bo;Lund;Nordby Skole;0.b;01-08-2026;",
        )

        dry = import_children(text, user=self.adam, dry_run=True)

        assert dry.errors == []
        assert dry.new_groups == [("Børnehaven Solsikken", "Månestuen"), ("Nordby Skole", "0.B")]
        assert UnitGroup.objects.count() == 1  # nothing saved

        result = import_children(text, user=self.adam)

        assert result.new_groups == dry.new_groups
        b = UnitGroup.objects.get(unit=self.skolen, name="0.B")
        stue = UnitGroup.objects.get(unit=self.solsikken)
        assert (b.kind, b.active) == (GroupKind.KLASSE, True)
        assert (stue.name, stue.kind) == ("Månestuen", GroupKind.STUE)
        assert set(
            Enrollment.objects.filter(group=b).values_list("child__first_name", flat=True)
        ) == {
            "Ida",
            "Bo",
        }
        # In the audit trail, with the administrator as the actor.
        entry = LogEntry.objects.get_for_object(b).get()
        assert entry.actor == self.adam and entry.action == LogEntry.Action.CREATE

        # Again: nothing new, nothing changed.
        again = import_children(text, user=self.adam)
        assert again.new_groups == []
        assert (again.enrollments.created, again.enrollments.updated) == (0, 0)
        assert UnitGroup.objects.count() == 3

    def test_it_moves_a_child_to_another_group_and_an_empty_cell_changes_nothing(self):
        b = UnitGroup.objects.create(unit=self.skolen, name="0.B", kind=GroupKind.KLASSE)
        import_children(self._file(f"{self.ida};Ida;Holm;Nordby Skole;0.A;01-08-2026;"))

        result = import_children(self._file(f"{self.ida};Ida;Holm;Nordby Skole;0.B;01-08-2026;"))
        assert (result.enrollments.updated, result.enrollments.unchanged) == (1, 0)
        enrollment = Enrollment.objects.get(group__isnull=False)
        assert enrollment.group == b
        entry = LogEntry.objects.get_for_object(enrollment).get(action=LogEntry.Action.UPDATE)
        assert entry.changes_dict["group"] == [str(self.a.pk), str(b.pk)]

        result = import_children(self._file(f"{self.ida};Ida;Holm;Nordby Skole;;01-08-2026;"))
        assert result.enrollments.unchanged == 1
        enrollment.refresh_from_db()
        assert enrollment.group == b

        # A file without the column at all, as before groups existed.
        result = import_children(
            "cpr;fornavn;efternavn;enhed;start;slut\n"
            f"{self.ida};Ida;Holm;Nordby Skole;01-08-2026;\n"
        )
        assert result.errors == [] and result.enrollments.unchanged == 1
        enrollment.refresh_from_db()
        assert enrollment.group == b

    def test_the_column_may_be_called_klasse_or_stue(self):
        result = import_children(
            self._file(f"{self.ida};Ida;Holm;Nordby Skole;0.A;01-08-2026;", column="Klasse")
        )
        assert result.errors == [] and result.ignored_columns == []
        assert Enrollment.objects.get(group=self.a)
        result = import_children(
            self._file(
                f"{self.bo};Bo;Lund;Børnehaven Solsikken;Solstuen;01-08-2024;", column="stue"
            )
        )
        assert result.new_groups == [("Børnehaven Solsikken", "Solstuen")]
        # Two names for one column is one column twice.
        result = import_children(
            "cpr;fornavn;efternavn;enhed;start;klasse;gruppe\n"
            f"{self.ida};Ida;Holm;Nordby Skole;01-08-2026;0.A;0.A\n"
        )
        assert RowError(1, "gruppe", "Kolonnen står mere end én gang i overskriften.") in (
            result.errors
        )

    def test_it_refuses_a_closed_group_line_by_line_and_imports_nothing(self):
        UnitGroup.objects.create(unit=self.skolen, name="0.C", kind=GroupKind.KLASSE, active=False)
        text = self._file(
            f"{self.ida};Ida;Holm;Nordby Skole;0.D;01-08-2026;",
            f"{self.bo};Bo;Lund;Nordby Skole;0.c;01-08-2026;",
        )

        result = import_children(text, user=self.adam, dry_run=True)

        assert result.errors == [
            RowError(
                3,
                "gruppe",
                "Gruppen »0.C« på Nordby Skole er lukket. Åbn den igen på enhedens side under "
                "Administration, eller ret linjen.",
            )
        ]
        assert result.new_groups == []  # nothing is created from a file with errors
        assert import_children(text).errors == result.errors
        assert not UnitGroup.objects.filter(name="0.D").exists()
        assert Child.objects.count() == 3

    def test_it_refuses_two_groups_for_one_enrollment_and_a_long_name(self):
        text = self._file(
            f"{self.ida};Ida;Holm;Nordby Skole;0.A;01-08-2026;",
            f"{self.ida};Ida;Holm;Nordby Skole;0.B;01-08-2026;",
            f"{self.bo};Bo;Lund;Nordby Skole;{'x' * 101};01-08-2026;",
        )

        result = import_children(text)

        assert result.errors == [
            RowError(
                3, "gruppe", "Linje 2 har samme barn, enhed og startdato, men en anden gruppe."
            ),
            RowError(4, "gruppe", "Højst 100 tegn."),
        ]
        assert not UnitGroup.objects.filter(name="0.B").exists()

    def test_a_group_on_a_unit_that_enrolls_no_children_is_the_units_error_only(self):
        result = import_children(self._file(f"{self.ida};Ida;Holm;PPR;Team 1;01-08-2026;"))
        assert [(e.line, e.column) for e in result.errors] == [(2, "enhed")]
        assert not UnitGroup.objects.filter(unit=self.ppr).exists()

    def test_the_number_of_queries_does_not_grow_with_the_rows(self):
        def queries(rows: int) -> int:
            lines = [HEADER.format(group="gruppe")]
            for i in range(rows):
                number = make_cpr(date(2018, 1, 1 + i % 28))
                lines.append(f"{number};Barn;Nr{i};Nordby Skole;{i % 3}.A;01-08-2024;")
            with CaptureQueriesContext(connection) as captured:
                assert import_children("\n".join(lines), user=self.adam).ok
            return len(captured)

        queries(3)  # warm up Django's content type cache, and create 1.A and 2.A
        assert queries(5) == queries(40)

    def test_the_command_and_the_page_list_the_new_groups(self):
        text = self._file(f"{self.ida};Ida;Holm;Nordby Skole;0.B;01-08-2026;")

        out = StringIO()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "klasser.csv"
            path.write_text(text, encoding="utf-8")
            call_command("import_children", path, "--dry-run", stdout=out, stderr=StringIO())
        assert "Nye grupper, som oprettes:\n    Nordby Skole: 0.B" in out.getvalue()

        self.login(self.adam)
        upload = SimpleUploadedFile("klasser.csv", text.encode(), content_type="text/csv")
        html = self.client.post("/administration/import/", {"file": upload}).content.decode()
        assert "Nye grupper, som er oprettet" in html and "<li>Nordby Skole: 0.B</li>" in html
        assert "Ida" not in html

    def test_an_imported_class_narrows_what_a_teacher_limited_to_another_sees(self):
        self.sofie.memberships.get().groups.set([self.a])
        import_children(
            self._file(
                f"{self.ida};Ida;Holm;Nordby Skole;0.A;01-08-2026;",
                f"{self.bo};Bo;Lund;Nordby Skole;0.B;01-08-2026;",
            )
        )
        # Not Bo in 0.B, nor Oskar, who is in no class.
        assert {c.first_name for c in visible_children(self.sofie)} == {"Ida"}
