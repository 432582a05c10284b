"""A teacher sees a child flagged for absence on the front page and logs a concern
in one click (issue 21): the concern form opens with the absence noted, she adds
what she has seen, and the flag is gone. Every page is checked with axe-core, and
the absence chart on the child page breaks no rule of the Content-Security-Policy.

Sofie teaches at Nordby Skole, where Oskar goes.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from children.models import AbsenceRecord, Concern
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS


class AbsenceJourneyTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        AbsenceRecord.objects.create(
            child=self.oskar,
            unit=self.skolen,
            month=last_month,
            absent=Decimal(4),
            possible=Decimal(20),
            unlawful=Decimal(1),
        )
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text))

    def test_a_teacher_logs_a_concern_about_absence_in_one_click(self):
        self.log_in("sofie")
        self.page.wait_for_url(f"{self.live_server_url}/")
        panel = self.page.locator("section[aria-labelledby=hoejt-fravaer]")
        assert "Fravær 20 %" in panel.inner_text()

        panel.get_by_role("link", name="Log bekymring om Oskar Berg").click()
        text = self.page.get_by_label("Hvad har du set eller hørt?")
        assert text.input_value().startswith("Fravær: 20 % i ")
        assert not Concern.objects.exists()  # nothing saved by the click
        text.fill(text.input_value() + "Oskar siger, han har ondt i maven om morgenen.")
        self.page.get_by_role("button", name="Gem").first.click()
        self.page.wait_for_url(f"{self.live_server_url}/boern/{self.oskar.pk}/")

        concern = Concern.objects.get()
        assert concern.text.startswith("Fravær: 20 %")
        assert concern.author.username == "sofie"
        # The child page shows the absence, as a chart and a table.
        assert self.page.locator("#fravaer").is_visible()
        assert self.page.locator("svg[aria-labelledby^=absence-chart]").count() == 1

        self.page.goto(f"{self.live_server_url}/")
        assert "Log bekymring om Oskar" not in self.page.content()
        violations = [m for m in self.console if "Content Security Policy" in m]
        assert not violations, violations
