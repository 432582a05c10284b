from datetime import date, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from children.models import Concern
from ruler.models import Assessment
from tidlig.test import BaseTestCase

TEXT = "Emma sad alene i sandkassen hele formiddagen og ville ikke tale med de voksne."


class ConcernCreateTestCase(BaseTestCase):
    """The one form for a concern and its zone, used for a concern alone (no zone);
    with a zone: test_assessment_create.py."""

    def setUp(self) -> None:
        # The fixtures' own CREATE entries are not what these tests are about.
        self.last_entry = LogEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    def new_entries(self):
        return LogEntry.objects.filter(pk__gt=self.last_entry)

    def url(self, child) -> str:
        return f"/boern/{child.pk}/bekymring/"

    def data(self, **overrides) -> dict:
        return {"observed_on": "2025-11-03", "text": TEXT, "parents_informed": "on", **overrides}

    def test_it_is_linked_from_the_child_page(self):
        self.login(self.pia)
        html = self.client.get(f"/boern/{self.emma.pk}/").content.decode()
        assert f'href="/boern/{self.emma.pk}/bekymring/"' in html
        assert "Log bekymring" in html
        # No second form on the child page to type the same text into.
        assert 'name="text"' not in html

    def test_it_shows_the_form(self):
        self.login(self.pia)
        html = self.client.get(self.url(self.emma)).content.decode()
        today = timezone.localdate().isoformat()
        assert 'name="observed_on"' in html and f'value="{today}"' in html
        assert f'max="{today}"' in html
        assert "Beskriv konkret, hvad du har set eller hørt: hvad gør eller siger barnet" in html
        assert 'name="parents_informed"' in html
        # The zone is optional, and says so.
        assert "Zone på Børnelinealen <span" in html
        assert 'name="zone" value=""' in html and "Ingen zone nu" in html

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
        assert "Bekymringen er gemt. Du kan placere barnet på Børnelinealen senere." in html
        assert "Emma sad alene i sandkassen" in html
        assert not Assessment.objects.exists()

    def test_it_ignores_a_reason_without_a_zone(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), self.data(reason="loebende"))
        assert response.status_code == 302
        assert Concern.objects.count() == 1
        assert not Assessment.objects.exists()

    def test_it_keeps_what_was_written_for_an_assessment_without_a_zone(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), self.data(what_works="Hun har en ven."))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Vælg en zone til vurderingen, du har skrevet, eller slet teksten." in html
        assert "Hun har en ven." in html
        assert not Concern.objects.exists()

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
        assert 'id="id_observed_on_error"' in html or 'id="id_observed_on-error"' in html
        assert "Datoen kan ikke ligge i fremtiden." in html
        # What was typed is kept.
        assert f'value="{tomorrow}"' in html
        assert TEXT in html
        assert 'name="parents_informed" class="form-checkbox"' in html
        assert 'id="id_parents_informed" checked' in html
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
        assert 'id="id_text_error"' in html or 'id="id_text-error"' in html
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

    def test_it_answers_the_old_form_address_with_the_form(self):
        self.login(self.pia)
        response = self.client.get(f"/boern/{self.emma.pk}/vurdering/?anledning=overgang")
        assert response.status_code == 302
        assert response["Location"] == f"/boern/{self.emma.pk}/bekymring/?anledning=overgang"
        html = self.client.get(response["Location"]).content.decode()
        assert 'value="overgang" checked' in html

    def test_it_answers_404_for_another_units_child(self):
        self.login(self.pia)
        assert self.client.post(self.url(self.oskar), self.data()).status_code == 404
        assert not Concern.objects.exists()

    def test_it_answers_404_to_forvaltning_and_administrators(self):
        for user in (self.frida, self.adam):
            self.login(user)
            assert self.client.post(self.url(self.emma), self.data()).status_code == 404
            assert self.client.get(self.url(self.emma)).status_code == 404
        assert not Concern.objects.exists()

    def test_it_lets_the_leader_log_a_concern(self):
        self.login(self.lars)
        assert self.client.post(self.url(self.noah), self.data()).status_code == 302
        assert Concern.objects.get().author == self.lars
