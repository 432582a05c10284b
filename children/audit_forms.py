from datetime import date, datetime, time, timedelta
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.db.models import QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from children import audit
from children.validators import validate_not_too_early
from tidlig.lib.forms import DateInput, DKFDSFormMixin

# The viewer's "Handling": the reads logged by children.audit, the changes by auditlog.
ACCESS_EVENTS = {
    audit.Event.READ: _("Læst"),
    audit.Event.PRINT: _("Udskrevet"),
    audit.Event.EXPORT: _("Eksporteret"),
    audit.Event.REVEAL_CPR: _("CPR-nummer vist"),
    audit.Event.SEARCH: _("Søgning"),
    audit.Event.LIST: _("Liste vist"),
    audit.Event.AUDIT: _("Revisionsspor set"),
    audit.Event.RETENTION: _("Slettet efter slettefristen"),
    audit.Event.IMPORT: _("Import af børn"),
    audit.Event.ABSENCE_IMPORT: _("Import af fravær"),
}
CHANGES = {
    "create": (LogEntry.Action.CREATE, _("Oprettet")),
    "update": (LogEntry.Action.UPDATE, _("Ændret")),
    "delete": (LogEntry.Action.DELETE, _("Slettet")),
}


def _is_id(text: str) -> bool:
    """ASCII digits that fit a bigint ("²" is a digit to str.isdigit)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


class UserField(forms.CharField):
    """A user by username or full name, typed: a <select> of every user was 355 kB
    of the page at 5,000 users and grew with the municipality (docs/benchmarks.md,
    "Key pages"). An id is still understood, for the links in the alerts already
    sent (children.alerts.bulk_read_alerts)."""

    # Deactivated users are found too: their old entries are the ones asked about.
    def clean(self, value: Any) -> User | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        found = User.objects.filter(username__iexact=text).first()
        if found is None and _is_id(text):
            found = User.objects.filter(pk=int(text)).first()
        if found is not None:
            return found
        full_name = Concat("first_name", Value(" "), "last_name")
        named = list(
            User.objects.annotate(full_name=full_name)
            .filter(full_name__iexact=" ".join(text.split()))
            .order_by("username")[:6]
        )
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                _("Flere brugere hedder »%(name)s«: %(usernames)s. Skriv brugernavnet."),
                params={"name": text, "usernames": ", ".join(u.username for u in named)},
            )
        raise forms.ValidationError(
            _("Ingen bruger har brugernavnet eller navnet »%(name)s«."), params={"name": text}
        )

    def prepare_value(self, value: Any) -> Any:
        # A link's id is shown as the username it stands for.
        if isinstance(value, str) and _is_id(value):
            found = User.objects.filter(pk=int(value)).values_list("username", flat=True)
            return found.first() or value
        return value


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_the_log(day: date | None) -> date | None:
    if day is not None:
        validate_not_too_early(day)
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datoen kan ikke ligge i fremtiden."))
    return day


class AuditFilterForm(DKFDSFormMixin, forms.Form):
    user = UserField(
        label=_("Bruger"),
        help_text=_("Brugernavn eller fulde navn."),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    child = forms.IntegerField(
        label=_("Barnets id"),
        min_value=1,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-width-xs"}),
        error_messages={
            "invalid": _("Skriv barnets id som et tal."),
            "min_value": _("Skriv barnets id som et tal."),
        },
    )
    action = forms.ChoiceField(
        label=_("Handling"),
        choices=[
            ("", _("Alle handlinger")),
            *ACCESS_EVENTS.items(),
            *((key, label) for key, (_action, label) in CHANGES.items()),
        ],
        required=False,
    )
    start = forms.DateField(
        label=_("Fra dato"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )
    end = forms.DateField(
        label=_("Til og med dato"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )

    # The log lies between 2000 and today; 9999-12-31 and the day after it, or the
    # year 1 as a time in UTC, were a 500.
    def clean_start(self) -> date | None:
        return _in_the_log(self.cleaned_data["start"])

    def clean_end(self) -> date | None:
        return _in_the_log(self.cleaned_data["end"])

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Til-datoen skal være samme dag som fra-datoen eller senere."))
        return cleaned

    def filter(self, entries: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
        """The entries the filter asks for; none while the filter has errors."""
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data["user"]:
            entries = entries.filter(actor=data["user"])
        if data["child"]:
            entries = entries.filter(audit.about_child_or_listed(data["child"]))
        if data["action"] in ACCESS_EVENTS:
            entries = entries.filter(
                action=LogEntry.Action.ACCESS, additional_data__event=data["action"]
            )
        elif data["action"] in CHANGES:
            entries = entries.filter(action=CHANGES[data["action"]][0])
        if data["start"]:
            entries = entries.filter(timestamp__gte=_midnight(data["start"]))
        if data["end"]:
            entries = entries.filter(timestamp__lt=_midnight(data["end"] + timedelta(days=1)))
        return entries

    def logged(self) -> dict:
        """The filter as it is written to the audit trail (ids and ISO dates)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        values = {
            "user": data["user"].pk if data["user"] else None,
            "child_id": data["child"],
            "action": data["action"],
            "start": data["start"].isoformat() if data["start"] else None,
            "end": data["end"].isoformat() if data["end"] else None,
        }
        return {key: value for key, value in values.items() if value}
