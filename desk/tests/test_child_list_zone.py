from datetime import date

from ruler.tests.factories import assess
from tidlig.test import BaseTestCase, make_child

URL = "/boern/"


def names(response) -> list[str]:
    return [str(child) for child in response.context["page"]]


class ChildListZoneTestCase(BaseTestCase):
    def setUp(self):
        assess(self.emma, self.pia, 2, on=date(2025, 1, 1))
        assess(self.emma, self.pia, 4, on=date(2025, 6, 1))
        assess(self.oskar, self.sofie, 4)
        self.login(self.pia)

    def test_it_shows_each_childs_latest_zone(self):
        html = self.client.get(URL).content.decode()
        emma_row = html.split("Emma Holm</a>")[1].split("</tr>")[0]
        noah_row = html.split("Noah Lund</a>")[1].split("</tr>")[0]
        assert "4 · Udsat" in emma_row and "2 · Moderat trivsel" not in emma_row
        assert "Ikke vurderet" in noah_row
        assert '<th scope="col">Zone</th>' in html

    def test_it_filters_by_latest_zone(self):
        assert names(self.client.get(URL, {"zone": "4"})) == ["Emma Holm"]  # not Oskar
        assert names(self.client.get(URL, {"zone": "2"})) == []
        assert names(self.client.get(URL, {"zone": "ingen"})) == ["Noah Lund"]
        assert names(self.client.get(URL, {"zone": ""})) == ["Emma Holm", "Noah Lund"]
        # An unknown value is ignored rather than an error.
        assert names(self.client.get(URL, {"zone": "9"})) == ["Emma Holm", "Noah Lund"]

    def test_the_zone_filter_combines_with_a_search_and_the_page_links(self):
        response = self.client.post(URL, {"q": "Holm", "zone": "ingen"})
        assert names(response) == []
        response = self.client.post(URL, {"q": "Holm", "zone": "4"})
        assert names(response) == ["Emma Holm"]
        for i in range(55):
            child = make_child("Test", f"Barn{i:02d}", date(2021, 1, 1), unit=self.solsikken)
            assess(child, self.pia, 1)
        html = self.client.get(URL, {"zone": "1"}).content.decode()
        assert "?zone=1&amp;side=2" in html
        assert len(self.client.get(URL, {"zone": "1", "side": "2"}).context["page"]) == 5
