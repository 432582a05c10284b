"""Transitions and the overleveringsnotat (desk.transition_views), end to end.

Emma leaves Børnehaven Solsikken (Pia, pædagog; Lars, leader) on 31 July 2026 and
starts at Nordby Skole (Sofie, teacher) on 10 August 2026. Solsikken may write the
note from 11 June (60 days before the start) until 14 August (14 days after her
last day); the school reads it from 10 August. Rasmus coordinates her case.
"""

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from accounts.models import Membership, Role, Unit, UnitGroup, UnitKind, User
from children.access import may_read_transition_note, may_write_transition_note
from children.models import Enrollment, TransitionNote
from children.transitions import transitions_of_child
from desk import transition_views
from followups.models import Case
from loeft.tests.factories import final_dialogue
from ruler.models import Assessment
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")
START = date(2026, 8, 10)
LAST_DAY = date(2026, 7, 31)


@contextmanager
def on(day: date):
    with time_machine.travel(datetime.combine(day, datetime.min.time(), CPH).replace(hour=10)):
        yield


class TransitionTestCase(BaseTestCase):
    sending: Enrollment
    receiving: Enrollment
    case: Case
    sydby: Unit
    tove: User

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sending = Enrollment.objects.get(child=cls.emma, unit=cls.solsikken)
        cls.sending.end = LAST_DAY
        cls.sending.save()
        cls.receiving = Enrollment.objects.create(child=cls.emma, unit=cls.skolen, start=START)
        Assessment.objects.create(
            child=cls.emma, author=cls.pia, assessed_on=date(2026, 5, 4), zone=3
        )
        final_dialogue(
            cls.emma,
            cls.pia,
            held_on=date(2026, 5, 4),
            steps=[("Øve at sige farvel", cls.pia, date(2026, 9, 1))],
        )
        cls.case = Case.objects.create(
            child=cls.emma,
            coordinator=cls.rasmus,
            opened_on=date(2026, 3, 2),
            shared_summary="Familien får familiebehandling.",
        )
        cls.sydby = Unit.objects.create(name="Sydby Børnehus", kind=UnitKind.BOERNEHAVE)
        cls.tove = make_user("tove", cls.sydby, Role.LEDER, first_name="Tove")

    def edit_url(self) -> str:
        return reverse("transition_note_edit", args=[self.sending.pk, self.receiving.pk])

    def as_user(self, user):
        self.client.logout()
        self.login(user)
        return self.client

    def finished_note(self, **kw) -> TransitionNote:
        fields = {
            "what_works": "Emma leger godt med Alma.",
            "needs": "En fast voksen om morgenen.",
            "parents_seen": True,
            "finished_at": datetime(2026, 7, 1, 12, tzinfo=CPH),
            **kw,
        }
        return TransitionNote.objects.create(
            from_enrollment=self.sending, to_enrollment=self.receiving, author=self.pia, **fields
        )


class NoteWritingTestCase(TransitionTestCase):
    def test_the_sending_unit_saves_a_draft_prefilled_from_the_zone_and_the_steps(self):
        with on(date(2026, 6, 15)):
            client = self.as_user(self.pia)
            page = client.get(self.edit_url())
            assert page.status_code == 200
            html = page.content.decode()
            assert "Øve at sige farvel (Pia, senest 1. september 2026)" in html
            assert "Gem og send til Nordby Skole" in html
            response = client.post(
                self.edit_url(),
                {"what_works": "Emma elsker at tegne.", "open_steps": "Øve at sige farvel"},
            )
            assert response.status_code == 302
            assert response["Location"] == self.edit_url()
        note = TransitionNote.objects.get()
        assert (note.author, note.latest_zone, note.latest_zone_on) == (
            self.pia,
            3,
            date(2026, 5, 4),
        )
        assert note.what_works == "Emma elsker at tegne."
        assert not note.is_finished

    def test_sending_needs_a_text_and_the_parents_to_have_seen_it_and_saves_nothing_else(self):
        with on(date(2026, 6, 15)):
            client = self.as_user(self.lars)
            page = client.post(
                self.edit_url(), {"handling": "send", "open_steps": "x", "parents_agree": "on"}
            )
        assert page.status_code == 200
        html = page.content.decode()
        assert "Notatet blev ikke gemt" in html
        assert "Skriv mindst ét af de tre" in html
        assert "Forældrene skal have set notatet, før det sendes til Nordby Skole." in html
        assert "Forældrene kan kun være enige i notatet, hvis de har set det." in html
        assert not TransitionNote.objects.exists()

    def test_sending_finishes_the_note_and_it_may_still_be_corrected(self):
        with on(date(2026, 6, 15)):
            client = self.as_user(self.lars)
            response = client.post(
                self.edit_url(),
                {"handling": "send", "needs": "Ro omkring sig.", "parents_seen": "on"},
            )
            note = TransitionNote.objects.get()
            assert response.status_code == 302
            assert response["Location"] == note.get_absolute_url()
            assert note.is_finished and note.author == self.lars and note.latest_zone == 3
            # A correction keeps it sent, and must still hold a text.
            page = client.get(self.edit_url()).content.decode()
            assert "Gem rettelser" in page and "Gem kladde" not in page
            refused = client.post(self.edit_url(), {"handling": "kladde", "parents_seen": "on"})
            assert refused.status_code == 200
            response = client.post(
                self.edit_url(), {"needs": "Ro og faste rammer.", "parents_seen": "on"}
            )
            assert response.status_code == 302
        note.refresh_from_db()
        assert note.needs == "Ro og faste rammer." and note.is_finished

    def test_the_note_may_be_written_from_60_days_before_the_start(self):
        for day, status in ((date(2026, 6, 10), 404), (date(2026, 6, 11), 200)):
            with on(day):
                assert self.as_user(self.pia).get(self.edit_url()).status_code == status, day

    def test_the_sending_unit_writes_until_14_days_after_its_last_day_then_404(self):
        note = self.finished_note()
        for day, status in ((date(2026, 8, 14), 200), (date(2026, 8, 15), 404)):
            with on(day):
                client = self.as_user(self.pia)
                assert client.get(self.edit_url()).status_code == status, day
                assert client.get(note.get_absolute_url()).status_code == status, day

    def test_another_unit_and_the_receiving_unit_may_not_write_it(self):
        with on(date(2026, 6, 15)):
            for user in (self.tove, self.sofie, self.karen, self.frida):
                assert self.as_user(user).get(self.edit_url()).status_code == 404, user

    def test_two_enrollments_that_are_not_a_transition_are_a_404(self):
        oskars = self.oskar.enrollments.get()
        with on(date(2026, 6, 15)):
            client = self.as_user(self.lars)
            wrong = reverse("transition_note_edit", args=[oskars.pk, self.receiving.pk])
            assert client.get(wrong).status_code == 404
            backwards = reverse("transition_note_edit", args=[self.receiving.pk, self.sending.pk])
            assert client.get(backwards).status_code == 404

    def test_opening_the_form_is_logged_as_a_read_of_the_child(self):
        with on(date(2026, 6, 15)):
            self.as_user(self.pia).get(self.edit_url())
        entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=self.pia).latest("pk")
        assert entry.additional_data["child"] == self.emma.pk
        assert entry.additional_data["what"] == self.edit_url()


class NoteReadingTestCase(TransitionTestCase):
    def test_the_receiving_unit_reads_it_from_the_start_and_not_before(self):
        note = self.finished_note()
        with on(START - timedelta(days=1)):
            assert self.as_user(self.sofie).get(note.get_absolute_url()).status_code == 404
        with on(START):
            page = self.as_user(self.sofie).get(note.get_absolute_url())
        assert page.status_code == 200
        html = page.content.decode()
        assert "En fast voksen om morgenen." in html
        assert "Kvittér for modtagelse" in html
        # The handover summary: zone and date, open steps, the coordinator's name;
        # nothing of the case itself.
        assert "vurderet 4. maj 2026" in html
        assert "Øve at sige farvel" in html
        assert "Tovholder: Rasmus" in html
        assert "familiebehandling" not in html
        entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=self.sofie).latest(
            "pk"
        )
        assert entry.additional_data["what"] == note.get_absolute_url()

    def test_a_draft_is_not_read_by_the_receiving_unit(self):
        note = self.finished_note(finished_at=None)
        with on(START + timedelta(days=1)):
            assert self.as_user(self.sofie).get(note.get_absolute_url()).status_code == 404
            assert self.as_user(self.pia).get(note.get_absolute_url()).status_code == 200

    def test_another_unit_gets_404(self):
        note = self.finished_note()
        with on(START):
            for user in (self.tove, self.karen, self.frida, self.adam):
                client = self.as_user(user)
                assert client.get(note.get_absolute_url()).status_code == 404, user
                ack = reverse("transition_note_acknowledge", args=[note.pk])
                assert client.post(ack).status_code == 404, user

    def test_the_case_team_reads_it(self):
        note = self.finished_note()
        with on(START):
            page = self.as_user(self.rasmus).get(note.get_absolute_url()).content.decode()
        assert "En fast voksen om morgenen." in page
        assert "Kvittér for modtagelse" not in page

    def test_acknowledging_twice_shows_the_page_again(self):
        note = self.finished_note()
        ack = reverse("transition_note_acknowledge", args=[note.pk])
        with on(START + timedelta(days=2)):
            client = self.as_user(self.sofie)
            first = client.post(ack)
            assert first.status_code == 302 and first["Location"] == note.get_absolute_url()
            second = client.post(ack)
        assert second.status_code == 200
        assert "Notatet er allerede kvitteret af Sofie den 12. august 2026." in (
            second.content.decode()
        )
        note.refresh_from_db()
        assert note.acknowledged_by == self.sofie
        assert note.acknowledged_at.date() == START + timedelta(days=2)

    def test_the_sending_unit_and_the_case_team_do_not_acknowledge(self):
        note = self.finished_note()
        ack = reverse("transition_note_acknowledge", args=[note.pk])
        with on(START):
            for user in (self.pia, self.rasmus):
                assert self.as_user(user).post(ack).status_code == 404, user
            assert self.as_user(self.sofie).get(ack).status_code == 405
        note.refresh_from_db()
        assert note.acknowledged_at is None


class GroupsTestCase(TransitionTestCase):
    """Sofie teaches 0.A only; Emma starts in 0.B, then is moved to 0.A."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.a = UnitGroup.objects.create(unit=cls.skolen, name="0.A", kind="klasse")
        cls.b = UnitGroup.objects.create(unit=cls.skolen, name="0.B", kind="klasse")
        Membership.objects.get(user=cls.sofie).groups.set([cls.a])
        cls.receiving.group = cls.b
        cls.receiving.save()

    def test_a_group_limited_fagperson_sees_only_the_transitions_of_her_groups(self):
        note = self.finished_note()
        with on(START):
            client = self.as_user(self.sofie)
            overview = client.get(reverse("unit_overview"))
            assert overview.context["transitions"]["incoming"] == []
            assert client.get(note.get_absolute_url()).status_code == 404
            Enrollment.objects.filter(pk=self.receiving.pk).update(group=self.a)
            overview = client.get(reverse("unit_overview"))
            rows = overview.context["transitions"]["incoming"]
            assert [row.transition.child for row in rows] == [self.emma]
            assert rows[0].read_url == note.get_absolute_url()
            assert client.get(note.get_absolute_url()).status_code == 200


class ListsTestCase(TransitionTestCase):
    def test_the_sending_unit_sees_the_outgoing_transition_with_a_write_link(self):
        with on(date(2026, 6, 15)):
            overview = self.as_user(self.lars).get(reverse("unit_overview"))
        (row,) = overview.context["transitions"]["outgoing"]
        assert overview.context["transitions"]["incoming"] == []
        assert (row.status, row.write_url, row.read_url) == ("mangler", self.edit_url(), "")
        html = overview.content.decode()
        section = html.split('id="overgange"')[1].split("</section>")[0]
        assert "Emma Holm" in section and "Nordby Skole" in section and "Skriv notat" in section

    def test_the_receiving_unit_sees_the_name_before_the_start_but_no_content(self):
        note = self.finished_note()
        with on(date(2026, 7, 1)):
            overview = self.as_user(self.sofie).get(reverse("unit_overview"))
        (row,) = overview.context["transitions"]["incoming"]
        assert (row.status, row.write_url, row.read_url, row.child_url) == ("sendt", "", "", "")
        assert row.readable_from == START
        section = overview.content.decode().split('id="overgange"')[1].split("</section>")[0]
        assert "Emma Holm" in section and "kan læses fra 10. august 2026" in section
        assert note.get_absolute_url() not in section
        assert "fast voksen" not in overview.content.decode()

    def test_the_overview_leaves_the_transitions_after_30_days(self):
        with on(START + timedelta(days=31)):
            overview = self.as_user(self.sofie).get(reverse("unit_overview"))
        assert overview.context["transitions"]["incoming"] == []

    def test_the_child_page_lists_the_transition_with_the_users_links(self):
        note = self.finished_note()
        with on(START + timedelta(days=1)):
            page = self.as_user(self.sofie).get(self.emma.get_absolute_url())
        (row,) = page.context["transitions"]
        assert (row.status, row.write_url, row.read_url) == ("sendt", "", note.get_absolute_url())
        html = page.content.decode()
        assert "Børnehaven Solsikken → Nordby Skole" in html and "Læs notat" in html
        # Solsikken, before Emma leaves: write it, or read it as it was sent.
        with on(date(2026, 7, 20)):
            page = self.as_user(self.pia).get(self.emma.get_absolute_url())
        (row,) = page.context["transitions"]
        assert (row.write_url, row.read_url) == (self.edit_url(), note.get_absolute_url())
        assert "Ret notat" in page.content.decode()

    def test_the_lists_decide_as_the_access_rules_do(self):
        # desk.transition_views checks many transitions at once: the same answers
        # as children.access, day by day, for every kind of user.
        note = self.finished_note()
        users = (self.pia, self.lars, self.sofie, self.rasmus, self.tove, self.karen)
        days = [START + timedelta(days=n) for n in range(-62, 20, 3)]
        for user, day, finished in product(users, days, (True, False)):
            note.finished_at = datetime(2026, 7, 1, tzinfo=CPH) if finished else None
            (transition,) = transitions_of_child(self.emma)
            transition.note = note
            (row,) = transition_views._rows(
                user,
                [transition],
                transition_views._rights(user, [transition]),
                day,
                child_links=False,
            )
            write = may_write_transition_note(user, self.sending, self.receiving, day)
            read = may_read_transition_note(user, note, day)
            assert (bool(row.write_url), bool(row.read_url)) == (write, read), (user, day)

    def test_the_overview_costs_the_same_queries_for_one_and_five_transitions(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tidlig.test import make_child

        def queries() -> int:
            with on(date(2026, 6, 15)):
                client = self.as_user(self.lars)
                with CaptureQueriesContext(connection) as ctx:
                    client.get(reverse("unit_overview"))
            return len(ctx)

        one = queries()
        for i in range(4):
            child = make_child(f"Barn{i}", "Test", date(2020, 1, 1), unit=self.solsikken)
            child.enrollments.update(end=LAST_DAY)
            Enrollment.objects.create(child=child, unit=self.skolen, start=START)
        assert queries() == one
