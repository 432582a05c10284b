"""A real browser takes an underretning from the pædagog to the rådgivning.

Pia places Emma in zone 5 and registers an underretning from the assessment page.
Rasmus, a caseworker, sees it in the intake with its text, opens Emma's page (he
may, while the underretning is open), records the 24-hour assessment with a
børnefaglig undersøgelse, which opens a case, and downloads the receipt letter
for Pia and marks it sent: the receipt deadline shows as met. Debian's Chromium
through Playwright against Django's live server.
"""

import re

from children.models import Concern
from followups.models import Case, Underretning
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS


class UnderretningBrowserTestCase(BrowserTestCase):
    def test_from_zone_5_to_the_assessment_the_case_and_the_receipt(self):
        page, base = self.page, self.live_server_url
        self.log_in("pia")
        page.goto(f"{base}/boern/{self.emma.pk}/bekymring/")
        page.fill("#id_text", "Emma siger, at far slår hende.")
        zone_5 = page.locator("input[name=zone][value='5']").get_attribute("id")
        page.click(f"label[for='{zone_5}']")
        page.fill("#id_what_works", "Emma har en god ven i Alma.")
        page.fill("#id_what_worries", "Hun har mærker på armen og er bange for at gå hjem.")
        page.fill("#id_what_must_happen", "Underretning i dag.")
        page.get_by_role("button", name=re.compile("Gem")).click()
        page.get_by_text("Der skal laves en underretning nu").wait_for()

        page.get_by_role("link", name="Registrér underretning").click()
        page.fill("#id_about", "Emma fortæller, at far slår hende. Mærker på overarmen.")
        page.get_by_role("button", name="Registrér underretningen").click()
        page.get_by_text("Underretningen er registreret.").wait_for()
        item = Underretning.objects.get()
        assert item.made_by == self.pia and Concern.objects.filter(child=self.emma).exists()

        # Rasmus, in another browser.
        self.new_browser()
        page = self.page
        self.log_in("rasmus")
        page.get_by_role("link", name="Indgang", exact=True).click()
        row = page.locator("li.tidlig-step", has_text="Underretning om Emma Holm")
        assert "Mærker på overarmen" in row.inner_text()
        assert "En fagperson" in row.inner_text()
        row.get_by_role("link", name="Vurdér").click()
        page.wait_for_url(re.compile(rf"/underretninger/{item.pk}/$"))

        page.get_by_role("link", name="Åbn barnets side").click()
        page.get_by_role("heading", name="Emma Holm", exact=True).wait_for()
        page.go_back()

        page.get_by_label("Nej").check()
        page.get_by_label("Børnefaglig undersøgelse (§ 20)").check()
        page.get_by_role("button", name="Gem vurderingen").click()
        page.get_by_text(re.compile("Underretningen hører nu til sagen")).wait_for()
        case = Case.objects.get(child=self.emma)
        assert case.coordinator == self.rasmus
        item.refresh_from_db()
        assert item.case == case and item.assessed_in_time()

        page.get_by_role("link", name=re.compile("Modtaget")).click()
        href = page.get_by_role("link", name="Hent kvitteringen (PDF)").get_attribute("href")
        pdf = page.request.get(base + href)
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        page.get_by_role("button", name="Markér kvittering som sendt").click()
        page.get_by_text(re.compile("overholdt")).wait_for()
        item.refresh_from_db()
        assert item.receipt_in_time()
