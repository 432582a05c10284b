from auditlog.models import LogEntry

from children import audit
from tidlig.test import BaseTestCase


class RevealCprTestCase(BaseTestCase):
    def setUp(self) -> None:
        # The fixtures' own CREATE entries are not what these tests are about.
        self.last_entry = LogEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    def new_entries(self):
        return LogEntry.objects.filter(pk__gt=self.last_entry)

    def url(self, child) -> str:
        return f"/boern/{child.pk}/cpr/"

    def test_it_is_post_only(self):
        self.login(self.pia)
        response = self.client.get(self.url(self.emma))
        assert response.status_code == 405
        assert self.emma.reveal_cpr() not in response.content.decode()
        assert not self.new_entries().exists()

    def test_it_shows_the_cpr_number_on_the_child_page_and_logs_the_reveal(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma))
        html = response.content.decode()
        assert response.status_code == 200
        assert self.emma.reveal_cpr() in html
        assert "Emma Holm</h1>" in html
        assert "Vis CPR" not in html
        assert "no-store" in response["Cache-Control"]

        entry = self.new_entries().get()
        assert entry.actor == self.pia
        assert entry.additional_data["child"] == self.emma.pk
        assert entry.additional_data["event"] == audit.Event.REVEAL_CPR

    def test_it_returns_only_the_number_for_htmx(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.emma), headers={"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert html.strip().startswith('<span id="cpr"')
        assert self.emma.reveal_cpr() in html
        assert "<h1" not in html
        assert "no-store" in response["Cache-Control"]
        assert self.new_entries().get().additional_data["event"] == audit.Event.REVEAL_CPR

    def test_it_offers_the_reveal_as_an_htmx_post_that_swaps_the_number(self):
        self.login(self.pia)
        html = self.client.get(f"/boern/{self.emma.pk}/").content.decode()
        assert f'hx-post="/boern/{self.emma.pk}/cpr/"' in html
        assert 'hx-target="#cpr" hx-swap="outerHTML"' in html

    def test_it_answers_404_for_another_units_child_and_logs_nothing(self):
        self.login(self.pia)
        response = self.client.post(self.url(self.oskar))
        assert response.status_code == 404
        assert self.oskar.reveal_cpr() not in response.content.decode()
        assert not self.new_entries().exists()

    def test_it_answers_404_to_forvaltning_and_administrators(self):
        for user in (self.frida, self.adam):
            self.login(user)
            assert self.client.post(self.url(self.emma)).status_code == 404
        assert not self.new_entries().exists()
