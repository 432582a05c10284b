"""Shared setup for the browser journeys: Debian's Chromium through Playwright
against Django's live server, with the small municipality of tidlig.test."""

import os
import shutil

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from tidlig.test import BaseTestCase

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"]

# pytestmark for a module of browser tests.
MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


class BrowserTestCase(StaticLiveServerTestCase):
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
