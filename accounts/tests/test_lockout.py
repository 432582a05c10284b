from datetime import timedelta

import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tidlig.test import PASSWORD, BaseTestCase

LOCKED = "Kontoen er låst efter for mange forkerte forsøg."


# Pia mistypes her password; django-axes counts per username (tidlig/settings.py).
@override_settings(AXES_FAILURE_LIMIT=5)
class LockoutTestCase(BaseTestCase):
    def _log_in(self, password: str, username: str = "pia"):
        data = {"username": username, "password": password}
        return self.client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.7")

    def _fail(self, times: int, username: str = "pia"):
        for _ in range(times):
            response = self._log_in("wrong-password", username)
        return response

    def test_it_says_only_wrong_password_before_the_limit(self):
        response = self._fail(4)
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()

    def test_it_locks_the_account_after_the_configured_attempts(self):
        assert self._fail(5).status_code == 429

        response = self._log_in(PASSWORD)
        assert response.status_code == 429
        text = response.content.decode()
        assert LOCKED in text and "Prøv igen om 24 timer" in text
        assert "kommunens systemadministrator" in text
        assert "_auth_user_id" not in self.client.session

    def test_it_lets_in_again_after_the_cool_off(self):
        self._fail(5)
        with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
            response = self._log_in(PASSWORD)
        assert response.status_code == 302 and response["Location"] == reverse("home")

    def test_it_forgets_the_failures_after_a_successful_login(self):
        self._fail(4)
        assert self._log_in(PASSWORD).status_code == 302
        self.client.post(reverse("logout"))

        self._fail(4)
        assert self._log_in(PASSWORD).status_code == 302

    def test_it_locks_only_the_username_not_the_address(self):
        # Lars logs in from the same town hall address as Pia.
        self._fail(5)
        assert self._log_in(PASSWORD, "lars").status_code == 302

    def test_it_records_the_attempts(self):
        self._fail(3)
        attempt = AccessAttempt.objects.get(username="pia")
        assert attempt.failures_since_start == 3
        assert AccessFailureLog.objects.filter(username="pia").count() == 3

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_it_follows_the_configured_limit(self):
        self._fail(3)
        assert self._log_in(PASSWORD).status_code == 429
