"""Who sees which forum, meeting and case (docs/access.md, "Tværfagligt forum").

Deny by default; anything else is 404.

- the consultants of a forum see its meetings and every case brought to it,
  record advice and next steps, and plan and hold its meetings;
- whoever brought a case, and the leaders of the unit it was brought from, see
  that case (with its advice and steps) and link it to the child with the
  parents' consent;
- nobody else: forvaltning and administrators see no case content.

An anonymous case names no child anywhere; a linked case shows the child's name
to the consultants, never the CPR, and gives them no access to the child's page:
the consent for children.sharing.Purpose.MEETING lets the child be discussed by
name at the meeting and nothing more (children.sharing.CONSENT_PURPOSES).
"""

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from accounts.models import Role
from forum.models import Forum, ForumCase, ForumMeeting

BRINGING_ROLES = (Role.FAGPERSON, Role.LEDER)


def forums_of(user) -> QuerySet[Forum]:
    """The forums the user is a consultant of."""
    if not user.is_authenticated or not user.is_active:
        return Forum.objects.none()
    return Forum.objects.filter(consultants=user)


def forums_to_bring_to(user) -> QuerySet[Forum]:
    """The active forums one of the user's units (as fagperson or leder) brings cases to."""
    units = [m.unit_id for m in user.memberships_as(*BRINGING_ROLES)]
    return Forum.objects.filter(active=True, units__in=units).distinct()


def visible_cases(user) -> QuerySet[ForumCase]:
    """The cases the user sees: those of the forums they advise in, those they
    brought, and those of the units they lead."""
    if not user.is_authenticated or not user.is_active:
        return ForumCase.objects.none()
    if user.has_role(Role.FORVALTNING, Role.ADMINISTRATOR):
        return ForumCase.objects.none()
    led = [m.unit_id for m in user.memberships_as(Role.LEDER)]
    rule = Q(forum__consultants=user) | Q(brought_by=user) | Q(unit_id__in=led)
    return ForumCase.objects.filter(pk__in=ForumCase.objects.filter(rule).values("pk"))


def is_consultant(user, forum: Forum) -> bool:
    return forum.consultants.filter(pk=user.pk).exists()


def may_link(user, case: ForumCase) -> bool:
    """The bringer and the leaders of the bringing unit link the case to the child."""
    if case.brought_by_id == user.pk:
        return True
    return any(m.unit_id == case.unit_id for m in user.memberships_as(Role.LEDER))


def get_case_for_user(request: HttpRequest, pk: int) -> ForumCase:
    case = (
        visible_cases(request.user)
        .select_related("forum", "meeting", "unit", "brought_by", "advice_by", "child")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def get_case_to_advise(request: HttpRequest, pk: int) -> ForumCase:
    """A case of a forum the user is a consultant of, else 404."""
    case = get_case_for_user(request, pk)
    if not is_consultant(request.user, case.forum):
        raise Http404
    return case


def get_meeting_for_user(request: HttpRequest, pk: int) -> ForumMeeting:
    """A meeting of a forum the user is a consultant of, else 404: its agenda holds
    other units' cases, so the bringers see their own case instead."""
    meeting = (
        ForumMeeting.objects.filter(forum__in=forums_of(request.user), pk=pk)
        .select_related("forum", "held_by")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def get_forum_for_user(request: HttpRequest, pk: int) -> Forum:
    forum = forums_of(request.user).filter(pk=pk).first()
    if forum is None:
        raise Http404
    return forum
