from auditlog.models import LogEntry

from ruler.models import ZoneGuide
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase


class ZoneGuideAdminTestCase(BaseTestCase):
    def test_it_lists_the_five_zones_with_the_default_texts(self):
        self.login(self.adam)
        response = self.client.get("/administration/handleguide/")
        html = response.content.decode()
        assert [g.zone for g in response.context["guides"]] == [1, 2, 3, 4, 5]
        assert html.count('"tidlig-nowrap">Tidligs standardtekst') == 5
        assert "/administration/handleguide/3/" in html
        assert (
            "/administration/handleguide/" in self.client.get("/administration/").content.decode()
        )

    def test_an_administrator_writes_the_municipalitys_own_text(self):
        self.login(self.adam)
        form = self.client.get("/administration/handleguide/3/").content.decode()
        assert "Tag barnet op på teammødet" in form  # the default, ready to edit
        response = self.client.post(
            "/administration/handleguide/3/", {"text": "Ring til PPR.\n\n- Aftal et møde"}
        )
        assert response.status_code == 302
        guide = ZoneGuide.objects.get(zone=3)
        assert guide.text == "Ring til PPR.\n\n- Aftal et møde"
        assert guide.updated_by == self.adam
        entry = LogEntry.objects.get_for_object(guide).get()
        assert entry.actor == self.adam and entry.action == LogEntry.Action.CREATE

        # Pia sees it after her next assessment in zone 3.
        self.login(self.pia)
        html = self.client.get(assess(self.emma, self.pia, 3).get_absolute_url()).content.decode()
        assert "Ring til PPR." in html and "<li>Aftal et møde</li>" in html

    def test_an_empty_text_is_refused_in_danish(self):
        self.login(self.adam)
        response = self.client.post("/administration/handleguide/4/", {"text": "   "})
        assert response.status_code == 200
        assert response.context["form"].errors["text"] == ["Skriv handleguiden for zonen."]
        assert "Skriv handleguiden for zonen." in response.content.decode()
        assert not ZoneGuide.objects.exists()

    def test_reset_brings_back_the_default(self):
        guide = ZoneGuide.objects.create(zone=5, text="Egen tekst", updated_by=self.adam)
        self.login(self.adam)
        assert self.client.get("/administration/handleguide/5/standard/").status_code == 405
        response = self.client.post("/administration/handleguide/5/standard/")
        assert response.status_code == 302
        assert not ZoneGuide.objects.exists()
        assert LogEntry.objects.get_for_object(guide).filter(action=LogEntry.Action.DELETE).exists()
        assert "Barnets Lov § 133" in ZoneGuide.for_zone(5).text

    def test_an_unknown_zone_is_a_404(self):
        self.login(self.adam)
        assert self.client.get("/administration/handleguide/6/").status_code == 404
        assert self.client.post("/administration/handleguide/0/standard/").status_code == 404

    def test_only_administrators_edit_the_guide(self):
        for user in (self.pia, self.lars, self.frida):
            self.login(user)
            assert self.client.get("/administration/handleguide/").status_code == 403
            assert (
                self.client.post("/administration/handleguide/3/", {"text": "x"}).status_code == 403
            )
        assert not ZoneGuide.objects.exists()
