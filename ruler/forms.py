from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from children.models import Child
from children.validators import validate_event_date
from ruler import zones
from ruler.models import Assessment, Reason, ZoneGuide
from tidlig.lib.forms import DateInput, DKFDSFormMixin

TEXTAREA = {"rows": 5}

# The three columns, with the words the error messages use for them.
COLUMNS = {
    "what_works": _("Skriv, hvad der fungerer for barnet, når barnet er i zone 3–5."),
    "what_worries": _("Skriv, hvad der bekymrer, når barnet er i zone 3–5."),
    "what_must_happen": _("Skriv, hvad der skal ske, når barnet er i zone 3–5."),
}


class ZoneField(forms.TypedChoiceField):
    """A zone chosen on the visible ruler (templates/ruler/includes/ruler_input.html)."""

    def __init__(self, *, required: bool = True, empty_label: str | Promise = "", **kwargs) -> None:
        choices: list[tuple[int | str, str | Promise]] = [*zones.Zone.choices]
        if not required:
            choices.insert(0, ("", empty_label or _("Ikke vurderet")))
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid_choice", _("Vælg en af de fem zoner."))
        super().__init__(
            choices=choices,
            coerce=int,
            empty_value=None,
            required=required,
            widget=forms.RadioSelect,
            **kwargs,
        )


class AssessmentForm(DKFDSFormMixin, forms.ModelForm):
    """An assessment, or a correction of one (`instance` given, with a note on what
    was corrected).

    With `optional_zone` it is the zone part of the one form for a concern and its
    zone (ruler.views.concern_create): no date of its own (the concern's), and the
    zone may stay empty, in which case nothing of this form is saved.
    """

    zone = ZoneField(
        label=_("Samlet zone på Børnelinealen"),
        error_messages={"required": _("Vælg en zone på Børnelinealen.")},
    )
    child_zone = ZoneField(label=_("Barnets egen udvikling"), required=False)
    care_zone = ZoneField(label=_("Forældrenes omsorg"), required=False)

    class Meta:
        model = Assessment
        fields = [
            "assessed_on",
            "reason",
            "zone",
            "child_zone",
            "care_zone",
            "what_works",
            "what_worries",
            "what_must_happen",
            "parents_involved",
            "others_involved",
            "correction_note",
        ]
        widgets = {
            "assessed_on": DateInput(attrs={"class": "input-width-s"}),
            "reason": forms.RadioSelect,
            "what_works": forms.Textarea(attrs=TEXTAREA),
            "what_worries": forms.Textarea(attrs=TEXTAREA),
            "what_must_happen": forms.Textarea(attrs=TEXTAREA),
            "others_involved": forms.TextInput(attrs={"class": "input-width-xl"}),
            "correction_note": forms.TextInput(attrs={"class": "input-width-xl"}),
        }
        labels = {
            "what_works": _("Det der fungerer"),
            "what_worries": _("Det der bekymrer"),
            "what_must_happen": _("Det der skal ske"),
            "parents_involved": _("Forældrene har været med i vurderingen"),
            "others_involved": _("Hvem var ellers med?"),
        }
        help_texts = {
            "assessed_on": _("Den dag, vurderingen blev lavet."),
            "what_works": _("Beskyttelsesfaktorer: en god ven, en voksen barnet stoler på, …"),
            "what_worries": _("Risikofaktorer: hvad ser du, og hvor ofte?"),
            "what_must_happen": _("Ønsket resultat: hvad skal ske, hvem gør det, og hvornår?"),
            "others_involved": _("Fx kollega, leder, sundhedsplejerske. Navn og funktion."),
            "correction_note": _("Fx »forkert dato« eller »zonen var tastet forkert«."),
        }
        error_messages = {
            "assessed_on": {
                "required": _("Skriv datoen for vurderingen."),
                "invalid": _("Skriv en gyldig dato."),
            },
            "reason": {"required": _("Vælg anledningen til vurderingen.")},
        }

    def __init__(self, *args, child: Child, optional_zone: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        self.optional_zone = optional_zone
        today = timezone.localdate()
        self.fields["assessed_on"].widget.attrs["max"] = today.isoformat()
        if optional_zone:
            del self.fields["assessed_on"]
            del self.fields["correction_note"]
            self.fields["zone"] = ZoneField(
                label=_("Zone på Børnelinealen"),
                required=False,
                empty_label=_("Ingen zone nu"),
            )
            # Asked for only when a zone is chosen (clean).
            self.fields["reason"].required = False
        elif self.instance.pk is None:
            self.fields["assessed_on"].initial = today
            del self.fields["correction_note"]
        else:
            self.fields["correction_note"].required = True
            self.fields["correction_note"].error_messages["required"] = _(
                "Skriv kort, hvad du retter og hvorfor."
            )

    def ruler_options(self, name: str) -> list[tuple]:
        """(radio, zone style or None) for each choice of a zone field, for the ruler."""
        return [
            (radio, zones.style(int(radio.data["value"]) if radio.data["value"] else None))
            for radio in self[name].subwidgets
        ]

    @property
    def zone_options(self) -> list[tuple]:
        return self.ruler_options("zone")

    @property
    def child_zone_options(self) -> list[tuple]:
        return self.ruler_options("child_zone")

    @property
    def care_zone_options(self) -> list[tuple]:
        return self.ruler_options("care_zone")

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in COLUMNS]

    @property
    def columns_required(self) -> bool:
        """Whether the zone shown (as sent, or as saved) asks for the three columns."""
        value = self["zone"].value()
        return str(value) in {str(int(zone)) for zone in zones.CONCERN_ZONES}

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        validate_event_date(assessed_on, self.child)
        return assessed_on

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        zone = cleaned.get("zone")
        if zone in zones.CONCERN_ZONES:
            for name, message in COLUMNS.items():
                if not cleaned.get(name, "").strip():
                    self.add_error(name, message)
        if self.optional_zone and zone is not None and not cleaned.get("reason"):
            self.add_error("reason", _("Vælg anledningen til vurderingen."))
        if (
            self.optional_zone
            and zone is None
            and any(cleaned.get(name, "").strip() for name in [*COLUMNS, "others_involved"])
        ):
            # Saving the concern alone would drop what was written for the assessment.
            self.add_error(
                "zone", _("Vælg en zone til vurderingen, du har skrevet, eller slet teksten.")
            )
        return cleaned

    @staticmethod
    def asks_for_concern(data) -> bool:
        """Whether what was seen must be written: always without a zone (the concern is
        all there is to save), and with one when the reason is a concern."""
        if not data.get("zone"):
            return True
        return data.get("reason", Reason.CONCERN) == Reason.CONCERN


class ZoneGuideForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = ZoneGuide
        fields = ["text"]
        labels = {"text": _("Handleguide")}
        help_texts = {
            "text": _(
                "Skriv, hvad fagpersonen skal gøre ved denne zone. Adskil afsnit med en tom "
                'linje. Linjer, der begynder med "- ", vises som en punktliste.'
            )
        }
        error_messages = {"text": {"required": _("Skriv handleguiden for zonen.")}}
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Skriv handleguiden for zonen."), code="required")
        return text
