"""The administrator's audit viewer. Adam, the administrator, reviews who read
which child; Pia (pædagog) and Rasmus (caseworker) are the ones who read."""

from datetime import datetime
from unittest import mock, skipUnless
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from children import audit, audit_views
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")


def at(day: int, hour: int, minute: int = 0):
    return time_machine.travel(datetime(2026, 3, day, hour, minute, tzinfo=CPH), tick=False)


class AuditViewerTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with at(2, 9):
            cls.pia_reads_emma = audit.log_access(
                cls.pia, cls.emma, audit.Event.READ, what="/boern/1/", reason="Forbereder møde"
            )
        with at(3, 10):
            cls.pia_prints_noah = audit.log_access(cls.pia, cls.noah, audit.Event.PRINT)
        with at(5, 11):
            cls.rasmus_reads_noah = audit.log_access(cls.rasmus, cls.noah, audit.Event.READ)
        with at(5, 23, 30):
            cls.late_read = audit.log_access(cls.rasmus, cls.noah, audit.Event.READ)
        with at(6, 0, 10):
            cls.pia_reveals_emma = audit.log_access(cls.pia, cls.emma, audit.Event.REVEAL_CPR)
        with at(6, 8):
            cls.pia_searches = audit.log_search(cls.pia, "Emma Holm", [cls.emma.pk])

    def setUp(self):
        self.login(self.adam)

    def _get(self, **params):
        response = self.client.get(reverse("admin_audit"), params)
        assert response.status_code == 200
        return response

    def _ids(self, **params) -> list[int]:
        return [row.entry.pk for row in self._get(**params).context["rows"]]

    def test_it_filters_by_user(self):
        assert self._ids(user=self.rasmus.pk) == [self.late_read.pk, self.rasmus_reads_noah.pk]

    def test_it_finds_the_user_by_username_or_full_name_typed(self):
        rasmus = [self.late_read.pk, self.rasmus_reads_noah.pk]
        assert self._ids(user=self.rasmus.username.upper()) == rasmus
        type(self.rasmus).objects.filter(pk=self.rasmus.pk).update(last_name="Holm Bech")
        assert self._ids(user="  rasmus   holm bech ") == rasmus
        # An id, as the links in the alerts already sent have it, shows the username.
        response = self._get(user=self.rasmus.pk)
        assert f'value="{self.rasmus.username}"' in response.content.decode()
        assert [row.entry.pk for row in response.context["rows"]] == rasmus

    def test_it_says_next_to_the_field_when_no_user_or_several_have_the_name(self):
        for odd in ("²", "9" * 30):  # a digit that is no number; an id past bigint
            assert "Ingen bruger" in self._get(user=odd).context["filter_form"].errors["user"][0]
        response = self._get(user="ingen-her")
        assert response.context["rows"] == []
        assert (
            "Ingen bruger har brugernavnet eller navnet »ingen-her«."
            in (response.context["filter_form"].errors["user"])
        )
        User = type(self.rasmus)
        for username in ("lise.b", "lise.berg"):
            User.objects.create_user(username, first_name="Lise", last_name="Berg")
        response = self._get(user="Lise Berg")
        assert response.context["rows"] == []
        assert response.context["filter_form"].errors["user"] == [
            "Flere brugere hedder »Lise Berg«: lise.b, lise.berg. Skriv brugernavnet."
        ]

    def test_the_page_does_not_grow_with_the_number_of_users(self):
        size = len(self._get().content)
        User = type(self.rasmus)
        User.objects.bulk_create(User(username=f"ekstra{n}") for n in range(200))
        assert len(self._get().content) - size < 200

    def test_it_filters_by_child_id(self):
        emma = list(
            audit.trail(self.emma).order_by("-timestamp", "-pk").values_list("pk", flat=True)
        )
        assert self._ids(child=self.emma.pk) == emma
        # Emma's reads and search, and her record and enrollment being created.
        assert {self.pia_reads_emma.pk, self.pia_reveals_emma.pk, self.pia_searches.pk} < set(emma)
        assert len(emma) == 5

    def test_it_filters_by_action(self):
        assert self._ids(action="print") == [self.pia_prints_noah.pk]
        assert self._ids(action="reveal_cpr") == [self.pia_reveals_emma.pk]
        assert self._ids(action="search") == [self.pia_searches.pk]
        created = self._ids(action="create", child=self.noah.pk)
        assert len(created) == 2  # Noah and his enrollment at Solsikken
        assert set(LogEntry.objects.filter(pk__in=created).values_list("action", flat=True)) == {
            LogEntry.Action.CREATE
        }

    def test_it_filters_by_period_in_danish_days(self):
        # 5 March 23:30 is still the 5th in Copenhagen; 6 March 00:10 is not.
        ids = self._ids(start="2026-03-03", end="2026-03-05")
        assert ids == [self.late_read.pk, self.rasmus_reads_noah.pk, self.pia_prints_noah.pk]
        assert self._ids(user=self.pia.pk, start="2026-03-06") == [
            self.pia_searches.pk,
            self.pia_reveals_emma.pk,
        ]

    def test_it_combines_the_filters(self):
        ids = self._ids(user=self.pia.pk, child=self.noah.pk, action="print", end="2026-03-03")
        assert ids == [self.pia_prints_noah.pk]

    def test_it_shows_errors_next_to_the_fields(self):
        response = self._get(start="31-02-2026", child="Emma")
        html = response.content.decode()
        assert "Skriv en gyldig dato." in html
        assert "Skriv barnets id som et tal." in html
        assert '<div id="id_start_error">' in html and 'aria-describedby="id_start_error"' in html
        assert response.context["rows"] == []

        response = self._get(start="2026-03-05", end="2026-03-01")
        assert "Til-datoen skal være samme dag som fra-datoen eller senere." in (
            response.content.decode()
        )
        assert response.context["rows"] == []

    def test_it_refuses_a_day_before_2000_or_in_the_future_next_to_the_field(self):
        # The day after 9999-12-31, or the year 1 as a time in UTC: a 500 before.
        for params in ({"end": "9999-12-31"}, {"start": "0001-01-01"}, {"end": "1999-12-31"}):
            response = self._get(**params)
            assert response.status_code == 200, params
            html = response.content.decode()
            assert (
                "Datoen kan ikke ligge i fremtiden." in html
                or "Datoen kan ikke ligge før 1. januar 2000." in html
            ), params
            assert response.context["rows"] == []

    def test_it_shows_the_child_by_id_initials_and_birth_year_only(self):
        html = self._get(user=self.pia.pk).content.decode()
        assert f"Id {self.emma.pk}" in html
        assert "E.H. · født 2021" in html
        assert "N.L. · født 2020" in html
        assert "Forbereder møde" in html  # the user's own reason
        assert "Søgning med 1 resultat" in html
        for child in (self.emma, self.noah, self.oskar):
            self._assert_no_child_data(html, child)

    def test_it_never_shows_names_or_cpr_of_any_entry(self):
        # Every entry the fixtures made: children, guardians, enrollments created.
        html = self._get().content.decode()
        for child in (self.emma, self.noah, self.oskar):
            self._assert_no_child_data(html, child)

    def _assert_no_child_data(self, html: str, child) -> None:
        cpr = child.reveal_cpr()
        for secret in (child.first_name, child.last_name, cpr, cpr.replace("-", ""), cpr[:6]):
            assert secret not in html, secret

    def test_it_logs_each_view_without_a_child(self):
        self._get(user=self.pia.pk, child=self.emma.pk, start="2026-03-01")
        entry = LogEntry.objects.filter(additional_data__event="audit").get()
        assert entry.actor == self.adam
        assert entry.action == LogEntry.Action.ACCESS
        assert entry.additional_data["filters"] == {
            "user": self.pia.pk,
            "child_id": self.emma.pk,
            "start": "2026-03-01",
        }
        assert "child" not in entry.additional_data
        assert entry not in audit.trail(self.emma)
        # The next look shows the first one.
        assert self._ids(action="audit")[-1] == entry.pk

    def test_it_pages_50_newest_first(self):
        with at(7, 9) as traveller:
            for minute in range(60):
                traveller.move_to(datetime(2026, 3, 7, 9, minute, tzinfo=CPH))
                audit.log_access(self.karen, self.oskar, audit.Event.READ)
        first = self._get(user=self.karen.pk).context["rows"]
        assert len(first) == 50
        times = [row.entry.timestamp for row in first]
        assert times == sorted(times, reverse=True)
        assert times[0] == datetime(2026, 3, 7, 9, 59, tzinfo=CPH)
        response = self._get(user=self.karen.pk, side=2)
        assert len(response.context["rows"]) == 10
        assert f"?user={self.karen.pk}&amp;side=1" in response.content.decode()

    def test_it_counts_exactly_up_to_the_cap(self):
        html = self._get(user=self.rasmus.pk).content.decode()
        assert "2 registreringer" in html
        assert "ca." not in html and "Mere end" not in html

    @skipUnless(connection.vendor == "postgresql", "PostgreSQL's estimate (pg_class)")
    def test_it_shows_an_estimate_on_an_unfiltered_page_on_postgresql(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE auditlog_logentry")
        estimate = audit_views._estimated_entries()
        assert estimate == LogEntry.objects.count()
        with mock.patch.object(audit_views, "COUNT_CAP", 3):
            response = self._get()
            html = response.content.decode()
            assert f"ca. {estimate} registreringer. Siderne viser de nyeste 3;" in html
            assert response.context["page"].paginator.total == estimate
            assert len(response.context["rows"]) == 3
            # A filter counts (up to the cap), it does not estimate.
            html = self._get(user=self.pia.pk).content.decode()
            assert "Mere end 3 registreringer." in html
            assert "ca." not in html

    def test_it_says_more_than_the_cap_and_pages_on(self):
        with (
            mock.patch.object(audit_views, "COUNT_CAP", 2),
            mock.patch.object(audit_views, "PAGE_SIZE", 1),
        ):
            response = self._get(user=self.pia.pk)
            assert "Mere end 2 registreringer." in response.content.decode()
            assert response.context["page"].paginator.num_pages == 2
            second = self._get(user=self.pia.pk, side=2).context["rows"]
            assert [row.entry.pk for row in second] == [self.pia_reveals_emma.pk]

    def test_it_reads_a_page_in_a_bounded_number_of_queries(self):
        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                self._get()
            return len(context.captured_queries)

        queries()  # content types are cached from the second request on
        few = queries()
        with at(7, 9):
            for child in (self.emma, self.noah, self.oskar) * 20:
                audit.log_access(self.pia, child, audit.Event.READ)
        assert queries() == few

    def test_it_refuses_everyone_but_the_administrator(self):
        for name in ("admin_audit", "admin_audit_export", "admin_audit_sample"):
            for user in (self.pia, self.lars, self.rasmus, self.frida):
                self.login(user)
                assert self.client.get(reverse(name)).status_code == 403, (name, user)
            self.client.logout()
            response = self.client.get(reverse(name))
            assert response.status_code == 302
            assert "/login/" in response["Location"]

    def test_it_is_linked_from_the_administration_home_page(self):
        html = self.client.get(reverse("admin_home")).content.decode()
        assert f'href="{reverse("admin_audit")}"' in html
        assert f'href="{reverse("admin_audit_sample")}"' in html
