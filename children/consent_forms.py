"""The forms of the parents' consent (children.models.Consent): recording one and
withdrawing it (children.consent_views)."""

from datetime import date
from typing import cast

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, UnitKind
from children.models import Child, Consent, Guardian, _a_year_from
from children.sharing import CONSENT_PURPOSES, COVERED_KINDS, Purpose
from tidlig.lib.forms import DateInput, DKFDSFormMixin


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Guardian) -> str:
        return f"{obj.name} ({obj.get_relation_display().lower()})"


def coming_units(child: Child, on: date) -> QuerySet:
    """The units the child goes to on the day or is enrolled in from a later day."""
    return Unit.objects.filter(
        Q(enrollments__end__isnull=True) | Q(enrollments__end__gte=on),
        enrollments__child=child,
    )


def default_units(child: Child, purpose: str, on: date) -> list[int]:
    """The units a new consent for `purpose` covers unless the user picks others:
    for the notes of other units the child's present and coming units (the ones
    that receive the notes), for PPR or sundhedspleje every unit of that kind
    (a municipality usually has one), for a meeting none."""
    kinds = COVERED_KINDS[purpose]
    if purpose == Purpose.OTHER_UNITS_NOTES:
        units = coming_units(child, on).filter(kind__in=kinds, active=True)
    elif purpose in (Purpose.PPR, Purpose.HEALTH_VISITOR):
        units = Unit.objects.filter(kind__in=kinds, active=True)
    else:
        return []
    return list(units.values_list("pk", flat=True).distinct())


class ConsentForm(DKFDSFormMixin, forms.ModelForm):
    """A consent given by a guardian with custody, for one purpose and the units it
    names. The units offered are those the purpose may cover (COVERED_KINDS); the
    expiry is a year after the consent was given unless the user says otherwise."""

    guardian = GuardianChoiceField(
        label=_("Givet af"),
        queryset=Guardian.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Kun en forælder eller værge med forældremyndighed kan give samtykke."),
        error_messages={
            "required": _("Vælg, hvem der har givet samtykket."),
            "invalid_choice": _(
                "Vælg en forælder eller værge med forældremyndighed. Andre kan ikke give samtykke."
            ),
        },
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Samtykket dækker"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Vælg mindst én enhed, som samtykket dækker."),
            "invalid_choice": _("Vælg kun enheder, som formålet kan dække."),
            "invalid_pk_value": _("Vælg kun enheder, som formålet kan dække."),
        },
    )

    class Meta:
        model = Consent
        fields = ["guardian", "purpose", "units", "given_on", "expires_on", "note"]
        widgets = {
            "purpose": forms.RadioSelect,
            "given_on": DateInput(attrs={"class": "input-width-s"}),
            "expires_on": DateInput(attrs={"class": "input-width-s"}),
            "note": forms.TextInput(attrs={"class": "input-width-xl"}),
        }
        labels = {
            "purpose": _("Formål"),
            "given_on": _("Givet den"),
            "expires_on": _("Udløber den"),
        }
        help_texts = {
            "given_on": _("Den dag, forælderen gav samtykket, f.eks. skrev under."),
            "expires_on": _("Lad feltet stå tomt, så udløber samtykket et år efter, det er givet."),
            "note": _("F.eks. hvor den underskrevne erklæring ligger. Skriv ikke om barnet."),
        }
        error_messages = {
            "purpose": {
                "required": _("Vælg, hvad samtykket gælder."),
                "invalid_choice": _("Vælg et af formålene på listen."),
            },
            "given_on": {
                "required": _("Skriv datoen, hvor samtykket blev givet."),
                "invalid": _("Skriv en gyldig dato."),
            },
            "expires_on": {"invalid": _("Skriv en gyldig dato.")},
        }

    def __init__(self, *args, child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        self.today = timezone.localdate()
        self.guardians = child.guardians.filter(has_custody=True)
        cast(forms.ModelChoiceField, self.fields["guardian"]).queryset = self.guardians
        cast(forms.ChoiceField, self.fields["purpose"]).choices = Purpose.choices  # no empty radio
        self.fields["expires_on"].required = False
        given_on = self.fields["given_on"]
        given_on.initial = self.today
        given_on.widget.attrs["max"] = self.today.isoformat()
        purpose = self._purpose()
        units = cast(forms.ModelMultipleChoiceField, self.fields["units"])
        units.queryset = self._units_for(purpose)
        if not self.is_bound and purpose and "units" not in self.initial:
            self.initial["units"] = default_units(child, purpose, self.today)

    def _purpose(self) -> str:
        """The purpose chosen so far: sent with the form, or asked for in the URL."""
        value = self.data.get("purpose") if self.is_bound else self.initial.get("purpose")
        return value if value in Purpose.values else ""

    def _units_for(self, purpose: str) -> QuerySet:
        """The active units the purpose may cover (every kind it may cover before a
        purpose is chosen), the child's own and coming units first."""
        kinds = COVERED_KINDS.get(purpose) or set().union(*COVERED_KINDS.values())
        own = coming_units(self.child, self.today).values("pk")
        return (
            Unit.objects.filter(active=True, kind__in=kinds)
            .annotate(
                own=Case(
                    When(pk__in=own, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("own", "kind", "name")
        )

    @property
    def purpose_options(self) -> list[tuple]:
        """Each purpose's radio with what the consent lets the covered units see."""
        return [(radio, CONSENT_PURPOSES[radio.data["value"]].grants) for radio in self["purpose"]]

    @property
    def unit_groups(self) -> list[tuple[str, list]]:
        """The units' checkboxes in groups: the child's own and coming units first,
        then the other units by kind (in the queryset's order)."""
        kinds = dict(UnitKind.choices)
        groups: list[tuple[str, list]] = []
        for box in self["units"]:
            unit = box.data["value"].instance
            label = str(_("Barnets enheder nu og fremover") if unit.own == 0 else kinds[unit.kind])
            if not groups or groups[-1][0] != label:
                groups.append((label, []))
            groups[-1][1].append(box)
        return groups

    def clean_given_on(self) -> date:
        given_on = self.cleaned_data["given_on"]
        if given_on > self.today:
            raise forms.ValidationError(_("Datoen kan ikke ligge i fremtiden."))
        if given_on < self.child.birth_date:
            raise forms.ValidationError(_("Datoen kan ikke ligge før barnets fødsel."))
        return given_on

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        given_on, expires_on = cleaned.get("given_on"), cleaned.get("expires_on")
        if given_on is None:
            return cleaned
        if expires_on is None and "expires_on" not in self.errors:
            expires_on = cleaned["expires_on"] = _a_year_from(given_on)
        if expires_on is None:
            return cleaned
        if expires_on <= given_on:
            self.add_error(
                "expires_on", _("Udløbsdatoen skal ligge efter den dag, samtykket blev givet.")
            )
        elif expires_on < self.today:
            self.add_error(
                "expires_on",
                _(
                    "Samtykket er allerede udløbet og giver ingen adgang. Bed forældrene "
                    "om et nyt samtykke."
                ),
            )
        return cleaned


class WithdrawConsentForm(DKFDSFormMixin, forms.ModelForm):
    """The day the parents withdrew the consent: from that day it grants nothing."""

    class Meta:
        model = Consent
        fields = ["withdrawn_on"]
        widgets = {"withdrawn_on": DateInput(attrs={"class": "input-width-s"})}
        labels = {"withdrawn_on": _("Trukket tilbage den")}
        help_texts = {
            "withdrawn_on": _(
                "Den dag, forælderen trak samtykket tilbage. Adgangen stopper fra den dag."
            )
        }
        error_messages = {
            "withdrawn_on": {
                "required": _("Skriv datoen, hvor samtykket blev trukket tilbage."),
                "invalid": _("Skriv en gyldig dato."),
            }
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        field = self.fields["withdrawn_on"]
        field.required = True
        if not self.is_bound:
            self.initial["withdrawn_on"] = self.today  # the instance's value is empty
        field.widget.attrs["max"] = self.today.isoformat()
        field.widget.attrs["min"] = self.instance.given_on.isoformat()

    def clean_withdrawn_on(self) -> date:
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        if withdrawn_on > self.today:
            raise forms.ValidationError(_("Datoen kan ikke ligge i fremtiden."))
        if withdrawn_on < self.instance.given_on:
            raise forms.ValidationError(
                _("Datoen kan ikke ligge før den dag, samtykket blev givet.")
            )
        return withdrawn_on
