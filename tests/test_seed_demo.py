"""`manage.py seed_demo`: the demo municipality it builds and the logins it prints.

The demo is seeded once for SeedDemoTestCase, on 23 November 2026, and every test
there starts from that data (rolled back after each test); only the tests of a
second run, a reset or another day seed again. "This month" is November 2026 and
"next month" December there.
"""

import itertools
import re
import tempfile
from base64 import b32encode
from collections import Counter
from datetime import date, datetime, timedelta
from importlib import import_module
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F, Q
from django.test import RequestFactory, TestCase, override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import District, GroupKind, Membership, Role, Unit, UnitKind, User
from children.absence import flags
from children.access import readable_entries, visible_children
from children.audit import Event
from children.models import (
    AbsenceRecord,
    Child,
    Concern,
    Consent,
    Enrollment,
    Guardian,
    TransitionNote,
)
from children.sharing import Purpose
from children.transitions import transitions_of_unit
from demo.organisation import NORDBY_SKOLE, SOLSIKKEN
from followups.models import Case, Escalation, Handover, Meeting, Reminder, Underretning
from followups.queries import underretninger_past_deadline
from forum.models import Forum, ForumCase, ForumMeeting
from loeft.models import Dialogue, DialogueVersion, NextStep, Status
from reports.models import QuarterlyReport
from ruler.models import Assessment, Reason, annotate_latest
from ruler.queries import children_by_zone
from tidlig.test import make_child

# django-axes watches every login and needs the request it comes with.
LOGIN = RequestFactory().post("/login/")

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 11, 23, 10, tzinfo=COPENHAGEN)
TODAY = NOW.date()
USERNAMES = [
    "pia",
    "lars",
    "sofie",
    "rasmus",
    "mette",
    "rita",
    "karen",
    "hanne",
    "jonas",
    "frida",
    "adam",
]

# Age in whole years when an enrollment starts, and while it lasts, per unit kind.
# Børnehaveklassen starts in the August of the year the child turns 6, so 5 or 6.
AGE_AT_START: dict[str, tuple[int, int]] = {
    UnitKind.DAGPLEJE: (0, 2),
    UnitKind.VUGGESTUE: (0, 2),
    UnitKind.BOERNEHAVE: (3, 5),
    UnitKind.SKOLE: (5, 6),
    UnitKind.SFO: (5, 9),
    UnitKind.KLUB: (9, 14),
}
AGE_AT_END: dict[str, tuple[int, int]] = {
    UnitKind.DAGPLEJE: (0, 2),
    UnitKind.VUGGESTUE: (0, 2),
    UnitKind.BOERNEHAVE: (3, 6),
    UnitKind.SKOLE: (15, 17),
    UnitKind.SFO: (6, 10),
    UnitKind.KLUB: (10, 15),
}
# A child is in one of these at a time: dagtilbud, then børnehave, then school.
MAIN_LINE = {UnitKind.DAGPLEJE, UnitKind.VUGGESTUE, UnitKind.BOERNEHAVE, UnitKind.SKOLE}


def seed(*args: str, report: bool = False) -> str:
    # The archived quarterly report takes a few seconds; one test makes it.
    out = StringIO()
    call_command("seed_demo", *args, *([] if report else ["--no-report"]), stdout=out)
    return out.getvalue()


def snapshot() -> tuple[list, list, list]:
    children = sorted(Child.objects.values_list("first_name", "last_name", "birth_date", "gender"))
    enrollments = sorted(
        (first, last, birth, unit, start, end or date.max)
        for first, last, birth, unit, start, end in Enrollment.objects.values_list(
            "child__first_name",
            "child__last_name",
            "child__birth_date",
            "unit__name",
            "start",
            "end",
        )
    )
    users = sorted(
        User.objects.values_list(
            "username", "first_name", "last_name", "title", "memberships__role"
        )
    )
    return children, enrollments, users


def ruler_snapshot() -> list[tuple]:
    return sorted(
        Assessment.objects.values_list(
            "child__first_name",
            "child__last_name",
            "child__birth_date",
            "assessed_on",
            "zone",
            "reason",
            "author__username",
            "what_worries",
            "correction_note",
        )
    )


def underretning_snapshot() -> list[tuple]:
    return sorted(
        Underretning.objects.values_list(
            "child__first_name",
            "child__last_name",
            "received_at",
            "source",
            "channel",
            "decision",
            "assessed_at",
            "receipt_sent_on",
            "closed_at",
        )
    )


def counts() -> dict[str, int]:
    models = [District, Unit, User, Membership, Child, Enrollment, Underretning]
    return {model.__name__: model._default_manager.count() for model in models}


def age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def solsikken() -> Unit:
    return Unit.objects.get(name="Børnehaven Solsikken")


def first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def assert_enrolled_at_plausible_ages(today: date) -> None:
    # The one child who leaves Solsikken at the end of this month for school is
    # recorded ahead: the børnehave's end and the school's start (demo.transitions).
    announced = first_of_next_month(today)
    by_child: dict[int, list[Enrollment]] = {}
    for enrollment in Enrollment.objects.select_related("child", "unit"):
        birth, kind = enrollment.child.birth_date, enrollment.unit.kind
        low, high = AGE_AT_START[kind]
        assert low <= age(birth, enrollment.start) <= high, (enrollment, enrollment.start)
        if enrollment.end:
            low, high = AGE_AT_END[kind]
            assert low <= age(birth, enrollment.end) <= high, (enrollment, enrollment.end)
            if enrollment.end >= today:
                assert enrollment.end == announced - timedelta(days=1), enrollment
                assert enrollment.unit.kind == UnitKind.BOERNEHAVE
            assert enrollment.start <= enrollment.end
        elif enrollment.start > today:
            # Only an infant waiting for its first place, and that child starting
            # school, have an enrollment ahead.
            assert age(birth, today) <= 1 or (
                enrollment.start == announced and enrollment.unit.kind == UnitKind.SKOLE
            ), enrollment
        by_child.setdefault(enrollment.child_id, []).append(enrollment)

    for enrollments in by_child.values():
        main = sorted((e for e in enrollments if e.unit.kind in MAIN_LINE), key=lambda e: e.start)
        for earlier, later in itertools.pairwise(main):
            assert earlier.end is not None and earlier.end < later.start, (earlier, later)
        assert sum(e.end is None for e in main) <= 1


def assert_assessed_within_an_enrollment(today: date) -> None:
    stays: dict[int, list[tuple[date, date | None]]] = {}
    for child, start, end in Enrollment.objects.values_list("child", "start", "end"):
        stays.setdefault(child, []).append((start, end))
    rows = Assessment.objects.values_list("child", "assessed_on", "child__birth_date")
    assert rows
    for child, on, birth in rows:
        assert birth <= on <= today
        assert on >= today - timedelta(days=2 * 366)
        assert any(start <= on and (end is None or on <= end) for start, end in stays[child])


# pytest-django runs tests with DEBUG off, and the command refuses then. Frozen
# time: two runs compared in one test must not straddle midnight.
@override_settings(DEBUG=True)
@time_machine.travel(NOW, tick=False)
class SeedDemoTestCase(TestCase):
    out: str  # what the first run printed

    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = seed()

    def test_it_creates_the_demo_municipality(self):
        assert District.objects.count() == 3
        kinds = sorted(Unit.objects.values_list("kind", flat=True))
        for kind in UnitKind.values:
            assert kind in kinds
        assert kinds.count(UnitKind.VUGGESTUE) == 2
        assert 2 <= kinds.count(UnitKind.BOERNEHAVE) <= 3
        assert 2 <= kinds.count(UnitKind.SKOLE) <= 3
        services = Unit.objects.filter(district__isnull=True)
        assert set(services.values_list("kind", flat=True)) == {
            UnitKind.SUNDHEDSPLEJE,
            UnitKind.PPR,
            UnitKind.RAADGIVNING,
            UnitKind.UNGEINDSATS,
            UnitKind.FORVALTNING,
        }

        # One login per role, a second caseworker, the rådgivning's leader, a
        # teacher and two more consultants for the tværfaglige forum; one membership
        # each, nobody a superuser.
        users = User.objects.filter(username__in=USERNAMES)
        assert users.count() == 11
        assert sorted(Membership.objects.values_list("role", flat=True)) == sorted(
            [*Role.values, Role.RAADGIVER, Role.LEDER, Role.FAGPERSON, *[Role.KONSULENT] * 2]
        )
        assert not User.objects.filter(is_superuser=True).exists()
        pia = User.objects.get(username="pia")
        assert pia.title
        assert pia.roles() == {Role.FAGPERSON}
        (solsikken,) = pia.units_with_role(Role.FAGPERSON)
        assert solsikken.kind == UnitKind.BOERNEHAVE
        assert User.objects.get(username="lars").units_with_role(Role.LEDER).get() == solsikken

        assert Child.objects.count() == 300
        assert not Child.objects.filter(enrollments__isnull=True).exists()
        # Pia's own børnehave has enough children to make her pages interesting (one
        # has just left for school).
        assert 18 <= Enrollment.objects.active().filter(unit=solsikken).count() <= 35
        ages = {age(birth, TODAY) for birth in Child.objects.values_list("birth_date", flat=True)}
        assert ages == set(range(18))

    def test_it_enrolls_children_at_plausible_ages(self):
        assert_enrolled_at_plausible_ages(TODAY)

    def test_it_gives_older_children_a_history(self):
        older = [
            c
            for c in Child.objects.prefetch_related("enrollments__unit")
            if c.birth_date.year <= 2014
        ]
        assert older
        for child in older:
            kinds = [e.unit.kind for e in sorted(child.enrollments.all(), key=lambda e: e.start)]
            assert kinds[0] in (UnitKind.DAGPLEJE, UnitKind.VUGGESTUE)
            assert UnitKind.BOERNEHAVE in kinds
            assert UnitKind.SKOLE in kinds

    def test_it_is_idempotent(self):
        first, first_counts = snapshot(), counts()
        passwords = dict(User.objects.values_list("username", "password"))

        seed("--quiet")

        assert counts() == first_counts
        assert snapshot() == first
        assert dict(User.objects.values_list("username", "password")) == passwords

    def test_it_gives_the_same_data_for_the_same_seed(self):
        first, underretninger = snapshot(), underretning_snapshot()
        # The note first: deleted in one cascade with every child, its enrollments
        # may go before it, and its audit entry reads them (TransitionNote.
        # get_additional_data), as demo.children.delete_demo_children knows.
        TransitionNote.objects.all().delete()
        ForumCase.objects.all().delete()
        for model in [Child, ForumMeeting, Forum, Membership, User, Unit, District]:
            model.objects.all().delete()

        seed("--quiet")
        assert snapshot() == first
        assert underretning_snapshot() == underretninger

        seed("--quiet", "--seed", "8", "--reset")
        assert snapshot()[0] != first[0]
        assert Child.objects.count() == 300

    def test_it_leaves_other_children_alone(self):
        elsewhere = Unit.objects.create(name="Testhuset", kind=UnitKind.BOERNEHAVE)
        outside = make_child("Ude", "Andetsteds", date(2022, 1, 1))
        Enrollment.objects.create(child=outside, unit=elsewhere, start=date(2025, 1, 1))
        both = make_child("Begge", "Steder", date(2022, 1, 1))
        Enrollment.objects.create(
            child=both, unit=elsewhere, start=date(2025, 1, 1), end=date(2025, 6, 30)
        )
        Enrollment.objects.create(child=both, unit=solsikken(), start=date(2025, 7, 1))
        unenrolled = make_child("Uden", "Plads", date(2020, 5, 5))

        seed("--quiet", "--reset")

        assert Child.objects.filter(pk__in=[outside.pk, both.pk, unenrolled.pk]).count() == 3
        assert both.enrollments.count() == 2
        assert Child.objects.count() == 303

    def test_it_prints_logins_that_work(self):
        rows = [re.split(r"\s{2,}", line.strip()) for line in self.out.splitlines()]
        logins = {row[3]: row for row in rows if len(row) == 5 and row[3] in USERNAMES}
        assert sorted(logins) == sorted(USERNAMES)
        for username, (role, name, unit, _, password) in logins.items():
            user = authenticate(LOGIN, username=username, password=password)
            assert user is not None, username
            assert len(password) >= 12
            assert name == user.get_full_name()
            membership = user.memberships.get()
            groups = ", ".join(membership.groups.values_list("name", flat=True))
            assert unit == (
                f"{membership.unit.name} ({groups})" if groups else membership.unit.name
            )
            assert membership.get_role_display() == role
        assert logins["sofie"][2] == "Nordby Skole (0.A)"
        assert "300 børn" in self.out
        assert "3 distrikter" in self.out

    def test_it_prints_a_second_factor_for_every_login_that_works(self):
        rows = [re.split(r"\s{2,}", line.strip()) for line in self.out.splitlines()]
        factors = {row[0]: row[1:] for row in rows if len(row) == 3 and row[0] in USERNAMES}
        assert sorted(factors) == sorted(USERNAMES)
        for username, (key, codes) in factors.items():
            user = User.objects.get(username=username)
            # The printed key is the app's (what a phone would be given), and each of
            # the printed recovery codes verifies once.
            assert b32encode(mfa.authenticator(user).bin_key).decode() == key
            for code in codes.split():
                assert mfa.match(user, code) is not None
                assert mfa.match(user, code) is None
                StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
        # A second run keeps the keys, so an app set up with them keeps working.
        assert seed().count(factors["pia"][0]) == 1

        # demo_code prints the code the app shows, which the code page takes.
        printed = StringIO()
        call_command("demo_code", "pia", stdout=printed)
        code = printed.getvalue().strip()
        assert re.fullmatch(r"\d{6}", code)
        assert mfa.match(User.objects.get(username="pia"), code) is not None

    def test_demo_code_refuses_a_real_users_app(self):
        real = User.objects.create_user("rigtig")
        TOTPDevice.objects.create(user=real, name="Min telefon", confirmed=True)
        with pytest.raises(CommandError, match="no demo authenticator"):
            call_command("demo_code", "rigtig", stdout=StringIO())
        with self.settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG=False"):
            call_command("demo_code", "pia", stdout=StringIO())

    def test_it_creates_a_superuser_only_when_asked(self):
        assert not User.objects.filter(is_superuser=True).exists()

        out = seed("--with-superuser")

        admin = User.objects.get(is_superuser=True)
        assert admin.is_staff
        assert not admin.memberships.exists()
        (line,) = [line for line in out.splitlines() if f"  {admin.username}  " in line]
        password = re.split(r"\s{2,}", line.strip())[-1]
        assert authenticate(LOGIN, username=admin.username, password=password) == admin

    def test_it_is_quiet_when_asked(self):
        assert seed("--quiet") == ""
        assert Child.objects.count() == 300

    def test_it_refuses_without_debug(self):
        # A run would name her Pia again.
        User.objects.filter(username="pia").update(first_name="Pernille")

        with self.settings(DEBUG=False):
            with pytest.raises(CommandError, match="DEBUG"):
                seed("--quiet")
            assert User.objects.get(username="pia").first_name == "Pernille"

            seed("--quiet", "--force")
        assert User.objects.get(username="pia").first_name == "Pia"

    def test_it_gives_children_parents_and_pia_some_concerns(self):
        assert Guardian.objects.count() >= 300
        assert all(g.email.endswith("@example.dk") for g in Guardian.objects.all())
        concerns = Concern.objects.select_related("author")
        assert concerns.count() == 8
        assert {c.author.username for c in concerns} == {"pia"}
        pia = User.objects.get(username="pia")
        assert set(visible_children(pia)) >= {c.child for c in concerns}

    def test_it_places_children_on_the_ruler(self):
        assessments = Assessment.objects.all()
        assert f"{assessments.count()} vurderinger" in self.out
        enrolled = Child.objects.filter(pk__in=Enrollment.objects.active().values("child"))
        latest = [child.latest_zone for child in annotate_latest(enrolled)]
        assessed = Counter(zone for zone in latest if zone)
        assert 0.45 <= assessed.total() / len(latest) <= 0.75
        assert assessed[1] > assessed[2] > assessed[3] > assessed[5] >= 1
        assert assessed[4] >= 1
        # Only children in a unit today are assessed, some of them several times.
        assert not assessments.exclude(child__in=enrolled).exists()
        per_child = Counter(Assessment.objects.current().values_list("child", flat=True))
        assert max(per_child.values()) >= 4
        assert sum(n >= 2 for n in per_child.values()) >= 20
        # The three columns are filled in for zone 3-5, as the form requires.
        for assessment in assessments.filter(zone__gte=3):
            assert assessment.what_works and assessment.what_worries, assessment
            assert assessment.what_must_happen, assessment
        authors = {a.author.username for a in assessments.select_related("author")}
        assert authors <= set(USERNAMES)

    def test_solsikken_shows_every_zone_stale_and_never_assessed_children(self):
        pia = User.objects.get(username="pia")

        overview = children_by_zone(pia, solsikken())

        assert {g.style.number: bool(g.ids) for g in overview["groups"]} == dict.fromkeys(
            [5, 4, 3, 2, 1], True
        )
        assert len(overview["never"]) >= 2
        assert 2 <= len(overview["stale"]) <= 6
        cutoff = TODAY - timedelta(days=90)
        for child in overview["stale"]:
            assert child.latest_zone >= 3 and child.latest_assessed_on < cutoff
        # Everything at Solsikken is written by Pia or Lars, but for the zones Rasmus
        # sets at follow-up meetings.
        at_solsikken = Assessment.objects.filter(
            child__in=Enrollment.objects.active().filter(unit=solsikken()).values("child")
        )
        own = at_solsikken.filter(meeting__isnull=True)
        assert set(own.values_list("author__username", flat=True)) == {"pia", "lars"}
        meetings = at_solsikken.filter(meeting__isnull=False)
        assert set(meetings.values_list("author__username", flat=True)) == {"rasmus"}

    def test_it_links_the_concerns_to_assessments(self):
        linked = Assessment.objects.filter(concern__isnull=False).select_related("concern")
        assert {a.concern for a in linked} == set(Concern.objects.all())
        for assessment in linked:
            assert assessment.reason == Reason.CONCERN
            assert assessment.child_id == assessment.concern.child_id
            assert assessment.assessed_on >= assessment.concern.observed_on
        assert linked.filter(zone__gte=3).count() >= 4
        assert not Assessment.objects.filter(reason=Reason.CONCERN, concern__isnull=True).exists()

    def test_it_types_no_concern_twice(self):
        # The pairs ruler's migration 0003 merges: none in the demo.
        merge = import_module("ruler.migrations.0003_merge_duplicate_concerns")
        assert merge.merge_duplicate_concerns(Concern, Assessment) == 0

    def test_it_corrects_an_assessment(self):
        corrections = Assessment.objects.filter(corrects__isnull=False).select_related("corrects")
        assert corrections.exists()
        for correction in corrections:
            old = correction.corrects
            assert correction.correction_note
            assert correction.child_id == old.child_id
            assert (correction.zone, correction.assessed_on) != (old.zone, old.assessed_on)
        assert Assessment.objects.current().count() == Assessment.objects.count() - len(corrections)

    def test_assessments_lie_within_an_enrollment(self):
        assert_assessed_within_an_enrollment(TODAY)

    def test_it_places_the_same_children_for_the_same_seed(self):
        first = ruler_snapshot()

        seed("--quiet", "--reset")
        assert ruler_snapshot() == first

        seed("--quiet", "--seed", "8", "--reset")
        assert ruler_snapshot() != first

    def test_it_does_not_assess_twice(self):
        first = ruler_snapshot()

        out = seed()

        assert ruler_snapshot() == first
        assert f"{len(first)} vurderinger" in out

    def test_it_gives_solsikken_loeft_dialogues_with_next_steps(self):
        final = Dialogue.objects.final()
        assert final.count() >= 5 and f"{final.count()} LØFT-dialoger" in self.out
        assert set(final.values_list("author__username", flat=True)) <= {"pia", "lars"}
        assert all(d.held_on <= TODAY for d in final)
        assert all(d.versions.exists() and d.next_steps.exists() for d in final)
        assert DialogueVersion.objects.filter(number=2).exists()  # one was edited afterwards
        steps = NextStep.objects.filter(dialogue__status=Status.FINAL)
        assert steps.filter(done_on__isnull=False).exists()
        assert NextStep.objects.open().filter(owner_user__username="pia").exists()
        assert all(s.done_on is None or s.done_on <= TODAY for s in steps)
        draft = Dialogue.objects.get(status=Status.DRAFT)
        assert draft.author.username == "pia" and draft.draft_data["what_works"]
        # A second run adds nothing.
        seed()
        assert Dialogue.objects.final().count() == final.count()

    def test_it_gives_rasmus_cases_with_meetings_every_three_months(self):
        cases = Case.objects.all()
        assert cases.exists() and f"{cases.count()} sager" in self.out
        assert {c.coordinator.username for c in cases} == {"rasmus", "mette"}
        overdue = 0
        for case in cases:
            # Opened from Solsikken while the child went there.
            assert case.escalation.from_unit.name == "Børnehaven Solsikken"
            assert (
                Enrollment.objects.filter(
                    child=case.child, unit=case.escalation.from_unit, start__lte=case.opened_on
                )
                .filter(Q(end__isnull=True) | Q(end__gte=case.opened_on))
                .exists()
            )
            assert case.members.filter(user__username="karen").exists()
            assert case.interventions.exists()
            upcoming = case.meetings.filter(held_on__isnull=True)
            assert upcoming.count() == 1
            overdue += upcoming.get().scheduled_on < TODAY
            held = list(case.meetings.filter(held_on__isnull=False))
            assert all(m.held_on <= TODAY and m.minutes and m.zone for m in held)
            assert all(m.assessment is None or m.assessment.zone == m.zone for m in held)
        assert overdue == 1
        held = Meeting.objects.filter(held_on__isnull=False)
        assert held.exists() and held.filter(held_on__gt=F("scheduled_on")).exists()
        assert Assessment.objects.filter(reason=Reason.FOLLOW_UP).exists()
        # Mette has asked Rasmus to take over one case; he has a notification about it.
        handover = Handover.objects.get()
        assert (handover.from_user.username, handover.to_user.username) == ("mette", "rasmus")
        assert handover.case.coordinator.username == "mette"
        assert Reminder.objects.filter(recipient__username="rasmus", kind="tovholder").exists()
        assert Reminder.objects.filter(kind="moede_glemt", recipient__username="rita").exists()
        assert Escalation.objects.filter(status=Escalation.Status.WAITING).count() == 1
        # Rasmus sees the children of his cases, and those of the underretninger open
        # in the intake queue.
        rasmus = User.objects.get(username="rasmus")
        in_intake = {item.child for item in Underretning.objects.open()}
        assert (
            set(visible_children(rasmus))
            == {c.child for c in cases if c.coordinator == rasmus} | in_intake
        )

    def test_held_meetings_agree_next_steps_some_done_some_open_some_overdue(self):
        steps = NextStep.objects.filter(meeting__isnull=False)
        assert steps.exists() and not steps.filter(dialogue__isnull=False).exists()
        assert steps.filter(done_on__isnull=False).exists()
        still_open = steps.filter(done_on__isnull=True)
        assert still_open.filter(due__lt=TODAY).exists()
        assert still_open.filter(due__gte=TODAY).exists()
        # In Mine opgaver: Pia and Karen, on the team, own some; Rasmus follows them up.
        for username in ("pia", "karen", "rasmus"):
            assert still_open.filter(owner_user__username=username).exists(), username
        assert not Meeting.objects.exclude(agreements="").exists()  # no free text

    def test_it_gives_the_intake_underretninger_in_every_state(self):
        items = list(Underretning.objects.select_related("child", "case__coordinator"))
        Decision = Underretning.Decision
        receipt_due = [
            u
            for u in items
            if u.wants_receipt and not u.receipt_sent_on and not u.receipt_overdue()
        ]
        assert len([u for u in items if not u.assessed_at and not u.assessment_overdue()]) == 1
        assert len([u for u in items if u.assessment_overdue()]) == 1
        assert [u for u in items if u.assessed_at and u.assessed_in_time()]
        assert [u for u in items if u.assessed_at and not u.assessed_in_time()]
        # Monday 23 November: one receipt is due tomorrow, one is overdue.
        assert date(2026, 11, 24) in {u.receipt_deadline for u in receipt_due}
        assert len([u for u in items if u.receipt_overdue()]) == 1
        assert [u for u in items if u.receipt_in_time()]
        assert [u for u in items if u.is_open and u.decision == Decision.SCREENING]
        # Closed without a case: no further action, with its reason, and a
        # professional's receipt sent first (as the page requires).
        closed = [u for u in items if not u.is_open and u.case is None]
        assert len(closed) >= 4
        for item in closed:
            assert item.decision == Decision.NO_ACTION and item.decision_reason, item
            assert item.receipt_sent_on or not item.wants_receipt, item
        # One led to a demo case, with the receipt and the tilbagemelding sent.
        (to_case,) = [u for u in items if u.case is not None]
        assert to_case.decision == Decision.UNDERSOEGELSE and not to_case.is_open
        assert to_case.case.escalation is not None and to_case.feedback_sent_on
        assert to_case.receipt_in_time()
        # From several sources and channels: a citizen's by phone, an anonymous letter.
        assert {u.source for u in items} == set(Underretning.Source.values)
        assert {u.channel for u in items} == set(Underretning.Channel.values)
        assert {(u.source, u.channel) for u in items} >= {("borger", "telefon"), ("anonym", "brev")}
        # Three in 12 months about one child.
        assert max(Counter(u.child_id for u in items).values()) == 3
        for item in items:
            assert item.received_at <= NOW
            assert item.assessed_at is None or item.assessed_at >= item.received_at
            assert item.closed_at is None or item.closed_at <= NOW
            assert item.received_at.astimezone(COPENHAGEN).date() <= (item.receipt_sent_on or TODAY)
        # The leader's overview lists the two past a deadline, and the reminders say so.
        assert len(underretninger_past_deadline()) == 2
        assert Reminder.objects.filter(kind="underretning_24t", recipient__username="rita").exists()
        assert Reminder.objects.filter(kind="underretning_kvit").exists()

    def test_nordby_skole_has_classes_and_sofie_teaches_0a_only(self):
        skolen = Unit.objects.get(name="Nordby Skole")
        classes = set(skolen.groups.filter(kind=GroupKind.KLASSE).values_list("name", flat=True))
        assert {"0.A", "0.B", "1.A", "1.B", "9.B"} <= classes
        assert set(solsikken().groups.values_list("kind", flat=True)) == {GroupKind.STUE}
        # Every child there today is in a class of its grade (counted from its start
        # in børnehaveklassen), and every child at Solsikken in a stue.
        year = TODAY.year if TODAY.month >= 8 else TODAY.year - 1
        for enrollment in Enrollment.objects.active(TODAY).filter(unit=skolen):
            grade = year - (enrollment.start.year if enrollment.start.month >= 8 else 0)
            assert enrollment.group.name.split(".")[0] == str(grade), enrollment
        assert (
            not Enrollment.objects.active(TODAY)
            .filter(unit=solsikken(), group__isnull=True)
            .exists()
        )

        sofie = User.objects.get(username="sofie")
        membership = sofie.memberships.get()
        assert (membership.unit, membership.role) == (skolen, Role.FAGPERSON)
        assert list(membership.groups.values_list("name", flat=True)) == ["0.A"]
        in_0a = set(
            Child.objects.filter(
                enrollments__in=Enrollment.objects.active(TODAY).filter(group__name="0.A")
            )
        )
        at_school = set(
            Child.objects.filter(
                enrollments__in=Enrollment.objects.active(TODAY).filter(unit=skolen)
            )
        )
        assert len(in_0a) >= 3 and len(at_school) > 2 * len(in_0a)
        assert set(visible_children(sofie)) == in_0a
        # Her assessments are of her class only.
        assert not Assessment.objects.filter(author=sofie).exclude(child__in=in_0a).exists()

    def test_a_child_starts_school_this_month_with_a_finished_note_and_a_consent(self):
        note = TransitionNote.objects.select_related(
            "from_enrollment__unit", "to_enrollment__unit", "to_enrollment__group", "author"
        ).get()
        old, new, child = note.from_enrollment, note.to_enrollment, note.from_enrollment.child
        assert (old.unit.name, new.unit.name, new.group.name) == (
            "Børnehaven Solsikken",
            "Nordby Skole",
            "0.A",
        )
        # Left Solsikken at the end of last month, at school from the 1st of this one.
        assert new.start == TODAY.replace(day=1) and new.end is None
        assert old.end == new.start - timedelta(days=1)
        assert note.author.username == "pia" and note.is_finished
        assert note.finished_at.astimezone(COPENHAGEN).date() <= old.end
        assert note.created_at < note.finished_at and note.acknowledged_at is None
        assert note.parents_seen and note.parents_agree
        assert note.what_works and note.needs and note.parents_wish
        # The latest zone and the open next steps when it was sent.
        sent_on = note.finished_at.astimezone(COPENHAGEN).date()
        latest = (
            Assessment.objects.current()
            .filter(child=child, assessed_on__lte=sent_on)
            .latest_first()
            .first()
        )
        assert (note.latest_zone, note.latest_zone_on) == (latest.zone, latest.assessed_on)
        open_steps = NextStep.objects.open().filter(child=child)
        assert open_steps.count() == 2
        for step in open_steps:
            assert step.text in note.open_steps
        assert Dialogue.objects.final().filter(child=child, author__username="pia").exists()

        consent = Consent.objects.get(child=child)
        assert consent.purpose == Purpose.OTHER_UNITS_NOTES
        assert list(consent.units.values_list("name", flat=True)) == ["Nordby Skole"]
        assert consent.guardian.child == child and consent.guardian.has_custody
        assert consent.status(TODAY) == "in_force"
        assert consent.given_on == sent_on

        # Both units see the transition; Sofie sees the child and, with the consent,
        # what Pia wrote at Solsikken.
        (outgoing,) = [t for t in transitions_of_unit(solsikken(), TODAY)["outgoing"] if t.note]
        assert outgoing.child == child and outgoing.note == note
        incoming = transitions_of_unit(new.unit, TODAY)["incoming"]
        assert [t.note for t in incoming] == [note]
        sofie = User.objects.get(username="sofie")
        assert child in visible_children(sofie)
        pias = Assessment.objects.filter(child=child, author__username="pia")
        assert pias.exists()
        assert pias.filter(readable_entries(sofie, child)).count() == pias.count()

    def test_a_child_leaves_solsikken_next_month_without_a_note(self):
        next_month = first_of_next_month(TODAY)
        outgoing = transitions_of_unit(solsikken(), TODAY)["outgoing"]
        (leaving,) = [t for t in outgoing if t.starts_on == next_month]
        assert leaving.note is None
        assert leaving.receiving.unit.kind == UnitKind.SKOLE
        assert leaving.sending.end == next_month - timedelta(days=1)
        assert leaving.child.age(next_month) in (5, 6)
        # Lars, who leads Solsikken, is reminded that the note is missing.
        assert Reminder.objects.filter(kind="overlevering", recipient__username="lars").exists()
        # The two moves are the only ones to school this month or next.
        starts = [t.starts_on for t in outgoing if t.receiving.unit.kind == UnitKind.SKOLE]
        assert sorted(starts) == [TODAY.replace(day=1), next_month]

    def test_one_consent_is_about_to_expire_and_one_is_withdrawn(self):
        # (The tværfaglige forum's consent is demo.sparring's.)
        consents = Consent.objects.exclude(purpose=Purpose.MEETING)
        statuses = Counter(c.status(TODAY) for c in consents)
        assert statuses == {"in_force": 1, "expiring": 1, "withdrawn": 1}
        expiring = next(c for c in Consent.objects.all() if c.status(TODAY) == "expiring")
        assert TODAY < expiring.expires_on <= TODAY + timedelta(days=30)
        assert expiring.purpose == Purpose.PPR and expiring.guardian.has_custody
        assert expiring.recorded_by.username == "lars"
        # Lars is warned, and Karen (PPR) reads the child until it expires.
        assert Reminder.objects.filter(
            kind="samtykke_udloeber", recipient__username="lars"
        ).exists()
        assert expiring.child in visible_children(User.objects.get(username="karen"))
        withdrawn = Consent.objects.get(withdrawn_on__isnull=False)
        assert withdrawn.given_on < withdrawn.withdrawn_on < TODAY
        assert withdrawn.withdrawn_by.username == "lars"
        # Every consent is given by a parent with custody, on a day the child went
        # to the unit whose staff recorded it.
        for consent in Consent.objects.select_related("guardian", "child"):
            assert consent.guardian.child == consent.child and consent.guardian.has_custody
            assert Enrollment.objects.filter(
                child=consent.child,
                unit=solsikken(),
                start__lte=consent.given_on,
            ).exists()

    def test_every_entry_has_the_unit_it_was_written_in(self):
        # The author's unit (as fagperson or leder) where the child went that day,
        # else the author's own unit (children.models.written_in); Pia, who stands in
        # for the staff of units without a demo login, writes in the child's unit.
        memberships: dict[int, list[Membership]] = {}
        for membership in Membership.objects.select_related("unit"):
            memberships.setdefault(membership.user_id, []).append(membership)
        stays: dict[int, list[Enrollment]] = {}
        for enrollment in Enrollment.objects.select_related("unit").order_by("start", "pk"):
            stays.setdefault(enrollment.child_id, []).append(enrollment)

        def expected(author_id: int, child_id: int, day: date) -> set[Unit]:
            there = [
                e.unit
                for e in stays[child_id]
                if e.start <= day and (e.end is None or day <= e.end)
            ]
            mine = memberships[author_id]
            working = [m.unit for m in mine if m.role in (Role.FAGPERSON, Role.LEDER)]
            for unit in there:
                if unit in working:
                    return {unit}
            if working:  # Pia standing in for another unit's staff
                return set(there)
            return {mine[0].unit}

        entries = [
            *(
                (a, a.assessed_on)
                for a in Assessment.objects.select_related("unit").filter(corrects__isnull=True)
            ),
            *((c, c.observed_on) for c in Concern.objects.select_related("unit")),
            *((d, d.held_on or TODAY) for d in Dialogue.objects.select_related("unit")),
        ]
        assert len(entries) > 300
        for entry, day in entries:
            assert entry.unit is not None, entry
            assert entry.unit in expected(entry.author_id, entry.child_id, day), (entry, day)
        # A correction is written where the version it corrects was.
        for correction in Assessment.objects.filter(corrects__isnull=False):
            assert correction.unit_id == correction.corrects.unit_id
        # The child who has moved on: what Pia wrote before is "written in Solsikken".
        moved = TransitionNote.objects.get().from_enrollment.child
        assert set(
            Assessment.objects.filter(child=moved, author__username="pia").values_list(
                "unit__name", flat=True
            )
        ) == {"Børnehaven Solsikken"}

    def test_it_imports_six_months_of_absence_and_flags_a_few_children(self):
        months = set(AbsenceRecord.objects.values_list("month", flat=True))
        assert months == {date(2026, m, 1) for m in range(5, 11)}
        kinds = set(AbsenceRecord.objects.values_list("unit__kind", flat=True))
        assert kinds <= {UnitKind.DAGPLEJE, UnitKind.VUGGESTUE, UnitKind.BOERNEHAVE, UnitKind.SKOLE}
        assert UnitKind.SKOLE in kinds and UnitKind.BOERNEHAVE in kinds
        # Most children are away little; unlawful absence only where a school says so.
        records = list(AbsenceRecord.objects.all())
        assert sum(r.percent < 10 for r in records) > 0.8 * len(records)
        assert not any(r.unlawful is not None for r in records if r.unit.kind != UnitKind.SKOLE)
        # Imported through the administrator's import, which the audit trail shows.
        run = LogEntry.objects.get(additional_data__event=Event.ABSENCE_IMPORT)
        assert run.actor.username == "adam"
        assert run.additional_data["records"]["created"] == len(records)

        for username, unit_name, least in (("pia", SOLSIKKEN, 3), ("sofie", NORDBY_SKOLE, 2)):
            user = User.objects.get(username=username)
            unit = Unit.objects.get(name=unit_name)
            found = flags(visible_children(user), [unit.pk])
            assert len(found) >= least, username
            for flag in found:
                assert flag.window.month == date(2026, 10, 1)

    def test_it_archives_the_last_quarters_report_once(self):
        with tempfile.TemporaryDirectory() as media, self.settings(MEDIA_ROOT=media):
            out = seed(report=True)
            report = QuarterlyReport.objects.get()
            assert (report.quarter, report.kind, report.is_done) == ("2026Q3", "automatisk", True)
            assert "Kvartalsrapporten for 2026Q3 ligger i arkivet." in out
            assert report.pdf.read().startswith(b"%PDF")
            seed(report=True)
            assert QuarterlyReport.objects.count() == 1


# The enrollments and assessments follow the calendar (school starts in August, a
# leap day), so a few other days get a seed of their own.
@pytest.mark.django_db
@pytest.mark.parametrize("today", [date(2027, 7, 31), date(2027, 8, 1), date(2028, 2, 29)])
def test_it_enrolls_and_assesses_plausibly_on_other_days(settings, today):
    settings.DEBUG = True
    with time_machine.travel(datetime.combine(today, datetime.min.time(), COPENHAGEN)):
        assert seed("--quiet") == ""

    assert_enrolled_at_plausible_ages(today)
    assert_assessed_within_an_enrollment(today)
    # This month's and next month's transitions hold whatever the day.
    starts = sorted(
        t.starts_on for t in transitions_of_unit(solsikken(), today)["outgoing"] if t.child
    )
    assert today.replace(day=1) in starts and first_of_next_month(today) in starts
    note = TransitionNote.objects.get()
    assert note.to_enrollment.start == today.replace(day=1)
    assert Consent.objects.get(child=note.from_enrollment.child).status(today) == "in_force"
    consents = Consent.objects.exclude(purpose=Purpose.MEETING)  # the forum's (demo.sparring)
    statuses = Counter(c.status(today) for c in consents)
    assert statuses == {"in_force": 1, "expiring": 1, "withdrawn": 1}


@override_settings(DEBUG=True)
@time_machine.travel(NOW, tick=False)
class SeedDemoForumTestCase(TestCase):
    """The tværfaglige forum in the demo (demo.sparring)."""

    @classmethod
    def setUpTestData(cls) -> None:
        seed()

    def test_karen_advises_in_forum_nord_with_an_upcoming_meeting(self):
        karen = User.objects.get(username="karen")
        forum = Forum.objects.get(consultants=karen)
        assert forum.consultants.count() == 3
        upcoming = ForumMeeting.objects.upcoming(TODAY).get(forum=forum)
        cases = list(upcoming.cases.all())
        assert len(cases) == 3
        assert len([c for c in cases if c.is_anonymous]) == 2
        linked = next(c for c in cases if not c.is_anonymous)
        assert linked.consent.purpose == Purpose.MEETING

    def test_pia_has_an_open_step_from_the_held_meeting(self):
        pia = User.objects.get(username="pia")
        steps = NextStep.objects.open_from_forums_of(pia).filter(owner_user=pia)
        assert steps.count() == 1
        step = steps.get()
        assert step.forum_case.meeting.is_held and step.child is None
