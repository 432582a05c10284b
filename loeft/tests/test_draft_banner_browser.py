"""The LØFT form in a real browser: the "text put back" banner shows only when text
was put back from the tab's copy, the copy goes once the server has saved the text,
and the next steps' labels say "(skal udfyldes)" as soon as a row is used."""

import re
from datetime import timedelta

from django.utils import timezone

from loeft.tests.factories import guardian
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS

KEY = "document.querySelector('form[data-draft-key]').dataset.draftKey"
STORED = f"() => window.sessionStorage.getItem({KEY})"


class DraftBannerBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        guardian(self.emma)

    def _start(self):
        page = self.page
        self.log_in("pia")
        page.goto(f"{self.live_server_url}{self.emma.get_absolute_url()}")
        page.get_by_role("button", name="Start LØFT-dialog").click()
        page.wait_for_url(re.compile(r"/loeft/\d+/rediger/$"))
        return page

    def test_a_validation_error_shows_no_banner_and_a_save_clears_the_copy(self):
        page = self._start()
        owner_label = page.locator("label[for=id_skridt-0-owner] [data-required-when-used]")
        assert not owner_label.is_visible()
        # The step's text makes its owner and date required, visibly, while typing.
        page.fill("#id_skridt-0-text", "Ring til mor")
        assert owner_label.is_visible()
        assert page.get_attribute("#id_skridt-0-due", "aria-required") == "true"
        page.fill("#id_what_works", "Emma leger godt med Alma.")
        assert page.evaluate(STORED) is not None  # the tab's copy, before the autosave
        page.get_by_role("button", name="Gem og afslut dialogen").click()

        # The server's answer: errors next to the fields, the text kept, no banner,
        # and the tab's copy gone (the server saved the draft).
        page.locator("#id_skridt-0-owner_error").get_by_text("Vælg, hvem der gør det.").wait_for()
        assert page.locator("#id_skridt-0-due_error").get_by_text("Skriv, hvornår").is_visible()
        assert owner_label.is_visible()
        assert page.input_value("#id_what_works") == "Emma leger godt med Alma."
        assert not page.locator("#draft-restored").is_visible()
        assert page.evaluate(STORED) is None
        self.assert_accessible()

        page.select_option("#id_skridt-0-owner", label="Barnet selv")
        page.fill("#id_skridt-0-due", (timezone.localdate() + timedelta(days=7)).isoformat())
        assert page.evaluate(STORED) is not None
        page.get_by_role("button", name="Gem og afslut dialogen").click()
        page.get_by_text("LØFT-dialogen er gemt.").wait_for()
        assert (
            page.evaluate(
                "() => Object.keys(window.sessionStorage).filter(k => k.startsWith('tidlig-loeft'))"
            )
            == []
        )

    def test_the_banner_shows_only_when_text_was_put_back(self):
        page = self._start()
        page.fill("#id_what_works", "Emma leger godt med Alma.")
        page.locator("#autosave-status").get_by_text(re.compile(r"Kladde gemt")).wait_for()
        page.wait_for_function(f"() => ({STORED})() === null")

        # A copy holding what the server has already: nothing to put back, no banner.
        copy = (
            f"(fields) => window.sessionStorage.setItem({KEY}, "
            "JSON.stringify({savedAt: Date.now(), fields}))"
        )
        page.evaluate(copy, [["what_works", "Emma leger godt med Alma."]])
        page.reload()
        assert page.input_value("#id_what_works") == "Emma leger godt med Alma."
        assert not page.locator("#draft-restored").is_visible()
        assert page.evaluate(STORED) is None

        # A copy with text the server never got: put back, said so, saved.
        page.evaluate(copy, [["what_works", "Emma leger godt med Alma og Noah."]])
        page.reload()
        assert page.input_value("#id_what_works") == "Emma leger godt med Alma og Noah."
        assert page.locator("#draft-restored").is_visible()
        page.wait_for_function(f"() => ({STORED})() === null")
