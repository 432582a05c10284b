"""The first login in Chromium: password, setting up the app, the recovery codes."""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP

from tests.browser import MARKS, BrowserTestCase
from tidlig.test import PASSWORD

pytestmark = MARKS


class FirstLoginBrowserTestCase(BrowserTestCase):
    def test_a_new_user_sets_up_the_app_and_reaches_the_child(self):
        page, base = self.page, self.live_server_url
        page.goto(f"{base}{self.emma.get_absolute_url()}")
        page.fill("input[name=username]", "pia")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/login/'] button[type=submit]")

        page.wait_for_url(re.compile(r"/login/godkenderapp/\?next="))
        assert page.get_by_role("heading", name="Sæt tofaktor-login op").is_visible()
        assert page.locator(".tidlig-qr svg").is_visible()
        assert page.get_by_role("navigation").count() == 0  # no menu before the code

        # What a phone does with the key typed in by hand.
        key = b32decode(page.locator(".tidlig-secret").inner_text().replace(" ", ""))
        totp = TOTP(key)
        totp.time = time.time()
        page.fill("input[name=code]", f"{totp.token():06d}")
        page.get_by_role("button", name="Sæt appen op").click()

        page.wait_for_url(re.compile(r"/konto/tofaktor/gendannelseskoder/"))
        codes = page.locator(".tidlig-recovery-codes li").all_inner_texts()
        assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
        page.get_by_role("link", name="Jeg har gemt koderne").click()

        page.wait_for_url(f"{base}{self.emma.get_absolute_url()}")
        assert page.get_by_role("heading", name="Emma Holm").is_visible()
