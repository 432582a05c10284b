from datetime import date

from children.access import visible_children
from followups.models import Case, CaseMember
from tidlig.test import BaseTestCase


class CaseTeamAccessTestCase(BaseTestCase):
    def test_the_coordinator_and_the_team_of_an_open_case_see_the_child(self):
        assert self.emma not in visible_children(self.rasmus)
        assert self.emma not in visible_children(self.karen)
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=case, user=self.karen, profession="Psykolog")
        assert list(visible_children(self.rasmus)) == [self.emma]
        assert list(visible_children(self.karen)) == [self.emma]
        self.login(self.karen)
        assert self.client.get(self.emma.get_absolute_url()).status_code == 200
        assert self.client.get(self.noah.get_absolute_url()).status_code == 404

    def test_a_closed_case_no_longer_gives_access(self):
        Case.objects.create(
            child=self.emma,
            coordinator=self.rasmus,
            opened_on=date(2026, 1, 5),
            closed_on=date(2026, 6, 1),
        )
        assert self.emma not in visible_children(self.rasmus)
        self.login(self.rasmus)
        assert self.client.get(self.emma.get_absolute_url()).status_code == 404

    def test_forvaltning_never_sees_the_child_even_on_a_team(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=date(2026, 1, 5)
        )
        CaseMember.objects.create(case=case, user=self.frida, profession="Chef")
        assert not visible_children(self.frida).exists()
