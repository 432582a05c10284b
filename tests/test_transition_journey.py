"""A real browser follows Emma from Børnehaven Solsikken to Nordby Skole.

Pia, her pædagog, writes the overleveringsnotat from the unit overview before
Emma's last day. On Emma's first school day Sofie, who teaches class 0.A only,
reads the note in her overview, acknowledges it, and finds on Emma's page that
Solsikken holds earlier notes she cannot read. When the parents' consent to share
them with the school is recorded, she reads them. Fifteen days after Emma's last
day at Solsikken, Pia no longer sees Emma or the note. Debian's Chromium through
Playwright against Django's live server; the days are travelled to with
time_machine (the server runs in this process, so it travels along).
"""

import re
from datetime import datetime, time, timedelta

import time_machine
from django.utils import timezone

from accounts.models import GroupKind, Membership, UnitGroup
from children.models import Consent, Enrollment, Guardian, TransitionNote
from children.sharing import Purpose
from ruler.models import Assessment
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS


def morning(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8, 0)))


class TransitionJourneyTestCase(BrowserTestCase):
    def test_the_note_follows_emma_and_her_earlier_notes_need_the_parents_consent(self):
        today = timezone.localdate()
        last_day = today + timedelta(days=10)
        first_day = last_day + timedelta(days=1)
        class_a = UnitGroup.objects.create(unit=self.skolen, name="0.A", kind=GroupKind.KLASSE)
        Membership.objects.get(user=self.sofie).groups.add(class_a)
        Enrollment.objects.filter(child=self.emma).update(
            start=today - timedelta(days=900), end=last_day
        )
        Enrollment.objects.create(child=self.emma, unit=self.skolen, start=first_day, group=class_a)
        Guardian.objects.create(child=self.emma, name="Maria Holm", relation="mor")
        Assessment.objects.create(
            child=self.emma,
            author=self.pia,
            assessed_on=today,
            zone=3,
            what_worries="Trækker sig fra legen i garderoben.",
        )

        # Pia writes the note from Solsikken's overview, before Emma's last day.
        page, base = self.page, self.live_server_url
        self.log_in("pia")
        page.goto(f"{base}/oversigt/")
        row = page.locator("#overgange ~ table tr", has_text="Emma Holm").first
        row.get_by_role("link", name=re.compile("Skriv notat")).click()
        page.fill("#id_what_works", "Faste rutiner og en voksen, hun kender.")
        page.fill("#id_needs", "Tid til at sige farvel om morgenen.")
        page.fill("#id_parents_wish", "At skolen kender hendes ven Alma.")
        page.check("#id_parents_seen")
        page.check("#id_parents_agree")
        page.get_by_role("button", name="Gem og send til Nordby Skole").click()
        page.wait_for_load_state()
        note = TransitionNote.objects.get()
        assert note.is_finished and note.latest_zone == 3 and note.author == self.pia

        # Emma's first school day: Sofie, limited to class 0.A.
        with time_machine.travel(morning(first_day), tick=True):
            self.new_browser()
            page = self.page
            self.log_in("sofie")
            page.goto(f"{base}/oversigt/")
            row = page.locator("#overgange ~ table tr", has_text="Emma Holm").first
            row.get_by_role("link", name=re.compile("Læs notat")).click()
            page.get_by_text("Faste rutiner og en voksen, hun kender.").wait_for()
            page.get_by_role("button", name="Kvittér for modtagelse").click()
            page.wait_for_load_state()
            note.refresh_from_db()
            assert note.acknowledged_by == self.sofie

            page.goto(f"{base}/boern/{self.emma.pk}/")
            page.get_by_role("heading", name="Notater i andre enheder").wait_for()
            content = page.content()
            assert "Børnehaven Solsikken" in content and "1 vurdering" in content
            assert "Trækker sig fra legen" not in content

            # The parents agree that the school reads Solsikken's notes.
            page.get_by_role("link", name="Registrér samtykke").first.click()
            page.get_by_label(re.compile("Maria Holm")).check()
            page.get_by_label(re.compile("Notater fra andre enheder")).check()
            page.wait_for_load_state("networkidle")
            page.get_by_label("Nordby Skole").check()
            page.get_by_role("button", name="Registrér samtykke").click()
            page.wait_for_url(re.compile(rf"/boern/{self.emma.pk}/"))
            consent = Consent.objects.get()
            assert consent.purpose == Purpose.OTHER_UNITS_NOTES
            assert list(consent.units.all()) == [self.skolen]
            page.goto(f"{base}/boern/{self.emma.pk}/")
            assert "Notater i andre enheder" not in page.content()
            page.get_by_role("link", name="Se vurderingen og handleguiden").click()
            page.get_by_text("Trækker sig fra legen i garderoben.").wait_for()

        # Past the note window, Pia sees neither Emma nor the note.
        with time_machine.travel(morning(last_day + timedelta(days=15)), tick=True):
            self.new_browser()
            page = self.page
            self.log_in("pia")
            for url in (f"/boern/{self.emma.pk}/", note.get_absolute_url()):
                response = page.goto(base + url)
                assert response is not None and response.status == 404, url
