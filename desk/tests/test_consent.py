"""The parents' consent (samtykke): recording and withdrawing it through the pages,
the child page's panel, and the access a consent grants and stops at once.

Today is Tuesday 10 March 2026. Emma goes to Solsikken, where Pia is a pædagog and
Lars the leader; her mother Mette has custody, her father Jens has not. Oskar goes
to Nordby Skole, where Sofie teaches; he went to Solsikken before. Karen is a PPR
psychologist, Rasmus a caseworker.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Unit, UnitKind
from children import audit
from children.models import Consent, Enrollment, Guardian, Relation
from children.sharing import Purpose
from ruler.models import Assessment
from tidlig.test import BaseTestCase

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=CPH)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, 0, tzinfo=CPH), tick=False
    )


class ConsentTestCase(BaseTestCase):
    mette: Guardian
    jens: Guardian
    oskars_mother: Guardian
    sundhedsplejen: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mette = Guardian.objects.create(
            child=cls.emma, name="Mette Holm", relation=Relation.MOTHER, has_custody=True
        )
        cls.jens = Guardian.objects.create(
            child=cls.emma, name="Jens Holm", relation=Relation.FATHER, has_custody=False
        )
        cls.oskars_mother = Guardian.objects.create(
            child=cls.oskar, name="Anne Berg", relation=Relation.MOTHER
        )
        cls.sundhedsplejen = Unit.objects.create(name="Sundhedsplejen", kind=UnitKind.SUNDHEDSPLEJE)

    def consent(self, child=None, purpose=Purpose.OTHER_UNITS_NOTES, units=(), **kw) -> Consent:
        child = child or self.emma
        kw.setdefault("given_on", TODAY - timedelta(days=30))
        consent = Consent.objects.create(
            child=child,
            guardian=child.guardians.filter(has_custody=True).first(),
            purpose=purpose,
            recorded_by=self.pia,
            **kw,
        )
        consent.units.set(units)
        return consent

    def create_url(self, child=None) -> str:
        return reverse("consent_create", args=[(child or self.emma).pk])

    def post(self, **overrides):
        data = {
            "guardian": self.mette.pk,
            "purpose": Purpose.OTHER_UNITS_NOTES,
            "units": [self.solsikken.pk],
            "given_on": TODAY.isoformat(),
            "expires_on": "",
            "note": "Erklæringen ligger i mappen på kontoret.",
        }
        data.update(overrides)
        return self.client.post(self.create_url(), data)


@time_machine.travel(NOW, tick=False)
class RecordConsentTestCase(ConsentTestCase):
    def test_it_records_a_consent_that_runs_a_year(self):
        self.login(self.pia)
        response = self.post()
        assert response.status_code == 302
        assert response["Location"] == f"/boern/{self.emma.pk}/#samtykker"
        consent = Consent.objects.get()
        assert consent.child == self.emma
        assert consent.guardian == self.mette
        assert consent.given_on == TODAY
        assert consent.expires_on == date(2027, 3, 10)
        assert consent.recorded_by == self.pia
        assert list(consent.units.all()) == [self.solsikken]
        assert consent.status() == "in_force"
        page = self.client.get(response["Location"]).content.decode()
        assert "Samtykket er registreret." in page
        assert "i kraft" in page

    def test_the_form_offers_the_guardians_with_custody_and_today(self):
        self.login(self.lars)
        page = self.client.get(self.create_url()).content.decode()
        assert "Mette Holm" in page
        assert "Jens Holm" not in page
        assert f'value="{TODAY.isoformat()}"' in page
        assert "Hvornår skal der ikke samtykke til?" in page
        assert "Servicelovens § 49 a" in page

    def test_the_purpose_picks_the_units_it_may_cover_and_ticks_the_defaults(self):
        self.login(self.pia)
        page = self.client.get(self.create_url(), {"purpose": Purpose.OTHER_UNITS_NOTES})
        boxes = page.context["form"]["units"]
        offered = {box.data["value"].value for box in boxes}
        ticked = {box.data["value"].value for box in boxes if box.data["selected"]}
        assert offered == {self.solsikken.pk, self.skolen.pk}
        assert ticked == {self.solsikken.pk}  # the child's own unit

        page = self.client.get(self.create_url(), {"purpose": Purpose.HEALTH_VISITOR})
        boxes = page.context["form"]["units"]
        assert {box.data["value"].value for box in boxes if box.data["selected"]} == {
            self.sundhedsplejen.pk
        }
        assert {box.data["value"].value for box in boxes} == {self.sundhedsplejen.pk}

        # htmx swaps in the units alone when the purpose changes.
        partial = self.client.get(
            self.create_url(), {"purpose": Purpose.PPR}, headers={"HX-Request": "true"}
        ).content.decode()
        assert 'id="samtykke-enheder"' in partial
        assert "<form" not in partial
        assert f'value="{self.ppr.pk}" checked' in partial

    def test_it_refuses_a_guardian_without_custody_and_saves_nothing(self):
        self.login(self.pia)
        last = LogEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0
        response = self.post(guardian=self.jens.pk)
        assert response.status_code == 200
        assert "Vælg en forælder eller værge med forældremyndighed." in response.content.decode()
        assert not Consent.objects.exists()
        # Nothing saved, so auditlog wrote nothing: the form shown again is a read.
        entries = LogEntry.objects.filter(pk__gt=last)
        assert [(e.action, e.additional_data["event"]) for e in entries] == [
            (LogEntry.Action.ACCESS, audit.Event.READ)
        ]

    def test_it_refuses_bad_dates_next_to_the_fields(self):
        self.login(self.pia)
        cases = [
            ({"expires_on": "2026-03-01"}, "expires_on", "Udløbsdatoen skal ligge efter"),
            ({"expires_on": TODAY.isoformat()}, "expires_on", "Udløbsdatoen skal ligge efter"),
            ({"given_on": "2026-03-11"}, "given_on", "Datoen kan ikke ligge i fremtiden."),
            ({"given_on": "2019-01-01"}, "given_on", "Datoen kan ikke ligge før barnets fødsel."),
            ({"given_on": "2024-01-01"}, "expires_on", "Samtykket er allerede udløbet"),
            ({"given_on": "31.02.2026"}, "given_on", "Skriv en gyldig dato."),
        ]
        for data, field, message in cases:
            response = self.post(**data)
            assert response.status_code == 200, data
            errors = response.context["form"].errors
            assert message in " ".join(errors.get(field, [])), (data, errors)
            assert f'id="id_{field}_error"' in response.content.decode(), data
        assert not Consent.objects.exists()

    def test_it_refuses_units_the_purpose_does_not_cover_and_a_missing_unit(self):
        self.login(self.pia)
        response = self.post(purpose=Purpose.PPR, units=[self.skolen.pk])
        assert "Vælg kun enheder, som formålet kan dække." in response.content.decode()
        response = self.post(units=[])
        assert "Vælg mindst én enhed, som samtykket dækker." in response.content.decode()
        response = self.post(purpose="alt")
        assert "Vælg et af formålene på listen." in response.content.decode()
        assert not Consent.objects.exists()

    def test_only_those_who_may_change_the_child_record_consents(self):
        # Karen reads Emma through a PPR consent: read only, so no form for her.
        self.consent(purpose=Purpose.PPR, units=[self.ppr])
        for user in (self.karen, self.sofie, self.rasmus, self.frida, self.adam):
            self.login(user)
            assert self.client.get(self.create_url()).status_code == 404, user
            assert self.post().status_code == 404, user
        assert Consent.objects.count() == 1


@time_machine.travel(NOW, tick=False)
class WithdrawConsentTestCase(ConsentTestCase):
    def test_it_withdraws_a_consent_from_a_day(self):
        consent = self.consent(units=[self.solsikken])
        url = reverse("consent_withdraw", args=[consent.pk])
        self.login(self.lars)
        page = self.client.get(url).content.decode()
        assert "Mette Holm" in page
        assert f'value="{TODAY.isoformat()}"' in page

        response = self.client.post(url, {"withdrawn_on": "2026-01-01"})
        assert (
            "Datoen kan ikke ligge før den dag, samtykket blev givet." in response.content.decode()
        )
        response = self.client.post(url, {"withdrawn_on": "2026-03-11"})
        assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()
        response = self.client.post(url, {"withdrawn_on": ""})
        assert "Skriv datoen, hvor samtykket blev trukket tilbage." in response.content.decode()
        consent.refresh_from_db()
        assert consent.withdrawn_on is None

        response = self.client.post(url, {"withdrawn_on": TODAY.isoformat()})
        assert response.status_code == 302
        consent.refresh_from_db()
        assert consent.withdrawn_on == TODAY
        assert consent.withdrawn_by == self.lars
        assert consent.status() == "withdrawn"

        # A second withdrawal changes nothing.
        self.login(self.pia)
        response = self.client.post(url, {"withdrawn_on": "2026-03-09"}, follow=True)
        assert "Samtykket er allerede trukket tilbage." in response.content.decode()
        consent.refresh_from_db()
        assert (consent.withdrawn_on, consent.withdrawn_by) == (TODAY, self.lars)

    def test_another_units_consent_is_404(self):
        consent = self.consent(child=self.oskar, units=[self.skolen])
        url = reverse("consent_withdraw", args=[consent.pk])
        self.login(self.pia)
        assert self.client.get(url).status_code == 404
        assert self.client.post(url, {"withdrawn_on": TODAY.isoformat()}).status_code == 404
        assert self.client.get(reverse("consent_withdraw", args=[99999])).status_code == 404


@time_machine.travel(NOW, tick=False)
class ConsentPanelTestCase(ConsentTestCase):
    def test_it_lists_the_consents_with_their_status(self):
        self.consent(units=[self.solsikken], expires_on=date(2027, 1, 1))
        self.consent(purpose=Purpose.PPR, units=[self.ppr], expires_on=date(2026, 3, 20))
        self.consent(
            purpose=Purpose.MEETING, given_on=date(2025, 1, 1), expires_on=date(2025, 6, 1)
        )
        self.consent(
            purpose=Purpose.HEALTH_VISITOR,
            units=[self.sundhedsplejen],
            expires_on=date(2027, 1, 1),
            withdrawn_on=date(2026, 3, 1),
            withdrawn_by=self.lars,
        )
        self.login(self.pia)
        response = self.client.get(self.emma.get_absolute_url())
        page = response.content.decode()
        assert sorted(r["status"] for r in response.context["consents"]["current"]) == [
            "expiring",
            "in_force",
        ]
        assert sorted(r["status"] for r in response.context["consents"]["past"]) == [
            "expired",
            "withdrawn",
        ]
        for text in ("i kraft", "udløber snart", "udløbet", "trukket tilbage", "Mette Holm"):
            assert text in page, text
        assert "2 udløbne eller tilbagetrukne samtykker" in page
        assert reverse("consent_create", args=[self.emma.pk]) in page
        assert page.count("Træk tilbage</a>") == 2

    def test_a_reader_sees_the_consents_without_the_links(self):
        self.consent(purpose=Purpose.PPR, units=[self.ppr])
        self.login(self.karen)
        page = self.client.get(self.emma.get_absolute_url()).content.decode()
        assert "Deling med PPR" in page
        assert reverse("consent_create", args=[self.emma.pk]) not in page
        assert "Træk tilbage</a>" not in page

    def _queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(self.emma.get_absolute_url()).status_code == 200
        return len(queries)

    def test_the_page_needs_the_same_queries_however_many_consents(self):
        self.login(self.pia)
        self.consent(units=[self.solsikken])
        self._queries()  # warm the content type cache
        few = self._queries()
        for purpose in (Purpose.OTHER_UNITS_NOTES, Purpose.MEETING) * 3:
            self.consent(purpose=purpose, units=[self.skolen, self.solsikken])
        assert self._queries() == few


class ConsentAccessTestCase(ConsentTestCase):
    """An expired or withdrawn consent stops the access it granted at once."""

    earlier: Assessment

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Oskar went to Solsikken before school; Pia wrote an assessment there.
        Enrollment.objects.create(
            child=cls.oskar, unit=cls.solsikken, start=date(2019, 8, 1), end=date(2022, 7, 31)
        )
        cls.earlier = Assessment.objects.create(
            child=cls.oskar,
            author=cls.pia,
            unit=cls.solsikken,
            assessed_on=date(2022, 3, 1),
            zone=3,
            what_works="Leger godt",
            what_worries="Trækker sig",
            what_must_happen="Samtale",
        )

    def assessment_status(self) -> int:
        return self.client.get(reverse("assessment", args=[self.earlier.pk])).status_code

    def test_the_receiving_unit_reads_earlier_notes_while_the_consent_is_in_force(self):
        self.login(self.sofie)
        with at(TODAY):
            assert self.assessment_status() == 404
            self.consent(child=self.oskar, units=[self.skolen], expires_on=date(2026, 4, 1))
            assert self.assessment_status() == 200
        with at(date(2026, 4, 1)):
            assert self.assessment_status() == 200  # the last day
        with at(date(2026, 4, 2)):
            assert self.assessment_status() == 404

    def test_a_consent_for_another_unit_or_purpose_grants_nothing(self):
        self.login(self.sofie)
        with at(TODAY):
            self.consent(child=self.oskar, units=[self.solsikken])
            self.consent(child=self.oskar, purpose=Purpose.MEETING, units=[self.skolen])
            assert self.assessment_status() == 404

    def test_withdrawing_stops_the_access_at_once(self):
        self.login(self.sofie)
        with at(TODAY):
            consent = self.consent(child=self.oskar, units=[self.skolen])
            assert self.assessment_status() == 200
            url = reverse("consent_withdraw", args=[consent.pk])
            assert self.client.post(url, {"withdrawn_on": TODAY.isoformat()}).status_code == 302
            assert self.assessment_status() == 404

    def test_a_ppr_consent_lets_the_consultant_read_the_child_until_it_expires(self):
        self.login(self.karen)
        child_url = self.emma.get_absolute_url()
        with at(TODAY):
            assert self.client.get(child_url).status_code == 404
            self.consent(purpose=Purpose.PPR, units=[self.ppr], expires_on=date(2026, 4, 1))
            assert self.client.get(child_url).status_code == 200
            entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
            assert entry.additional_data["reason"] == "samtykke"
            # Read only: nothing is changed through the consent.
            concern = {"observed_on": TODAY.isoformat(), "text": "Set i dag."}
            assert (
                self.client.post(
                    reverse("concern_create", args=[self.emma.pk]), concern
                ).status_code
                == 404
            )
            assert (
                self.client.get(reverse("consent_create", args=[self.emma.pk])).status_code == 404
            )
        with at(date(2026, 4, 2)):
            assert self.client.get(child_url).status_code == 404

    def test_a_ppr_consent_stops_at_once_when_withdrawn(self):
        with at(TODAY):
            consent = self.consent(purpose=Purpose.PPR, units=[self.ppr])
            self.login(self.karen)
            assert self.client.get(self.emma.get_absolute_url()).status_code == 200
            self.login(self.pia)
            url = reverse("consent_withdraw", args=[consent.pk])
            assert self.client.post(url, {"withdrawn_on": TODAY.isoformat()}).status_code == 302
            self.login(self.karen)
            assert self.client.get(self.emma.get_absolute_url()).status_code == 404
