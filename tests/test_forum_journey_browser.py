"""Sparring in the tværfaglige forum (issue 21), in a browser: a teacher sees a child
flagged for absence on the front page, logs a concern in one click and brings the
child anonymously to the forum; the PPR psychologist sees the case (no name),
records advice and a next step owned by the teacher; the teacher sees the step in
Mine opgaver. Every page is checked with axe-core.

Sofie teaches at Nordby Skole, where Oskar goes; Karen is a PPR psychologist who
advises in Forum Nord, which the school brings its cases to.
"""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from children.models import AbsenceRecord
from forum.models import Forum, ForumCase, ForumMeeting
from loeft.models import NextStep
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS


class ForumJourneyTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        today = timezone.localdate()
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        AbsenceRecord.objects.create(
            child=self.oskar,
            unit=self.skolen,
            month=last_month,
            absent=Decimal(4),
            possible=Decimal(20),
        )
        self.forum = Forum.objects.create(name="Forum Nord", district=self.nordby)
        self.forum.consultants.set([self.karen])
        self.forum.units.set([self.skolen])
        self.meeting = ForumMeeting.objects.create(
            forum=self.forum, date=today + timedelta(days=5), starts_at=time(13, 0)
        )
        self.meeting.participants.set([self.karen])

    def test_a_teacher_brings_a_child_anonymously_and_gets_the_forums_step(self):
        url = self.live_server_url
        page = self.page
        # Sofie: the flag, the concern in one click, then the forum.
        self.log_in("sofie")
        page.wait_for_url(f"{url}/")
        panel = page.locator("section[aria-labelledby=hoejt-fravaer]")
        panel.get_by_role("link", name="Log bekymring om Oskar Berg").click()
        text = page.get_by_label("Hvad har du set eller hørt?")
        text.fill(text.input_value() + "Oskar siger, han har ondt i maven om morgenen.")
        page.get_by_role("button", name="Gem").first.click()
        page.wait_for_url(f"{url}/boern/{self.oskar.pk}/")

        page.get_by_role("link", name="Drøft i tværfagligt forum").click()
        page.wait_for_url(f"{url}/boern/{self.oskar.pk}/forum/")
        seen = page.get_by_label("Hvad har I set?")
        # The concern, with his name taken out.
        assert "Fravær: 20 %" in seen.input_value()
        assert "Oskar" not in seen.input_value()
        assert page.get_by_label("Anonymt: uden navn og CPR-nummer").is_checked()
        page.get_by_label("Hvad vil I gerne have sparring om?").fill(
            "Hvordan får vi ham til at komme i skole om morgenen?"
        )
        page.get_by_role("button", name="Send til forummet").click()
        case = ForumCase.objects.get()
        page.wait_for_url(f"{url}{case.get_absolute_url()}")
        assert case.child is None and case.meeting == self.meeting
        self.assert_accessible()

        # Karen: the upcoming meeting on her front page, the case without a name.
        self.new_browser()
        page = self.page
        self.log_in("karen")
        page.wait_for_url(f"{url}/")
        forum_panel = page.locator("section[aria-labelledby=forummoeder]")
        forum_panel.get_by_role("link", name="Forum Nord").click()
        page.wait_for_url(f"{url}{self.meeting.get_absolute_url()}")
        content = page.content()
        assert "Anonym sag: skole, " in content
        assert "Oskar" not in content and "Berg" not in content
        self.assert_accessible()
        page.get_by_role("link", name="Skriv råd og næste skridt").first.click()
        page.get_by_label("Forummets råd").fill("Lav en fast morgenaftale med familien.")
        page.locator("#id_skridt-0-text").fill("Ring til familien om en morgenaftale")
        page.locator("#id_skridt-0-owner").select_option(f"u{self.sofie.pk}")
        page.locator("#id_skridt-0-due").fill(
            (timezone.localdate() + timedelta(days=7)).isoformat()
        )
        self.assert_accessible()
        page.get_by_role("button", name="Gem råd og skridt").click()
        page.wait_for_url(f"{url}{self.meeting.get_absolute_url()}")
        step = NextStep.objects.get()
        assert step.forum_case == case and step.child is None
        assert "Lav en fast morgenaftale" in page.content()

        # Sofie: the step in Mine opgaver, linked to the case, and done in one click.
        self.new_browser()
        page = self.page
        self.log_in("sofie")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/mine-opgaver/")
        page.wait_for_url(f"{url}/mine-opgaver/")
        mine = page.locator("li.tidlig-step", has_text="Ring til familien om en morgenaftale")
        assert "Anonym sag i Forum Nord" in mine.inner_text()
        self.assert_accessible()
        mine.get_by_role("button", name="Markér som gjort").click()
        page.wait_for_load_state()
        step.refresh_from_db()
        assert step.done_on == timezone.localdate()
