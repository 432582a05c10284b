"""Next steps agreed at a follow-up meeting: owner and deadline like LØFT's, in
Mine opgaver, marked done, seen by the case team only.

Rasmus coordinates Emma's case; Karen (PPR) is on its team. Pia is Emma's pædagog:
she sees Emma but is not on the team. "Today" is Tuesday 7 April 2026.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import IntegrityError, transaction

from followups.models import Case, CaseMember, Decision, Meeting
from followups.tests.test_meeting import steps_data
from loeft.models import NextStep, Owner
from loeft.tests.factories import final_dialogue
from tidlig.test import BaseTestCase

TODAY = datetime(2026, 4, 7, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))


@time_machine.travel(TODAY, tick=False)
class MeetingStepsTestCase(BaseTestCase):
    case: Case
    meeting: Meeting

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=cls.case, user=cls.karen, profession="Psykolog")
        cls.meeting = Meeting.objects.create(case=cls.case, scheduled_on=date(2026, 4, 5))

    def url(self, meeting=None):
        return f"/moeder/{(meeting or self.meeting).pk}/"

    def post_data(self, *rows, **overrides) -> dict:
        data = {
            "held_on": "2026-04-07",
            "participants": [self.rasmus.pk],
            "zone": "3",
            "minutes": "Vi talte om morgenerne.",
            "decision": Decision.CONTINUE,
            "next_on": "2026-07-07",
            **steps_data(*rows),
        }
        return data | overrides

    def hold(self, *rows) -> Meeting:
        self.login(self.rasmus)
        response = self.client.post(self.url(), self.post_data(*rows))
        assert response.status_code == 302, response.content.decode()
        return self.case.meetings.get(held_on__isnull=True)


class FormTestCase(MeetingStepsTestCase):
    def test_the_labels_tell_the_truth(self):
        self.login(self.rasmus)
        html = self.client.get(self.url()).content.decode()
        # A row may stay empty, but once used its owner and date must be given:
        # neither says "(valgfrit)".
        for name in ("owner", "due"):
            found = re.search(
                rf'<label class="form-label" for="id_skridt-0-{name}">(.*?)</label>', html, re.S
            )
            assert found and "valgfrit" not in found[1], name
        assert "Aftaler til næste møde" not in html  # no free text any more
        # The owners: the case team, the parents, the child; not Pia (not on the team).
        assert f'value="u{self.karen.pk}"' in html and f'value="u{self.rasmus.pk}"' in html
        assert f'value="u{self.pia.pk}"' not in html
        assert 'value="barn"' in html

    def test_a_step_with_text_needs_an_owner_and_a_date_in_danish(self):
        self.login(self.rasmus)
        data = self.post_data(("Mor ringer til PPR", "", ""), ("", "barn", ""))
        response = self.client.post(self.url(), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Mødet blev ikke gemt" in html
        assert html.count("Vælg, hvem der gør det.") == 2  # next to the field, and in the summary
        assert "Skridt 1, Senest: Skriv, hvornår det senest skal være gjort." in html
        assert "Skridt 2, Næste skridt: Skriv, hvad næste skridt er." in html
        assert "Mor ringer til PPR" in html  # what was typed stays
        self.meeting.refresh_from_db()
        assert not self.meeting.is_held and not NextStep.objects.exists()

    def test_a_meeting_may_agree_no_steps(self):
        self.hold()
        self.meeting.refresh_from_db()
        assert self.meeting.is_held and not self.meeting.next_steps.exists()

    def test_one_more_row_keeps_what_was_typed_and_saves_nothing(self):
        self.login(self.rasmus)
        data = self.post_data(("Mor ringer til PPR", "barn", "2026-05-01"), tilfoej_skridt="1")
        response = self.client.post(self.url(), data | {"zone": ""})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="skridt-3-text"' in html and "Mor ringer til PPR" in html
        assert "Mødet blev ikke gemt" not in html  # no errors: nothing was tried saved yet
        self.meeting.refresh_from_db()
        assert not self.meeting.is_held and not NextStep.objects.exists()

    def test_a_step_has_exactly_one_source(self):
        dialogue = final_dialogue(self.emma, self.pia, held_on=date(2026, 2, 1), steps=[])
        fields = {"child": self.emma, "text": "x", "owner_kind": Owner.CHILD, "due": date.today()}
        for sources in ({}, {"dialogue": dialogue, "meeting": self.meeting}):
            with self.assertRaises(IntegrityError), transaction.atomic():
                NextStep.objects.create(**fields, **sources)


class AfterHoldTestCase(MeetingStepsTestCase):
    def test_the_confirmation_links_the_next_meeting_its_invitation_and_the_minutes(self):
        nxt = self.hold(("Mor ringer til PPR", f"u{self.karen.pk}", "2026-05-01"))
        response = self.client.get(self.url(), follow=True)
        html = response.content.decode()
        assert "Næste opfølgningsmøde" in html and "tirsdag 7. juli 2026 klokken 09:00" in html
        assert f'href="/moeder/{nxt.pk}/invitation.ics"' in html
        assert f'href="/moeder/{nxt.pk}/"' in html
        assert f'href="/moeder/{self.meeting.pk}/referat.pdf"' in html
        assert "Mor ringer til PPR" in html and "Markér som gjort" in html

    def test_the_next_meeting_starts_from_the_steps(self):
        nxt = self.hold(("Mor ringer til PPR", f"u{self.karen.pk}", "2026-05-01"))
        html = self.client.get(self.url(nxt)).content.decode()
        assert "Mor ringer til PPR" in html and "fra mødet 7. april 2026" in html
        step = NextStep.objects.get()
        assert f'name="steps_done" value="{step.pk}"' in html  # to tick as done

    def test_the_owner_and_the_recorder_see_the_step_in_mine_opgaver(self):
        self.hold(
            ("Mor ringer til PPR", f"u{self.karen.pk}", "2026-05-01"),
            ("Rasmus sender referatet", f"u{self.rasmus.pk}", "2026-04-10"),
        )
        step = NextStep.objects.get(owner_user=self.karen)
        self.login(self.karen)
        html = self.client.get("/mine-opgaver/").content.decode()
        mine = html.split("Mine næste skridt")[1].split("Skridt, du følger op på")[0]
        assert "Mor ringer til PPR" in mine and "Rasmus sender referatet" not in mine
        assert f'href="/moeder/{self.meeting.pk}/"' in mine  # back to the meeting

        self.login(self.rasmus)
        html = self.client.get("/mine-opgaver/").content.decode()
        mine, followed = html.split("Mine næste skridt")[1].split("Skridt, du følger op på")
        assert "Rasmus sender referatet" in mine and "Mor ringer til PPR" not in mine
        assert "Mor ringer til PPR" in followed

        # Karen marks it done, from Mine opgaver.
        self.login(self.karen)
        response = self.client.post(
            f"/skridt/{step.pk}/", {"comment": "Det er gjort", "next": "/mine-opgaver/"}
        )
        assert response.status_code == 302 and response["Location"] == "/mine-opgaver/"
        step.refresh_from_db()
        assert step.done_on == date(2026, 4, 7) and step.done_by == self.karen

    def test_outside_the_case_team_no_one_sees_or_marks_the_steps(self):
        self.hold(("Mor ringer til PPR", "barn", "2026-05-01"))
        step = NextStep.objects.get()
        # Pia sees Emma (her pædagog) but is not on the case team.
        self.login(self.pia)
        assert "Mor ringer til PPR" not in self.client.get("/mine-opgaver/").content.decode()
        assert (
            "Mor ringer til PPR" not in self.client.get(f"/boern/{self.emma.pk}/").content.decode()
        )
        assert self.client.post(f"/skridt/{step.pk}/", {}).status_code == 404
        step.refresh_from_db()
        assert not step.is_done
