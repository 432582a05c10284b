"""Who may see which child: the one place that decides (DESIGN.md section 3).

Deny by default. `fagperson` and `leder` see the children with an active
enrollment in one of their units; anyone sees the children of a case whose team
they are on, once the followups app registers that rule. `forvaltning` and
`administrator` see no child at all, whatever other rule would say.

Every view that shows or changes one child starts with `get_child_for_user`.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from accounts.models import Membership, Role
from children import audit
from children.models import Child, Enrollment, active_q

UNIT_ROLES = (Role.FAGPERSON, Role.LEDER)
# Who answers a parent's access request (the export of everything held about a
# child): a unit's leader or a caseworker, among those who see the child at all.
EXPORT_ROLES = (Role.LEDER, Role.RAADGIVER)

# Further rules, each a function user -> Q over Child, registered by apps above
# `children` in their AppConfig.ready() (e.g. followups: the case team).
_extra_rules: list[Callable[..., Q]] = []


def register_rule(rule: Callable[..., Q]) -> None:
    if rule not in _extra_rules:
        _extra_rules.append(rule)


def visible_children(user) -> QuerySet[Child]:
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    memberships = Membership.objects.filter(user=user)
    # Aggregates only: forvaltning and administrators never see a child.
    if memberships.filter(role__in=(Role.FORVALTNING, Role.ADMINISTRATOR)).exists():
        return Child.objects.none()

    unit_ids = memberships.filter(role__in=UNIT_ROLES).values("unit_id")
    enrolled_here = Enrollment.objects.filter(
        active_q(), child=OuterRef("pk"), unit_id__in=unit_ids
    )
    rule = Q(Exists(enrolled_here))
    for extra in _extra_rules:
        rule |= extra(user)
    return Child.objects.filter(rule)


def get_child_for_user(
    request: HttpRequest, pk: int, *, action: str = audit.Event.READ, what: str = ""
) -> Child:
    """The child if the user may see it, else 404; logs the access.

    `action` is an `audit.Event`. Changes are logged by auditlog itself, so
    `audit.Event.CHANGE` only checks access.
    """
    try:
        child = visible_children(request.user).get(pk=pk)
    except Child.DoesNotExist:
        raise Http404 from None
    if action != audit.Event.CHANGE:
        audit.log_access(request.user, child, action, what=what or request.path)
    return child


def get_child_for_export(request: HttpRequest, pk: int) -> Child:
    """The child for the access-request export (EXPORT_ROLES only), else 404;
    logs the export. Another role is refused before anything is logged."""
    if not request.user.has_role(*EXPORT_ROLES):
        raise Http404
    return get_child_for_user(request, pk, action=audit.Event.EXPORT, what="indsigt")


def get_child_object(
    request: HttpRequest, queryset: QuerySet, pk: int, *, action: str = audit.Event.READ
):
    """One row about one child (an assessment, a dialogue, a case…) from `queryset`,
    if the user may see its child, else 404; logs the access like get_child_for_user.

    `queryset` may narrow further what the user may see (e.g. only their own drafts).
    The row's `child` is the child checked here.
    """
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404
    row.child = get_child_for_user(request, row.child_id, action=action)
    return row
