"""The rådgivning leader's overview of underretninger (/raadgivning/underretninger/).

Lise leads Børn & Ungerådgivningen, where Rasmus is a caseworker; Lars leads
Børnehaven Solsikken, where Pia is a pædagog; Frida works in the forvaltning. Time
is frozen on Tuesday 19 May 2026 at noon.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Role
from followups.models import Case, Underretning
from tidlig.test import BaseTestCase, make_user

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 5, 19, 12, 0, tzinfo=CPH)
URL = "/raadgivning/underretninger/"


def cph(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=CPH)


def underretning(child, received_at, **kw) -> Underretning:
    return Underretning.objects.create(
        child=child, received_at=received_at, about="Barnet er ofte sulten.", **kw
    )


@time_machine.travel(NOW, tick=False)
class UnderretningOverviewTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lise = make_user("lise", cls.raadgivningen, Role.LEDER, first_name="Lise")
        # April, so this quarter but not this month: one assessed in time with its
        # receipt on the sixth hverdag after Easter, and one handed on to Noah's case
        # whose receipt, due 14 April, was never sent.
        underretning(
            cls.emma,
            cph(4, 1, 10),
            assessed_at=cph(4, 1, 12),
            decision=Underretning.Decision.NO_ACTION,
            receipt_sent_on=date(2026, 4, 14),
            closed_at=cph(4, 14, 9),
        )
        case = Case.objects.create(
            child=cls.noah, coordinator=cls.rasmus, opened_on=date(2026, 4, 3)
        )
        cls.handed_on = underretning(
            cls.noah,
            cph(4, 2, 14),
            assessed_at=cph(4, 3, 9),
            decision=Underretning.Decision.UNDERSOEGELSE,
            case=case,
            closed_at=cph(4, 3, 9),
        )
        # May: one handled in time, and an anonymous one not assessed by 08:00 today.
        underretning(
            cls.emma,
            cph(5, 4, 10),
            assessed_at=cph(5, 4, 12),
            decision=Underretning.Decision.NO_ACTION,
            receipt_sent_on=date(2026, 5, 12),
            closed_at=cph(5, 12, 9),
        )
        cls.waiting_too_long = underretning(
            cls.oskar, cph(5, 17, 8), source=Underretning.Source.ANONYMOUS
        )

    def test_the_leader_sees_this_month_and_this_quarter_side_by_side(self):
        self.login(self.lise)

        response = self.client.get(URL)

        assert response.status_code == 200
        html = response.content.decode()
        assert "Maj 2026" in html and "2. kvartal 2026" in html
        assert row(html, "Modtaget") == ["2", "4"]
        assert row(html, "Vurderet inden for 24 timer") == ["1 af 2 (50 %)", "3 af 4 (75 %)"]
        assert row(html, "Ikke vurderet, fristen er overskredet") == ["1", "1"]
        # Receipts: the anonymous one is owed none.
        assert row(html, "Fra en fagperson, der skal have kvittering") == ["1", "3"]
        assert row(html, "Kvittering sendt inden for 6 hverdage") == [
            "1 af 1 (100 %)",
            "2 af 3 (67 %)",
        ]
        assert row(html, "Kvittering ikke sendt, fristen er overskredet") == ["0", "1"]
        assert row(html, "Børnefaglig undersøgelse (§ 20)") == ["0", "1"]
        assert row(html, "Ingen yderligere handling") == ["1", "2"]
        assert row(html, "Ingen beslutning endnu") == ["1", "1"]

    def test_it_lists_the_underretninger_past_a_deadline_by_name(self):
        self.login(self.lise)

        html = self.client.get(URL).content.decode()

        past = html.split("Overskredne frister nu")[1].split("Vurdering inden for 24 timer")[0]
        # The open one links to its page, where Lise may assess it; the one handed on
        # to Noah's case is the coordinator's now, and its page is the team's.
        assert (
            f'<a href="/underretninger/{self.waiting_too_long.pk}/">Underretning om Oskar' in past
        )
        assert (
            "Underretning om Noah" in past and f"/underretninger/{self.handed_on.pk}/" not in past
        )
        assert "Sagen, tovholder Rasmus" in past
        assert "Emma" not in past
        assert self.client.get(f"/underretninger/{self.waiting_too_long.pk}/").status_code == 200

    def test_it_says_when_nothing_is_past_a_deadline(self):
        Underretning.objects.filter(pk=self.waiting_too_long.pk).update(assessed_at=cph(5, 17, 9))
        Underretning.objects.filter(pk=self.handed_on.pk).update(receipt_sent_on=date(2026, 4, 7))
        self.login(self.lise)

        html = self.client.get(URL).content.decode()

        assert "Ingen underretninger har en overskredet frist." in html

    def test_it_is_in_the_leaders_menu(self):
        self.login(self.lise)
        html = self.client.get("/").content.decode()
        assert f'href="{URL}"' in html
        self.login(self.rasmus)
        html = self.client.get("/").content.decode()
        assert f'href="{URL}"' not in html

    def test_only_the_leader_of_the_raadgivning_gets_in(self):
        for user in (self.rasmus, self.pia, self.lars, self.frida, self.karen):
            self.login(user)
            assert self.client.get(URL).status_code == 403, user


def row(html: str, label: str) -> list[str]:
    """The cells of the figures' row with this label (month, quarter)."""
    after = html.split(f'<th scope="row" class="weight-normal">{label}</th>')[1]
    cells = after.split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in cells.split('<td class="align-text-right">')[1:]]
