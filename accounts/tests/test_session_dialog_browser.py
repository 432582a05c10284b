"""A real browser warns before the idle timeout and keeps what was typed.

Pia writes a concern and leaves it; the browser's clock is moved on 28 minutes
(Playwright's fake clock), the warning dialog opens, she stays logged in and
her text is still in the form.
"""

from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS


class SessionDialogBrowserTestCase(BrowserTestCase):
    def test_it_warns_before_the_idle_timeout_and_keeps_the_typed_text(self):
        page, base = self.page, self.live_server_url
        page.clock.install()
        self.log_in("pia")
        page.goto(f"{base}/boern/{self.emma.pk}/bekymring/")
        field = page.get_by_label("Hvad har du set eller hørt?")
        field.fill("Emma sad alene ved frokosten.")
        dialog = page.locator("#session-warning")
        assert not dialog.is_visible()

        page.clock.fast_forward("27:00")
        assert not dialog.is_visible()
        page.clock.fast_forward("01:30")  # 28½ minutes: two minutes or less left
        dialog.wait_for(state="visible")
        with page.expect_response(lambda r: "/konto/bliv-logget-ind/" in r.url) as kept:
            page.get_by_role("button", name="Bliv logget ind").click()
        assert kept.value.status == 204
        dialog.wait_for(state="hidden")
        assert field.input_value() == "Emma sad alene ved frokosten."
