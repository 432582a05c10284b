"""A double-click in a real browser sends a form once (static/js/tidlig.js holds
the submit button while the POST is on its way; tidlig.lib.once catches the rest).
Debian's Chromium through Playwright against Django's live server."""

from children.models import Concern
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS


class DoubleClickTestCase(BrowserTestCase):
    def test_a_double_click_on_save_sends_one_request_and_saves_one_concern(self):
        page, base = self.page, self.live_server_url
        self.log_in("pia")
        page.goto(f"{base}/boern/{self.emma.pk}/bekymring/")
        form = page.locator("form[data-zone-form]")
        form.locator("textarea[name=text]").fill("Emma græder ved aflevering om morgenen.")
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        # Two clicks 50 ms apart, the second while the first POST is on its way.
        with page.expect_navigation():
            form.locator("button[type=submit]").evaluate(
                "b => { b.click(); setTimeout(() => b.click(), 50); }"
            )
        page.wait_for_load_state()
        assert len(posts) == 1, posts
        assert "Bekymringen er gemt." in page.content()
        assert Concern.objects.filter(child=self.emma).count() == 1
        # The page after the save (the child page) has its own forms, their buttons free.
        again = page.locator(f"form[action='/boern/{self.emma.pk}/loeft/'] button[type=submit]")
        assert again.is_enabled()
