"""The front page: the day's work per role (desk.front).

Pia (pædagog) and Lars (leader) work at Solsikken, where Emma and Noah go; Sofie
teaches Oskar at Nordby Skole; Rasmus is a caseworker, Frida forvaltning, Adam
administrator (tidlig.test).
"""

import re
from datetime import date, timedelta

from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from children.absence_import import import_absence
from children.audit import Event
from children.models import AbsenceRecord, BulkReadAlert, Enrollment
from followups.models import Case, CaseMember, Escalation, Handover, Meeting, Underretning
from loeft.models import Dialogue, NextStep, Status
from loeft.tests.factories import final_dialogue
from reports.models import QuarterlyReport
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase, authenticator, make_child

TODAY = timezone.localdate()


def panel(html: str, key: str) -> str:
    """The panel's section of the page ('' if the page has no such panel)."""
    found = re.search(
        rf'<section class="tidlig-front-panel" aria-labelledby="{key}">(.*?)</section>', html, re.S
    )
    return found[1] if found else ""


class HomeTestCase(BaseTestCase):
    def _home(self, user) -> str:
        self.login(user)
        response = self.client.get("/")
        assert response.status_code == 200
        return response.content.decode()

    def _step(self, child, owner, due, author=None) -> NextStep:
        dialogue = final_dialogue(
            child,
            author or owner,
            held_on=TODAY - timedelta(days=60),
            steps=[("Ring til mor", owner, due)],
        )
        return dialogue.next_steps.get()


class FagpersonTestCase(HomeTestCase):
    def test_it_lists_my_steps_due_this_week_or_overdue(self):
        overdue = self._step(self.emma, self.pia, TODAY - timedelta(days=2))
        soon = self._step(self.noah, self.pia, TODAY + timedelta(days=5))
        self._step(self.noah, self.pia, TODAY + timedelta(days=30))  # not due yet
        self._step(self.emma, self.lars, TODAY)  # Lars's, not Pia's
        section = panel(self._home(self.pia), "mine-skridt")
        assert section.count("tidlig-step-title") == 2
        assert reverse("next_step_update", args=[overdue.pk]) in section
        assert reverse("next_step_update", args=[soon.pk]) in section
        assert "Overskredet" in section and self.emma.get_absolute_url() in section

        soon.mark_done(on=TODAY, comment="", by=self.pia)
        section = panel(self._home(self.pia), "mine-skridt")
        assert reverse("next_step_update", args=[soon.pk]) not in section

    def test_it_lists_children_to_assess_again(self):
        assess(self.emma, self.pia, 3, on=TODAY - timedelta(days=100))
        assess(self.noah, self.pia, 2, on=TODAY - timedelta(days=300))  # zone 2: not flagged
        assess(self.oskar, self.sofie, 4, on=TODAY - timedelta(days=300))  # another unit
        section = panel(self._home(self.pia), "skal-vurderes")
        assert reverse("concern_create", args=[self.emma.pk]) in section
        assert "Emma Holm" in section and "Noah" not in section and "Oskar" not in section

        assess(self.emma, self.pia, 3, on=TODAY)
        section = panel(self._home(self.pia), "skal-vurderes")
        assert "Emma" not in section and "Ingen børn skal vurderes igen lige nu." in section

    def test_it_lists_my_loeft_drafts(self):
        draft = Dialogue.objects.create(child=self.emma, author=self.pia, status=Status.DRAFT)
        Dialogue.objects.create(child=self.noah, author=self.lars, status=Status.DRAFT)
        section = panel(self._home(self.pia), "mine-kladder")
        assert reverse("dialogue_edit", args=[draft.pk]) in section
        assert "Emma Holm" in section and "Noah" not in section

    def test_it_lists_a_transition_note_to_write(self):
        Enrollment.objects.filter(child=self.noah).update(end=TODAY + timedelta(days=20))
        Enrollment.objects.create(
            child=self.noah, unit=self.skolen, start=TODAY + timedelta(days=21)
        )
        section = panel(self._home(self.pia), "overgange")
        assert "Skriv overleveringsnotat om Noah Lund" in section
        assert "/overgange/" in section and "/notat/" in section

    def test_empty_panels_say_so_in_friendly_danish(self):
        html = self._home(self.pia)
        assert "Det kommer snart" not in html
        assert "Du har ingen skridt, der skal gøres den næste uge. Godt gået!" in html
        assert "Ingen børn skal vurderes igen lige nu." in html
        assert "Du har ingen kladder, der venter." in html
        assert "Ingen overleveringsnotater venter på dig." in html

    def test_it_has_a_search_box_posting_to_mine_boern(self):
        html = self._home(self.pia)
        assert f'method="post" action="{reverse("child_list")}"' in html and 'name="q"' in html
        self.client.post(reverse("child_list"), {"q": "Emma"})  # the search itself works
        for user in (self.frida, self.adam):
            assert 'name="q"' not in self._home(user)

    def test_the_children_shown_are_audited_in_one_entry(self):
        self._step(self.emma, self.pia, TODAY)
        self._home(self.pia)
        entry = LogEntry.objects.filter(additional_data__event=Event.LIST).latest("timestamp")
        assert entry.additional_data["children"] == [self.emma.pk]


class LeaderTestCase(HomeTestCase):
    def test_it_lists_zone_4_and_5_without_recent_action(self):
        assess(self.emma, self.pia, 4, on=TODAY - timedelta(days=40))
        assess(self.noah, self.pia, 3, on=TODAY - timedelta(days=40))  # zone 3
        assess(self.oskar, self.sofie, 5, on=TODAY - timedelta(days=40))  # Nordby Skole
        section = panel(self._home(self.lars), "uden-handling")
        assert self.emma.get_absolute_url() in section
        assert "Noah" not in section and "Oskar" not in section

        final_dialogue(self.emma, self.pia, held_on=TODAY - timedelta(days=3))
        section = panel(self._home(self.lars), "uden-handling")
        assert "Emma" not in section
        assert "Alle børn i zone 4–5 har fået en handling for nylig." in section

    @override_settings(FRONT_PAGE_ACTION_DAYS=2)
    def test_the_number_of_days_is_a_setting(self):
        assess(self.emma, self.pia, 5, on=TODAY - timedelta(days=40))
        Escalation.objects.create(child=self.emma, from_unit=self.solsikken, escalated_by=self.lars)
        Escalation.objects.filter(child=self.emma).update(
            created_at=timezone.now() - timedelta(days=3)
        )
        assert "Emma Holm" in panel(self._home(self.lars), "uden-handling")

    def test_an_open_case_counts_as_an_action(self):
        assess(self.emma, self.pia, 5, on=TODAY - timedelta(days=40))
        Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=TODAY - timedelta(days=300)
        )
        assert "Emma" not in panel(self._home(self.lars), "uden-handling")

    def test_it_lists_the_units_overdue_steps(self):
        step = self._step(self.emma, self.pia, TODAY - timedelta(days=1))
        self._step(self.noah, self.pia, TODAY + timedelta(days=1))  # not overdue
        self._step(self.oskar, self.sofie, TODAY - timedelta(days=9))  # another unit
        section = panel(self._home(self.lars), "overskredne-skridt")
        assert "Ring til mor" in section and self.emma.get_absolute_url() in section
        assert "Noah" not in section and "Oskar" not in section

        step.mark_done(on=TODAY, comment="", by=self.pia)
        assert "Ingen skridt i enheden er overskredet." in panel(
            self._home(self.lars), "overskredne-skridt"
        )

    def test_the_leader_panels_hold_only_the_units_led(self):
        # Lars also works as a fagperson at Nordby Skole: Oskar is his to assess
        # again, but not one of the children he answers for as a leader.
        Membership.objects.create(user=self.lars, unit=self.skolen, role=Role.FAGPERSON)
        assess(self.oskar, self.sofie, 5, on=TODAY - timedelta(days=100))
        self._step(self.oskar, self.sofie, TODAY - timedelta(days=3))
        html = self._home(self.lars)
        assert "Oskar" in panel(html, "skal-vurderes")
        assert "Oskar" not in panel(html, "uden-handling")
        assert "Oskar" not in panel(html, "overskredne-skridt")

    def test_a_fagperson_has_no_leader_panels(self):
        html = self._home(self.pia)
        assert not panel(html, "uden-handling") and not panel(html, "overskredne-skridt")


class CaseworkerTestCase(HomeTestCase):
    def test_it_lists_meetings_this_week_and_overdue(self):
        case = Case.objects.create(
            child=self.emma, coordinator=self.rasmus, opened_on=TODAY - timedelta(days=100)
        )
        overdue = Meeting.objects.create(case=case, scheduled_on=TODAY - timedelta(days=3))
        later = Meeting.objects.create(case=case, scheduled_on=TODAY + timedelta(days=30))
        other = Case.objects.create(child=self.oskar, coordinator=self.sofie, opened_on=TODAY)
        Meeting.objects.create(case=other, scheduled_on=TODAY)  # not Rasmus's case
        section = panel(self._home(self.rasmus), "moeder")
        assert overdue.get_absolute_url() in section and "Overskredet" in section
        assert later.get_absolute_url() not in section and "Oskar" not in section

        Meeting.objects.filter(pk=overdue.pk).update(held_on=TODAY)
        assert overdue.get_absolute_url() not in panel(self._home(self.rasmus), "moeder")

    def test_steps_agreed_at_a_meeting_are_my_steps_too(self):
        case = Case.objects.create(child=self.emma, coordinator=self.rasmus, opened_on=TODAY)
        meeting = Meeting.objects.create(case=case, scheduled_on=TODAY - timedelta(days=7))
        step = NextStep.objects.create(
            meeting=meeting,
            child=self.emma,
            text="Bestil PPR-vurdering",
            owner_kind="fagperson",
            owner_user=self.rasmus,
            due=TODAY + timedelta(days=2),
        )
        section = panel(self._home(self.rasmus), "mine-skridt")
        assert "Bestil PPR-vurdering" in section
        assert reverse("next_step_update", args=[step.pk]) in section
        # A meeting's steps are case material: Pia, not on the team, never sees it.
        assert "Bestil PPR-vurdering" not in self._home(self.pia)

    def test_a_team_member_sees_the_meeting_too(self):
        case = Case.objects.create(child=self.emma, coordinator=self.rasmus, opened_on=TODAY)
        CaseMember.objects.create(case=case, user=self.karen, profession="Psykolog")
        meeting = Meeting.objects.create(case=case, scheduled_on=TODAY)
        assert meeting.get_absolute_url() in panel(self._home(self.karen), "moeder")

    def test_it_lists_intake_deadlines(self):
        now = timezone.now()
        unassessed = Underretning.objects.create(
            child=self.emma,
            registered_by=self.pia,
            made_by=self.pia,
            received_at=now - timedelta(hours=30),
        )
        receipt = Underretning.objects.create(
            child=self.noah,
            registered_by=self.pia,
            made_by=self.pia,
            received_at=now - timedelta(days=2),
            assessed_at=now - timedelta(days=1),
            decision=Underretning.Decision.SCREENING,
        )
        done = Underretning.objects.create(
            child=self.oskar,
            registered_by=self.rasmus,
            received_at=now - timedelta(days=2),
            source=Underretning.Source.CITIZEN,
            assessed_at=now - timedelta(days=1),
        )
        section = panel(self._home(self.rasmus), "frister")
        assert unassessed.get_absolute_url() in section and receipt.get_absolute_url() in section
        assert done.get_absolute_url() not in section
        assert "Vurderes senest" in section and "Kvittering sendes senest" in section
        assert section.index("Emma") < section.index("Noah")  # the overdue assessment first

        Underretning.objects.filter(pk=receipt.pk).update(receipt_sent_on=TODAY)
        assert receipt.get_absolute_url() not in panel(self._home(self.rasmus), "frister")

    def test_it_lists_handovers_and_escalations_to_take(self):
        case = Case.objects.create(child=self.emma, coordinator=self.sofie, opened_on=TODAY)
        offer = Handover.objects.create(case=case, from_user=self.sofie, to_user=self.rasmus)
        Escalation.objects.create(child=self.noah, from_unit=self.solsikken, escalated_by=self.lars)
        section = panel(self._home(self.rasmus), "tag-imod")
        assert reverse("handover_answer", args=[offer.pk]) in section
        assert "Noah Lund" in section and reverse("intake") in section

        Handover.objects.filter(pk=offer.pk).update(status=Handover.Status.DECLINED)
        assert "Emma" not in panel(self._home(self.rasmus), "tag-imod")


class ForvaltningAndAdministratorTestCase(HomeTestCase):
    def test_forvaltning_gets_the_latest_quarterly_report(self):
        assert "Der er ingen færdig kvartalsstatus endnu." in self._home(self.frida)
        for quarter in ("2026Q1", "2026Q2"):
            report = QuarterlyReport(
                quarter=quarter,
                kind=QuarterlyReport.Kind.AUTOMATIC,
                status=QuarterlyReport.Status.DONE,
                generated_at=timezone.now(),
            )
            report.pdf.save(f"{quarter}.pdf", ContentFile(b"%PDF-1.7"), save=False)
            report.save()
        section = panel(self._home(self.frida), "kvartalsstatus")
        assert reverse("report_download", args=[report.pk]) in section
        assert "2. kvartal 2026" in section and "1. kvartal" not in section
        assert self.client.get(reverse("report_download", args=[report.pk])).status_code == 200

    def test_administrator_sees_users_without_mfa_import_and_alerts(self):
        for user in (self.pia, self.lars, self.sofie, self.rasmus, self.karen, self.frida):
            authenticator(user)
        html = self._home(self.adam)
        section = panel(html, "uden-tofaktor")
        assert "Alle aktive brugere har sat en godkenderapp op." in section
        assert "Der er ikke importeret børn endnu." in panel(html, "import")
        assert "Der er ikke importeret fravær endnu." in panel(html, "import-fravaer")
        import_absence("cpr;enhed;måned;fravær;mulige\nx;Nordby Skole;2026-01;1;20\n")
        section = panel(self._home(self.adam), "import-fravaer")
        assert "1 række, 1 fejl" in section
        assert reverse("absence_import") in section
        BulkReadAlert.objects.create(user=self.pia, window_start=timezone.now(), children_count=45)
        self.pia.totpdevice_set.all().delete()
        html = self._home(self.adam)
        assert reverse("admin_user_edit", args=[self.pia.pk]) in panel(html, "uden-tofaktor")
        assert "læste 45 børn" in panel(html, "advarsler")
        assert "Emma" not in html


class LinksTestCase(HomeTestCase):
    """Every link in the panels opens for the user: no 403 or 404."""

    def test_every_link_opens(self):
        now = timezone.now()
        assess(self.emma, self.pia, 4, on=TODAY - timedelta(days=100))
        self._step(self.emma, self.pia, TODAY - timedelta(days=2))
        Dialogue.objects.create(child=self.noah, author=self.pia, status=Status.DRAFT)
        case = Case.objects.create(child=self.oskar, coordinator=self.rasmus, opened_on=TODAY)
        Meeting.objects.create(case=case, scheduled_on=TODAY)
        Underretning.objects.create(
            child=self.noah,
            registered_by=self.pia,
            made_by=self.pia,
            received_at=now - timedelta(hours=3),
        )
        offered = Case.objects.create(child=self.emma, coordinator=self.sofie, opened_on=TODAY)
        Handover.objects.create(case=offered, from_user=self.sofie, to_user=self.rasmus)
        BulkReadAlert.objects.create(user=self.pia, window_start=now, children_count=45)
        for user in (self.pia, self.lars, self.rasmus, self.karen, self.frida, self.adam):
            html = self._home(user)
            front = html.split('class="tidlig-front"')[1].split("Dine enheder og roller")[0]
            links = set(re.findall(r'<a href="([^"#]+)', front))
            assert links, user
            for link in links:
                status = self.client.get(link.replace("&amp;", "&")).status_code
                assert status in (200, 302), (user, link, status)


class QueryCountTestCase(HomeTestCase):
    """The page costs the same number of queries with 1 or many of everything."""

    def _data(self, n: int) -> None:
        now = timezone.now()
        for i in range(n):
            child = make_child(f"Barn{i}", "Dam", date(2020, 1, 1), unit=self.solsikken)
            # Leaving Solsikken for the school: an overleveringsnotat to write.
            Enrollment.objects.filter(child=child).update(end=TODAY + timedelta(days=10))
            Enrollment.objects.create(
                child=child, unit=self.skolen, start=TODAY + timedelta(days=11)
            )
            assess(child, self.pia, 3 + i % 3, on=TODAY - timedelta(days=100 + i))
            # High absence last month: flagged (children.absence).
            AbsenceRecord.objects.create(
                child=child,
                unit=self.solsikken,
                month=(TODAY.replace(day=1) - timedelta(days=1)).replace(day=1),
                absent=5,
                possible=20,
            )
            self._step(child, self.pia, TODAY - timedelta(days=i % 3))
            Dialogue.objects.create(child=child, author=self.pia, status=Status.DRAFT)
            case = Case.objects.create(child=child, coordinator=self.rasmus, opened_on=TODAY)
            CaseMember.objects.create(case=case, user=self.karen, profession="Psykolog")
            meeting = Meeting.objects.create(case=case, scheduled_on=TODAY - timedelta(days=i % 2))
            NextStep.objects.create(
                meeting=meeting,
                child=child,
                text="Bestil PPR-vurdering",
                owner_kind="fagperson",
                owner_user=self.rasmus,
                due=TODAY,
            )
            Underretning.objects.create(
                child=child,
                registered_by=self.pia,
                made_by=self.pia,
                received_at=now - timedelta(hours=i),
            )
            Escalation.objects.create(child=child, from_unit=self.solsikken, escalated_by=self.lars)
            Handover.objects.create(case=case, from_user=self.sofie, to_user=self.rasmus)
            BulkReadAlert.objects.create(
                user=self.pia, window_start=now - timedelta(minutes=20 * i), children_count=40
            )

    def _count(self, user) -> int:
        self.login(user)
        self.client.get("/")  # the session's first request does more
        with CaptureQueriesContext(connection) as captured:
            assert self.client.get("/").status_code == 200
        return len(captured)

    def test_the_number_of_queries_is_fixed(self):
        users = (self.pia, self.lars, self.rasmus, self.karen, self.frida, self.adam)
        self._data(1)
        small = {user.username: self._count(user) for user in users}
        self._data(25)
        large = {user.username: self._count(user) for user in users}
        assert small == large
        print("front page queries per role:", large)
