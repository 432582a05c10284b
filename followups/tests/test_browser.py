"""A real browser runs a three-month follow-up meeting from "Mine møder".

Rasmus, the caseworker, finds Emma's overdue meeting, sees the agenda built from
the last meeting, records the meeting (participants, a zone clicked on the
ruler, minutes, decision) and downloads the minutes and the calendar file.
Debian's Chromium through Playwright against Django's live server.
"""

import re
from datetime import timedelta

from django.utils import timezone

from followups.models import Case, CaseMember, Decision, Meeting
from ruler.models import Assessment, Reason
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS


class MeetingBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        today = timezone.localdate()
        self.case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=today - timedelta(days=120)
        )
        CaseMember.objects.create(case=self.case, user=self.karen, profession="Psykolog")
        last = Meeting.objects.create(
            case=self.case,
            scheduled_on=today - timedelta(days=30),
            agreements="Karen observerer i børnehaven.",
            minutes="Morgenerne er blevet roligere.",
        )
        self.meeting = last.hold(on=last.scheduled_on, decision=Decision.CONTINUE)
        self.meeting.scheduled_on = today - timedelta(days=1)  # yesterday: overdue
        self.meeting.save()

    def _href(self, link: str) -> str:
        return self.page.get_by_role("link", name=link).get_attribute("href")

    def test_a_caseworker_runs_a_follow_up_meeting(self):
        page, base = self.page, self.live_server_url
        self.log_in("rasmus")

        page.get_by_role("link", name="Mine møder", exact=True).click()
        overdue = page.locator("table").first
        assert "Emma Holm" in overdue.inner_text() and "1 dag" in overdue.inner_text()
        page.get_by_role("link", name="Åbn mødet").first.click()
        page.wait_for_url(re.compile(rf"/moeder/{self.meeting.pk}/$"))
        assert page.get_by_text("Karen observerer i børnehaven.").is_visible()

        page.get_by_label("Karen").check()
        page.get_by_label("Forældrene deltog").check()
        page.locator("label.tidlig-ruler-label", has_text="Sårbar").click()
        page.fill("#id_minutes", "Emma er glad om morgenen. Mor sætter sig på 6.")
        page.get_by_label("Justér indsats").check()
        page.get_by_label("Forebyggende indsatser").check()
        page.fill("#id_new_kind", "Støtte i børnehaven")
        page.fill("#id_skridt-0-text", "Far afleverer om tirsdagen.")
        page.select_option("#id_skridt-0-owner", "barn")
        page.fill("#id_skridt-0-due", (timezone.localdate() + timedelta(days=14)).isoformat())
        page.get_by_role("button", name="Gem mødet").click()

        page.get_by_text(re.compile(r"Mødet er gemt\. Næste opfølgningsmøde")).wait_for()
        self.meeting.refresh_from_db()
        assert (self.meeting.held_on, self.meeting.zone) == (timezone.localdate(), 3)
        assert self.meeting.decision == Decision.ADJUST
        assert set(self.meeting.participants.all()) == {self.rasmus, self.karen}
        assessment = Assessment.objects.get(reason=Reason.FOLLOW_UP)
        assert (assessment.child, assessment.zone) == (self.emma, 3)
        assert self.case.meetings.filter(held_on__isnull=True).count() == 1

        pdf = page.request.get(base + self._href("Hent referat som PDF"))
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        nxt = self.case.meetings.get(held_on__isnull=True)
        page.goto(f"{base}/moeder/{nxt.pk}/")
        ics = page.request.get(base + self._href("Tilføj til kalender (.ics)"))
        assert ics.status == 200 and b"BEGIN:VEVENT" in ics.body() and b"Emma" not in ics.body()
