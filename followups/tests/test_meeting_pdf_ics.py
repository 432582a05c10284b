"""The minutes of a follow-up meeting as a PDF, and its calendar invitation.

Rasmus coordinates Emma's case and Karen (PPR) is on its team; Pia, Emma's
pædagog, agreed a next step with the family in a LØFT dialogue.
"""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from django.test import SimpleTestCase, override_settings
from pypdf import PdfReader

from children.audit import Event
from followups.models import Case, CaseMember, Decision, Meeting
from followups.tests.test_meeting import steps_data
from loeft.tests.factories import final_dialogue
from tidlig.lib import ics
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


@time_machine.travel(datetime(2026, 4, 7, 10, tzinfo=CPH), tick=False)
class MeetingPdfTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = Case.objects.create(
            child=cls.emma, coordinator=cls.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=cls.case, user=cls.karen, profession="Psykolog")
        cls.meeting = Meeting.objects.create(case=cls.case, scheduled_on=date(2026, 4, 5))
        dialogue = final_dialogue(
            cls.emma,
            cls.pia,
            held_on=date(2026, 2, 1),
            steps=[("Pia tager imod Emma ved døren", cls.pia, date(2026, 3, 1))],
        )
        cls.step = dialogue.next_steps.get()

    def hold(self):
        self.login(self.rasmus)
        data = {
            "held_on": "2026-04-07",
            "participants": [self.rasmus.pk, self.karen.pk],
            "parents_present": "on",
            "others": "Mormor Inge",
            "steps_done": [self.step.pk],
            "zone": "3",
            "minutes": "Emma græder mindre ved aflevering.",
            "decision": Decision.ADJUST,
            "new_step": "2",
            "new_kind": "Støtte i dagtilbuddet",
            **steps_data(("Mor ringer til PPR inden 1. maj.", "barn", "2026-05-01")),
            "next_on": "2026-07-01",
        }
        assert self.client.post(f"/moeder/{self.meeting.pk}/", data).status_code == 302

    @override_settings(MUNICIPALITY_NAME="Eksempel Kommune")
    def test_the_minutes_are_a_real_pdf_and_printing_is_audited(self):
        self.hold()
        self.login(self.karen)
        response = self.client.get(f"/moeder/{self.meeting.pk}/referat.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert "Eksempel Kommune" in text.replace("EKSEMPEL KOMMUNE", "Eksempel Kommune")
        assert "Referat af opfølgningsmøde 7. april 2026" in text
        assert "Emma Holm" in text
        assert "Emma græder mindre ved aflevering." in text
        assert "Mor ringer til PPR inden 1. maj." in text
        assert "Zone 3: Sårbar" in text and "Justér indsats" in text
        assert "Næste møde: onsdag 1. juli 2026 klokken 09:00." in text
        assert "Pia tager imod Emma ved døren" in text and "gjort 7. april 2026" in text
        assert "Karen, Rasmus, Forældrene, Mormor Inge" in text
        assert "Side 1 af 1" in text
        entry = LogEntry.objects.filter(additional_data__event=Event.PRINT).get()
        assert entry.actor == self.karen and entry.additional_data["child"] == self.emma.pk

    def test_a_meeting_not_held_has_no_minutes(self):
        self.login(self.rasmus)
        assert self.client.get(f"/moeder/{self.meeting.pk}/referat.pdf").status_code == 404
        assert not LogEntry.objects.filter(additional_data__event=Event.PRINT).exists()

    @override_settings(SITE_ROOT="https://tidlig.eksempel.dk/")
    def test_the_invitation_is_a_calendar_file_without_the_childs_name(self):
        self.meeting.location = "Rådhuset, mødelokale 2; indgang B"
        self.meeting.save()
        self.login(self.karen)
        response = self.client.get(f"/moeder/{self.meeting.pk}/invitation.ics")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="opfoelgningsmoede-2026-04-05.ics"'
        )
        assert "no-store" in response["Cache-Control"]
        body = response.content.decode()
        assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
        assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
        assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
        lines = unfold(body).split("\r\n")
        assert f"UID:meeting-{self.meeting.pk}@tidlig.eksempel.dk" in lines
        assert "DTSTART:20260405T070000Z" in lines  # 09:00 summer time in Copenhagen
        assert "DTEND:20260405T080000Z" in lines
        assert "SUMMARY:Opfølgningsmøde" in lines
        assert "LOCATION:Rådhuset\\, mødelokale 2\\; indgang B" in lines
        assert f"URL:https://tidlig.eksempel.dk/moeder/{self.meeting.pk}/" in lines
        assert "Emma" not in body and "Holm" not in body
        assert body.count("BEGIN:VEVENT") == 1

    def test_a_moved_meeting_is_a_new_revision_of_the_same_invitation(self):
        self.login(self.rasmus)
        url = f"/moeder/{self.meeting.pk}/invitation.ics"
        first = unfold(self.client.get(url).content.decode()).split("\r\n")
        assert "SEQUENCE:0" in first
        data = {"scheduled_on": "2026-04-09", "starts_at": "13:30", "location": "PPR"}
        assert self.client.post(f"/moeder/{self.meeting.pk}/flyt/", data).status_code == 302
        moved = unfold(self.client.get(url).content.decode()).split("\r\n")
        # The same UID with a higher SEQUENCE: a calendar replaces the old event.
        uid = next(line for line in first if line.startswith("UID:"))
        assert uid in moved and "SEQUENCE:1" in moved
        assert "DTSTART:20260409T113000Z" in moved

    def test_the_page_links_to_the_invitation(self):
        self.login(self.rasmus)
        html = self.client.get(f"/moeder/{self.meeting.pk}/").content.decode()
        assert f'href="/moeder/{self.meeting.pk}/invitation.ics"' in html


class IcsTestCase(SimpleTestCase):
    def test_it_escapes_text(self):
        assert ics.escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"

    def test_it_folds_long_lines_without_splitting_a_character(self):
        line = "DESCRIPTION:" + "æøå" * 40
        folded = ics.fold(line)
        pieces = folded.split("\r\n ")
        assert len(pieces) > 1
        assert all(len(piece.encode()) <= 75 - (i > 0) for i, piece in enumerate(pieces))
        assert "".join(pieces) == line
