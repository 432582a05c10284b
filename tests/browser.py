"""Shared setup for the browser journeys: Debian's Chromium through Playwright
against Django's live server, with the small municipality of tidlig.test.

Every page a journey loads is checked with axe-core (tests/fixtures/axe/) for WCAG 2.1
A and AA: automatically when its load event fires, and explicitly where a journey
calls `self.assert_accessible()` (after an htmx swap, say, which is no page load).
A violation fails the test."""

import functools
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from accounts.models import User
from tidlig.test import PASSWORD, BaseTestCase, authenticator, current_code

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"]

# pytestmark for a module of browser tests.
MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]

AXE_JS = Path(__file__).parent / "fixtures" / "axe" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Runs in the page; returns the violations as plain data for the failure message.
AXE_RUN = """async (tags) => {
  // One run at a time: the automatic check on load and a journey's own may meet.
  const previous = window.tidligAxeRun || Promise.resolve();
  window.tidligAxeRun = previous.catch(() => null).then(() =>
    window.axe.run(document, {runOnly: {type: "tag", values: tags}}));
  const result = await window.tidligAxeRun;
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 160),
                                summary: n.failureSummary || ""})),
  }));
}"""


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text()


def axe_report(url: str, violations: list[dict]) -> str:
    """One readable paragraph per violated rule, with the elements that break it."""
    lines = [f"axe-core: {len(violations)} WCAG 2.1 A/AA violation(s) on {url}"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.extend(f"      {s}" for s in node["summary"].splitlines()[:3] if s)
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


class BrowserTestCase(StaticLiveServerTestCase):
    browser: Any  # playwright's Browser, launched once per class
    # Check every loaded page with axe-core; a test of something else may switch it off.
    axe_every_page = True

    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop in this thread; the ORM calls
        # in the test itself are still plain synchronous ones.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def setUp(self):
        BaseTestCase.setUpTestData.__func__(self)  # the same small municipality
        # url -> violations of every page checked; urls whose check the journey
        # outran (it navigated on before axe finished), to be checked again.
        self.axe_found: dict[str, list[dict]] = {}
        self.axe_missed: list[str] = []
        self._axe_running = 0
        self.context = None
        self.new_browser()

    def tearDown(self):
        try:
            self._close_context()
            self.assert_no_axe_violations()
        finally:
            self.axe_found.clear()

    def new_browser(self) -> None:
        """A fresh browser context (another person at another computer), one tab open."""
        self._close_context()
        self.context = self.browser.new_context(locale="da-DK")
        self.context.on("page", self._watch)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)

    # --- axe-core -------------------------------------------------------------------

    def assert_accessible(self, page=None) -> None:
        """Run axe-core on the page as it is now and fail on any WCAG 2.1 A/AA violation."""
        page = page or self.page
        violations = self._axe(page)
        assert not violations, axe_report(page.url, violations)

    def assert_no_axe_violations(self) -> None:
        """Fail with every violation the automatic checks have collected so far."""
        bad = {url: v for url, v in self.axe_found.items() if v}
        assert not bad, "\n\n".join(axe_report(url, v) for url, v in bad.items())

    def _axe(self, page) -> list[dict]:
        if not page.evaluate("() => !!window.axe"):
            # Evaluated through the DevTools protocol, which the pages' CSP does not
            # govern (a <script> tag would be refused, as it should be).
            page.evaluate(axe_source())
        return page.evaluate(AXE_RUN, AXE_TAGS)

    def _watch(self, page) -> None:
        if self.axe_every_page:
            page.on("load", self._on_load)

    def _on_load(self, page) -> None:
        # Playwright runs this listener beside the journey, which may click on
        # before axe is done; then the page is checked again at the end.
        url = page.url
        if not url.startswith(self.live_server_url):
            return
        self._axe_running += 1
        try:
            self.axe_found[url] = self._axe(page)
        except Exception:
            if url not in self.axe_found:
                self.axe_missed.append(url)
        finally:
            self._axe_running -= 1

    def _close_context(self) -> None:
        if self.context is None:
            return
        deadline = time.monotonic() + 15
        page = self.context.pages[0] if self.context.pages else None
        while page and self._axe_running and time.monotonic() < deadline:
            page.wait_for_timeout(25)
        # The pages the journey left too soon: load them again in this context.
        missed, self.axe_missed = self.axe_missed, []
        recheck = None
        for url in dict.fromkeys(u for u in missed if u not in self.axe_found):
            recheck = recheck or self.context.new_page()
            response = recheck.goto(url)
            ours = recheck.url.startswith(self.live_server_url)
            if response is not None and response.ok and ours:
                self.axe_found.setdefault(recheck.url, self._axe(recheck))
        self.context.close()
        self.context = None

    # --- logging in -----------------------------------------------------------------

    def submit_login(self, username: str) -> None:
        """On the login page: the password, then the code from the user's app."""
        page = self.page
        device = authenticator(User.objects.get(username=username))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/login/'] button[type=submit]")
        page.wait_for_url("**/login/kode/**")
        page.fill("input[name=code]", current_code(device))
        page.click("form[action='/login/kode/'] button[type=submit]")
        page.wait_for_load_state()

    def log_in(self, username: str) -> None:
        self.page.goto(f"{self.live_server_url}/login/")
        self.submit_login(username)
