from datetime import date

from accounts.models import Membership, Role
from followups.models import Reminder
from tidlig.test import BaseTestCase, make_user


class NavigationTestCase(BaseTestCase):
    def _menu(self, user) -> list[str]:
        self.login(user)
        return [str(item["label"]) for item in self.client.get("/").context["menu"]]

    def test_it_shows_mine_boern_to_the_people_who_work_with_children(self):
        assert self._menu(self.pia) == [
            "Forside",
            "Mine børn",
            "Min enhed",
            "Mine opgaver",
            "Tværfagligt forum",
            "Notifikationer",
        ]
        # Lars leads Solsikken: he also sees its quarterly figures.
        assert self._menu(self.lars) == [
            "Forside",
            "Mine børn",
            "Min enhed",
            "Mine opgaver",
            "Tværfagligt forum",
            "Kvartalsstatus",
            "Notifikationer",
        ]
        assert self._menu(self.rasmus) == [
            "Forside",
            "Mine børn",
            "Mine opgaver",
            "Mine møder",
            "Mine sager",
            "Indgang",
            "Notifikationer",
        ]
        assert self._menu(self.karen) == [
            "Forside",
            "Mine børn",
            "Mine opgaver",
            "Mine møder",
            "Tværfagligt forum",
            "Notifikationer",
        ]

    def test_it_shows_no_child_pages_to_forvaltning_and_the_administrator(self):
        assert self._menu(self.frida) == [
            "Forside",
            "Kvartalsstatus",
            "Kvartalsrapporter",
            "Notifikationer",
        ]
        assert self._menu(self.adam) == ["Forside", "Administration", "Notifikationer"]
        assert "Mine børn" not in self._menu(self.adam)

    def test_it_shows_moeder_til_tiden_to_the_leader_of_the_raadgivning_only(self):
        # Lise leads Børn & Ungerådgivningen; Lars leads Solsikken, a børnehave.
        lise = make_user("lise", self.raadgivningen, Role.LEDER, first_name="Lise")
        assert "Møder til tiden" in self._menu(lise)
        assert "Indgang" in self._menu(lise)  # she follows the intake and its deadlines
        assert self._menu(lise) == [
            "Forside",
            "Indgang",
            "Møder til tiden",
            "Underretninger",
            "Kvartalsstatus",  # the rådgivning's own status (reports.leader_views)
            "Notifikationer",
        ]
        assert "Mine sager" not in self._menu(lise)
        assert "Møder til tiden" not in self._menu(self.lars)
        assert "Møder til tiden" not in self._menu(self.rasmus)
        # The leader's overview of the underretninger is hers alone too.
        assert "Underretninger" not in self._menu(self.lars)
        assert "Underretninger" not in self._menu(self.rasmus)

    def test_it_counts_the_unread_notifications_in_the_menu(self):
        for day in (1, 2, 3):
            Reminder.objects.create(
                kind=Reminder.Kind.STEP_DUE,
                object_key=f"step:{day}",
                recipient=self.pia,
                due_on=date(2025, 10, day),
                subject="Et næste skridt skal være gjort",
                text="",
                read_at="2025-10-04T10:00+02:00" if day == 3 else None,
            )
        self.login(self.pia)
        response = self.client.get("/")
        assert response.context["unread_notifications"] == 2
        assert '<span class="sr-only"> ulæste</span>' in response.content.decode()

    def test_it_marks_the_current_page(self):
        self.login(self.pia)
        response = self.client.get("/boern/")
        current = [str(item["label"]) for item in response.context["menu"] if item["current"]]
        assert current == ["Mine børn"]
        assert 'aria-current="page"' in response.content.decode()

    def test_it_shows_kvartalsstatus_to_forvaltning_and_institution_leaders(self):
        # Lise leads Børn & Ungerådgivningen, which enrolls no children: her
        # "Kvartalsstatus" is the rådgivning's status, not the children's figures.
        lise = make_user("lise", self.raadgivningen, Role.LEDER, first_name="Lise")
        self.login(lise)
        entries = self.client.get("/").context["menu"]
        assert [e["url"] for e in entries if str(e["label"]) == "Kvartalsstatus"] == [
            "/rapporter/raadgivning/"
        ]
        for user in (self.pia, self.sofie, self.rasmus, self.karen, self.adam):
            assert "Kvartalsstatus" not in self._menu(user), user
        # Frida also leads a school: the entry is shown once.
        Membership.objects.create(user=self.frida, unit=self.skolen, role=Role.LEDER)
        assert self._menu(self.frida).count("Kvartalsstatus") == 1

        self.login(self.lars)
        response = self.client.get("/rapporter/status/")
        current = [str(item["label"]) for item in response.context["menu"] if item["current"]]
        assert current == ["Kvartalsstatus"]
