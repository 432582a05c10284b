"""The data migration that merges concerns typed twice (ruler/migrations/0003)."""

from datetime import date, timedelta
from importlib import import_module

from django.utils import timezone

from children.models import Concern
from ruler.models import Assessment
from tidlig.test import BaseTestCase

merge = import_module("ruler.migrations.0003_merge_duplicate_concerns").merge_duplicate_concerns

TEXT = "Emma sad alene i sandkassen hele formiddagen."


class MergeDuplicateConcernsTestCase(BaseTestCase):
    def concern(self, *, minutes_ago: int, text: str = TEXT, child=None, author=None, **kw):
        concern = Concern.objects.create(
            child=child or self.emma,
            author=author or self.pia,
            observed_on=date(2025, 11, 3),
            text=text,
            **kw,
        )
        when = timezone.now() - timedelta(minutes=minutes_ago)
        Concern.objects.filter(pk=concern.pk).update(created_at=when)
        return concern

    def assess(self, concern) -> Assessment:
        return Assessment.objects.create(
            child=concern.child,
            author=concern.author,
            assessed_on=concern.observed_on,
            zone=2,
            concern=concern,
        )

    def merge(self) -> int:
        return merge(Concern, Assessment)

    def test_it_keeps_the_concern_the_assessment_links_to(self):
        first = self.concern(minutes_ago=12, parents_informed=True)
        second = self.concern(minutes_ago=3, text=f"  {TEXT}\n")
        assessment = self.assess(second)
        assert self.merge() == 1
        assert list(Concern.objects.all()) == [second]
        assessment.refresh_from_db()
        assert assessment.concern == second
        # "The parents are informed" was only ticked on the deleted one.
        second.refresh_from_db()
        assert second.parents_informed is True
        assert not Concern.objects.filter(pk=first.pk).exists()

    def test_it_leaves_concerns_that_are_not_a_pair(self):
        linked = self.concern(minutes_ago=0)
        self.assess(linked)
        kept = [
            self.concern(minutes_ago=45),  # too long before
            self.concern(minutes_ago=5, text="Noget andet."),  # another text
            self.concern(minutes_ago=5, author=self.lars),  # someone else wrote it
            self.concern(minutes_ago=5, child=self.noah),  # about another child
        ]
        assert self.merge() == 0
        assert Concern.objects.count() == 1 + len(kept)

    def test_it_leaves_two_concerns_that_each_have_an_assessment(self):
        for minutes in (10, 2):
            self.assess(self.concern(minutes_ago=minutes))
        assert self.merge() == 0
        assert Concern.objects.count() == 2

    def test_it_merges_only_one_twin_per_run_and_is_safe_to_run_again(self):
        self.assess(self.concern(minutes_ago=1))
        self.concern(minutes_ago=4)
        assert self.merge() == 1
        assert self.merge() == 0
        assert Concern.objects.count() == 1
