"""The everyday journeys of issue 20, timed in screens and clicks (tests/usability.py)
against the targets in docs/usability.md. Every page a journey visits is also
checked with axe-core (tests/browser.py).

Pia is a pædagog at Solsikken, where Emma goes."""

from children.models import Concern
from loeft.models import Dialogue, NextStep
from ruler.models import Assessment
from tests.browser import MARKS, BrowserTestCase
from tests.usability import Journey

pytestmark = MARKS

SEEN = "Emma sidder alene ved frokosten og spiser næsten ingenting."


class UsabilityJourneyTestCase(BrowserTestCase):
    def open_child_page(self):
        self.log_in("pia")
        self.page.goto(f"{self.live_server_url}/boern/{self.emma.pk}/")
        self.assert_accessible()

    def test_a_concern_with_its_zone_in_one_screen(self):
        """Target: 1 screen (at most 2) and at most 6 clicks from the child page."""
        page = self.page
        self.open_child_page()
        journey = Journey(page, "concern_and_zone")

        journey.click(page.get_by_role("link", name="Log bekymring"))
        page.wait_for_load_state()
        self.assert_accessible()
        columns = page.locator("[data-columns]")
        assert columns.is_hidden()  # until a zone 3–5 is chosen (static/js/concern_form.js)

        journey.type(page.get_by_label("Hvad har du set eller hørt?"), SEEN)
        zone_4 = page.locator("input[name=zone][value='4']").get_attribute("id")
        journey.click(page.locator(f"label[for='{zone_4}']"))
        assert columns.is_visible()
        works = page.locator("#id_what_works")
        assert works.get_attribute("aria-required") == "true"
        self.assert_accessible()
        journey.type(works, "Hun leger godt med Ida.")
        journey.tab_and_type("Hun spiser ikke og trækker sig fra de andre.")
        journey.tab_and_type("LØFT-samtale med forældrene inden for to uger.")
        journey.click(page.get_by_label("Forældrene er orienteret"))
        journey.click(page.get_by_role("button", name="Gem", exact=True))
        page.get_by_text("Handleguide for zone 4").wait_for()
        self.assert_accessible()

        figures = journey.record()
        assert figures["screens"] <= 2, figures
        assert figures["clicks"] <= 6, figures
        # One record of what was seen, linked from the assessment.
        concern = Concern.objects.get(child=self.emma)
        assessment = Assessment.objects.get(child=self.emma)
        assert assessment.concern == concern and concern.text == SEEN
        assert concern.parents_informed and assessment.zone == 4
        assert assessment.what_must_happen.startswith("LØFT-samtale")

    def test_a_concern_without_a_zone_goes_back_to_the_child_page(self):
        page = self.page
        self.open_child_page()
        journey = Journey(page, "concern_without_zone")
        journey.click(page.get_by_role("link", name="Log bekymring"))
        page.wait_for_load_state()
        assert page.locator("[data-zone-part]").is_hidden()
        journey.type(page.get_by_label("Hvad har du set eller hørt?"), SEEN)
        journey.click(page.get_by_role("button", name="Gem", exact=True))
        page.get_by_text("Bekymringen er gemt.").wait_for()
        self.assert_accessible()
        figures = journey.record()
        assert figures["screens"] == 2 and figures["clicks"] == 3, figures
        assert page.url == f"{self.live_server_url}/boern/{self.emma.pk}/"
        assert Concern.objects.filter(child=self.emma).count() == 1
        assert not Assessment.objects.exists()

    def test_a_loeft_dialogue_with_two_next_steps_and_the_parents_pdf(self):
        """Target: at most 3 screens from the child page."""
        page = self.page
        self.open_child_page()
        journey = Journey(page, "loeft_dialogue")

        journey.click(page.get_by_role("button", name="Start LØFT-dialog"))
        page.wait_for_load_state()
        self.assert_accessible()
        journey.type(page.locator("#id_what_works"), "Emma hjælper gerne de små.")
        steps = [
            ("Mor læser med Emma hver aften.", "2026-12-18"),
            ("Pia taler med Emma om frokosten hver dag.", "2026-12-11"),
        ]
        for number, (text, due) in enumerate(steps):
            journey.type(page.locator(f"#id_skridt-{number}-text"), text)
            owner = page.locator(f"#id_skridt-{number}-owner")
            journey.clicks += 1  # open the list; choosing an option is the second click
            journey.clicks += 1
            owner.select_option(index=1)
            journey.type(page.locator(f"#id_skridt-{number}-due"), due)
        journey.click(page.get_by_role("button", name="Gem og afslut dialogen"))
        page.get_by_text("LØFT-dialogen er gemt.").wait_for()
        self.assert_accessible()

        pdf = page.get_by_role("link", name="PDF til forældrene")
        with page.expect_event("response", lambda r: "/pdf/" in r.url) as answer:
            journey.click(pdf)
        response = answer.value
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"

        figures = journey.record()
        assert figures["screens"] <= 3, figures
        dialogue = Dialogue.objects.get(child=self.emma)
        assert not dialogue.is_draft
        assert NextStep.objects.filter(dialogue=dialogue).count() == 2
