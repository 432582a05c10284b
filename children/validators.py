from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Child

# How far ahead a meeting or a deadline may be planned: far enough for a yearly
# meeting, near enough that a mistyped year (9999) is caught.
PLANNING_MONTHS = 12


def validate_event_date(day: date, child: Child) -> None:
    """Something seen, assessed or done about a child happened between the
    child's birth and today."""
    if day > timezone.localdate():
        raise ValidationError(_("Datoen kan ikke ligge i fremtiden."))
    if day < child.birth_date:
        raise ValidationError(_("Datoen kan ikke ligge før barnets fødsel."))


def validate_planned_date(day: date) -> None:
    """Something planned (a meeting, a deadline) lies within PLANNING_MONTHS from today."""
    if day > timezone.localdate() + relativedelta(months=PLANNING_MONTHS):
        raise ValidationError(
            _("Datoen kan højst ligge %(months)s måneder frem.") % {"months": PLANNING_MONTHS}
        )
