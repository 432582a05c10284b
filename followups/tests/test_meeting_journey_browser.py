"""The everyday journey of a caseworker's follow-up meeting, measured (issue 20):
from the front page, hold the meeting with two next steps and get the next
meeting's invitation in at most 3 screens.

Rasmus coordinates Emma's case and Karen (PPR) is on its team; the meeting was
due yesterday. A screen is a full page load in the tab (the front page after
logging in is the first); a click is a click on a link, button, checkbox, radio
or list (typing into a field is not counted). axe-core checks every page visited
(tests/browser.py). The figures are printed and written to
$TIDLIG_VAR_DIR/usability/meeting.json; docs/usability.md has them.
"""

import json
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from followups.models import Case, CaseMember, Decision, Meeting
from loeft.models import NextStep
from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS

TARGET_SCREENS = 3


class MeetingJourneyTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        today = timezone.localdate()
        self.case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=today - timedelta(days=120)
        )
        CaseMember.objects.create(case=self.case, user=self.karen, profession="Psykolog")
        last = Meeting.objects.create(
            case=self.case, scheduled_on=today - timedelta(days=30), minutes="Roligere morgener."
        )
        self.meeting = last.hold(on=last.scheduled_on, decision=Decision.CONTINUE)
        self.meeting.scheduled_on = today - timedelta(days=1)  # yesterday: overdue
        self.meeting.save()
        self.screens = self.clicks = 0

    def count_screens(self) -> None:
        """From now on, count each page the tab loads (this one is the first)."""
        self.screens = 1
        self.page.on(
            "framenavigated",
            lambda frame: (
                setattr(self, "screens", self.screens + 1)
                if frame == self.page.main_frame
                else None
            ),
        )

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()

    def test_a_caseworker_holds_a_meeting_and_gets_the_next_invitation_in_3_screens(self):
        page = self.page
        today = timezone.localdate()
        self.log_in("rasmus")
        self.count_screens()
        self.assert_accessible()

        # Screen 1, the front page: this week's meetings, the overdue one first.
        self.click(page.get_by_role("link", name="Opfølgningsmøde om Emma Holm"))
        page.wait_for_url(re.compile(rf"/moeder/{self.meeting.pk}/$"))

        # Screen 2, the meeting: the agenda and the form to record it on one page.
        self.assert_accessible()
        self.click(page.get_by_label("Karen"))
        self.click(page.get_by_label("Forældrene deltog"))
        self.click(page.locator("label.tidlig-ruler-label", has_text="Sårbar"))
        page.fill("#id_minutes", "Emma er glad om morgenen. Mor sætter sig på 6.")
        self.click(page.get_by_label("Justér indsats"))
        steps = [
            ("Mor ringer til PPR", f"u{self.karen.pk}", today + timedelta(days=21)),
            ("Far afleverer om tirsdagen", "barn", today + timedelta(days=42)),
        ]
        for i, (text, owner, due) in enumerate(steps):
            page.fill(f"#id_skridt-{i}-text", text)
            self.clicks += 1  # choosing in the list
            page.select_option(f"#id_skridt-{i}-owner", owner)
            page.fill(f"#id_skridt-{i}-due", due.isoformat())
        self.click(page.get_by_role("button", name="Gem mødet"))

        # Screen 3, the confirmation: the minutes, the next meeting and its invitation.
        page.get_by_text(re.compile(r"Mødet er gemt\. Næste opfølgningsmøde")).wait_for()
        self.assert_accessible()
        nxt = self.case.meetings.get(held_on__isnull=True)
        with page.expect_download() as download:
            self.click(page.get_by_role("link", name="Invitation til næste møde (.ics)"))
        invitation = Path(download.value.path()).read_bytes()
        assert b"BEGIN:VEVENT" in invitation and b"Emma" not in invitation
        assert f"UID:meeting-{nxt.pk}@".encode() in invitation  # the next meeting's
        assert page.get_by_role("link", name="Hent referat som PDF").is_visible()

        self.meeting.refresh_from_db()
        assert self.meeting.is_held and self.meeting.decision == Decision.ADJUST
        agreed = NextStep.objects.filter(meeting=self.meeting).order_by("due")
        assert [(s.text, s.owner_user) for s in agreed] == [
            ("Mor ringer til PPR", self.karen),
            ("Far afleverer om tirsdagen", None),
        ]

        figures = {
            "journey": "Opfølgningsmøde med to næste skridt og næste mødes invitation",
            "target_screens": TARGET_SCREENS,
            "screens": self.screens,
            "clicks": self.clicks,
            "date": today.isoformat(),
        }
        print(f"\nusability: {json.dumps(figures, ensure_ascii=False)}")
        folder = Path(settings.VAR_DIR) / "usability"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "meeting.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
        assert self.screens <= TARGET_SCREENS, figures
