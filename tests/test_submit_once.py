"""A create form creates once, however often it is sent (tidlig.lib.once).

Each create form carries a one-time key; the second request with it (a
double-click, a resend, a race of parallel requests) lands on the first one's
result with a message and saves nothing.
"""

import http.client
import re
import threading
import urllib.parse
from datetime import date, timedelta

import time_machine
from django.contrib.messages import get_messages
from django.test import Client, LiveServerTestCase
from django.utils import timezone

from children.models import Concern, Consent
from children.sharing import Purpose
from followups.models import Case, Escalation, Handover, Intervention, Underretning
from loeft.models import Dialogue, DialogueVersion
from loeft.tests.factories import dialogue_post, guardian
from ruler.models import Assessment
from tidlig.lib import once
from tidlig.models import Submission
from tidlig.test import BaseTestCase, log_in

KEY = re.compile(r'name="submit_key" value="([0-9a-f-]{36})"')
ALREADY = "Det var allerede gemt"


def key_on(html: str) -> str:
    found = KEY.findall(html)
    assert found, "the form carries no one-time key"
    return found[0]


def assessment_data(**overrides) -> dict:
    data = {
        "observed_on": timezone.localdate().isoformat(),
        "text": "Emma græder ved aflevering og spiser ikke.",
        "reason": "bekymring",
        "zone": "3",
        "what_works": "Hun leger godt med Ida.",
        "what_worries": "Hun spiser ikke.",
        "what_must_happen": "LØFT-samtale med forældrene.",
        "parents_involved": "on",
    }
    return data | overrides


class SubmitOnceTestCase(BaseTestCase):
    def send_twice(self, page: str, url: str, data: dict) -> tuple:
        key = key_on(self.client.get(page).content.decode())
        first = self.client.post(url, data | {"submit_key": key})
        assert first.status_code == 302, first.content.decode()[:2000]
        second = self.client.post(url, data | {"submit_key": key})
        return first, second

    def assert_landed_on_the_first(self, first, second) -> None:
        assert second.status_code == 302
        assert second["Location"] == first["Location"]
        shown = [str(m) for m in get_messages(second.wsgi_request)]
        assert any(ALREADY in m for m in shown), shown

    def test_an_assessment_sent_twice_is_saved_once_with_its_concern(self):
        self.login(self.pia)
        url = f"/boern/{self.emma.pk}/bekymring/"
        first, second = self.send_twice(url, url, assessment_data())
        self.assert_landed_on_the_first(first, second)
        assert Assessment.objects.filter(child=self.emma).count() == 1
        assert Concern.objects.filter(child=self.emma).count() == 1

    def test_a_concern_sent_twice_is_saved_once(self):
        self.login(self.pia)
        data = {"observed_on": timezone.localdate().isoformat(), "text": "Emma græder."}
        first, second = self.send_twice(
            f"/boern/{self.emma.pk}/", f"/boern/{self.emma.pk}/bekymring/", data
        )
        self.assert_landed_on_the_first(first, second)
        assert Concern.objects.filter(child=self.emma).count() == 1

    def test_a_dialogue_is_started_and_finalised_once(self):
        self.login(self.pia)
        mother = guardian(self.emma)
        first, second = self.send_twice(
            f"/boern/{self.emma.pk}/", f"/boern/{self.emma.pk}/loeft/", {}
        )
        self.assert_landed_on_the_first(first, second)
        dialogue = Dialogue.objects.get(child=self.emma)

        edit = f"/loeft/{dialogue.pk}/rediger/"
        post = dialogue_post(
            afslut="1",
            professionals=[str(self.pia.pk)],
            guardians=[str(mother.pk)],
            **{
                "skridt-0-text": "Pia tager imod Emma ved døren",
                "skridt-0-owner": f"u{self.pia.pk}",
                "skridt-0-due": "2025-09-08",
            },
        )
        first, second = self.send_twice(edit, edit, post)
        self.assert_landed_on_the_first(first, second)
        assert DialogueVersion.objects.filter(dialogue=dialogue).count() == 1
        assert dialogue.next_steps.count() == 1

    def test_an_escalation_and_an_underretning_are_sent_once(self):
        self.login(self.lars)
        url = f"/boern/{self.emma.pk}/send-videre/"
        first, second = self.send_twice(url, url, {"reason": "Vokser"})
        self.assert_landed_on_the_first(first, second)
        assert Escalation.objects.filter(child=self.emma).count() == 1

        url = f"/boern/{self.emma.pk}/underretning/"
        data = {"about": "Emma fortæller, at hun bliver slået derhjemme."}
        first, second = self.send_twice(url, url, data)
        self.assert_landed_on_the_first(first, second)
        assert Underretning.objects.filter(child=self.emma).count() == 1

    def test_a_caseworker_takes_a_child_once(self):
        escalation = Escalation.objects.create(
            child=self.emma, from_unit=self.solsikken, escalated_by=self.lars, reason="Vokser"
        )
        self.login(self.rasmus)
        first, second = self.send_twice(
            "/raadgivning/indgang/", f"/raadgivning/henvendelser/{escalation.pk}/tag/", {}
        )
        self.assert_landed_on_the_first(first, second)
        assert Case.objects.filter(child=self.emma).count() == 1

    def test_a_second_click_without_the_key_finds_the_case_it_opened(self):
        escalation = Escalation.objects.create(
            child=self.emma, from_unit=self.solsikken, escalated_by=self.lars, reason="Vokser"
        )
        self.login(self.rasmus)
        url = f"/raadgivning/henvendelser/{escalation.pk}/tag/"
        first = self.client.post(url)
        second = self.client.post(url, follow=True)
        case = Case.objects.get(child=self.emma)
        assert first["Location"] == second.redirect_chain[0][0] == f"/sager/{case.pk}/"
        assert "Du har allerede taget barnet" in second.content.decode()

    @time_machine.travel(date(2026, 3, 2), tick=False)
    def test_an_intervention_is_started_once(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        self.login(self.rasmus)
        url = f"/sager/{case.pk}/indsatser/ny/"
        data = {"step": 3, "kind": "Familiebehandling", "start": "2026-03-01"}
        first, second = self.send_twice(url, url, data)
        self.assert_landed_on_the_first(first, second)
        assert Intervention.objects.filter(case=case).count() == 1

    def test_a_consent_is_recorded_once(self):
        mother = guardian(self.emma)
        mother.has_custody = True
        mother.save()
        self.login(self.pia)
        url = f"/boern/{self.emma.pk}/samtykke/"
        data = {
            "guardian": mother.pk,
            "purpose": Purpose.OTHER_UNITS_NOTES,
            "units": [self.solsikken.pk],
            "given_on": timezone.localdate().isoformat(),
            "note": "Erklæringen ligger i mappen.",
        }
        first, second = self.send_twice(url, url, data)
        self.assert_landed_on_the_first(first, second)
        assert Consent.objects.filter(child=self.emma).count() == 1

    def test_a_form_with_errors_keeps_nothing_and_the_corrected_one_is_saved(self):
        self.login(self.pia)
        url = f"/boern/{self.emma.pk}/bekymring/"
        key = key_on(self.client.get(url).content.decode())
        refused = self.client.post(url, assessment_data(zone="") | {"submit_key": key})
        assert refused.status_code == 200 and "form-error-message" in refused.content.decode()
        assert not Submission.objects.exists()
        saved = self.client.post(url, assessment_data() | {"submit_key": key})
        assert saved.status_code == 302
        assert Assessment.objects.filter(child=self.emma).count() == 1

    def test_each_page_shown_has_a_new_key_and_keys_are_per_user(self):
        self.login(self.pia)
        url = f"/boern/{self.emma.pk}/bekymring/"
        keys = {key_on(self.client.get(url).content.decode()) for _ in range(3)}
        assert len(keys) == 3
        key = keys.pop()
        self.client.post(url, assessment_data() | {"submit_key": key})
        self.login(self.lars)  # another user who happens to send the same key
        response = self.client.post(url, assessment_data() | {"submit_key": key})
        assert response.status_code == 302
        assert Assessment.objects.filter(child=self.emma).count() == 2

    def test_a_junk_key_is_ignored(self):
        self.login(self.pia)
        url = f"/boern/{self.emma.pk}/bekymring/"
        for junk in ("", "x" * 500, "\x00", "12345678-1234-1234-1234-1234567890ab" + "٣"):
            assert self.client.post(url, assessment_data() | {"submit_key": junk}).status_code
        assert Assessment.objects.filter(child=self.emma).count() == 4

    def test_old_keys_are_forgotten_after_two_days(self):
        now = timezone.now()
        old = Submission.objects.create(user=self.pia, key=once.new_key())
        Submission.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=3))
        Submission.objects.create(user=self.pia, key=once.new_key())
        assert once.purge_old() == 1
        assert Submission.objects.count() == 1


@time_machine.travel(date(2026, 3, 2), tick=False)
class HandoverAnsweredTwiceTestCase(BaseTestCase):
    def test_accepting_twice_lands_on_the_case_with_a_message(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        rikke = self.make_caseworker()
        handover = Handover.objects.create(case=case, from_user=self.rasmus, to_user=rikke)
        self.login(rikke)
        url = f"/tovholder/{handover.pk}/"
        first = self.client.post(url, {"svar": "ja"})
        assert first["Location"] == f"/sager/{case.pk}/"
        for again in (
            self.client.post(url, {"svar": "ja"}, follow=True),
            self.client.get(url, follow=True),
        ):
            assert again.redirect_chain[0][0] == f"/sager/{case.pk}/"
            assert "Du har allerede sagt ja" in again.content.decode()

    def test_a_withdrawn_offer_says_so(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        rikke = self.make_caseworker()
        handover = Handover.objects.create(case=case, from_user=self.rasmus, to_user=rikke)
        handover.withdraw()
        self.login(rikke)
        response = self.client.post(f"/tovholder/{handover.pk}/", {"svar": "ja"}, follow=True)
        assert "trukket tilbage" in response.content.decode()
        case.refresh_from_db()
        assert case.coordinator == self.rasmus

    def make_caseworker(self):
        from accounts.models import Role
        from tidlig.test import make_user

        return make_user("rikke", self.raadgivningen, Role.RAADGIVER, first_name="Rikke")


class ParallelSubmitTestCase(LiveServerTestCase):
    """Twenty identical POSTs at once against a live server make one assessment, and
    every one of them is sent to it."""

    THREADS = 20

    def setUp(self):
        BaseTestCase.setUpTestData.__func__(self)  # the same small municipality

    def test_twenty_parallel_posts_of_one_form_make_one_assessment(self):
        client = Client()
        log_in(client, self.pia)
        path = f"/boern/{self.emma.pk}/bekymring/"
        page = client.get(path).content.decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            assessment_data() | {"submit_key": key_on(page), "csrfmiddlewaretoken": csrf}
        ).encode()
        cookies = "; ".join(
            f"{name}={client.cookies[name].value}" for name in ("sessionid", "csrftoken")
        )
        url = self.live_server_url + path
        answers: list[tuple[int, str]] = []
        start = threading.Barrier(self.THREADS)

        def post() -> None:
            connection = http.client.HTTPConnection(
                self.server_thread.host, self.server_thread.port, timeout=60
            )
            start.wait()
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    "Cookie": cookies,
                    "Referer": url,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = connection.getresponse()
            answers.append((response.status, response.getheader("Location", "")))
            connection.close()

        threads = [threading.Thread(target=post) for _ in range(self.THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        assessment = Assessment.objects.get(child=self.emma)
        assert answers == [(302, assessment.get_absolute_url())] * self.THREADS, answers
        assert Concern.objects.filter(child=self.emma).count() == 1
