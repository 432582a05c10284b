"""The everyday journey of a caseworker's follow-up meeting, measured (issue 20):
from the front page, hold the meeting with two next steps and get the next
meeting's invitation in at most 3 screens.

Rasmus coordinates Emma's case and Karen (PPR) is on its team; the meeting was
due yesterday. Counted by tests/usability.py like the other journeys (the front
page it starts on is not counted; the invitation downloaded is a screen, like a
PDF); axe-core checks every page visited (tests/browser.py). The figures are in
docs/usability.md.
"""

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from followups.models import Case, CaseMember, Decision, Meeting
from loeft.models import NextStep
from tests.browser import MARKS, BrowserTestCase
from tests.usability import Journey

pytestmark = MARKS


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

    def test_a_held_meeting_with_two_steps_and_the_next_invitation_in_3_screens(self):
        page = self.page
        today = timezone.localdate()
        self.log_in("rasmus")
        self.assert_accessible()
        journey = Journey(page, "follow_up_meeting")

        # The front page: this week's meetings, the overdue one first.
        journey.click(page.get_by_role("link", name="Opfølgningsmøde om Emma Holm"))
        page.wait_for_url(re.compile(rf"/moeder/{self.meeting.pk}/$"))

        # Screen 1, the meeting: the agenda and the form to record it, with the
        # next meeting's date, on one page.
        self.assert_accessible()
        journey.click(page.get_by_label("Karen"))
        journey.click(page.get_by_label("Forældrene deltog"))
        journey.click(page.locator("label.tidlig-ruler-label", has_text="Sårbar"))
        journey.type(page.locator("#id_minutes"), "Emma er glad om morgenen. Mor siger 6.")
        journey.click(page.get_by_label("Justér indsats"))
        journey.click(page.get_by_label("Forebyggende indsatser"))
        journey.type(page.locator("#id_new_kind"), "Støtte i børnehaven")
        steps = [
            ("Mor ringer til PPR", f"u{self.karen.pk}", today + timedelta(days=21)),
            ("Far afleverer om tirsdagen", "barn", today + timedelta(days=42)),
        ]
        for i, (text, owner, due) in enumerate(steps):
            journey.type(page.locator(f"#id_skridt-{i}-text"), text)
            journey.clicks += 2  # open the list, choose
            page.select_option(f"#id_skridt-{i}-owner", owner)
            journey.type(page.locator(f"#id_skridt-{i}-due"), due.isoformat())
        journey.click(page.get_by_role("button", name="Gem mødet"))

        # Screen 2, the saved minutes: the next meeting, its invitation, the PDF.
        page.get_by_text(re.compile(r"Mødet er gemt\. Næste opfølgningsmøde")).wait_for()
        self.assert_accessible()
        # The minutes have the meeting's address, which Journey takes for the page it
        # already counted (it skips a repeated address, as after a redirect): a new
        # screen all the same.
        assert journey.screens == [page.url]
        journey.screens.append(page.url)
        assert page.get_by_role("link", name="Hent referat som PDF").is_visible()
        nxt = self.case.meetings.get(held_on__isnull=True)
        # Screen 3, the invitation, downloaded.
        with page.expect_download() as download:
            journey.click(page.get_by_role("link", name="Invitation til næste møde (.ics)"))
        invitation = Path(download.value.path()).read_bytes()
        assert b"BEGIN:VEVENT" in invitation and b"Emma" not in invitation
        assert f"UID:meeting-{nxt.pk}@".encode() in invitation  # the next meeting's

        self.meeting.refresh_from_db()
        assert self.meeting.is_held and self.meeting.decision == Decision.ADJUST
        agreed = NextStep.objects.filter(meeting=self.meeting).order_by("due")
        assert [(s.text, s.owner_user) for s in agreed] == [
            ("Mor ringer til PPR", self.karen),
            ("Far afleverer om tirsdagen", None),
        ]
        figures = journey.record()
        assert figures["screens"] == 3, figures
