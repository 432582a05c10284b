"""The error pages are generic Danish pages that tell nothing about the fault or the child.

Pia is a pædagog at Solsikken; Oskar goes to Nordby Skole, so she may not see him.
"""

import re

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from tidlig.test import BaseTestCase, log_in
from tidlig.urls import urlpatterns as tidlig_urlpatterns

SECRET = "Oskar Berg, CPR 010616-4001"


def fails(request):
    raise RuntimeError(f"database said no about {SECRET}")


def refuses(request):
    raise PermissionDenied(f"not for {SECRET}")


def suspicious(request):
    raise SuspiciousOperation(f"odd request about {SECRET}")


urlpatterns = [
    path("test/fails/", fails),
    path("test/refuses/", refuses),
    path("test/suspicious/", suspicious),
    *tidlig_urlpatterns,
]

DEBUG_TRACES = ("Traceback", "RuntimeError", "Exception Value", "tidlig/tests", "urlpatterns")


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
class ErrorPagesTestCase(BaseTestCase):
    def _get(self, url: str):
        client = Client(raise_request_exception=False)
        log_in(client, self.pia)
        response = client.get(url)
        return response, response.content.decode()

    def _assert_reveals_nothing(self, html: str) -> None:
        assert "Oskar" not in html and "Berg" not in html and "4001" not in html
        for trace in DEBUG_TRACES:
            assert trace not in html, trace

    def test_it_answers_a_failing_view_with_the_generic_500_page(self):
        with self.assertLogs("django.request", "ERROR"):
            response, html = self._get("/test/fails/")
        assert response.status_code == 500
        assert '<html lang="da">' in html
        assert "Der opstod en fejl" in html
        self._assert_reveals_nothing(html)

    def test_it_answers_a_refusal_with_the_generic_403_page(self):
        with self.assertLogs("django.request", "WARNING"):
            response, html = self._get("/test/refuses/")
        assert response.status_code == 403
        assert "Du har ikke adgang til denne side." in html
        self._assert_reveals_nothing(html)

    def test_it_answers_a_bad_request_with_the_generic_400_page(self):
        with self.assertLogs("django.security", "ERROR"):
            response, html = self._get("/test/suspicious/")
        assert response.status_code == 400
        assert "Forespørgslen kunne ikke behandles" in html
        self._assert_reveals_nothing(html)

    def test_it_tells_nothing_about_a_child_the_user_may_not_see(self):
        response, html = self._get(self.oskar.get_absolute_url())
        assert response.status_code == 404
        assert "Siden findes ikke, eller du har ikke adgang til den." in html
        self._assert_reveals_nothing(html)
        # Nothing tells this child from one that does not exist, except the path itself
        # (the language switcher's return address).
        missing, missing_html = self._get("/boern/999999/")
        assert missing.status_code == 404

        def normalised(page: str, path: str) -> str:
            page = re.sub(r'"X-CSRFToken": "\w+"|name="csrfmiddlewaretoken" value="\w+"', "", page)
            return page.replace(path, "PATH")

        oskar_url = self.oskar.get_absolute_url()
        assert normalised(html, oskar_url) == normalised(missing_html, "/boern/999999/")
