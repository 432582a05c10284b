"""Kvartalsstatus as XLSX and CSV (reports.views.report_export): the same tables
as on screen, with the same suppression by role. The municipality is the one of
test_dashboard: ten children, Emma and Noah at Solsikken among them."""

import csv
import io

from openpyxl import load_workbook

from reports.tests.test_dashboard import NAMES, ReportTestCase


def _trimmed(row) -> list[str]:
    cells = ["" if value is None else str(value) for value in row]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def _contains(rows: list[list[str]], block: list[list[str]]) -> bool:
    return any(rows[i : i + len(block)] == block for i in range(len(rows) - len(block) + 1))


class ExportTestCase(ReportTestCase):
    def _export(self, user, format: str, query: str = ""):
        self.login(user)
        return self.client.get(f"/rapporter/status/{format}/{query}")

    def _page_blocks(self, user, query: str = "") -> list[list[list[str]]]:
        response = self._get(user, query)
        return [
            [[s["table"].title], s["table"].columns, *s["table"].rows]
            for s in response.context["sections"]
        ]

    def _xlsx_rows(self, response) -> list[list[str]]:
        workbook = load_workbook(io.BytesIO(response.content))
        (sheet,) = workbook.worksheets
        return [_trimmed(row) for row in sheet.iter_rows(values_only=True)]

    def _csv_rows(self, response) -> list[list[str]]:
        assert response.content.startswith("\ufeff".encode())
        text = response.content.decode("utf-8-sig")
        return [_trimmed(row) for row in csv.reader(io.StringIO(text), delimiter=";")]

    def _assert_same_tables(self, rows, blocks):
        assert len(blocks) >= 10
        for block in blocks:
            block = [_trimmed(row) for row in block]
            assert _contains(rows, block), block[0]

    def test_it_exports_the_pages_tables_as_xlsx(self):
        response = self._export(self.frida, "xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"
        )
        assert response["Content-Disposition"] == (
            'attachment; filename="kvartalsstatus-2026Q3.xlsx"'
        )
        assert "no-store" in response["Cache-Control"]
        rows = self._xlsx_rows(response)
        assert rows[0] == ["Kvartalsstatus for Børne- og Skoleudvalget"]
        assert ["Kvartal", "3. kvartal 2026"] in rows[:6]
        assert ["Omfang", "Hele kommunen"] in rows[:6]
        assert any("Tal fra 1 til 4 vises som <5" in row[0] for row in rows[:7] if row)
        self._assert_same_tables(rows, self._page_blocks(self.frida))
        assert ["Hele kommunen", "5", "<5", "<5", "<5", "0", "0", "10"] in rows

        sheet = load_workbook(io.BytesIO(response.content)).active
        header = next(row for row in sheet.iter_rows() if row[1].value == "Zone 1 Trivsel")
        assert header[1].font.b
        assert sheet.column_dimensions["A"].width > 10

    def test_it_exports_the_pages_tables_as_csv(self):
        response = self._export(self.frida, "csv", "?kvartal=2026Q2")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="kvartalsstatus-2026Q2.csv"'
        )
        assert "no-store" in response["Cache-Control"]
        rows = self._csv_rows(response)
        assert ["Kvartal", "2. kvartal 2026"] in rows[:6]
        self._assert_same_tables(rows, self._page_blocks(self.frida, "?kvartal=2026Q2"))
        # Each table is a block after a blank line, under its title.
        title = "Børn fordelt på Børnelinealens zoner ved kvartalets udgang"
        at = rows.index([title])
        assert rows[at - 1] == []

    def test_it_keeps_the_drill_down(self):
        query = f"?distrikt={self.sydby.pk}"
        for format, read in (("xlsx", self._xlsx_rows), ("csv", self._csv_rows)):
            rows = read(self._export(self.frida, format, query))
            assert ["Omfang", "Distrikt Sydby"] in rows[:6]
            self._assert_same_tables(rows, self._page_blocks(self.frida, query))

    def test_it_exports_the_leaders_own_unit_unsuppressed(self):
        for format, read in (("xlsx", self._xlsx_rows), ("csv", self._csv_rows)):
            rows = read(self._export(self.lars, format))
            assert ["Omfang", "Børnehaven Solsikken"] in rows[:6]
            assert ["Børnehaven Solsikken", "0", "0", "1", "1", "0", "0", "2"] in rows
            assert not any("<5" in cell for row in rows for cell in row)
            self._assert_same_tables(rows, self._page_blocks(self.lars))
            assert self._export(self.lars, format, f"?enhed={self.skolen.pk}").status_code == 404

    def test_it_names_no_child(self):
        for user in (self.frida, self.lars):
            for format, read in (("xlsx", self._xlsx_rows), ("csv", self._csv_rows)):
                text = "\n".join(";".join(row) for row in read(self._export(user, format)))
                for name in NAMES:
                    assert name not in text, (user, format, name)
                assert "græder" not in text

    def test_it_refuses_everyone_else(self):
        for user in (self.pia, self.sofie, self.rasmus, self.karen, self.adam):
            for format in ("xlsx", "csv"):
                assert self._export(user, format).status_code == 403, (user, format)
        # The PDF is the leaders' own (reports.leader_views); the forvaltning's is
        # the committee report in the archive.
        assert self._export(self.frida, "pdf").status_code == 403

    def test_it_writes_a_formula_like_name_as_text(self):
        # An administrator named a district like a spreadsheet formula.
        self.sydby.name = "=Sydby"
        self.sydby.save()
        rows = self._csv_rows(self._export(self.frida, "csv"))
        assert any(row and row[0] == "'=Sydby" for row in rows)
        sheet = load_workbook(io.BytesIO(self._export(self.frida, "xlsx").content)).active
        cells = [c for row in sheet.iter_rows() for c in row if c.value == "=Sydby"]
        assert cells and all(c.data_type == "s" for c in cells)
