from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from children import cpr
from children.models import TransitionNote
from ruler import queries
from tidlig.lib.forms import DKFDSFormMixin


class ChildSearchForm(forms.Form):
    q = forms.CharField(label=_("Søg på navn eller CPR-nummer"), required=False, max_length=100)
    enhed = forms.TypedChoiceField(label=_("Enhed"), coerce=int, required=False, empty_value=None)
    # The latest zone on Børnelinealen (ruler.queries.filter_by_zone).
    zone = forms.ChoiceField(label=_("Zone"), required=False)

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the user's own units; a list, so that the choices cost no further query.
        self.units = {unit.pk: unit for unit in units}
        cast(forms.ChoiceField, self.fields["enhed"]).choices = [
            ("", _("Alle mine enheder")),
            *((unit.pk, unit.name) for unit in units),
        ]
        cast(forms.ChoiceField, self.fields["zone"]).choices = [
            ("", _("Alle zoner")),
            *queries.zone_choices(),
        ]

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


# The overleveringsnotat (desk.transition_views): what the sending unit passes on.
NOTE_TEXTAREA = {"class": "input-width-xl", "rows": 5}
NOTE_TEXTS = ("what_works", "needs", "parents_wish")


class TransitionNoteForm(DKFDSFormMixin, forms.ModelForm):
    """The sending unit's note. A draft may be saved as it is; to send it (or to
    correct it once sent) it needs at least one of the three texts, and the parents
    must have seen it (`finishing`)."""

    class Meta:
        model = TransitionNote
        fields = [
            "what_works",
            "needs",
            "parents_wish",
            "open_steps",
            "parents_seen",
            "parents_agree",
        ]
        labels = {
            "what_works": _("Det der fungerer for barnet"),
            "needs": _("Det barnet har brug for"),
            "parents_wish": _("Det forældrene ønsker givet videre"),
            "open_steps": _("Åbne næste skridt"),
            "parents_seen": _("Forældrene har set notatet"),
            "parents_agree": _("Forældrene er enige i notatet"),
        }
        help_texts = {
            "what_works": _(
                "Det, der lykkes for barnet: venskaber, aktiviteter, måder at blive mødt på."
            ),
            "needs": _("Det, de nye voksne skal vide fra første dag for at støtte barnet."),
            "parents_wish": _(
                "Med forældrenes egne ord. Er de uenige i noget i notatet, så skriv det her."
            ),
            "open_steps": _(
                "Hentet fra barnets åbne næste skridt i LØFT-dialogerne, ét pr. linje. "
                "Ret eller slet det, der ikke skal gives videre."
            ),
            "parents_seen": _(
                "Forældrene skal have set notatet, før det sendes: det er kommunens praksis, "
                "at intet gives videre om barnet, som forældrene ikke kender."
            ),
            "parents_agree": _(
                "Sæt kun kryds, hvis forældrene har sagt, at de er enige. Notatet kan sendes, "
                "selv om de ikke er."
            ),
        }
        widgets = {
            "what_works": forms.Textarea(attrs=NOTE_TEXTAREA),
            "needs": forms.Textarea(attrs=NOTE_TEXTAREA),
            "parents_wish": forms.Textarea(attrs=NOTE_TEXTAREA),
            "open_steps": forms.Textarea(attrs={**NOTE_TEXTAREA, "rows": 8}),
        }

    def __init__(self, *args, finishing: bool = False, receiving_unit: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.finishing = finishing
        self.receiving_unit = receiving_unit

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("parents_agree") and not data.get("parents_seen"):
            self.add_error(
                "parents_agree",
                _("Forældrene kan kun være enige i notatet, hvis de har set det."),
            )
        if self.finishing:
            if not any((data.get(name) or "").strip() for name in NOTE_TEXTS):
                self.add_error(
                    "what_works",
                    _(
                        "Skriv mindst ét af de tre: det der fungerer, det barnet har brug for, "
                        "eller det forældrene ønsker givet videre."
                    ),
                )
            if not data.get("parents_seen"):
                self.add_error(
                    "parents_seen",
                    _("Forældrene skal have set notatet, før det sendes til %(unit)s.")
                    % {"unit": self.receiving_unit},
                )
        return data
