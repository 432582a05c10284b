"""Who may see which child: the one place that decides (docs/security.md, "Need-to-know access").

Deny by default. `fagperson` and `leder` see the children with an active
enrollment in one of their units; anyone sees the children of a case whose team
they are on (as coordinator or member) while the case is open and for
CLOSED_CASE_ACCESS_DAYS after it closes; a caseworker of Børn & Ungerådgivningen
reads the children with an underretning open in the intake queue. `forvaltning`
and `administrator` see no child at all, whatever other rule would say.

Every view that shows or changes one child starts with `get_child_for_user`.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import Membership, Role, UnitKind
from children import audit
from children.models import Child, ChildQuerySet, Enrollment, active_q

UNIT_ROLES = (Role.FAGPERSON, Role.LEDER)
# Who answers a parent's access request (the export of everything held about a
# child): a unit's leader or a caseworker, among those who see the child at all.
EXPORT_ROLES = (Role.LEDER, Role.RAADGIVER)

# The reason logged when a caseworker reads a child only because an underretning
# about it is open in the intake queue.
INTAKE_REASON = "underretning"

# The team of a closed case keeps access this long, so that the closing meeting's
# minutes can be finished, printed and sent to the participants.
CLOSED_CASE_ACCESS_DAYS = 30


def case_team_children(user) -> QuerySet:
    """The ids of the children of the cases whose coordinator or team member the
    user is, while the case is open or closed less than CLOSED_CASE_ACCESS_DAYS ago.

    The cases (followups.Case) are reached through their reverse relation
    `Child.cases`, so `children` imports nothing from the apps above it. The
    conditions stand in one filter() call, so they hold for the same case.
    """
    since = timezone.localdate() - timedelta(days=CLOSED_CASE_ACCESS_DAYS)
    return Child.objects.filter(
        Q(cases__coordinator=user) | Q(cases__members__user=user),
        Q(cases__closed_on__isnull=True) | Q(cases__closed_on__gte=since),
    ).values("pk")


# Who handles the intake of Børn & Ungerådgivningen: its caseworkers and leaders.
INTAKE_ROLES = (Role.RAADGIVER, Role.LEDER)


def is_intake_staff(user, *roles: str) -> bool:
    """Whether the user works in Børn & Ungerådgivningen's intake (as one of `roles`;
    by default a caseworker or a leader)."""
    return Membership.objects.filter(
        user=user, role__in=roles or INTAKE_ROLES, unit__kind=UnitKind.RAADGIVNING
    ).exists()


def intake_children(user) -> QuerySet:
    """The ids of the children with an underretning open in the intake queue, for
    the caseworkers of Børn & Ungerådgivningen, who must assess it within 24 hours
    (Barnets Lov § 136, followups.law); nothing for anyone else.

    Read only, and audited with the reason INTAKE_REASON. It ends when the
    underretning is closed: without a case, or handed on to a case, whose team then
    sees the child. The underretninger (followups.Underretning) are reached through
    `Child.underretninger`, as the cases are.
    """
    if not is_intake_staff(user, Role.RAADGIVER):
        return Child.objects.none().values("pk")
    # Both conditions in one filter() call, so they hold for the same underretning
    # (and a child without any underretning, whose join gives NULLs, is not let in).
    return Child.objects.filter(
        underretninger__isnull=False, underretninger__closed_at__isnull=True
    ).values("pk")


def visible_children(user, *, for_change: bool = False) -> ChildQuerySet:
    """The children the user may see; with `for_change`, those the user may also
    change something about (the intake queue's access is read only)."""
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
    rule = Q(Exists(enrolled_here)) | Q(pk__in=case_team_children(user))
    if not for_change:
        rule |= Q(pk__in=intake_children(user))
    return Child.objects.filter(rule)


def get_child_for_user(request: HttpRequest, pk: int, *, action: str = "", what: str = "") -> Child:
    """The child if the user may see it, else 404; logs the access.

    `action` is an `audit.Event`; by default a GET or HEAD is a read and any other
    method a change. Changes are logged by auditlog itself, so a change only
    checks access. Pass `action` for the other events (a print, an export…).
    """
    if not action:
        action = audit.Event.READ if request.method in ("GET", "HEAD") else audit.Event.CHANGE
    change = action == audit.Event.CHANGE
    try:
        child = visible_children(request.user, for_change=change).get(pk=pk)
    except Child.DoesNotExist:
        raise Http404 from None
    if not change:
        reason = ""
        if is_intake_staff(request.user, Role.RAADGIVER):
            mine = visible_children(request.user, for_change=True).filter(pk=pk).exists()
            reason = "" if mine else INTAKE_REASON
        audit.log_access(request.user, child, action, what=what or request.path, reason=reason)
    return child


def get_child_for_export(request: HttpRequest, pk: int) -> Child:
    """The child for the access-request export (EXPORT_ROLES only), else 404;
    logs the export. Another role is refused before anything is logged."""
    if not request.user.is_authenticated or not request.user.has_role(*EXPORT_ROLES):
        raise Http404
    return get_child_for_user(request, pk, action=audit.Event.EXPORT, what="indsigt")


def get_child_object(request: HttpRequest, queryset: QuerySet, pk: int, *, action: str = ""):
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
