from django import forms
from django.utils.translation import gettext_lazy as _

from followups.models import Escalation, Underretning

TEXTAREA = {"class": "form-input input-width-xl", "rows": 4}


class EscalationForm(forms.ModelForm):
    class Meta:
        model = Escalation
        fields = ["reason"]
        labels = {"reason": _("Hvorfor skal rådgivningen ind over?")}
        help_texts = {
            "reason": _(
                "Kort: hvad er prøvet, hvad bekymrer jer nu, og hvad håber I, rådgivningen kan."
            )
        }
        error_messages = {"reason": {"required": _("Skriv kort, hvorfor I sender barnet videre.")}}
        widgets = {"reason": forms.Textarea(attrs=TEXTAREA)}


class UnderretningForm(forms.ModelForm):
    class Meta:
        model = Underretning
        fields = ["about"]
        labels = {"about": _("Hvad handler underretningen om?")}
        help_texts = {
            "about": _(
                "Det, du har set eller hørt, og hvornår. Underretningen skal også sendes til "
                "kommunen ad den vej, kommunen har anvist; her registrerer du, at den er lavet."
            )
        }
        error_messages = {"about": {"required": _("Skriv, hvad underretningen handler om.")}}
        widgets = {"about": forms.Textarea(attrs=TEXTAREA)}
