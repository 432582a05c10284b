from datetime import date

from children.models import Concern, Enrollment
from desk import timeline
from loeft.models import Dialogue, Status
from loeft.queries import dialogues_of
from loeft.tests.factories import final_dialogue
from ruler.queries import current_assessments
from ruler.tests.factories import assess
from tidlig.test import BaseTestCase


class TimelineTestCase(BaseTestCase):
    def events(self, user=None):
        user = user or self.pia
        child = self.emma
        return timeline.events_for(
            child, assessments=current_assessments(child), dialogues=dialogues_of(child, user)
        )

    def test_it_shows_the_assessments_on_the_child_page(self):
        assessment = assess(self.emma, self.lars, 3, on=date(2025, 10, 1))
        self.login(self.pia)
        html = self.client.get(f"/boern/{self.emma.pk}/").content.decode()
        timeline_html = html[html.index('<ol class="tidlig-timeline">') :].split("</ol>")[0]
        assert "Børnelinealen: zone 3 · Sårbar" in timeline_html
        assert f'href="{assessment.get_absolute_url()}"' in timeline_html
        assert "tidlig-timeline-assessment" in timeline_html

    def test_it_merges_concerns_assessments_dialogues_and_enrollments_newest_first(self):
        assess(self.emma, self.lars, 3, on=date(2025, 10, 1))
        final_dialogue(self.emma, self.pia, held_on=date(2025, 10, 20))
        Concern.objects.create(
            child=self.emma, author=self.pia, observed_on=date(2025, 11, 2), text="Bange."
        )
        Enrollment.objects.create(
            child=self.emma, unit=self.skolen, start=date(2024, 1, 1), end=date(2025, 6, 30)
        )
        events = self.events()
        assert [(e.when, e.kind) for e in events] == [
            (date(2025, 11, 2), "concern"),
            (date(2025, 10, 20), "dialogue"),
            (date(2025, 10, 1), "assessment"),
            (date(2025, 8, 1), "enrollment"),
            (date(2025, 6, 30), "enrollment"),
            (date(2024, 1, 1), "enrollment"),
        ]
        assert events[0].author == "Pia"
        assert events[0].url == f"/boern/{self.emma.pk}/#bekymring-{Concern.objects.get().pk}"
        assert [e.title for e in events[3:]] == [
            "Startede i Børnehaven Solsikken",
            "Sluttede i Nordby Skole",
            "Startede i Nordby Skole",
        ]

    def test_it_leaves_out_an_end_date_still_ahead(self):
        Enrollment.objects.filter(child=self.emma).update(end=date(2099, 7, 31))
        titles = [e.title for e in self.events()]
        assert titles == ["Startede i Børnehaven Solsikken"]

    def test_it_leaves_out_drafts(self):
        dialogue = final_dialogue(self.emma, self.pia, held_on=date(2025, 10, 20))
        Dialogue.objects.filter(pk=dialogue.pk).update(status=Status.DRAFT)
        assert all(e.kind != "dialogue" for e in self.events())
