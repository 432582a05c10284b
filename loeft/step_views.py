"""Next steps: marking them done (or not done after all), and "Mine opgaver"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from children import audit
from children.access import get_child_object, may_see_case, visible_children
from loeft.forms import NextStepDoneForm
from loeft.models import Dialogue, NextStep


@login_required
@require_POST
def next_step_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a step done with a date and a comment, or open it again."""
    # A forum case's step is marked done on its own address (forum.views).
    queryset = NextStep.objects.filter(forum_case__isnull=True).select_related(
        "dialogue", "meeting__case", "owner_user", "owner_guardian"
    )
    step = get_child_object(request, queryset, pk)
    # A meeting's steps are case material: the case team's only.
    if step.meeting is not None and not may_see_case(request.user, step.meeting.case):
        raise Http404
    child = step.child
    back = request.POST.get("next", "")
    # A path: redirect() would take "a b" or "x:y" for the name of a URL pattern.
    ours = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    if not (back.startswith("/") and ours):
        back = step.source_url

    if "genaabn" in request.POST:
        step.reopen()
        messages.success(request, _("Skridtet er åbnet igen."))
        return redirect(back)

    form = NextStepDoneForm(request.POST, child=child)
    if form.is_valid():
        step.mark_done(
            on=form.cleaned_data["done_on"], comment=form.cleaned_data["comment"], by=request.user
        )
        messages.success(request, _("Skridtet er markeret som gjort."))
        return redirect(back)
    audit.log_shown_again(request, child)
    ctx = {"step": step, "form": form, "back": back, "child": child}
    return render(request, "loeft/next_step_done.html", ctx, status=400)


def _by_due(steps: list[NextStep]) -> list[NextStep]:
    return sorted(steps, key=lambda step: (step.due, step.pk))


@role_required(Role.FAGPERSON, Role.LEDER, Role.RAADGIVER, Role.KONSULENT)
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The user's open next steps, the steps they follow up on, and their drafts.

    The steps come from LØFT dialogues, for the case team from follow-up meetings,
    and from the tværfaglige forum's cases. The one who wrote the dialogue, recorded
    the meeting or brought the forum case follows up the steps that others own."""
    user = request.user
    children = visible_children(user)
    steps = (
        (NextStep.objects.open() | NextStep.objects.open_from_meetings_of(user))
        .filter(child__in=children)
        .select_related("child", "dialogue", "owner_user", "owner_guardian")
        .order_by("due", "pk")
    )
    # A forum case's steps are the owner's and the bringer's whether the case is
    # anonymous or linked: they name the case and link to it, not to the child.
    forum_steps = NextStep.objects.open_from_forums_of(user).select_related(
        "child", "owner_user", "forum_case__forum"
    )
    mine = _by_due([*steps.filter(owner_user=user), *forum_steps.filter(owner_user=user)])
    followed = _by_due(
        [
            *steps.filter(Q(dialogue__author=user) | Q(meeting__held_by=user)).exclude(
                owner_user=user
            ),
            *forum_steps.exclude(owner_user=user),
        ]
    )
    drafts = (
        Dialogue.objects.drafts_of(request.user)
        .filter(child__in=children)
        .select_related("child")
        .order_by("-draft_saved_at", "-created_at")
    )
    ctx = {"mine": mine, "followed": followed, "drafts": list(drafts)}
    audit.log_list_view(request, [item.child_id for rows in ctx.values() for item in rows])
    return render(request, "loeft/my_tasks.html", ctx)
