"""manage.py import_children: Danish summary or error list, never a CPR number."""

from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import CommandError, call_command

from children.models import Child
from tidlig.test import BaseTestCase

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures" / "import"
CPR_NUMBERS = ["150320-4002", "1503204002", "310220-4012", "3102204012", "1203184", "050519"]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_children", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class ImportCommandTestCase(BaseTestCase):
    def test_it_imports_a_file_and_prints_the_counts(self):
        out, err = run(str(FIXTURES / "good.csv"), "--user", "adam")

        assert "Filen er importeret: 4 rækker." in out
        assert "Børn: 3 oprettet, 0 opdateret, 0 uændret" in out
        assert "Indskrivninger: 4 oprettet, 0 opdateret, 0 uændret" in out
        assert "Forældre og værger: 5 oprettet, 0 opdateret, 0 uændret" in out
        assert err == ""
        assert Child.objects.count() == 3 + 3
        child_entries = LogEntry.objects.filter(content_type__model="child").exclude(
            object_id__in=[self.emma.pk, self.noah.pk, self.oskar.pk]
        )
        assert set(child_entries.values_list("actor__username", flat=True)) == {"adam"}

        out, _err = run(str(FIXTURES / "good.csv"))
        assert "Børn: 0 oprettet, 0 opdateret, 3 uændret" in out

    def test_it_fails_with_every_error_and_imports_nothing(self):
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError, match=r"^Filen har 11 fejl\. Intet er importeret\.$"):
            call_command("import_children", FIXTURES / "bad.csv", stdout=out, stderr=err)

        lines = err.getvalue().splitlines()
        assert len(lines) == 11
        assert lines[0].startswith("Linje 1: Filen mangler disse kolonner: efternavn.")
        assert lines[1].startswith("Linje 3 (cpr): ")
        assert lines[-1] == "Linje 10 (fornavn): Afviger fra linje 2, som har samme CPR-nummer."
        for number in CPR_NUMBERS:
            assert number not in out.getvalue() + err.getvalue()
        assert Child.objects.count() == 3

    def test_it_saves_nothing_on_a_dry_run(self):
        out, _err = run(str(FIXTURES / "good.csv"), "--dry-run")

        assert "Filen har 4 rækker og ingen fejl. Intet er gemt (--dry-run)." in out
        assert "I filen: 3 børn, 4 indskrivninger (1 med slutdato), 5 forældre og værger." in out
        assert "oprettes" not in out
        assert Child.objects.count() == 3

    def test_it_explains_a_missing_file_or_user(self):
        with pytest.raises(CommandError, match="Filen kan ikke læses"):
            run(str(FIXTURES / "findes-ikke.csv"))
        with pytest.raises(CommandError, match="ingen bruger med brugernavnet ukendt"):
            run(str(FIXTURES / "good.csv"), "--user", "ukendt")
