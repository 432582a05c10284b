"""A real browser writes a LØFT dialogue, loses its session and gets it all back.

Debian's Chromium through Playwright against Django's live server. The session
cookie is deleted twice: once after the server has saved the draft (the text
comes back from the server), and once before it could (the text comes back
from the tab's sessionStorage and is then saved).
"""

import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from loeft.models import Dialogue
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS


class DialogueBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.clock = self.enterContext(time_machine.travel(timezone.now(), tick=True))

    def _log_in(self):
        # Pia logs in three times within a minute, and django-otp takes each code
        # once and at most one step ahead: her app's next code comes 30 seconds
        # later, so the clock moves on instead of the test waiting for it.
        self.clock.shift(timedelta(seconds=30))
        self.submit_login("pia")

    def _kill_session_cookie(self):
        keep = [c for c in self.context.cookies() if c["name"] != "sessionid"]
        self.context.clear_cookies()
        self.context.add_cookies(keep)

    def test_a_draft_survives_a_lost_session(self):
        page = self.page
        page.goto(f"{self.live_server_url}/login/")
        self._log_in()
        page.goto(f"{self.live_server_url}{self.emma.get_absolute_url()}")
        page.get_by_role("button", name="Start LØFT-dialog").click()
        page.wait_for_url(re.compile(r"/loeft/\d+/rediger/$"))
        edit_url = page.url
        dialogue = Dialogue.objects.get()

        page.fill("#id_what_works", "Emma leger godt med Alma om formiddagen.")
        status = page.locator("#autosave-status")
        status.get_by_text(re.compile(r"Kladde gemt kl\. \d\d:\d\d")).wait_for()
        dialogue.refresh_from_db()
        assert dialogue.draft_data["what_works"] == ["Emma leger godt med Alma om formiddagen."]

        # 1. The session is gone after the server saved: the server has the text.
        self._kill_session_cookie()
        page.goto(edit_url)
        assert "/login/" in page.url
        self._log_in()
        page.wait_for_url(edit_url)
        assert page.input_value("#id_what_works") == "Emma leger godt med Alma om formiddagen."

        # 2. The session is gone while typing: the autosave is refused, the tab
        # keeps the text, and after the new login it is put back and saved.
        self._kill_session_cookie()
        page.fill("#id_child_voice", "Jeg vil gerne have, at far henter.")
        status.get_by_text("Du er blevet logget ud").wait_for()
        dialogue.refresh_from_db()
        assert dialogue.draft_data.get("child_voice", [""]) == [""]
        status.get_by_role("link", name="Log ind igen").click()
        self._log_in()
        page.wait_for_url(edit_url)
        assert page.input_value("#id_child_voice") == "Jeg vil gerne have, at far henter."
        assert page.input_value("#id_what_works") == "Emma leger godt med Alma om formiddagen."
        assert page.locator("#draft-restored").is_visible()
        page.wait_for_function(
            "() => window.sessionStorage.getItem(document.querySelector"
            "('form[data-draft-key]').dataset.draftKey) === null"
        )
        dialogue.refresh_from_db()
        assert dialogue.draft_data["child_voice"] == ["Jeg vil gerne have, at far henter."]
        assert dialogue.draft_data["what_works"] == ["Emma leger godt med Alma om formiddagen."]
