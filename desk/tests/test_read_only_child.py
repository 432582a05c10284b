"""A child read only: the child page, the assessment and the LØFT dialogue show no
button to a form the reader may not use, and those forms answer 404 to their GET as
to their POST (children.access.get_child_to_change).

Karen, a PPR psychologist, reads Emma (Solsikken) through her parents' consent to
share with PPR; Rasmus, a caseworker, reads Oskar (Nordby Skole) while an
underretning about him is open in the intake queue. Pia, a pædagog at Solsikken,
and Sofie, who teaches Oskar, may change them: they see every button. An
underretning is the one thing the readers make about the child.
"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from children.access import visible_children
from children.models import Child, Concern, Consent, Guardian, Relation
from children.sharing import Purpose
from followups.models import Case, Underretning
from loeft.models import Dialogue, Status
from loeft.tests.factories import final_dialogue
from ruler.models import Assessment
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase


class ReadOnlyChildTestCase(BaseTestCase):
    emmas_assessment: Assessment
    oskars_assessment: Assessment
    emmas_dialogue: Dialogue
    oskars_dialogue: Dialogue

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        mother = Guardian.objects.create(
            child=cls.emma, name="Mette Holm", relation=Relation.MOTHER, has_custody=True
        )
        consent = Consent.objects.create(
            child=cls.emma,
            guardian=mother,
            purpose=Purpose.PPR,
            given_on=today - timedelta(days=30),
            expires_on=today + timedelta(days=300),
            recorded_by=cls.lars,
        )
        consent.units.set([cls.ppr])
        Underretning.objects.create(
            child=cls.oskar, received_at=timezone.now(), about="Oskar har blå mærker."
        )
        due = today + timedelta(days=7)
        cls.emmas_assessment = assess(cls.emma, cls.pia, 4)
        cls.oskars_assessment = assess(cls.oskar, cls.sofie, 4)
        cls.emmas_dialogue = final_dialogue(
            cls.emma, cls.pia, held_on=date(2025, 10, 2), steps=[("Ring til mor", cls.pia, due)]
        )
        cls.oskars_dialogue = final_dialogue(
            cls.oskar,
            cls.sofie,
            held_on=date(2025, 10, 2),
            steps=[("Ring til far", cls.sofie, due)],
        )

    def readers(self):
        """(the reader, who may change the child instead, the child, its assessment
        and its dialogue)."""
        return [
            (self.karen, self.pia, self.emma, self.emmas_assessment, self.emmas_dialogue),
            (self.rasmus, self.sofie, self.oskar, self.oskars_assessment, self.oskars_dialogue),
        ]

    def page(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    def test_the_rule_asked_for_a_few_children_gives_what_the_whole_rule_gives(self):
        # visible_children(among=...) looks each rule up for these children only.
        Case.objects.create(child=self.noah, coordinator=self.rasmus, opened_on=date(2026, 1, 5))
        few = [[], [self.emma.pk], [self.oskar.pk], [self.noah.pk, self.emma.pk]]
        everyone = list(Child.objects.values_list("pk", flat=True))
        for user in (self.karen, self.rasmus, self.pia, self.sofie, self.adam):
            whole = set(visible_children(user).values_list("pk", flat=True))
            for among in [*few, everyone]:
                found = visible_children(user, among=among).values_list("pk", flat=True)
                assert set(found) == whole & set(among), (user, among)
        # Each rule: the consent, the intake, the unit, the case team.
        assert self.emma in visible_children(self.karen, among=[self.emma.pk])
        assert self.oskar in visible_children(self.rasmus, among=[self.oskar.pk])
        assert self.emma in visible_children(self.pia, among=[self.emma.pk])
        assert self.noah in visible_children(self.rasmus, among=[self.noah.pk])
        assert self.emma not in visible_children(self.karen, for_change=True, among=[self.emma.pk])

    def test_the_pages_show_the_reader_no_button_to_change_the_child(self):
        for reader, changer, child, assessment, dialogue in self.readers():
            concern = f'href="{reverse("concern_create", args=[child.pk])}"'
            loeft = f'action="{reverse("dialogue_create", args=[child.pk])}"'
            consent = f'href="{reverse("consent_create", args=[child.pk])}"'
            step = f'action="{reverse("next_step_update", args=[dialogue.next_steps.get().pk])}"'
            correct = f'href="{reverse("assessment_correct", args=[assessment.pk])}"'
            edit = f'href="{reverse("dialogue_edit", args=[dialogue.pk])}"'
            escalate = f'href="{reverse("escalate", args=[child.pk])}"'
            # The duty to notify is each one's own (Barnets Lov § 133, stk. 1): the
            # reader is offered an underretning too (followups/tests/
            # test_underretning_handling.py has the reader making one).
            underretning = f'href="{reverse("underretning_create", args=[child.pk])}"'
            for user in (changer, reader):
                self.login(user)
                shown = user == changer
                child_page = self.page(child.get_absolute_url())
                for link in (concern, loeft, consent, step, escalate):
                    assert (link in child_page) == shown, (user, link)
                assert underretning in child_page, user
                assert ("Log bekymring" in child_page) == shown, user
                assert ("Placér på Børnelinealen" in child_page) == shown, user
                assert ("Markér som gjort" in child_page) == shown, user
                # The step itself is the handover summary: shown to all.
                assert dialogue.next_steps.get().text in child_page

                assessment_page = self.page(assessment.get_absolute_url())
                assert (loeft in assessment_page) == shown, user
                assert (escalate in assessment_page) == shown, user
                assert underretning in assessment_page, user
                # Only the author corrects an assessment.
                assert (correct in assessment_page) == (user == assessment.author), user

                dialogue_page = self.page(dialogue.get_absolute_url())
                assert (edit in dialogue_page) == shown, user
                assert (step in dialogue_page) == shown, user

    def test_the_forms_answer_404_to_the_reader_as_their_saving_does(self):
        for reader, _changer, child, assessment, dialogue in self.readers():
            self.login(reader)
            for url in (
                reverse("concern_create", args=[child.pk]),
                reverse("assessment_create", args=[child.pk]),
                reverse("consent_create", args=[child.pk]),
                reverse("escalate", args=[child.pk]),
                reverse("dialogue_edit", args=[dialogue.pk]),
            ):
                assert self.client.get(url).status_code == 404, (reader, url)
                assert self.client.post(url, {}).status_code == 404, (reader, url)
            post_only = (
                reverse("dialogue_create", args=[child.pk]),
                reverse("next_step_update", args=[dialogue.next_steps.get().pk]),
            )
            for url in post_only:
                assert self.client.post(url, {}).status_code == 404, (reader, url)
            url = reverse("assessment_correct", args=[assessment.pk])
            assert self.client.get(url).status_code == 404, (reader, url)
            url = reverse("underretning_create", args=[child.pk])
            assert self.client.get(url).status_code == 200, (reader, url)
        assert not Dialogue.objects.filter(status=Status.DRAFT).exists()
        assert Concern.objects.count() == 0
