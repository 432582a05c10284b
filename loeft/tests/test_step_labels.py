"""The labels of the next steps tell the truth (issue 20): a row may stay empty, so no
field says it is required; once the row is used, all three say "(skal udfyldes)",
are aria-required, and each has its Danish error next to it when left out. None of
them ever says "(valgfrit)"."""

import re

from loeft.tests.factories import dialogue_post, guardian
from tidlig.test import BaseTestCase

MARKER = '<span class="weight-normal" data-required-when-used{hidden}>(skal udfyldes)</span>'


def label(html: str, field_id: str) -> str:
    match = re.search(rf'<label class="form-label" for="{field_id}">(.*?)</label>', html, re.S)
    assert match, field_id
    return match[1]


class StepLabelsTestCase(BaseTestCase):
    def setUp(self):
        guardian(self.emma)
        self.login(self.pia)
        self.url = self.client.post(f"/boern/{self.emma.pk}/loeft/")["Location"]

    def test_an_empty_row_asks_for_nothing(self):
        html = self.client.get(self.url).content.decode()
        for name in ("text", "owner", "due"):
            field_label = label(html, f"id_skridt-0-{name}")
            assert MARKER.format(hidden=" hidden") in field_label, field_label
            assert "valgfrit" not in field_label
        row = html[html.index('id="id_skridt-0-text"') - 300 : html.index('id="id_skridt-1-text"')]
        assert " required" not in row and "aria-required" not in row

    def test_a_row_with_text_requires_its_owner_and_date_next_to_the_fields(self):
        response = self.client.post(
            self.url, dialogue_post(afslut="1", **{"skridt-0-text": "Ring til mor"})
        )
        html = response.content.decode()
        for name in ("text", "owner", "due"):
            assert MARKER.format(hidden="") in label(html, f"id_skridt-0-{name}")
            assert re.search(rf'<[^>]*aria-required="true"[^>]*id="id_skridt-0-{name}"', html)
        owner_error = html.index('<div id="id_skridt-0-owner_error">')
        assert "Vælg, hvem der gør det." in html[owner_error : owner_error + 300]
        due_error = html.index('<div id="id_skridt-0-due_error">')
        assert "Skriv, hvornår det senest skal være gjort." in html[due_error : due_error + 300]
        # The second row was left empty: it still asks for nothing.
        assert MARKER.format(hidden=" hidden") in label(html, "id_skridt-1-owner")

    def test_a_row_with_only_an_owner_requires_the_text(self):
        data = dialogue_post(afslut="1", **{"skridt-0-owner": "barn"})
        html = self.client.post(self.url, data).content.decode()
        error = html.index('<div id="id_skridt-0-text_error">')
        assert "Skriv, hvad næste skridt er." in html[error : error + 300]

    def test_a_page_after_a_saved_draft_tells_the_browser_its_copy_is_not_needed(self):
        assert "data-draft-saved" not in self.client.get(self.url).content.decode()
        for button in ({"gem": "1"}, {"afslut": "1"}):
            html = self.client.post(self.url, dialogue_post(**button, held_on="")).content.decode()
            assert "data-draft-saved" in html, button
