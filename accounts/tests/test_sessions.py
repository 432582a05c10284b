from django.contrib.sessions.models import Session
from django.test import Client

from accounts.sessions import end_sessions_for
from tidlig.test import PASSWORD, BaseTestCase


class EndSessionsForTestCase(BaseTestCase):
    def _log_in(self, username: str) -> str:
        browser = Client()
        assert browser.login(username=username, password=PASSWORD)
        return browser.session.session_key

    def test_it_deletes_every_session_of_the_user_and_no_other(self):
        pias = {self._log_in("pia"), self._log_in("pia")}  # a PC and a tablet
        lars = self._log_in("lars")

        assert end_sessions_for(self.pia) == 2

        assert not Session.objects.filter(session_key__in=pias).exists()
        assert Session.objects.filter(session_key=lars).exists()

    def test_it_ends_nothing_for_a_user_who_is_not_logged_in(self):
        self._log_in("lars")
        assert end_sessions_for(self.pia) == 0
        assert Session.objects.count() == 1
