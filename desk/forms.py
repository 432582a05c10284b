from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from children import cpr
from ruler import queries


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
