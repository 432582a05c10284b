from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child, Concern
from children.validators import validate_event_date
from tidlig.lib.forms import DateInput, DKFDSFormMixin


class ConcernForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["observed_on", "text", "parents_informed"]
        widgets = {
            "observed_on": DateInput(attrs={"class": "input-width-s"}),
            "text": forms.Textarea(attrs={"class": "input-width-xl", "rows": 7}),
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

    def __init__(self, *args, child: Child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        today = timezone.localdate()
        self.fields["observed_on"].initial = today
        self.fields["observed_on"].widget.attrs["max"] = today.isoformat()

    def clean_observed_on(self) -> date:
        observed_on = self.cleaned_data["observed_on"]
        validate_event_date(observed_on, self.child)
        return observed_on
