from datetime import timedelta

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import UserSession
from accounts.sessions import end_sessions_for
from reports.models import QuarterlyReport
from tidlig.test import BaseTestCase, log_in_through_the_pages

IDLE = "Du er logget ud, fordi du ikke har brugt Tidlig i 30 minutter."
ABSOLUTE = "Du er logget ud, fordi du har været logget ind i 12 timer."


def log_in(username: str, browser: str = "Firefox på pc'en") -> Client:
    return log_in_through_the_pages(username, HTTP_USER_AGENT=browser)


class EndSessionsForTestCase(BaseTestCase):
    def test_it_deletes_every_session_of_the_user_and_no_other(self):
        pias = {log_in("pia").session.session_key, log_in("pia").session.session_key}
        lars = log_in("lars").session.session_key

        assert end_sessions_for(self.pia) == 2

        assert not Session.objects.filter(session_key__in=pias).exists()
        assert not UserSession.objects.filter(user=self.pia).exists()
        assert Session.objects.filter(session_key=lars).exists()

    def test_it_ends_nothing_for_a_user_who_is_not_logged_in(self):
        log_in("lars")
        assert end_sessions_for(self.pia) == 0
        assert Session.objects.count() == 1


# Pia logs in at eight in the morning.
@time_machine.travel("2026-03-02 08:00 +01:00", tick=False)
class TimeoutTestCase(BaseTestCase):
    def setUp(self):
        self.browser = log_in("pia")

    def _at(self, minutes: float, url: str | None = None, **kw):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False):
            return self.browser.get(url or reverse("child_list"), **kw)

    def _assert_logged_out(self, response, message: str):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
        page = self.browser.get(response["Location"]).content.decode()
        assert message in page
        assert "_auth_user_id" not in self.browser.session

    def test_it_keeps_a_session_used_within_the_idle_time(self):
        assert self._at(29).status_code == 200

    def test_it_ends_a_session_idle_for_30_minutes(self):
        response = self._at(31)
        self._assert_logged_out(response, IDLE)
        assert not UserSession.objects.filter(user=self.pia).exists()

    def test_it_counts_from_the_last_request(self):
        assert self._at(20).status_code == 200
        assert self._at(45).status_code == 200
        self._assert_logged_out(self._at(76), IDLE)

    def test_the_keepalive_resets_the_idle_time(self):
        with time_machine.travel(timezone.now() + timedelta(minutes=28), tick=False):
            assert self.browser.post(reverse("session_keepalive")).status_code == 204
        assert self._at(50).status_code == 200

    def test_the_keepalive_answers_401_once_the_session_has_ended(self):
        with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
            assert self.browser.post(reverse("session_keepalive")).status_code == 401

    def test_it_ends_the_session_12_hours_after_the_login_however_active(self):
        for minutes in range(10, 12 * 60, 10):
            assert self._at(minutes).status_code == 200, minutes
        self._assert_logged_out(self._at(12 * 60), ABSOLUTE)

    def test_the_progress_polling_does_not_keep_the_session_alive(self):
        self.browser = log_in("frida")  # she waits for the quarterly report
        report = QuarterlyReport.objects.create(
            quarter="2026Q1", kind=QuarterlyReport.Kind.ON_DEMAND, requested_by=self.frida
        )
        progress = reverse("report_progress", args=[report.pk])
        for minutes in range(2, 30, 2):
            assert self._at(minutes, progress, HTTP_HX_REQUEST="true").status_code == 200
        self._assert_logged_out(self._at(31), IDLE)

    def test_the_autosave_still_says_log_in_again(self):
        response = self.browser.post(reverse("dialogue_autosave", args=[1]))
        assert response.status_code in (200, 404)  # Pia has no dialogue 1; she is in
        with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
            response = self.browser.post(reverse("dialogue_autosave", args=[1]))
        assert response.status_code == 200
        assert reverse("login") in response.content.decode()


class MySessionsTestCase(BaseTestCase):
    def setUp(self):
        # Pia is logged in on the pc at work and on a tablet; Lars on his pc.
        self.pc = log_in("pia", "Firefox på pc'en")
        self.tablet = log_in("pia", "Safari på iPad")
        self.lars = log_in("lars", "Edge")

    def _session(self, client: Client) -> UserSession:
        return UserSession.objects.get(session_id=client.session.session_key)

    def test_it_lists_the_users_own_sessions(self):
        page = self.pc.get(reverse("my_sessions")).content.decode()
        assert "Firefox på pc" in page and "Safari på iPad" in page
        assert "Edge" not in page
        assert "denne session" in page

    def test_it_ends_another_session_of_the_user(self):
        tablet = self._session(self.tablet)
        response = self.pc.post(reverse("my_session_end", args=[tablet.pk]))
        assert response.status_code == 302
        assert not Session.objects.filter(session_key=tablet.session_id).exists()
        assert not UserSession.objects.filter(pk=tablet.pk).exists()
        assert self.tablet.get(reverse("home")).status_code == 302
        assert self.pc.get(reverse("home")).status_code == 200

    def test_it_ends_the_current_session(self):
        pc = self._session(self.pc)
        response = self.pc.post(reverse("my_session_end", args=[pc.pk]))
        assert response["Location"] == reverse("login")
        assert self.pc.get(reverse("home")).status_code == 302
        assert self.tablet.get(reverse("home")).status_code == 200

    def test_it_ends_every_other_session(self):
        self.pc.post(reverse("my_sessions_end_others"))
        assert self.tablet.get(reverse("home")).status_code == 302
        assert self.pc.get(reverse("home")).status_code == 200
        assert self.lars.get(reverse("home")).status_code == 200

    def test_it_refuses_to_end_another_users_session(self):
        lars = self._session(self.lars)
        response = self.pc.post(reverse("my_session_end", args=[lars.pk]))
        assert response.status_code == 404
        assert self.lars.get(reverse("home")).status_code == 200
