"""children.absence_import: the monthly absence from the schools' and day care's
systems, all or nothing, a month of a unit replaced by the file; the command and
the administrator's page.

Oskar goes to Nordby Skole, Emma and Noah to Solsikken (tidlig.test).
"""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from children.absence_import import EXAMPLE, import_absence, template_csv
from children.audit import Event
from children.models import AbsenceRecord
from tidlig.test import BaseTestCase

TODAY = date(2026, 12, 4)
HEADER = "cpr;enhed;måned;fravær;mulige;ulovligt_fravær;opgjort_i"


@time_machine.travel(TODAY, tick=False)
class AbsenceImportTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.oskar_cpr = self.oskar.reveal_cpr()
        self.emma_cpr = self.emma.reveal_cpr()
        self.noah_cpr = self.noah.reveal_cpr()

    def good(self) -> str:
        return "\n".join(
            [
                HEADER,
                f"{self.oskar_cpr};Nordby Skole;2026-10;2;22;0;dage",
                f"{self.oskar_cpr};Nordby Skole;2026-11;4,5;20;2;dage",
                f"{self.emma_cpr};Børnehaven Solsikken;11-2026;3;20;;",
                f"{self.noah_cpr.replace('-', '')};børnehaven  solsikken;2026-11;0;20;;",
            ]
        )

    def test_it_imports_a_good_file(self):
        result = import_absence(self.good(), user=self.adam)

        assert result.errors == []
        assert result.rows == 4
        assert (result.records.created, result.skipped) == (4, 0)
        november = AbsenceRecord.objects.get(child=self.oskar, month=date(2026, 11, 1))
        assert (november.unit, november.measure) == (self.skolen, "dage")
        assert (november.absent, november.possible, november.unlawful) == (
            Decimal("4.5"),
            Decimal("20"),
            Decimal("2"),
        )
        assert november.percent == 23  # 22.5 rounds up
        assert AbsenceRecord.objects.get(child=self.emma).unlawful is None
        assert result.months == [
            ("Børnehaven Solsikken", date(2026, 11, 1), 2),
            ("Nordby Skole", date(2026, 10, 1), 1),
            ("Nordby Skole", date(2026, 11, 1), 1),
        ]
        # Every record in the children's own trails, with the administrator as actor.
        created = LogEntry.objects.filter(
            content_type__model="absencerecord", action=LogEntry.Action.CREATE
        )
        assert created.count() == 4
        assert {e.actor for e in created} == {self.adam}
        assert {e.additional_data["child"] for e in created} == {
            self.oskar.pk,
            self.emma.pk,
            self.noah.pk,
        }

    def test_the_same_file_again_changes_nothing(self):
        import_absence(self.good(), user=self.adam)
        result = import_absence(self.good(), user=self.adam)

        counts = result.records
        assert (counts.created, counts.updated, counts.unchanged, counts.deleted) == (0, 0, 4, 0)
        assert AbsenceRecord.objects.count() == 4

    def test_a_month_imported_again_replaces_that_month_of_the_unit(self):
        import_absence(self.good(), user=self.adam)
        # November at Solsikken corrected: Emma had 5 days, Noah is not in the file.
        again = f"{HEADER}\n{self.emma_cpr};Børnehaven Solsikken;2026-11;5;20;1;dage\n"
        result = import_absence(again, user=self.adam)

        counts = result.records
        assert (counts.created, counts.updated, counts.unchanged, counts.deleted) == (0, 1, 0, 1)
        emma = AbsenceRecord.objects.get(child=self.emma)
        assert (emma.absent, emma.unlawful) == (Decimal(5), Decimal(1))
        assert not AbsenceRecord.objects.filter(child=self.noah).exists()
        # Nordby Skole's months were not in the file, and stay as they were.
        assert AbsenceRecord.objects.filter(child=self.oskar).count() == 2
        deleted = LogEntry.objects.get(
            content_type__model="absencerecord", action=LogEntry.Action.DELETE
        )
        assert deleted.additional_data == {"child": self.noah.pk}

    def test_a_bad_file_lists_every_error_by_line_and_imports_nothing(self):
        text = "\n".join(
            [
                HEADER,
                f"{self.oskar_cpr};Nordby Skole;2026-11;4;20;;",
                "0101011234x;Nordby Skole;2026-11;1;20;;",
                f"{self.emma_cpr};Børnehaven Mælkevejen;2026-11;1;20;;",
                f"{self.emma_cpr};PPR;2026-11;1;20;;",
                f"{self.emma_cpr};Børnehaven Solsikken;november;1;20;;",
                f"{self.emma_cpr};Børnehaven Solsikken;2027-01;1;20;;",
                f"{self.emma_cpr};Børnehaven Solsikken;2026-09;21;20;;",
                f"{self.emma_cpr};Børnehaven Solsikken;2026-08;2;20;3;",
                f"{self.emma_cpr};Børnehaven Solsikken;2026-07;to;0;;timer",
                f"{self.oskar_cpr};Nordby Skole;2026-11;4;20;;",
                f"{self.emma_cpr};Børnehaven Solsikken;2026-06;1,25;;;",
            ]
        )
        result = import_absence(text, user=self.adam)

        found = [(e.line, e.column, e.message) for e in result.errors]
        assert found == [
            (3, "cpr", "Et CPR-nummer består af 10 cifre, f.eks. 010118-1234."),
            (4, "enhed", "Der findes ingen enhed med navnet »Børnehaven Mælkevejen«."),
            (
                5,
                "enhed",
                "PPR er af typen PPR og har ikke fravær. Brug en dagpleje, vuggestue, "
                "børnehave, skole, SFO eller klub.",
            ),
            (6, "måned", "Ugyldig måned »november«. Skriv måneden som åååå-mm, f.eks. 2026-11."),
            (7, "måned", "Måneden ligger i fremtiden."),
            (8, "fravær", "Fraværet er større end det mulige antal dage eller lektioner."),
            (9, "ulovligt_fravær", "Det ulovlige fravær er større end fraværet i alt."),
            (10, "fravær", "Ugyldigt tal »to«. Skriv et tal fra 0, f.eks. 3 eller 4,5."),
            (10, "mulige", "Antallet af mulige dage eller lektioner skal være større end 0."),
            (
                10,
                "opgjort_i",
                "Ukendt enhed »timer«. Skriv dage eller lektioner (tomt betyder dage).",
            ),
            (11, "måned", "Linje 2 har samme barn, enhed og måned."),
            (12, "fravær", "Højst én decimal, f.eks. 4,5."),
            (12, "mulige", "Feltet skal udfyldes."),
        ]
        assert not AbsenceRecord.objects.exists()
        for error in result.errors:
            assert self.emma_cpr not in error.message
            assert self.oskar_cpr.replace("-", "") not in error.message

    def test_a_file_without_the_columns_says_so_once(self):
        result = import_absence("cpr;navn\n0101011234;Ida\n", user=self.adam)

        assert [(e.line, e.message) for e in result.errors] == [
            (
                1,
                "Filen mangler disse kolonner: enhed, måned, fravær, mulige. "
                "Overskriften skal være linje 1.",
            )
        ]

    def test_it_skips_and_counts_rows_of_children_not_enrolled_in_the_month(self):
        # Oskar does not go to Solsikken; 150320-4002 is no child in Tidlig.
        text = (
            f"{HEADER}\n{self.oskar_cpr};Børnehaven Solsikken;2026-11;1;20;;\n"
            "150320-4002;Nordby Skole;2026-11;1;20;;\n"
            f"{self.emma_cpr};Børnehaven Solsikken;2025-07;1;20;;\n"
        )
        result = import_absence(text, user=self.adam)

        assert result.errors == []
        assert (result.records.created, result.skipped) == (0, 3)
        assert not AbsenceRecord.objects.exists()

    def test_a_dry_run_saves_nothing_and_looks_up_no_child(self):
        with self.assertNumQueries(2):  # the units, and the run's own audit entry
            result = import_absence(self.good(), user=self.adam, dry_run=True)

        assert result.errors == []
        assert result.records.created == 0
        assert len(result.months) == 3
        assert not AbsenceRecord.objects.exists()

    def test_every_run_writes_one_audit_entry_naming_no_child(self):
        import_absence(self.good(), user=self.adam, name="fravær-november.csv")
        import_absence(f"{HEADER}\nx;y;z;1;2;;\n", user=self.adam)

        entries = LogEntry.objects.filter(additional_data__event=Event.ABSENCE_IMPORT).order_by(
            "pk"
        )
        assert [e.additional_data["errors"] > 0 for e in entries] == [False, True]
        first = entries[0].additional_data
        assert first["file"]["name"] == "fravær-november.csv"
        assert first["records"] == {"created": 4, "updated": 0, "unchanged": 0, "deleted": 0}
        assert "child" not in first
        assert entries[0].object_id is None

    def test_the_example_in_the_template_is_valid(self):
        assert template_csv().startswith(b"\xef\xbb\xbf")
        result = import_absence(EXAMPLE, dry_run=True)
        assert result.errors == []


@time_machine.travel(TODAY, tick=False)
class AbsenceImportCommandTestCase(BaseTestCase):
    def test_it_imports_and_prints_counts_without_a_cpr_number(self):
        path = self._file(f"{HEADER}\n{self.oskar.reveal_cpr()};Nordby Skole;2026-11;3;20;;\n")
        out = StringIO()
        call_command("import_absence", str(path), "--user", "adam", stdout=out)

        assert "Filen er importeret: 1 rækker." in out.getvalue()
        assert "Fravær: 1 oprettet, 0 opdateret, 0 uændret, 0 slettet" in out.getvalue()
        assert "Nordby Skole, november 2026: 1" in out.getvalue()
        assert self.oskar.reveal_cpr() not in out.getvalue()
        assert AbsenceRecord.objects.get().child == self.oskar

    def test_it_fails_with_the_errors_and_a_dry_run_saves_nothing(self):
        cpr = self.oskar.reveal_cpr()
        bad = self._file(f"{HEADER}\n{cpr};Nordby Skole;2026-11;30;20;;\n")
        err = StringIO()
        with pytest.raises(CommandError, match=r"Filen har 1 fejl\. Intet er importeret\."):
            call_command("import_absence", str(bad), stdout=StringIO(), stderr=err)
        assert err.getvalue().startswith("Linje 2 (fravær): Fraværet er større")

        good = self._file(f"{HEADER}\n{cpr};Nordby Skole;2026-11;3;20;;\n")
        out = StringIO()
        call_command("import_absence", str(good), "--dry-run", stdout=out)
        assert "Intet er gemt (--dry-run)." in out.getvalue()
        assert not AbsenceRecord.objects.exists()

    def _file(self, text: str):
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp())
        path = folder / "fravaer.csv"
        path.write_text(text, encoding="utf-8")
        return path


@time_machine.travel(TODAY, tick=False)
class AbsenceImportPageTestCase(BaseTestCase):
    url = reverse("absence_import")

    def test_the_administrator_imports_and_sees_counts_only(self):
        self.login(self.adam)
        assert "Importér fravær" in self.client.get(self.url).content.decode()
        text = f"{HEADER}\n{self.oskar.reveal_cpr()};Nordby Skole;2026-11;3;20;;\n"
        upload = SimpleUploadedFile("fravaer.csv", text.encode(), content_type="text/csv")
        response = self.client.post(self.url, {"file": upload})

        page = response.content.decode()
        assert "Filen er importeret" in page
        assert "november 2026" in page
        assert "Oskar" not in page
        assert AbsenceRecord.objects.count() == 1

    def test_errors_are_listed_by_line(self):
        self.login(self.adam)
        text = f"{HEADER}\n{self.oskar.reveal_cpr()};Nordby Skole;2026-13;3;20;;\n"
        upload = SimpleUploadedFile("fravaer.csv", text.encode(), content_type="text/csv")
        page = self.client.post(self.url, {"file": upload}).content.decode()

        assert "Intet er importeret" in page
        assert "Ugyldig måned »2026-13«" in page
        assert not AbsenceRecord.objects.exists()

    def test_the_template_downloads(self):
        self.login(self.adam)
        response = self.client.get(reverse("absence_import_template"))
        assert response["Content-Disposition"].endswith('"tidlig-fravaer-skabelon.csv"')
        assert response.content.startswith(b"\xef\xbb\xbfcpr;enhed;m")

    def test_no_one_else_opens_it(self):
        for user in (self.pia, self.lars, self.rasmus, self.frida):
            self.login(user)
            assert self.client.get(self.url).status_code == 403
