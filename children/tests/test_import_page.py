"""/administration/import/: the administrator's upload page and the template CSV.

Adam is the administrator. Pia (a pædagog) and Frida (forvaltning) must not
reach the page; nobody sees a child's name or CPR number on it.
"""

import codecs
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from children.importer import EXAMPLE, import_children
from children.models import Child
from tidlig.test import BaseTestCase

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures" / "import"
URL = "/administration/import/"
TEMPLATE_URL = "/administration/import/skabelon.csv"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    if content is None:
        content = (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="text/csv")


class ImportPageTestCase(BaseTestCase):
    def test_it_is_for_administrators_only(self):
        for user in (self.pia, self.frida):
            self.login(user)
            assert self.client.get(URL).status_code == 403
            assert self.client.post(URL, {"file": upload("good.csv")}).status_code == 403
            assert self.client.get(TEMPLATE_URL).status_code == 403
        assert Child.objects.count() == 3

        self.client.logout()
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

    def test_it_describes_the_format_and_links_the_template(self):
        self.login(self.adam)

        response = self.client.get(URL)

        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Importér børn, forældre og indskrivninger</h1>" in html
        assert 'enctype="multipart/form-data"' in html
        assert f'href="{TEMPLATE_URL}"' in html
        assert "<code>forælder1_forældremyndighed</code>" in html

    def test_it_imports_a_file_and_shows_counts_but_no_child_data(self):
        self.login(self.adam)

        response = self.client.post(URL, {"file": upload("good.csv")})

        html = response.content.decode()
        assert response.status_code == 200
        assert "Filen er importeret" in html
        assert "Alle 4 rækker i filen er importeret." in html
        assert '<th scope="row">Børn</th>' in html
        assert Child.objects.count() == 3 + 3
        for private in ("Ida", "Mortensen", "Alfred", "150320", "Maja", "Emma"):
            assert private not in html

    def test_it_shows_every_error_and_imports_nothing(self):
        self.login(self.adam)

        response = self.client.post(URL, {"file": upload("bad.csv")})

        html = response.content.decode()
        assert response.status_code == 200
        assert "Intet er importeret" in html
        assert "Filen har 11 fejl." in html
        rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
        lines = [row.split("<td>")[1].split("</td>")[0] for row in rows]
        assert lines == ["1", "3", "4", "5", "7", "8", "9", "9", "9", "9", "10"]
        assert "Der findes ingen enhed med navnet »Børnehaven Mælkevejen«." in html
        for number in ("150320-4002", "310220-4012", "1203184", "050519-4021"):
            assert number not in html
        assert Child.objects.count() == 3

    def test_it_checks_a_file_without_importing_it(self):
        self.login(self.adam)

        response = self.client.post(URL, {"file": upload("good.csv"), "dry_run": "on"})

        html = response.content.decode()
        assert "Filen er i orden" in html
        assert "Intet er gemt endnu" in html
        assert "Oprettes" not in html
        assert '<th scope="row">Børn</th><td class="align-text-right">3</td>' in html
        assert Child.objects.count() == 3

    def test_it_refuses_a_file_that_is_not_csv(self):
        self.login(self.adam)

        response = self.client.post(URL, {"file": upload("børn.xlsx", b"PK\x03\x04")})
        html = response.content.decode()
        assert "Vælg en CSV-fil. Filnavnet skal slutte på .csv." in html
        assert 'class="form-group form-error"' in html

        response = self.client.post(URL, {})
        assert "Vælg den CSV-fil, der skal importeres." in response.content.decode()

    def test_it_refuses_a_file_over_10_mb(self):
        self.login(self.adam)
        big = b"cpr;fornavn\n" + b"x" * (10 * 1024 * 1024)

        response = self.client.post(URL, {"file": upload("stor.csv", big)})

        assert "Den må højst fylde 10 MB." in response.content.decode()

    def test_it_offers_a_template_that_imports_as_it_is(self):
        self.login(self.adam)

        response = self.client.get(TEMPLATE_URL)

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        assert response.content.startswith(codecs.BOM_UTF8)
        result = import_children(response.content)
        assert result.errors == []
        assert (result.children.created, result.enrollments.created) == (2, 3)

    def test_it_documents_the_same_example_as_the_template(self):
        docs = (Path(settings.BASE_DIR) / "docs" / "import.md").read_text(encoding="utf-8")
        assert EXAMPLE.strip() in docs
