"""The axe-core check of the browser journeys (tests/browser.py) fails on a page that
breaks WCAG 2.1 A/AA, both when a journey asks and when a page merely loads."""

import pytest

from tests.browser import MARKS, BrowserTestCase

pytestmark = MARKS

BROKEN = """<!doctype html>
<html lang="da"><head><title>Ødelagt side</title></head>
<body><main><h1>Ødelagt side</h1>
<img src="/static/img/favicon.svg">
<form><input type="text" name="what"><button type="submit">Gem</button></form>
</main></body></html>"""


class AxeTestCase(BrowserTestCase):
    def test_it_fails_on_a_broken_page(self):
        self.page.set_content(BROKEN)
        with pytest.raises(AssertionError) as failure:
            self.assert_accessible()
        message = str(failure.value)
        assert "image-alt" in message and "<img" in message
        assert "label" in message and 'name="what"' in message

    def test_it_fails_on_a_broken_page_that_merely_loads(self):
        url = f"{self.live_server_url}/oedelagt/"
        self.page.route(url, lambda route: route.fulfill(body=BROKEN, content_type="text/html"))
        self.page.goto(url)
        self.page.wait_for_timeout(100)
        with pytest.raises(AssertionError) as failure:
            self._close_context()
            self.assert_no_axe_violations()
        assert "image-alt" in str(failure.value) and url in str(failure.value)
        self.axe_found.clear()  # shown; tearDown need not fail too

    def test_it_passes_the_login_page(self):
        self.page.goto(f"{self.live_server_url}/login/")
        self.assert_accessible()
