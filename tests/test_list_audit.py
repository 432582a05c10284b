"""Reads of lists are logged (issue 18): each page that names several children
writes ONE audit entry per view, event "list", with the ids of the children
shown, and nothing when it shows none. Those reads count in the bulk-read alert.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, Unit, UnitKind
from children import audit
from children.alerts import find_bursts
from children.audit_views import _rows
from children.models import BulkReadAlert
from desk.export import trail_rows
from followups.models import Case, Meeting, Reminder, Underretning
from loeft.tests.factories import final_dialogue
from tidlig.test import BaseTestCase, make_child, make_user

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 5, 4, 10, tzinfo=CPH)


def list_entries():
    return LogEntry.objects.filter(additional_data__event=audit.Event.LIST)


@time_machine.travel(NOW, tick=False)
class ListAuditTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Ea leads an empty kindergarten; Erik is a pædagog there; Lise leads the
        # rådgivning; Mads is a caseworker with nothing to do.
        cls.tomt = Unit.objects.create(name="Tom Børnehave", kind=UnitKind.BOERNEHAVE)
        cls.ea = make_user("ea", cls.tomt, Role.LEDER)
        cls.erik = make_user("erik", cls.tomt, Role.FAGPERSON)
        cls.lise = make_user("lise", cls.raadgivningen, Role.LEDER)
        cls.mads = make_user("mads", cls.raadgivningen, Role.RAADGIVER)

    def _shown(self, user, url: str) -> list[list[int]]:
        """The list entries that one view of `url` by `user` writes: their children."""
        self.login(user)
        before = set(list_entries().values_list("pk", flat=True))
        response = self.client.get(url)
        assert response.status_code == 200, url
        entries = list(list_entries().exclude(pk__in=before))
        for entry in entries:
            assert entry.actor == user
            assert entry.additional_data["what"] == url
            assert entry.additional_data["count"] == len(entry.additional_data["children"])
        return [entry.additional_data["children"] for entry in entries]

    def _underretning(self, child, received_at=NOW - timedelta(days=3)):
        return Underretning.objects.create(
            child=child,
            made_by=self.pia,
            registered_by=self.pia,
            notifier="Pia",
            notifier_contact="Solsikken",
            received_at=received_at,
            about="Bekymring.",
        )

    def test_mine_boern_logs_the_children_on_the_page(self):
        assert self._shown(self.pia, "/boern/") == [sorted([self.emma.pk, self.noah.pk])]
        assert self._shown(self.erik, "/boern/") == []

    def test_a_search_on_mine_boern_logs_the_search_only(self):
        self.login(self.pia)
        before = LogEntry.objects.count()
        self.client.post("/boern/", {"q": "Emma"})
        assert LogEntry.objects.count() == before + 1
        assert not list_entries().exists()

    def test_the_unit_overview_logs_the_units_children(self):
        assert self._shown(self.lars, "/oversigt/") == [sorted([self.emma.pk, self.noah.pk])]
        assert self._shown(self.ea, "/oversigt/") == []

    def test_mine_opgaver_logs_the_children_of_the_steps(self):
        final_dialogue(self.emma, self.pia, steps=[("Ring til mor", self.pia, date(2026, 6, 1))])
        assert self._shown(self.pia, "/mine-opgaver/") == [[self.emma.pk]]
        assert self._shown(self.lars, "/mine-opgaver/") == []

    def test_mine_sager_logs_the_children_of_the_cases(self):
        Case.objects.create(child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5))
        assert self._shown(self.rasmus, "/mine-sager/") == [[self.emma.pk]]
        assert self._shown(self.mads, "/mine-sager/") == []

    def test_mine_moeder_logs_the_children_of_the_meetings(self):
        case = Case.objects.create(
            child=self.oskar, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        Meeting.objects.create(case=case, scheduled_on=date(2026, 5, 12))
        assert self._shown(self.rasmus, "/mine-moeder/") == [[self.oskar.pk]]
        assert self._shown(self.mads, "/mine-moeder/") == []

    def test_the_intake_logs_the_children_of_the_open_underretninger(self):
        assert self._shown(self.rasmus, "/raadgivning/indgang/") == []
        self._underretning(self.noah, received_at=NOW - timedelta(hours=1))
        assert self._shown(self.rasmus, "/raadgivning/indgang/") == [[self.noah.pk]]

    def test_the_underretning_overview_logs_the_children_past_a_deadline(self):
        url = "/raadgivning/underretninger/"
        assert self._shown(self.lise, url) == []
        self._underretning(self.emma)
        assert self._shown(self.lise, url) == [[self.emma.pk]]

    def test_notifications_log_the_children_they_name(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        meeting = Meeting.objects.create(case=case, scheduled_on=date(2026, 5, 12))

        def remind(kind, key):
            Reminder.objects.create(
                kind=kind,
                object_key=key,
                recipient=self.rasmus,
                due_on=date(2026, 5, 1),
                subject="Påmindelse",
                text="Tekst",
            )

        remind(Reminder.Kind.QUARTERLY_REPORT, "quarterlyreport:1")
        assert self._shown(self.rasmus, "/notifikationer/") == []  # names no child
        remind(Reminder.Kind.MEETING_14, f"meeting:{meeting.pk}")
        assert self._shown(self.rasmus, "/notifikationer/") == [[self.emma.pk]]

    def test_a_list_costs_one_insert_however_many_children(self):
        self.login(self.pia)
        inserts = []
        for extra in (0, 60):
            for n in range(extra):
                make_child("Barn", f"Nr{n:02d}", date(2021, 1, 1), unit=self.solsikken)
            with CaptureQueriesContext(connection) as queries:
                assert self.client.get("/boern/").status_code == 200
            insert = 'INSERT INTO "auditlog_logentry"'
            inserts.append([q["sql"] for q in queries if q["sql"].startswith(insert)])
        assert [len(found) for found in inserts] == [1, 1]
        assert list_entries().latest("pk").additional_data["count"] == 50  # one page

    def test_the_audit_viewer_names_the_list_and_counts_the_children(self):
        self._shown(self.pia, "/boern/")
        (row,) = _rows(list_entries())
        assert row.action == "Liste vist"
        assert row.what == "Liste: Mine børn, 2 børn"
        assert row.child_id is None

    def test_the_audit_viewer_filters_list_reads(self):
        self._shown(self.pia, "/boern/")
        self.login(self.adam)
        html = self.client.get("/administration/log/", {"action": "list"}).content.decode()
        assert "Liste: Mine børn, 2 børn" in html

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="JSON contains on PostgreSQL")
    def test_a_childs_trail_has_the_lists_that_showed_it(self):
        self._shown(self.pia, "/boern/")
        (entry,) = list_entries()
        assert entry in audit.trail(self.emma)
        assert entry not in audit.trail(self.oskar)
        assert [row.what for row in trail_rows(self.emma) if row.entry == entry] == ["Mine børn"]


class ListReadsInTheBulkReadAlertTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.children = [
            make_child("Barn", f"Nummer{n:02d}", date(2020, 1, 1 + n % 28)) for n in range(40)
        ]

    def test_list_reads_push_a_user_over_the_limit(self):
        ids = [child.pk for child in self.children]
        with time_machine.travel(NOW, tick=False) as traveller:
            # 20 children on one list, then 11 others on another: 31 in 5 minutes.
            audit.log_list(self.pia, "/boern/", ids[:20], page="child_list")
            traveller.move_to(NOW + timedelta(minutes=5))
            audit.log_list(self.pia, "/boern/", ids[20:31], page="child_list")
            find_bursts(NOW + timedelta(minutes=6))
        alert = BulkReadAlert.objects.get()
        assert alert.user == self.pia and alert.children_count == 31

    def test_the_same_children_listed_and_read_again_count_once(self):
        ids = [child.pk for child in self.children[:20]]
        with time_machine.travel(NOW, tick=False) as traveller:
            for minute in range(3):
                traveller.move_to(NOW + timedelta(minutes=minute))
                audit.log_list(self.pia, "/boern/", ids, page="child_list")
            for child in self.children[:10]:
                audit.log_access(self.pia, child, audit.Event.READ)
            assert find_bursts(NOW + timedelta(minutes=5)) == []
