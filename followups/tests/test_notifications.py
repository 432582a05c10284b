from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from followups.models import Reminder
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
_keys = count(1)


def remind(user, due_on: date, subject: str = "Opfølgningsmøde om 14 dage", url: str = "/", **kw):
    return Reminder.objects.create(
        kind=kw.pop("kind", Reminder.Kind.MEETING_14),
        object_key=f"meeting:{next(_keys)}",
        recipient=user,
        due_on=due_on,
        subject=subject,
        text=kw.pop("text", "Der er opfølgningsmøde i en sag, du er med i."),
        url=url,
        **kw,
    )


# Monday 4 May 2026, ten in the morning.
@time_machine.travel(datetime(2026, 5, 4, 10, tzinfo=CPH), tick=False)
class NotificationsTestCase(BaseTestCase):
    def test_it_lists_the_users_own_reminders_due_by_today_newest_first(self):
        remind(self.rasmus, date(2026, 4, 20), "Møde ikke holdt", read_at=timezone.now())
        remind(self.rasmus, date(2026, 5, 4), "Opfølgningsmøde om 2 dage")
        remind(self.rasmus, date(2026, 5, 5), "Fremtidig påmindelse")
        remind(self.karen, date(2026, 5, 1), "Karens påmindelse")
        self.login(self.rasmus)
        response = self.client.get("/notifikationer/")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.index("Opfølgningsmøde om 2 dage") < html.index("Møde ikke holdt")
        assert "Fremtidig påmindelse" not in html and "Karens påmindelse" not in html
        assert html.count("tidlig-unread") == 1
        assert "1 ulæst" in html and "Markér alle som læst" in html
        assert "4. maj 2026" in html and "læst 4. maj 2026" in html

    def test_it_shows_the_unread_count_in_the_menu_for_every_user(self):
        remind(self.frida, date(2026, 5, 1))
        remind(self.frida, date(2026, 5, 2))
        remind(self.frida, date(2026, 5, 3), read_at=timezone.now())
        remind(self.frida, date(2026, 5, 8))  # not due yet
        self.login(self.frida)
        response = self.client.get("/")
        assert response.context["unread_notifications"] == 2
        html = response.content.decode()
        assert (
            '<span>Notifikationer <span class="badge badge-info">2'
            '<span class="sr-only"> ulæste</span></span></span>'
        ) in html

        self.login(self.adam)
        response = self.client.get("/")
        assert response.context["unread_notifications"] == 0
        assert 'class="badge badge-info"' not in response.content.decode()

    def test_opening_a_notification_marks_it_read_and_follows_its_link(self):
        reminder = remind(self.rasmus, date(2026, 5, 4), url="/sager/17/")
        self.login(self.rasmus)
        response = self.client.post(f"/notifikationer/{reminder.pk}/")
        assert response.status_code == 302 and response["Location"] == "/sager/17/"
        reminder.refresh_from_db()
        assert reminder.read_at == timezone.now()
        # Opening it again keeps the first time it was read.
        with time_machine.travel(datetime(2026, 5, 5, 9, tzinfo=CPH), tick=False):
            self.client.post(f"/notifikationer/{reminder.pk}/")
        reminder.refresh_from_db()
        assert reminder.read_at == datetime(2026, 5, 4, 10, tzinfo=CPH)

    def test_opening_changes_nothing_on_get(self):
        reminder = remind(self.rasmus, date(2026, 5, 4))
        self.login(self.rasmus)
        assert self.client.get(f"/notifikationer/{reminder.pk}/").status_code == 405
        reminder.refresh_from_db()
        assert reminder.read_at is None

    def test_someone_elses_or_a_future_notification_is_not_found(self):
        karens = remind(self.karen, date(2026, 5, 4))
        future = remind(self.rasmus, date(2026, 5, 6))
        self.login(self.rasmus)
        assert self.client.post(f"/notifikationer/{karens.pk}/").status_code == 404
        assert self.client.post(f"/notifikationer/{future.pk}/").status_code == 404
        assert not Reminder.objects.filter(read_at__isnull=False).exists()

    def test_it_never_redirects_off_the_site(self):
        self.login(self.rasmus)
        for url in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "sager/1/", ""):
            reminder = remind(self.rasmus, date(2026, 5, 4), url=url)
            response = self.client.post(f"/notifikationer/{reminder.pk}/")
            assert response["Location"] == "/notifikationer/", url
            reminder.refresh_from_db()
            assert reminder.read_at is not None

    def test_it_marks_all_of_the_users_due_notifications_read(self):
        mine = [remind(self.rasmus, date(2026, 5, day)) for day in (1, 2, 3)]
        future = remind(self.rasmus, date(2026, 5, 9))
        karens = remind(self.karen, date(2026, 5, 3))
        self.login(self.rasmus)
        response = self.client.post("/notifikationer/alle-laest/")
        assert response.status_code == 302 and response["Location"] == "/notifikationer/"
        assert Reminder.objects.filter(read_at__isnull=False).count() == 3
        assert all(Reminder.objects.get(pk=r.pk).read_at for r in mine)
        assert Reminder.objects.get(pk=future.pk).read_at is None
        assert Reminder.objects.get(pk=karens.pk).read_at is None
        html = self.client.get("/notifikationer/").content.decode()
        assert "Alle notifikationer er markeret som læst." in html
        assert "tidlig-unread" not in html and "Markér alle som læst" not in html

    def test_it_pages_through_many_notifications(self):
        for day in range(1, 4):
            for n in range(20):
                remind(self.rasmus, date(2026, 4, day), f"Påmindelse {day}-{n}")
        self.login(self.rasmus)
        first = self.client.get("/notifikationer/")
        assert len(first.context["page"].object_list) == 50
        second = self.client.get("/notifikationer/?side=2").content.decode()
        assert second.count("tidlig-step-title") == 10
        assert "Side 2 af 2" in second and "Påmindelse 1-0" in second

    def test_a_user_without_notifications_is_told_so(self):
        self.login(self.pia)
        html = self.client.get("/notifikationer/").content.decode()
        assert "Du har ingen notifikationer." in html

    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.client.get("/notifikationer/")
        assert response.status_code == 302 and "/login/" in response["Location"]
