import re
from datetime import date

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children import audit
from children.models import Concern, Enrollment, Gender, Guardian, Relation
from tidlig.test import BaseTestCase


def linked_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html)


class ChildDetailTestCase(BaseTestCase):
    def setUp(self) -> None:
        # The fixtures' own CREATE entries are not what these tests are about.
        self.last_entry = LogEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    def new_entries(self):
        return LogEntry.objects.filter(pk__gt=self.last_entry)

    def url(self, child) -> str:
        return f"/boern/{child.pk}/"

    def test_it_shows_the_child_with_the_cpr_number_masked(self):
        self.emma.gender = Gender.GIRL
        self.emma.save()
        self.login(self.pia)
        response = self.client.get(self.url(self.emma))
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1" in html and "Emma Holm</h1>" in html
        assert self.emma.masked_cpr in html
        assert self.emma.reveal_cpr() not in html
        assert "4. marts 2021" in html
        assert f"{self.emma.age()} år" in html
        assert "Pige" in html
        assert "Vis CPR" in html
        assert f'action="/boern/{self.emma.pk}/cpr/"' in html

    def test_it_shows_guardians_and_enrollments_over_time(self):
        Guardian.objects.create(
            child=self.emma,
            name="Mette Holm",
            relation=Relation.MOTHER,
            phone="20 30 40 50",
            email="mette@example.org",
        )
        Guardian.objects.create(
            child=self.emma, name="Jonas Holm", relation=Relation.FATHER, has_custody=False
        )
        Enrollment.objects.create(
            child=self.emma, unit=self.skolen, start=date(2022, 8, 1), end=date(2025, 7, 31)
        )
        self.login(self.pia)
        html = self.client.get(self.url(self.emma)).content.decode()

        assert "Mette Holm" in html and "Mor" in html and "har forældremyndighed" in html
        assert 'href="tel:20304050"' in html and "mette@example.org" in html
        assert "Jonas Holm" in html and "har ikke forældremyndighed" in html

        enrollments = html[html.index("<h2>Indskrivninger</h2>") :]
        solsikken = enrollments.index("Børnehaven Solsikken")
        skolen = enrollments.index("Nordby Skole")
        assert solsikken < skolen  # the current one first
        assert enrollments.count('<span class="badge badge-success">nu</span>') == 1
        assert "01.08.2022–31.07.2025" in enrollments
        assert "Skole" in enrollments and "Børnehave" in enrollments

    def test_it_shows_concerns_and_the_timeline_newest_first(self):
        Concern.objects.create(
            child=self.emma,
            author=self.pia,
            observed_on=date(2025, 9, 1),
            text="Græder ved aflevering.",
        )
        Concern.objects.create(
            child=self.emma,
            author=self.lars,
            observed_on=date(2025, 10, 6),
            text="Spiser næsten intet til frokost.",
            parents_informed=True,
        )
        self.login(self.pia)
        html = self.client.get(self.url(self.emma)).content.decode()

        timeline = html[html.index('<ol class="tidlig-timeline">') :].split("</ol>")[0]
        october = timeline.index("Spiser næsten intet")
        september = timeline.index("Græder ved aflevering")
        started = timeline.index("Startede i Børnehaven Solsikken")
        assert october < september < started
        assert "Forældrene er orienteret." in html
        assert "Forældrene er ikke orienteret endnu." in html

    def test_it_writes_one_read_entry(self):
        self.login(self.pia)
        self.client.get(self.url(self.emma))
        entry = self.new_entries().get()
        assert entry.actor == self.pia
        assert entry.action == LogEntry.Action.ACCESS
        assert entry.additional_data["child"] == self.emma.pk
        assert entry.additional_data["event"] == audit.Event.READ

    def test_it_answers_404_for_another_units_child(self):
        self.login(self.pia)
        assert self.client.get(self.url(self.oskar)).status_code == 404
        assert not self.new_entries().exists()

    def test_it_answers_404_to_forvaltning_and_administrators(self):
        for user in (self.frida, self.adam):
            self.login(user)
            assert self.client.get(self.url(self.emma)).status_code == 404

    def test_it_answers_404_for_a_child_that_does_not_exist(self):
        self.login(self.pia)
        assert self.client.get("/boern/999999/").status_code == 404

    def test_it_never_puts_the_cpr_number_in_a_link(self):
        Concern.objects.create(
            child=self.emma, author=self.pia, observed_on=date(2025, 9, 1), text="Trist."
        )
        self.login(self.pia)
        number = self.emma.reveal_cpr()
        for response in (
            self.client.get(self.url(self.emma)),
            self.client.post(f"/boern/{self.emma.pk}/cpr/"),
        ):
            html = response.content.decode()
            urls = linked_urls(html)
            assert urls
            for url in urls:
                assert number.replace("-", "") not in url and number not in url, url
                assert number[7:] not in url, url

    def test_it_does_not_cache_the_page(self):
        self.login(self.pia)
        assert "no-store" in self.client.get(self.url(self.emma))["Cache-Control"]

    def _queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(self.url(self.emma)).status_code == 200
        return len(queries)

    def test_it_needs_the_same_number_of_queries_however_long_the_history(self):
        self.login(self.pia)
        self._queries()  # warm the content type cache that the audit entry uses
        few = self._queries()
        for i in range(10):
            Concern.objects.create(
                child=self.emma, author=self.lars, observed_on=date(2025, 9, 1), text=f"Nr. {i}"
            )
            Guardian.objects.create(child=self.emma, name=f"Værge {i}", relation=Relation.OTHER)
            Enrollment.objects.create(
                child=self.emma, unit=self.skolen, start=date(2020, 1, 1 + i), end=date(2020, 2, 1)
            )
        many = self._queries()
        assert few == many
        print(f"\nChild page queries: empty history {few}, 30 more rows {many}")
