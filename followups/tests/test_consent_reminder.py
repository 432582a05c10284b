"""The warning before a consent expires (followups.reminders._consent_reminders).

Pia recorded the consent of Emma's mother on 10 January 2026 for Emma's earlier
notes to be read at Nordby Skole; it expires on 10 May 2026, so Pia is warned on
10 April, thirty days before.
"""

from datetime import date

from django.core import mail

from children.models import Consent, Guardian, Relation
from children.sharing import Purpose
from followups import reminders
from followups.models import Reminder
from tidlig.test import BaseTestCase

WARNING_DAY = date(2026, 4, 10)


class ConsentReminderTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.mother = Guardian.objects.create(
            child=self.emma, name="Mette Holm", relation=Relation.MOTHER
        )
        self.pia.email = "pia@example.org"
        self.pia.save()
        self.consent = self.make_consent()

    def make_consent(self, **kw) -> Consent:
        fields = {
            "child": self.emma,
            "guardian": self.mother,
            "purpose": Purpose.OTHER_UNITS_NOTES,
            "given_on": date(2026, 1, 10),
            "expires_on": date(2026, 5, 10),
            "recorded_by": self.pia,
        } | kw
        consent = Consent.objects.create(**fields)
        consent.units.set([self.skolen])
        return consent

    def warnings(self) -> list[tuple]:
        return list(
            Reminder.objects.filter(kind=Reminder.Kind.CONSENT_EXPIRES).values_list(
                "object_key", "recipient__username", "due_on"
            )
        )

    def test_it_warns_whoever_recorded_it_once_thirty_days_before(self):
        reminders.plan(date(2026, 4, 9))
        assert self.warnings() == []
        reminders.plan(WARNING_DAY)
        reminders.plan(WARNING_DAY)
        reminders.plan(date(2026, 4, 11))
        assert self.warnings() == [(f"consent:{self.consent.pk}", "pia", WARNING_DAY)]

        reminders.send_pending()
        [message] = mail.outbox
        assert message.to == ["pia@example.org"]
        assert "udløber snart" in message.subject
        assert "10. maj 2026" in message.body
        assert "Notater fra andre enheder" in message.body
        assert f"/boern/{self.emma.pk}/#samtykker" in message.body
        for name in ("Emma", "Holm", "Mette"):
            assert name not in message.subject + message.body, name

    def test_a_late_sweep_catches_it_up_with_its_own_day(self):
        reminders.plan(date(2026, 4, 16))  # no sweep for six days
        assert self.warnings() == [(f"consent:{self.consent.pk}", "pia", WARNING_DAY)]
        reminders.plan(date(2026, 4, 17))
        assert len(self.warnings()) == 1

    def test_no_warning_for_a_withdrawn_consent(self):
        self.consent.withdrawn_on = date(2026, 3, 1)
        self.consent.withdrawn_by = self.lars
        self.consent.save()
        reminders.plan(WARNING_DAY)
        assert self.warnings() == []

    def test_no_warning_when_a_new_consent_for_the_purpose_lasts_longer(self):
        self.make_consent(given_on=date(2026, 4, 1), expires_on=date(2027, 4, 1))
        reminders.plan(WARNING_DAY)
        assert self.warnings() == []

    def test_no_warning_to_a_user_who_has_left(self):
        self.pia.is_active = False
        self.pia.save()
        reminders.plan(WARNING_DAY)
        assert self.warnings() == []
