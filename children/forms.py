from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from children import cpr, listing
from children.models import Concern


class ChildSearchForm(forms.Form):
    q = forms.CharField(label=_("Søg på navn eller CPR-nummer"), required=False, max_length=100)
    enhed = forms.TypedChoiceField(label=_("Enhed"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the user's own units; a list, so that the choices cost no further query.
        self.units = {unit.pk: unit for unit in units}
        self.fields["enhed"].choices = [
            ("", _("Alle mine enheder")),
            *((unit.pk, unit.name) for unit in units),
        ]
        # Filters added by other apps (children.listing), e.g. the latest zone.
        self.extensions = listing.extensions()
        for extension in self.extensions:
            self.fields[extension.name] = forms.ChoiceField(
                label=extension.label,
                choices=[("", extension.all_label), *extension.choices()],
                required=False,
            )

    def extension_filters(self):
        """(extension, bound field) pairs for the template."""
        return [(extension, self[extension.name]) for extension in self.extensions]

    def clean_enhed(self) -> Unit | None:
        pk = self.cleaned_data["enhed"]
        return None if pk is None else self.units[pk]

    def clean_q(self) -> str:
        term = " ".join(self.cleaned_data["q"].split())
        # Names have no digits, so digits mean a CPR number. Part of one is refused
        # rather than searched: it would be stored in the audit trail in clear
        # (only a full number can be masked there), and live search would log
        # every digit typed on the way to the full number.
        digits = cpr.normalize(term)
        if any(c.isdigit() for c in term) and not (digits.isdigit() and len(digits) == 10):
            raise ValidationError(
                _("Skriv hele CPR-nummeret med 10 cifre, eller søg på barnets navn.")
            )
        return term


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        # The browser's date picker sends and expects ISO dates, whatever the language.
        super().__init__(attrs, format="%Y-%m-%d")


class ConcernForm(forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["observed_on", "text", "parents_informed"]
        widgets = {
            "observed_on": DateInput(attrs={"class": "form-input input-width-s"}),
            "text": forms.Textarea(attrs={"class": "form-input input-width-xl", "rows": 7}),
            "parents_informed": forms.CheckboxInput(attrs={"class": "form-checkbox"}),
        }
        help_texts = {
            "observed_on": _("Den dag, du så eller hørte det."),
            "text": _(
                "Beskriv konkret, hvad du har set eller hørt: hvad gør eller siger barnet, "
                "hvordan leger, spiser, sover det, hvordan er det med de andre børn og de voksne?"
            ),
            "parents_informed": _("Sæt kryds, hvis du har fortalt forældrene om det."),
        }
        error_messages = {
            "observed_on": {
                "required": _("Skriv datoen, hvor du så eller hørte det."),
                "invalid": _("Skriv en gyldig dato."),
            },
            "text": {"required": _("Skriv, hvad du har set eller hørt.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["observed_on"].initial = today
        self.fields["observed_on"].widget.attrs["max"] = today.isoformat()

    def clean_observed_on(self):
        observed_on = self.cleaned_data["observed_on"]
        if observed_on > timezone.localdate():
            raise ValidationError(_("Datoen kan ikke ligge i fremtiden."))
        return observed_on
