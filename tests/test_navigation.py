from tidlig.test import BaseTestCase


class NavigationTestCase(BaseTestCase):
    def _menu(self, user) -> list[str]:
        self.login(user)
        return [str(item["label"]) for item in self.client.get("/").context["menu"]]

    def test_it_shows_mine_boern_to_the_people_who_work_with_children(self):
        for user in (self.pia, self.lars):
            assert self._menu(user) == ["Forside", "Mine børn", "Min enhed", "Mine opgaver"], user
        assert self._menu(self.rasmus) == ["Forside", "Mine børn", "Mine opgaver", "Indgang"]
        assert self._menu(self.karen) == ["Forside", "Mine børn", "Mine opgaver"]

    def test_it_shows_no_child_pages_to_forvaltning_and_the_administrator(self):
        assert self._menu(self.frida) == ["Forside"]
        assert self._menu(self.adam) == ["Forside", "Administration"]
        assert "Mine børn" not in self._menu(self.adam)

    def test_it_marks_the_current_page(self):
        self.login(self.pia)
        response = self.client.get("/boern/")
        current = [str(item["label"]) for item in response.context["menu"] if item["current"]]
        assert current == ["Mine børn"]
        assert 'aria-current="page"' in response.content.decode()
