import re
from datetime import date

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, Role
from children import audit
from children.models import Enrollment
from tidlig.test import BaseTestCase, make_child

URL = "/boern/"


def search_entries():
    return LogEntry.objects.filter(additional_data__event=audit.Event.SEARCH)


def linked_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html)


class ChildListTestCase(BaseTestCase):
    def test_it_lists_the_children_of_the_users_own_units(self):
        self.login(self.pia)
        response = self.client.get(URL)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Emma Holm" in html and "Noah Lund" in html
        assert "Oskar Berg" not in html
        assert self.emma.masked_cpr in html
        assert f'href="{self.emma.get_absolute_url()}"' in html
        assert "Børnehaven Solsikken" in html
        assert "2 børn" in html

    def test_it_shows_the_age_and_only_the_current_units(self):
        # Noah left the dagpleje before he started at Solsikken.
        Enrollment.objects.create(
            child=self.noah, unit=self.skolen, start=date(2022, 1, 1), end=date(2023, 1, 1)
        )
        self.login(self.pia)
        html = self.client.get(URL).content.decode()
        row = html[html.index("Noah Lund") :].split("</tr>")[0]
        assert f"{self.noah.age()} år" in row
        assert "Børnehaven Solsikken" in row
        assert "Nordby Skole" not in row

    def test_it_writes_no_audit_entry_for_a_plain_listing_or_paging(self):
        self.login(self.pia)
        self.client.get(URL)
        self.client.get(URL + "?side=2")
        self.client.post(URL, {"q": ""})
        assert not search_entries().exists()

    def test_it_searches_by_name(self):
        self.login(self.pia)
        response = self.client.post(URL, {"q": "emma"})
        html = response.content.decode()
        assert "Emma Holm" in html
        assert "Noah Lund" not in html
        assert "1 barn" in html

    def test_it_searches_by_every_word_of_the_name(self):
        self.login(self.pia)
        html = self.client.post(URL, {"q": "noah  lund"}).content.decode()
        assert "Noah Lund" in html and "Emma Holm" not in html
        html = self.client.post(URL, {"q": "noah holm"}).content.decode()
        assert "Noah Lund" not in html and "Emma Holm" not in html
        assert "Ingen af dine børn passer til søgningen." in html

    def test_it_searches_by_full_cpr_with_and_without_dash(self):
        self.login(self.pia)
        number = self.emma.reveal_cpr()
        for term in (number, number.replace("-", "")):
            html = self.client.post(URL, {"q": term}).content.decode()
            assert "Emma Holm" in html, term
            assert "Noah Lund" not in html, term

    def test_it_does_not_find_another_units_child_by_cpr(self):
        self.login(self.pia)
        html = self.client.post(URL, {"q": self.oskar.reveal_cpr()}).content.decode()
        assert "Oskar Berg" not in html
        assert "Ingen af dine børn passer til søgningen." in html

    def test_it_refuses_part_of_a_cpr_number_and_logs_nothing(self):
        self.login(self.pia)
        partial = self.emma.reveal_cpr()[:9]
        html = self.client.post(URL, {"q": partial}).content.decode()
        assert "Skriv hele CPR-nummeret med 10 cifre" in html
        assert "Emma Holm" not in html
        assert not search_entries().exists()

    def test_it_writes_one_audit_entry_per_search_with_the_user_and_results(self):
        self.login(self.pia)
        self.client.post(URL, {"q": "Holm"})
        entry = search_entries().get()
        assert entry.actor == self.pia
        assert entry.additional_data["term"] == "Holm"
        assert entry.additional_data["results"] == [self.emma.pk]
        assert entry.additional_data["child"] == self.emma.pk

    def test_it_logs_a_cpr_search_against_the_child_with_the_number_masked(self):
        self.login(self.pia)
        number = self.emma.reveal_cpr()
        self.client.post(URL, {"q": number})

        entry = search_entries().get()
        assert entry.actor == self.pia
        assert entry.additional_data["child"] == self.emma.pk
        assert entry.additional_data["term"] == number[:6] + "-xxxx"

        digits = number.replace("-", "")
        for row in LogEntry.objects.all():
            for model_field in LogEntry._meta.concrete_fields:
                value = str(getattr(row, model_field.attname))
                assert digits not in value, model_field.name
                assert number not in value, model_field.name
                assert number[6:] not in value.replace(digits[:6], ""), model_field.name

    def test_it_writes_one_entry_for_a_search_in_its_second_page(self):
        for i in range(55):
            make_child("Test", f"Barn{i:02d}", date(2021, 1, 1), unit=self.solsikken)
        self.login(self.pia)
        html = self.client.post(URL, {"q": "test", "side": "2"}).content.decode()
        assert "Viser 51–55 af 55 børn" in html
        entry = search_entries().get()
        assert len(entry.additional_data["results"]) == 5

    def test_it_keeps_the_term_across_pages_in_the_post_body(self):
        for i in range(55):
            make_child("Test", f"Barn{i:02d}", date(2021, 1, 1), unit=self.solsikken)
        self.login(self.pia)
        html = self.client.post(URL, {"q": "test"}).content.decode()
        assert "Viser 1–50 af 55 børn" in html
        assert '<button type="submit" name="side" value="2" hx-post="/boern/"' in html
        assert 'hx-swap="innerHTML show:#child-search:top"' in html
        assert (
            'class="button current-page" aria-current="page"><span class="sr-only">Side </span>1<'
            in html
        )
        assert "?side=2" not in html
        assert 'method="post"' in html and 'name="csrfmiddlewaretoken"' in html

    def test_it_pages_a_plain_listing_with_links(self):
        for i in range(55):
            make_child("Test", f"Barn{i:02d}", date(2021, 1, 1), unit=self.solsikken)
        self.login(self.pia)
        html = self.client.get(URL).content.decode()
        assert "Viser 1–50 af 57 børn" in html
        assert 'href="?side=2"' in html
        html = self.client.get(URL + "?side=2").content.decode()
        assert "Viser 51–57 af 57 børn" in html

    def test_it_ignores_a_term_in_the_url(self):
        self.login(self.pia)
        html = self.client.get(URL + "?q=emma").content.decode()
        assert "Noah Lund" in html
        assert not search_entries().exists()

    def test_it_filters_by_one_of_the_users_units(self):
        # Pia also works at Nordby Skole's SFO hours, so she belongs to both.
        Membership.objects.create(user=self.pia, unit=self.skolen, role=Role.FAGPERSON)
        self.login(self.pia)
        html = self.client.get(URL).content.decode()
        assert 'name="enhed"' in html
        assert "Oskar Berg" in html and "Emma Holm" in html

        html = self.client.get(URL + f"?enhed={self.skolen.pk}").content.decode()
        assert "Oskar Berg" in html and "Emma Holm" not in html
        assert f'<option value="{self.skolen.pk}" selected>' in html

        html = self.client.post(URL, {"q": "Berg", "enhed": self.solsikken.pk}).content.decode()
        assert "Oskar Berg" not in html

    def test_it_offers_only_the_users_own_units(self):
        Membership.objects.create(user=self.pia, unit=self.skolen, role=Role.FAGPERSON)
        self.login(self.pia)
        html = self.client.get(URL).content.decode()
        unit_select = html.split('name="enhed"')[1].split("</select>")[0]
        options = re.findall(r"<option [^>]*>([^<]*)</option>", unit_select)
        assert options == ["Alle mine enheder", "Børnehaven Solsikken", "Nordby Skole"]

        # Another unit's id in the URL filters nothing and reveals nothing.
        html = self.client.get(URL + f"?enhed={self.raadgivningen.pk}").content.decode()
        assert "Emma Holm" in html and "Oskar Berg" in html

    def test_it_hides_the_unit_filter_with_a_single_unit(self):
        self.login(self.pia)
        assert 'name="enhed"' not in self.client.get(URL).content.decode()

    def test_it_explains_to_forvaltning_and_administrators_that_they_see_no_child(self):
        for user in (self.frida, self.adam):
            self.login(user)
            for response in (self.client.get(URL), self.client.post(URL, {"q": "Emma"})):
                html = response.content.decode()
                assert response.status_code == 200
                assert "Din rolle giver ikke adgang til oplysninger om enkelte børn" in html
                assert "Emma" not in html.split('id="main-content"')[1]
                assert 'name="q"' not in html
        assert not search_entries().exists()

    def test_it_shows_a_caseworker_without_cases_an_empty_list(self):
        self.login(self.rasmus)
        html = self.client.get(URL).content.decode()
        assert "Der er ingen børn at vise lige nu." in html

    def test_it_sends_anonymous_visitors_to_the_login(self):
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

    def test_it_renders_only_the_results_for_htmx(self):
        self.login(self.pia)
        response = self.client.post(URL, {"q": "emma"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert "Emma Holm" in html and "Noah Lund" not in html
        assert "<html" not in html and 'name="q"' not in html
        # The live region above the results gets the new count out of band.
        assert '<p id="child-count" hx-swap-oob="innerHTML">' in html
        assert "1 barn" in html
        assert search_entries().count() == 1

    def test_it_posts_the_search_form_with_htmx(self):
        self.login(self.pia)
        html = self.client.get(URL).content.decode()
        form = re.search(r'<form method="post" action="/boern/"[^>]*>', html).group(0)
        assert 'hx-post="/boern/"' in form
        assert 'hx-target="#child-results"' in form
        assert 'hx-trigger="submit, input changed delay:300ms from:#id_q' in form
        assert 'autocomplete="off"' in html

    def test_it_never_puts_the_cpr_number_in_a_link(self):
        self.login(self.pia)
        number = self.emma.reveal_cpr()
        html = self.client.post(URL, {"q": number}).content.decode()
        digits = number.replace("-", "")
        urls = linked_urls(html)
        assert urls
        for url in urls:
            assert digits not in url and number not in url and number[7:] not in url, url

    def test_it_does_not_cache_the_page(self):
        self.login(self.pia)
        assert "no-store" in self.client.post(URL, {"q": "emma"})["Cache-Control"]

    def _queries(self, request) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = request()
        assert response.status_code == 200
        return len(queries)

    def test_it_needs_the_same_number_of_queries_for_5_and_60_children(self):
        Membership.objects.create(user=self.pia, unit=self.skolen, role=Role.FAGPERSON)
        for i in range(2):
            make_child("Test", f"Få{i}", date(2020, 1, 1), unit=self.solsikken)
        self.login(self.pia)
        listing = lambda: self.client.get(URL + f"?enhed={self.solsikken.pk}")  # noqa: E731
        search = lambda: self.client.post(URL, {"q": "test"})  # noqa: E731
        self._queries(search)  # warm the content type cache that the audit entry uses

        few = (self._queries(listing), self._queries(search))
        for i in range(55):
            child = make_child("Test", f"Mange{i:02d}", date(2020, 1, 1), unit=self.solsikken)
            Enrollment.objects.create(child=child, unit=self.skolen, start=date(2024, 8, 1))
        many = (self._queries(listing), self._queries(search))

        assert few == many
        print(f"\nMine børn queries (listing, search): 5 children {few}, 60 children {many}")
