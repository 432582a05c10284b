"""The municipality's handling of an underretning (Barnets Lov §§ 136–137,
followups.law): who may open one, and the steps from receiving it to closing it.

An underretning is open in the intake queue until it is closed: by a decision
that needs no further action, or by handing it on to a case, whose team then has
it. While it is open, the caseworkers and the leader of Børn & Ungerådgivningen
handle it; afterwards the team of its case; the professional who made it in
Tidlig sees its receipt and tilbagemelding.
"""

from django.db.models import Q
from django.http import Http404, HttpRequest

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role, UnitKind
from children import audit
from children.access import INTAKE_REASON
from followups.models import Case, Underretning

INTAKE_ROLES = (Role.RAADGIVER, Role.LEDER)


def is_intake_staff(user, *roles: str) -> bool:
    """Whether the user works in Børn & Ungerådgivningen (as one of `roles`)."""
    return user.memberships.filter(
        role__in=roles or INTAKE_ROLES, unit__kind=UnitKind.RAADGIVNING
    ).exists()


def _on_its_case(user, item: Underretning) -> bool:
    if item.case_id is None:
        return False
    team = Q(coordinator=user) | Q(members__user=user)
    return Case.objects.visible_to_team().filter(team, pk=item.case_id).exists()


def get_underretning_for_user(
    request: AuthenticatedHttpRequest | HttpRequest, pk: int, *, notifier_may: bool = False
) -> Underretning:
    """The underretning if the user may handle it, else 404; a GET is logged as a
    read of its child (with the reason "underretning" for the intake's staff).

    With `notifier_may`, the professional who made it in Tidlig may open it too (its
    receipt and tilbagemelding, never the rådgivning's assessment).
    """
    item = Underretning.objects.select_related("child", "case").filter(pk=pk).first()
    if item is None:
        raise Http404
    user = request.user
    if item.is_open and is_intake_staff(user):
        reason = INTAKE_REASON
    elif _on_its_case(user, item):
        reason = ""
    elif notifier_may and item.made_by_id is not None and item.made_by_id == user.pk:
        reason = ""
    else:
        raise Http404
    if request.method in ("GET", "HEAD"):
        audit.log_access(user, item.child, audit.Event.READ, what=request.path, reason=reason)
    return item
