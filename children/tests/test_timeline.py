from datetime import date
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from children import timeline
from children.models import Concern, Enrollment
from tidlig.test import BaseTestCase


def assessment_events(child, user):
    # What ruler will do: events of its own, for the user asking.
    yield timeline.Event(
        when=date(2025, 10, 1),
        kind="assessment",
        title="Børnelinealen: zone 3",
        text=f"Vurderet for {user.first_name}",
        url="/linealen/1/",
        author="Lars",
    )


class TimelineTestCase(BaseTestCase):
    def test_it_shows_a_registered_providers_events_on_the_child_page(self):
        timeline.register_events(assessment_events)
        self.addCleanup(timeline.unregister_events, assessment_events)

        self.login(self.pia)
        html = self.client.get(f"/boern/{self.emma.pk}/").content.decode()
        assert "Børnelinealen: zone 3" in html
        assert "Vurderet for Pia" in html
        assert 'href="/linealen/1/"' in html
        assert "tidlig-timeline-assessment" in html

    def test_it_forgets_an_unregistered_provider(self):
        timeline.register_events(assessment_events)
        timeline.unregister_events(assessment_events)
        assert all(e.kind != "assessment" for e in timeline.events_for(self.emma, self.pia))

    def test_it_merges_the_providers_newest_first(self):
        timeline.register_events(assessment_events)
        self.addCleanup(timeline.unregister_events, assessment_events)
        Concern.objects.create(
            child=self.emma, author=self.pia, observed_on=date(2025, 11, 2), text="Bange."
        )
        Enrollment.objects.create(
            child=self.emma, unit=self.skolen, start=date(2024, 1, 1), end=date(2025, 6, 30)
        )
        events = timeline.events_for(self.emma, self.pia)
        assert [(e.when, e.kind) for e in events] == [
            (date(2025, 11, 2), "concern"),
            (date(2025, 10, 1), "assessment"),
            (date(2025, 8, 1), "enrollment"),
            (date(2025, 6, 30), "enrollment"),
            (date(2024, 1, 1), "enrollment"),
        ]
        assert events[0].author == "Pia"
        assert events[0].url == f"/boern/{self.emma.pk}/#bekymring-{Concern.objects.get().pk}"
        assert [e.title for e in events[2:]] == [
            "Startede i Børnehaven Solsikken",
            "Sluttede i Nordby Skole",
            "Startede i Nordby Skole",
        ]

    def test_it_leaves_out_an_end_date_still_ahead(self):
        Enrollment.objects.filter(child=self.emma).update(end=date(2099, 7, 31))
        titles = [e.title for e in timeline.events_for(self.emma, self.pia)]
        assert titles == ["Startede i Børnehaven Solsikken"]

    def test_it_registers_a_provider_only_once(self):
        timeline.register_events(assessment_events)
        timeline.register_events(assessment_events)
        self.addCleanup(timeline.unregister_events, assessment_events)
        kinds = [e.kind for e in timeline.events_for(self.emma, self.pia)]
        assert kinds.count("assessment") == 1


class PanelTestCase(BaseTestCase):
    def setUp(self) -> None:
        folder = Path(settings.VAR_DIR) / "test-templates"
        (folder / "ruler").mkdir(parents=True, exist_ok=True)
        (folder / "ruler" / "panel.html").write_text(
            '<section class="panel-{{ zone }}"><h2>Zone for {{ child.first_name }}</h2></section>'
        )
        (folder / "ruler" / "first.html").write_text("<p>Først: {{ child.last_name }}</p>")
        templates = [{**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}]
        override = override_settings(TEMPLATES=templates)
        override.enable()
        self.addCleanup(override.disable)

    def test_it_renders_registered_panels_in_order_on_the_child_page(self):
        later = timeline.register_panel(
            timeline.Panel(order=20, template="ruler/panel.html", context=lambda c, r: {"zone": 3})
        )
        first = timeline.register_panel(timeline.Panel(order=10, template="ruler/first.html"))
        self.addCleanup(timeline.unregister_panel, later)
        self.addCleanup(timeline.unregister_panel, first)

        self.login(self.pia)
        html = self.client.get(f"/boern/{self.emma.pk}/").content.decode()
        assert '<section class="panel-3"><h2>Zone for Emma</h2></section>' in html
        assert html.index("Først: Holm") < html.index("Zone for Emma")
