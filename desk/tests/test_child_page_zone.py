from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruler.models import Assessment
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase


class ChildPageZoneTestCase(BaseTestCase):
    def _page(self, child) -> str:
        self.login(self.pia)
        return self.client.get(child.get_absolute_url()).content.decode()

    def test_a_child_never_assessed_says_so(self):
        html = self._page(self.emma)
        assert "Ikke vurderet endnu" in html
        assert "Barnet er ikke placeret på Børnelinealen endnu" in html
        assert "tidlig-chart" not in html
        assert f'href="/boern/{self.emma.pk}/bekymring/"' in html

    def test_it_shows_the_latest_zone_in_the_header_and_the_history_as_a_chart(self):
        assess(self.emma, self.pia, 2, on=date(2025, 3, 1))
        latest = assess(self.emma, self.pia, 4, on=date(2025, 9, 1))
        assess(self.noah, self.pia, 5, on=date(2025, 10, 1))  # another child's
        html = self._page(self.emma)
        heading = html.split('class="tidlig-child-heading"')[1].split("</div>")[0]
        assert "4 · Udsat" in heading
        assert f'href="{latest.get_absolute_url()}"' in heading
        chart = html.split('class="tidlig-chart"')[1].split("</svg>")[0]
        assert chart.count("<circle") == 2
        assert "<title>01.03.2025: 2</title>" in chart
        assert "<title>01.09.2025: 4</title>" in chart
        assert "2 vurderinger fra 01.03.2025 til 01.09.2025, senest zone 4 Udsat." in chart
        # The same figures as a table for screen readers.
        assert "<td>4 · Udsat</td>" in html and "<td>2 · Moderat trivsel</td>" in html

    def test_a_corrected_version_is_replaced_by_its_correction(self):
        first = assess(self.emma, self.pia, 3, on=date(2025, 5, 1))
        first.correct(author=self.pia, note="Forkert zone", zone=4)
        html = self._page(self.emma)
        chart = html.split('class="tidlig-chart"')[1].split("</svg>")[0]
        assert chart.count("<circle") == 1
        assert "<title>01.05.2025: 4</title>" in chart
        assert "4 · Udsat" in html.split('class="tidlig-child-heading"')[1].split("</div>")[0]
        assert "3 · Sårbar" not in html

    def test_an_old_concern_zone_is_flagged_for_reassessment(self):
        assess(self.emma, self.pia, 3, on=timezone.localdate() - timedelta(days=91))
        assert "Skal vurderes igen" in self._page(self.emma)
        assess(self.noah, self.pia, 3, on=timezone.localdate() - timedelta(days=89))
        assert "Skal vurderes igen" not in self._page(self.noah)

    def test_the_assessments_are_on_the_timeline(self):
        assessment = assess(self.emma, self.pia, 3, on=date(2025, 5, 1))
        html = self._page(self.emma)
        assert "Børnelinealen: zone 3 · Sårbar" in html
        assert html.count(f'href="{assessment.get_absolute_url()}"') >= 2

    def test_the_query_count_does_not_grow_with_the_history(self):
        def queries() -> int:
            self.login(self.pia)
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get(self.emma.get_absolute_url()).status_code == 200
            return len(ctx)

        assess(self.emma, self.pia, 2)
        one = queries()
        Assessment.objects.bulk_create(
            Assessment(
                child=self.emma,
                author=self.pia,
                assessed_on=date(2024, 1, 1) + timedelta(days=i * 7),
                zone=1 + i % 5,
            )
            for i in range(19)
        )
        assert queries() == one
