"""Need to know within and between units (children.access): groups, what a unit
reads of a child's history, case material, the note window and consents.

Emma leaves Børnehaven Solsikken on 31 July 2026 and starts at Nordby Skole in
class 0.A on 1 August. Pia wrote about her at Solsikken; Sofie teaches 0.A.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry

from accounts.models import GroupKind, Membership, Role, UnitGroup
from children.access import (
    may_read_transition_note,
    may_write_transition_note,
    visible_children,
)
from children.models import Concern, Consent, Enrollment, Guardian, TransitionNote
from children.sharing import Purpose
from followups.models import Case
from ruler.models import Assessment
from tidlig.test import BaseTestCase, make_child, make_user

CPH = ZoneInfo("Europe/Copenhagen")
LAST_DAY = date(2026, 7, 31)
FIRST_DAY = date(2026, 8, 1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CPH)


class NeedToKnowTestCase(BaseTestCase):
    class_a: UnitGroup
    class_b: UnitGroup
    mother: Guardian

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.class_a = UnitGroup.objects.create(unit=cls.skolen, name="0.A", kind=GroupKind.KLASSE)
        cls.class_b = UnitGroup.objects.create(unit=cls.skolen, name="0.B", kind=GroupKind.KLASSE)
        Membership.objects.get(user=cls.sofie).groups.add(cls.class_a)
        cls.head = make_user("hanne", cls.skolen, Role.LEDER, first_name="Hanne")
        Membership.objects.get(user=cls.head).groups.add(cls.class_a)  # ignored for a leader
        cls.other_teacher = make_user("ole", cls.skolen, Role.FAGPERSON, first_name="Ole")

        Enrollment.objects.filter(child=cls.emma).update(start=date(2023, 8, 1), end=LAST_DAY)
        cls.sending = Enrollment.objects.get(child=cls.emma)
        cls.receiving = Enrollment.objects.create(
            child=cls.emma, unit=cls.skolen, start=FIRST_DAY, group=cls.class_a
        )
        Enrollment.objects.filter(child=cls.oskar).update(group=cls.class_a)
        cls.ida = make_child("Ida", "Vang", date(2020, 5, 5))
        Enrollment.objects.create(
            child=cls.ida, unit=cls.skolen, start=date(2025, 8, 1), group=cls.class_b
        )
        cls.mother = Guardian.objects.create(child=cls.emma, name="Maria Holm", relation="mor")

        with time_machine.travel(at(date(2026, 5, 4)), tick=False):
            cls.kindergarten_note = Assessment.objects.create(
                child=cls.emma,
                author=cls.pia,
                assessed_on=date(2026, 5, 4),
                zone=3,
                what_worries="Trækker sig fra legen i garderoben",
            )
            cls.kindergarten_concern = Concern.objects.create(
                child=cls.emma,
                author=cls.pia,
                observed_on=date(2026, 5, 4),
                text="Græder ved aflevering hver morgen",
            )

    def consent(self, purpose=Purpose.OTHER_UNITS_NOTES, units=(), **kw) -> Consent:
        consent = Consent.objects.create(
            child=self.emma,
            guardian=self.mother,
            purpose=purpose,
            given_on=kw.pop("given_on", FIRST_DAY),
            recorded_by=self.lars,
            **kw,
        )
        consent.units.set(units or [self.skolen])
        return consent

    def assessment_page(self):
        return self.client.get(self.kindergarten_note.get_absolute_url())

    # Groups

    def test_a_group_limited_fagperson_sees_only_her_group(self):
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            assert set(visible_children(self.sofie)) == {self.emma, self.oskar}
            assert set(visible_children(self.other_teacher)) == {self.emma, self.oskar, self.ida}
            assert set(visible_children(self.head)) == {self.emma, self.oskar, self.ida}
            self.login(self.sofie)
            assert self.client.get(self.ida.get_absolute_url()).status_code == 404
            assert self.client.get(self.oskar.get_absolute_url()).status_code == 200
            listing = self.client.get("/boern/").content.decode()
            assert "Oskar" in listing and "Ida" not in listing
            # The front page says the limit.
            assert "Kun 0.A" in " ".join(self.client.get("/").content.decode().split())

    def test_a_unit_without_groups_works_as_a_whole(self):
        Membership.objects.get(user=self.sofie).groups.clear()
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            assert set(visible_children(self.sofie)) == {self.emma, self.oskar, self.ida}

    # What a unit reads of the history

    def test_the_entry_remembers_the_unit_it_was_written_in(self):
        assert self.kindergarten_note.unit == self.solsikken
        assert self.kindergarten_concern.unit == self.solsikken

    def test_the_new_school_sees_that_earlier_notes_exist_but_not_what_they_say(self):
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            self.login(self.sofie)
            page = self.client.get(self.emma.get_absolute_url()).content.decode()
            assert "Notater i andre enheder" in page
            assert "Børnehaven Solsikken" in page and "1 vurdering" in page
            assert "1 bekymring" in page
            assert "Græder ved aflevering" not in page
            # The handover summary: the latest zone and its date, not the assessment.
            assert "Seneste vurdering 4. maj 2026 i Børnehaven Solsikken" in page
            assert self.kindergarten_note.get_absolute_url() not in page
            assert self.assessment_page().status_code == 404

    def test_the_parents_consent_opens_the_earlier_notes_until_it_expires(self):
        self.consent(expires_on=date(2026, 9, 30))
        with time_machine.travel(at(date(2026, 9, 30)), tick=False):
            self.login(self.sofie)
            assert self.assessment_page().status_code == 200
            page = self.client.get(self.emma.get_absolute_url()).content.decode()
            assert "Græder ved aflevering" in page and "Notater i andre enheder" not in page
        with time_machine.travel(at(date(2026, 10, 1)), tick=False):
            self.login(self.sofie)
            assert self.assessment_page().status_code == 404
            page = self.client.get(self.emma.get_absolute_url()).content.decode()
            assert "Græder ved aflevering" not in page

    def test_a_withdrawn_consent_closes_the_earlier_notes_at_once(self):
        consent = self.consent()
        with time_machine.travel(at(date(2026, 9, 1)), tick=False):
            self.login(self.sofie)
            assert self.assessment_page().status_code == 200
            consent.withdrawn_on = date(2026, 9, 1)
            consent.withdrawn_by = self.lars
            consent.save()
            assert self.assessment_page().status_code == 404

    def test_a_consent_for_another_unit_or_purpose_does_not_open_them(self):
        self.consent(units=[self.solsikken])
        self.consent(purpose=Purpose.MEETING)
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            self.login(self.sofie)
            assert self.assessment_page().status_code == 404

    def test_the_unit_reads_what_was_written_in_it(self):
        with time_machine.travel(at(date(2026, 8, 20)), tick=False):
            school_note = Assessment.objects.create(
                child=self.emma, author=self.sofie, assessed_on=date(2026, 8, 20), zone=2
            )
            assert school_note.unit == self.skolen
            self.login(self.other_teacher)
            assert self.client.get(school_note.get_absolute_url()).status_code == 200

    def test_the_case_team_reads_the_whole_history(self):
        Case.objects.create(child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 8, 5))
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            self.login(self.rasmus)
            assert self.assessment_page().status_code == 200

    # Case material

    def test_outside_the_team_a_case_is_its_coordinator_and_the_shared_summary(self):
        case = Case.objects.create(
            child=self.emma,
            coordinator=self.rasmus,
            opened_on=date(2026, 8, 5),
            shared_summary="Familien får støtte to gange om ugen.",
            summary_shared_on=date(2026, 8, 6),
        )
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            self.login(self.sofie)
            page = self.client.get(self.emma.get_absolute_url()).content.decode()
            assert "Tovholder: Rasmus" in page
            assert "Familien får støtte to gange om ugen." in page
            assert case.get_absolute_url() not in page
            assert self.client.get(case.get_absolute_url()).status_code == 404
            self.login(self.rasmus)
            assert self.client.get(case.get_absolute_url()).status_code == 200

    def test_the_coordinator_writes_the_shared_summary(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 8, 5)
        )
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            self.login(self.sofie)
            url = f"/sager/{case.pk}/resume/"
            assert self.client.post(url, {"shared_summary": "x"}).status_code == 404
            self.login(self.rasmus)
            self.client.post(url, {"shared_summary": "Mødes med familien hver uge."})
        case.refresh_from_db()
        assert case.shared_summary == "Mødes med familien hver uge."
        assert case.summary_shared_on == date(2026, 8, 10)

    # The sending unit's access ends, except for its note

    def test_the_sending_unit_loses_the_child_but_may_finish_its_note_for_14_days(self):
        with time_machine.travel(at(LAST_DAY), tick=False):
            assert self.emma in visible_children(self.pia)
        with time_machine.travel(at(FIRST_DAY), tick=False):
            assert self.emma not in visible_children(self.pia)
        window = [
            (date(2026, 6, 1), False),  # more than 60 days before the start
            (date(2026, 6, 2), True),
            (LAST_DAY + timedelta(days=14), True),
            (LAST_DAY + timedelta(days=15), False),
        ]
        for day, allowed in window:
            assert (
                may_write_transition_note(self.pia, self.sending, self.receiving, today=day)
                is allowed
            ), day
        assert not may_write_transition_note(self.sofie, self.sending, self.receiving, FIRST_DAY)

    def test_the_receiving_unit_reads_the_finished_note_from_the_first_day(self):
        note = TransitionNote.objects.create(
            from_enrollment=self.sending,
            to_enrollment=self.receiving,
            author=self.pia,
            what_works="Faste rutiner",
        )
        assert not may_read_transition_note(self.sofie, note, today=FIRST_DAY)  # a draft
        note.finished_at = at(date(2026, 6, 20))
        note.save()
        assert not may_read_transition_note(self.sofie, note, today=LAST_DAY)
        assert may_read_transition_note(self.sofie, note, today=FIRST_DAY)
        assert not may_read_transition_note(self.ole_in_other_class(), note, today=FIRST_DAY)
        assert may_read_transition_note(self.pia, note, today=LAST_DAY + timedelta(days=14))
        assert not may_read_transition_note(self.pia, note, today=LAST_DAY + timedelta(days=15))

    def ole_in_other_class(self):
        Membership.objects.get(user=self.other_teacher).groups.add(self.class_b)
        return self.other_teacher

    # A consultative unit reads with the parents' consent

    def test_ppr_reads_the_child_with_consent_and_only_while_it_is_in_force(self):
        self.consent(purpose=Purpose.PPR, units=[self.ppr], expires_on=date(2026, 8, 31))
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            self.login(self.karen)
            assert self.client.get(self.emma.get_absolute_url()).status_code == 200
            assert self.assessment_page().status_code == 200
            entry = LogEntry.objects.filter(actor=self.karen).latest("pk")
            assert entry.additional_data["reason"] == "samtykke"
            # Read only: the consent lets her read, not write.
            response = self.client.post(
                f"/boern/{self.emma.pk}/bekymring/",
                {"observed_on": "2026-08-10", "text": "x"},
            )
            assert response.status_code == 404
        with time_machine.travel(at(date(2026, 9, 1)), tick=False):
            self.login(self.karen)
            assert self.client.get(self.emma.get_absolute_url()).status_code == 404

    # Retention

    def test_deleting_a_child_takes_its_consents_and_notes_along(self):
        from children.retention import delete_child

        self.consent()
        TransitionNote.objects.create(
            from_enrollment=self.sending, to_enrollment=self.receiving, author=self.pia
        )
        deleted = delete_child(self.emma)
        assert deleted["children.Consent"] == 1 and deleted["children.TransitionNote"] == 1
        assert not Consent.objects.exists() and not TransitionNote.objects.exists()

    def test_a_ppr_consent_ticked_for_a_school_lets_no_school_read(self):
        self.consent(purpose=Purpose.PPR, units=[self.skolen, self.solsikken])
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            assert self.emma not in visible_children(self.karen)
            self.login(self.sofie)
            assert self.assessment_page().status_code == 404

    def test_ppr_colleagues_read_what_was_written_in_ppr(self):
        self.consent(purpose=Purpose.PPR, units=[self.ppr])
        colleague = make_user("per", self.ppr, Role.KONSULENT, first_name="Per")
        with time_machine.travel(at(date(2026, 8, 10)), tick=False):
            note = Assessment.objects.create(
                child=self.emma, author=self.karen, assessed_on=date(2026, 8, 10), zone=3
            )
            assert note.unit == self.ppr
            self.login(colleague)
            assert self.client.get(note.get_absolute_url()).status_code == 200
            self.login(self.sofie)
            assert self.client.get(note.get_absolute_url()).status_code == 404

    def test_deleting_many_children_at_once_is_not_stopped_by_a_note(self):
        from children.models import Child

        TransitionNote.objects.create(
            from_enrollment=self.sending, to_enrollment=self.receiving, author=self.pia
        )
        Child.objects.all().delete()
        assert not TransitionNote.objects.exists()
