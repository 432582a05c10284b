from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Child

# Nothing a user records happened before this day: the children were born after it
# and the quarterly status starts here. An earlier year is a typing error (the year 1
# is not even a time in UTC).
EARLIEST_DATE = date(2000, 1, 1)

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


def validate_not_too_early(day: date) -> None:
    if day < EARLIEST_DATE:
        raise ValidationError(_("Datoen kan ikke ligge før 1. januar 2000."))
