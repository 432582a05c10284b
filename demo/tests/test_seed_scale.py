"""seed_scale (issue 17): a synthetic municipality of 200 children on the test database,
written the way the database takes it (COPY on PostgreSQL, executemany on SQLite).

Built once for the class; the determinism test builds it a second time with --force.
"""

from io import StringIO

from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from accounts.models import ENROLLING_KINDS, Role, Unit, UnitKind, User
from children.models import Child, Concern, Enrollment
from demo import scale
from followups.models import Case, Decision, Intervention, Meeting, Underretning
from loeft.models import Dialogue, NextStep
from ruler.models import Assessment
from tidlig.test import log_in_through_the_pages

CHILDREN = 200
COUNTED = [Unit, User, Child, Enrollment, Assessment, Concern, Dialogue, NextStep, Case,
           Meeting, Underretning, LogEntry]  # fmt: skip


def seed(*args: str) -> str:
    out = StringIO()
    call_command(
        "seed_scale", "--children", str(CHILDREN), "--allow-without-debug", *args, stdout=out
    )
    return out.getvalue()


def snapshot() -> dict:
    """What two builds must agree on: counts, names, zones."""
    return {
        "counts": [model.objects.count() for model in COUNTED],
        "children": list(
            Child.objects.order_by("pk").values_list("first_name", "last_name", "birth_date")
        ),
        "users": list(User.objects.order_by("pk").values_list("username", flat=True)),
        "units": list(Unit.objects.order_by("pk").values_list("name", flat=True)),
        "zones": list(Assessment.objects.order_by("pk").values_list("child_id", "zone")),
    }


class SeedScaleTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def test_it_makes_units_of_every_kind(self):
        kinds = set(Unit.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, set(UnitKind.values))
        self.assertEqual(scale.existing_scale(), CHILDREN)

    def test_it_makes_about_one_user_per_20_children(self):
        # The organisation needs a leader per unit and the services their staff, so a
        # small municipality has a few more than 200 / 20.
        users = User.objects.count()
        self.assertGreaterEqual(users, CHILDREN // 20)
        self.assertLessEqual(users, CHILDREN // 20 + 10)
        self.assertEqual(Child.objects.count(), CHILDREN)
        for role in Role.values:
            self.assertTrue(User.objects.filter(memberships__role=role).exists(), role)

    def test_every_child_has_enrollments_and_most_one_today(self):
        self.assertFalse(Child.objects.filter(enrollments__isnull=True).exists())
        today = Enrollment.objects.active().values("child").distinct().count()
        self.assertGreater(today, CHILDREN * 0.8)
        self.assertTrue(Enrollment.objects.filter(group__isnull=False).exists())

    def test_some_children_are_assessed_in_each_zone_band(self):
        assessed = Assessment.objects.values("child").distinct().count()
        self.assertGreater(assessed, CHILDREN * 0.15)
        self.assertLess(assessed, CHILDREN * 0.45)
        for band in ((1, 2), (3,), (4, 5)):
            self.assertTrue(Assessment.objects.filter(zone__in=band).exists(), band)
        self.assertGreater(
            Assessment.objects.filter(zone__lte=2).count(),
            Assessment.objects.filter(zone__gte=3).count(),
        )

    def test_entries_are_written_in_the_childs_unit(self):
        for model in (Assessment, Concern, Dialogue):
            self.assertFalse(model.objects.filter(unit__isnull=True).exists(), model)
            self.assertFalse(model.objects.exclude(unit__kind__in=ENROLLING_KINDS).exists(), model)
        self.assertTrue(Case.objects.exists())
        self.assertTrue(NextStep.objects.exists())

    def test_interventions_follow_the_meetings_decisions(self):
        # Trin ned and justér end the running effort on the meeting's day and start the
        # next, one step lower or on the same step, as Meeting.hold does.
        changed = Meeting.objects.filter(decision__in=[Decision.STEP_DOWN, Decision.ADJUST])
        self.assertTrue(changed.exists())
        for meeting in changed:
            ended = Intervention.objects.get(case=meeting.case_id, end=meeting.held_on)
            started = Intervention.objects.get(case=meeting.case_id, start=meeting.held_on)
            drop = 1 if meeting.decision == Decision.STEP_DOWN else 0
            self.assertEqual(started.step, ended.step - drop)
        for case in Case.objects.all():
            self.assertEqual(case.prevention_level, case.derived_prevention_level())

    def test_it_writes_about_the_expected_audit_entries(self):
        expected = scale.expected_audit_entries(CHILDREN)
        self.assertAlmostEqual(LogEntry.objects.count(), expected, delta=expected * 0.15)
        self.assertTrue(LogEntry.objects.filter(additional_data__event="list").exists())
        read = LogEntry.objects.filter(additional_data__event="read").first()
        self.assertEqual(read.additional_data["child"], read.object_id)
        self.assertIsNotNone(read.actor)
        self.assertLessEqual(read.timestamp, timezone.now())

    def test_a_second_run_finds_the_dataset_and_does_nothing(self):
        before = snapshot()["counts"]
        self.assertIn("nothing to do", seed())
        self.assertEqual(snapshot()["counts"], before)

    def test_it_is_deterministic(self):
        first = snapshot()
        seed("--force")
        self.assertEqual(snapshot(), first)

    def test_a_scale_user_opens_mine_boern_and_a_child_page(self):
        client = log_in_through_the_pages("scale-paedagog", scale.PASSWORD)
        unit = User.objects.get(username="scale-paedagog").memberships.get().unit
        child = (
            Child.objects.filter(enrollments__in=Enrollment.objects.active().filter(unit=unit))
            .order_by("first_name", "last_name", "pk")
            .first()
        )
        response = client.get("/boern/")
        self.assertContains(response, child.last_name)
        self.assertContains(client.get(child.get_absolute_url()), str(child))

    def test_it_prints_the_logins(self):
        for username, *_ in scale.WELL_KNOWN:
            self.assertIn(username, self.output)
        self.assertIn(scale.PASSWORD, self.output)
