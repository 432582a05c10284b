"""A real browser reports no Content-Security-Policy violation on the main pages.

The policy forbids inline script and style of any kind; Chromium reports each
thing it blocks on the console ("Refused to apply inline style because it
violates the following Content Security Policy directive…"). An inline `style`
on an SVG chart, an htmx indicator style or a design system script writing a
<style> would all show up here.

Pia is a pædagog at Solsikken with Emma's assessments and LØFT dialogues;
Rasmus coordinates Emma's case and her follow-up meetings; Frida works in the
forvaltning and sees the quarterly status; Adam administers.
"""

import re
from datetime import date, timedelta

from django.utils import timezone

from followups.models import Case, Decision, Meeting
from loeft.models import Dialogue
from loeft.tests.factories import final_dialogue
from ruler.models import Assessment
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS

VIOLATION = ("Content Security Policy", "Refused to")


class CSPBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        today = timezone.localdate()
        for days, zone in ((200, 3), (100, 2), (10, 1)):
            Assessment.objects.create(
                child=self.emma,
                author=self.pia,
                assessed_on=today - timedelta(days=days),
                zone=zone,
            )
        for held_on, now in ((date(2025, 5, 1), 3), (date(2025, 9, 1), 6)):
            final_dialogue(self.emma, self.pia, held_on=held_on, scale_now=now, scale_goal=8)
        self.draft = Dialogue.objects.create(child=self.emma, author=self.pia)
        self.case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=today - timedelta(days=120)
        )
        held = Meeting.objects.create(case=self.case, scheduled_on=today - timedelta(days=30))
        self.meeting = held.hold(on=held.scheduled_on, decision=Decision.CONTINUE)

        self.messages: list[str] = []
        self.page.on("console", lambda message: self.messages.append(message.text))
        self.page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def _log_in(self, username: str) -> None:
        self.context.clear_cookies()
        self.log_in(username)
        self.page.wait_for_url(f"{self.live_server_url}/")

    def _visit(self, path: str) -> None:
        response = self.page.goto(f"{self.live_server_url}{path}")
        assert response.status == 200, path
        assert "Content-Security-Policy" in response.headers or (
            "content-security-policy" in response.headers
        ), path
        # Let deferred scripts, htmx and DKFDS finish setting the page up.
        self.page.wait_for_load_state("networkidle")

    def test_the_main_pages_break_no_rule_of_the_policy(self):
        pages = {
            "pia": [
                "/",
                "/boern/",
                self.emma.get_absolute_url(),
                f"/boern/{self.emma.pk}/samtykke/",
                "/oversigt/",
                f"/loeft/{self.draft.pk}/rediger/",
                "/mine-opgaver/",
                "/notifikationer/",
            ],
            # Case material is the team's (children.access): the meeting is Rasmus's.
            "rasmus": [
                f"/sager/{self.case.pk}/",
                f"/moeder/{self.meeting.pk}/",
                "/mine-moeder/",
                "/raadgivning/indgang/",
            ],
            "frida": ["/rapporter/status/", "/rapporter/arkiv/"],
            # The QR code of a new authenticator app is inline SVG.
            "adam": ["/administration/", "/administration/handleguide/", "/login/godkenderapp/"],
        }
        visited = []
        for username, paths in pages.items():
            self._log_in(username)
            for path in paths:
                self._visit(path)
                visited.append(path)
                if path.endswith("/rediger/"):
                    # htmx saves the draft and swaps in the status line.
                    self.page.fill("#id_what_works", "Emma leger godt med Alma.")
                    self.page.get_by_text(re.compile(r"Kladde gemt kl\. \d\d:\d\d")).wait_for()
        violations = [m for m in self.messages if any(v in m for v in VIOLATION)]
        assert violations == [], "\n".join(violations)
        assert not [m for m in self.messages if m.startswith("pageerror")], self.messages
        assert len(visited) >= 15
