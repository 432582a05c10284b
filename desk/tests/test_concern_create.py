from datetime import date, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from children.models import Concern
from tidlig.test import BaseTestCase

TEXT = "Emma sad alene i sandkassen hele formiddagen og ville ikke tale med de voksne."


class ConcernCreateTestCase(BaseTestCase):
    def setUp(self) -> None:
        # The fixtures' own CREATE entries are not what these tests are about.
        self.last_entry = LogEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    def new_entries(self):
        return LogEntry.objects.filter(pk__gt=self.last_entry)

    def url(self, child) -> str:
        return f"/boern/{child.pk}/bekymring/"

    def data(self, **overrides) -> dict:
        return {"observed_on": "2025-11-03", "text": TEXT, "parents_informed": "on", **overrides}

    def test_it_offers_the_form_on_the_child_page(self):
        self.login(self.pia)
        html = self.client.get(f"/boern/{self.emma.pk}/").content.decode()
        assert "Log bekymring" in html
        assert f'action="/boern/{self.emma.pk}/bekymring/"' in html
        today = timezone.localdate().isoformat()
        assert f'value="{today}" max="{today}"' in html
        assert "Beskriv konkret, hvad du har set eller hørt: hvad gør eller siger barnet" in html
        assert 'name="parents_informed"' in html

    def test_it_saves_the_concern_and_goes_back_to_the_child_page(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), self.data())
        assert response.status_code == 302
        assert response["Location"] == f"/boern/{self.emma.pk}/"

        concern = Concern.objects.get()
        assert concern.child == self.emma
        assert concern.author == self.pia
        assert concern.observed_on == date(2025, 11, 3)
        assert concern.text == TEXT
        assert concern.parents_informed is True

        html = self.client.get(response["Location"]).content.decode()
        assert "Bekymringen er gemt." in html
        assert "Emma sad alene i sandkassen" in html

    def test_it_writes_exactly_one_create_entry_for_the_child(self):
        self.login(self.pia)
        self.client.post(self.url(self.emma), self.data())
        entry = self.new_entries().get()
        assert entry.action == LogEntry.Action.CREATE
        assert entry.content_type == ContentType.objects.get_for_model(Concern)
        assert entry.actor == self.pia
        assert entry.additional_data["child"] == self.emma.pk

    def test_it_refuses_a_date_in_the_future(self):
        self.login(self.pia)
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = self.client.post(self.url(self.emma), self.data(observed_on=tomorrow))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Bekymringen blev ikke gemt" in html
        assert 'id="id_observed_on-error"' in html
        assert "Datoen kan ikke ligge i fremtiden." in html
        # What was typed is kept.
        assert f'value="{tomorrow}"' in html
        assert TEXT in html
        assert 'class="form-checkbox" checked' in html
        assert not Concern.objects.exists()

    def test_it_refuses_a_date_before_the_child_was_born(self):
        self.login(self.pia)
        before = (self.emma.birth_date - timedelta(days=1)).isoformat()
        response = self.client.post(self.url(self.emma), self.data(observed_on=before))
        html = response.content.decode()
        assert "Datoen kan ikke ligge før barnets fødsel." in html
        assert f'value="{before}"' in html
        assert not Concern.objects.exists()

    def test_it_refuses_an_empty_text(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), self.data(text="  "))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="id_text-error"' in html
        assert "Skriv, hvad du har set eller hørt." in html
        assert 'value="2025-11-03"' in html
        assert not Concern.objects.exists()

    def test_it_refuses_a_missing_date(self):
        self.login(self.pia)
        html = self.client.post(self.url(self.emma), self.data(observed_on="")).content.decode()
        assert "Skriv datoen, hvor du så eller hørte det." in html
        assert not Concern.objects.exists()

    def test_it_logs_the_page_shown_again_as_a_read_and_nothing_else(self):
        self.login(self.pia)
        self.client.post(self.url(self.emma), self.data(text=""))
        entry = self.new_entries().get()
        assert entry.action == LogEntry.Action.ACCESS
        assert entry.additional_data["event"] == "read"
        assert entry.additional_data["child"] == self.emma.pk

    def test_it_is_post_only(self):
        self.login(self.pia)
        assert self.client.get(self.url(self.emma)).status_code == 405

    def test_it_answers_404_for_another_units_child(self):
        self.login(self.pia)
        assert self.client.post(self.url(self.oskar), self.data()).status_code == 404
        assert not Concern.objects.exists()

    def test_it_answers_404_to_forvaltning_and_administrators(self):
        for user in (self.frida, self.adam):
            self.login(user)
            assert self.client.post(self.url(self.emma), self.data()).status_code == 404
        assert not Concern.objects.exists()

    def test_it_lets_the_leader_log_a_concern(self):
        self.login(self.lars)
        assert self.client.post(self.url(self.noah), self.data()).status_code == 302
        assert Concern.objects.get().author == self.lars
