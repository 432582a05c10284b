"""Shared setup for the browser journeys: Debian's Chromium through Playwright
against Django's live server, with the small municipality of tidlig.test."""

import os
import shutil
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


class BrowserTestCase(StaticLiveServerTestCase):
    browser: Any  # playwright's Browser, launched once per class

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
        self.context = self.browser.new_context(locale="da-DK")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)

    def tearDown(self):
        self.context.close()

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
