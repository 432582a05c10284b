"""Small screens (issue 20): at 320 px the child page, Min enhed, Mine opgaver and
the saved assessment need no horizontal scrolling (the five-zone strip and the rows
of next steps wrap), and on a tablet the main actions are at least 44 px high."""

from datetime import timedelta

from django.utils import timezone

from loeft.tests.factories import final_dialogue
from ruler.tests.factories import assess
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS

# The page's buttons and button-styled links, with their size.
BUTTONS = """() => Array.from(document.querySelectorAll("main .button")).filter(
  (e) => e.getBoundingClientRect().width > 0).map((e) => {
    const r = e.getBoundingClientRect();
    return [e.textContent.trim().replace(/\\s+/g, " "), Math.round(r.width), Math.round(r.height)];
  })"""


class SmallScreensBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.assessment = assess(self.emma, self.pia, zone=5, on=timezone.localdate())
        soon = timezone.localdate() + timedelta(days=7)
        final_dialogue(
            self.emma,
            self.pia,
            steps=[
                (
                    "Pia tager imod Emma ved døren om morgenen og siger farvel sammen med far",
                    self.pia,
                    soon,
                ),
                ("Ringer til mor fredag eftermiddag", self.pia, soon - timedelta(days=14)),
            ],
        )
        base = self.live_server_url
        self.pages = [
            f"{base}{self.emma.get_absolute_url()}",
            f"{base}/oversigt/",
            f"{base}/mine-opgaver/",
            f"{base}/vurderinger/{self.assessment.pk}/",
        ]

    def test_no_horizontal_scrolling_at_320_px(self):
        self.page.set_viewport_size({"width": 320, "height": 800})
        self.log_in("pia")
        for url in self.pages:
            self.page.goto(url)
            assert self.page.get_by_role("button", name="Markér som gjort").count() or (
                "vurderinger" in url
            ), url
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{url} is {width} px wide at 320 px"

    def test_the_main_actions_are_at_least_44_px_on_a_tablet(self):
        self.page.set_viewport_size({"width": 768, "height": 1024})
        self.log_in("pia")
        for url in self.pages:
            self.page.goto(url)
            buttons = self.page.evaluate(BUTTONS)
            assert buttons, url
            small = [b for b in buttons if b[1] < 44 or b[2] < 44]
            assert not small, f"{url}: buttons smaller than 44 × 44 px: {small}"
