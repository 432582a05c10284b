"""Security headers, cookies and rendered pages free of inline code.

Pia is a pædagog at Solsikken, where Emma goes; Frida works in the forvaltning.
"""

from datetime import date

from django.test import override_settings

from loeft.tests.factories import final_dialogue
from ruler.models import Assessment
from tests.test_layout import FORBIDDEN, SCRIPT_TAG
from tidlig.test import PASSWORD, BaseTestCase

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def inline_code(html: str) -> list[str]:
    found = [what for pattern, what in FORBIDDEN if pattern.search(html)]
    for attributes, body in SCRIPT_TAG.findall(html):
        if "src=" not in attributes or body.strip():
            found.append("inline <script>")
    return found


class HeadersTestCase(BaseTestCase):
    def test_it_sends_the_content_security_policy(self):
        response = self.client.get("/login/")
        policy = directives(response["Content-Security-Policy"])
        assert policy == POLICY
        assert "unsafe" not in response["Content-Security-Policy"]

    def test_it_sends_the_other_security_headers(self):
        self.login(self.pia)
        response = self.client.get(self.emma.get_absolute_url())
        assert response.status_code == 200
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        for feature in ("camera=()", "microphone=()", "geolocation=()"):
            assert feature in response["Permissions-Policy"]

    def test_it_keeps_no_page_of_a_logged_in_user_in_any_cache(self):
        self.login(self.pia)
        response = self.client.get("/")
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["Pragma"] == "no-cache"

    def test_it_keeps_a_downloaded_pdf_out_of_any_cache(self):
        # The views carry no @never_cache of their own: the middleware covers them.
        dialogue = final_dialogue(self.emma, self.pia)
        self.login(self.pia)
        response = self.client.get(f"/loeft/{dialogue.pk}/pdf/")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Pragma"] == "no-cache"

    @override_settings(WHITENOISE_USE_FINDERS=True)
    def test_it_lets_static_files_be_cached(self):
        # WhiteNoise answers before the session is read: no logged-in user, no no-store.
        self.login(self.pia)
        response = self.client.get("/static/css/tidlig.css")
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
        assert "Pragma" not in response

    def test_it_sets_http_only_same_site_cookies(self):
        self.client.get("/login/")
        response = self.client.post("/login/", {"username": "pia", "password": PASSWORD})
        assert response.status_code == 302
        session, csrf = response.cookies["sessionid"], response.cookies["csrftoken"]
        assert session["httponly"] and session["samesite"] == "Lax"
        assert csrf["httponly"] and csrf["samesite"] == "Lax"

    @override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
    def test_it_marks_the_cookies_secure_when_told(self):
        # Production sets both (tidlig/tests/test_settings.py); here the effect on the cookie.
        self.client.get("/login/", secure=True)
        response = self.client.post(
            "/login/", {"username": "pia", "password": PASSWORD}, secure=True
        )
        assert response.cookies["sessionid"]["secure"]
        assert response.cookies["csrftoken"]["secure"]

    def test_it_renders_pages_with_charts_without_inline_style_or_script(self):
        # The SVG charts are made in Python (tidlig/lib/charts.py, reports/charts.py),
        # out of reach of the template scan in tests/test_layout.py.
        for day, zone in ((date(2025, 3, 1), 3), (date(2025, 9, 1), 2)):
            Assessment.objects.create(child=self.emma, author=self.pia, assessed_on=day, zone=zone)
        for held_on, now in ((date(2025, 5, 1), 3), (date(2025, 9, 1), 6)):
            final_dialogue(self.emma, self.pia, held_on=held_on, scale_now=now, scale_goal=8)
        pages = [
            (self.pia, self.emma.get_absolute_url(), "<svg"),
            (self.pia, "/oversigt/", ""),
            (self.frida, "/rapporter/status/", "<svg"),
        ]
        for user, url, expected in pages:
            self.login(user)
            html = self.client.get(url).content.decode()
            assert expected in html, url
            assert inline_code(html) == [], url
