from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Child


def validate_event_date(day: date, child: Child) -> None:
    """Something seen, assessed or done about a child happened between the
    child's birth and today."""
    if day > timezone.localdate():
        raise ValidationError(_("Datoen kan ikke ligge i fremtiden."))
    if day < child.birth_date:
        raise ValidationError(_("Datoen kan ikke ligge før barnets fødsel."))
