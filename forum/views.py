"""The tværfaglige forum's pages: the forum front page, bringing a child, a case,
a meeting with its agenda, the advice and next steps, the minutes as a PDF.

Every view starts with a check from forum.access (404 otherwise). An anonymous
case carries nothing that identifies the child: the form that brings it posts to
the child's address (only the bringer sees it) and stores no link to the child.
"""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role, Unit
from children import audit
from children.access import get_child_to_change, readable_entries, visible_children
from children.models import Child, Concern, Enrollment
from forum import access
from forum.forms import (
    DESCRIPTION,
    AdviceForm,
    BringForm,
    LinkForm,
    MeetingForm,
    without_names,
)
from forum.models import Forum, ForumCase, ForumMeeting
from loeft.forms import NextStepDoneForm, NextStepForm, step_errors
from loeft.models import NextStep
from ruler.models import Assessment
from tidlig.lib.once import submit_once
from tidlig.lib.pdf import pdf_response, render_pdf

StepFormSet = django_forms.formset_factory(NextStepForm, extra=0, min_num=3, max_num=12)


def _log_linked(request: HttpRequest, cases) -> None:
    """A page naming linked cases' children is a read of them (anonymous ones name none)."""
    ids = [case.child_id for case in cases if case.child_id]
    if ids:
        audit.log_list_view(request, ids)


@role_required(Role.KONSULENT, Role.FAGPERSON, Role.LEDER)
def forum_home(request: HttpRequest) -> HttpResponse:
    """A consultant's upcoming meetings with their agendas and the cases waiting for
    a meeting; a bringer's (or leader's) own unit's cases."""
    user = request.user
    forums = list(access.forums_of(user).order_by("name"))
    meetings = list(
        ForumMeeting.objects.upcoming()
        .filter(forum__in=forums)
        .select_related("forum")
        .prefetch_related("cases__child")[:20]
    )
    past = list(
        ForumMeeting.objects.filter(forum__in=forums, held_at__isnull=False)
        .select_related("forum")
        .order_by("-date")[:10]
    )
    waiting = list(
        ForumCase.objects.filter(forum__in=forums, meeting__isnull=True).select_related(
            "forum", "child"
        )
    )
    brought = list(
        access.visible_cases(user)
        .exclude(forum__in=forums)
        .select_related("forum", "meeting", "child")
        .order_by("-created_at")[:50]
    )
    _log_linked(request, [c for m in meetings for c in m.cases.all()] + waiting + brought)
    ctx = {
        "forums": forums,
        "meetings": meetings,
        "past": past,
        "waiting": waiting,
        "brought": brought,
        "brings": access.forums_to_bring_to(user).exists(),
    }
    return render(request, "forum/home.html", ctx)


def _bringing_units(user, child: Child) -> list[Unit]:
    """The user's units (as fagperson or leder) where the child is enrolled today."""
    mine = [m.unit_id for m in user.memberships_as(*access.BRINGING_ROLES)]
    enrolled = Enrollment.objects.active().filter(child=child, unit_id__in=mine)
    return [e.unit for e in enrolled.select_related("unit").order_by("start", "pk")]


def _prefill(user, child: Child, unit: Unit | None) -> dict:
    """The description from what the user reads of the child: age, kind of unit, the
    latest assessment's zone and columns, the latest concern as what was seen."""
    readable = readable_entries(user, child)
    latest = Assessment.objects.current().filter(readable, child=child).first()
    concern = Concern.objects.filter(readable, child=child).order_by("-observed_on", "-pk").first()
    initial = {"age_years": child.age(), "unit_kind": unit.kind if unit else ""}
    if latest is not None:
        initial |= {
            "zone": latest.zone,
            "what_works": latest.what_works,
            "what_worries": latest.what_worries,
            "what_must_happen": latest.what_must_happen,
        }
    if concern is not None:
        initial["seen"] = concern.text
    # Written about a named child; the forum reads it anonymously by default.
    return {
        key: without_names(value, child) if isinstance(value, str) else value
        for key, value in initial.items()
    }


@login_required
@submit_once
def forum_bring(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring the child to a forum: anonymously (the default) or linked with consent."""
    child = get_child_to_change(request, pk)
    units = _bringing_units(request.user, child)
    forums = Forum.objects.filter(active=True, units__in=units).distinct().order_by("name")
    form = None
    if units and forums:
        initial = _prefill(request.user, child, units[0])
        form = BringForm(request.POST or None, initial=initial, forums=forums, child=child)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                case = form.save(commit=False)
                case.brought_by = request.user
                forum_units = set(case.forum.units.values_list("pk", flat=True))
                case.unit = next(u for u in units if u.pk in forum_units)
                case.meeting = case.forum.next_meeting()
                if form.with_consent:
                    case.link(
                        child=child,
                        guardian=form.cleaned_data["guardian"],
                        given_on=form.cleaned_data["given_on"],
                        by=request.user,
                    )
                else:
                    case.save()
            messages.success(request, _("Sagen er sendt til %(forum)s.") % {"forum": case.forum})
            return redirect(case)
    status = 400 if form is not None and form.is_bound else 200
    ctx = {"child": child, "form": form}
    return render(request, "forum/bring.html", ctx, status=status)


def _steps_of(case: ForumCase) -> list[NextStep]:
    return list(case.next_steps.select_related("owner_user").order_by("due", "pk"))


def _step_owners(case: ForumCase) -> list[tuple[str, str]]:
    """A forum step is owned by a professional: a consultant of the forum or the bringer."""
    people = {u.pk: u for u in case.forum.consultants.filter(is_active=True)}
    people[case.brought_by_id] = case.brought_by
    ordered = sorted(people.values(), key=lambda u: (u.first_name, u.last_name, u.username))
    return [("", _("Vælg hvem"))] + [(f"u{u.pk}", str(u)) for u in ordered]


def _child_link(user, case: ForumCase) -> str:
    """The child page, for a linked case's reader who may open it anyway (the
    bringing unit): never for a consultant through the forum alone."""
    if case.child_id and visible_children(user).filter(pk=case.child_id).exists():
        return reverse("child", args=[case.child_id])
    return ""


@login_required
def forum_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request, pk)
    consultant = access.is_consultant(request.user, case.forum)
    _log_linked(request, [case])
    ctx = {
        "case": case,
        "steps": _steps_of(case),
        "consultant": consultant,
        "may_link": case.is_anonymous and access.may_link(request.user, case),
        "child_url": _child_link(request.user, case),
    }
    return render(request, "forum/case_detail.html", ctx)


@login_required
@submit_once
def forum_case_advice(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultant records the forum's advice and the next steps agreed."""
    case = access.get_case_to_advise(request, pk)
    form = AdviceForm(request.POST or None, instance=case)
    owners = _step_owners(case)
    steps = StepFormSet(request.POST or None, form_kwargs={"owners": owners}, prefix="skridt")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        with transaction.atomic():
            case = form.save(commit=False)
            case.advice_by, case.advice_on = request.user, timezone.localdate()
            case.save()
            for row in steps.forms:
                if row.is_blank:
                    continue
                step = row.to_step(case.child)
                step.forum_case = case
                step.save()
        messages.success(request, _("Rådet og de næste skridt er gemt."))
        back = request.POST.get("tilbage") == "moede" and case.meeting_id
        return redirect(case.meeting if back else case)
    _log_linked(request, [case])
    ctx = {
        "case": case,
        "form": form,
        "steps": steps,
        "step_errors": step_errors(steps),
        "existing": _steps_of(case),
    }
    return render(request, "forum/advice.html", ctx, status=400 if form.is_bound else 200)


@login_required
@submit_once
def forum_case_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an anonymous case to the child, once the parents have consented: among
    the children of the bringing unit the user may change."""
    case = access.get_case_for_user(request, pk)
    if not case.is_anonymous or not access.may_link(request.user, case):
        raise Http404
    enrolled = Enrollment.objects.active().filter(unit=case.unit).values("child_id")
    children = visible_children(request.user, for_change=True).filter(pk__in=enrolled)
    form = LinkForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        child = form.cleaned_data["child"]
        with transaction.atomic():
            case.link(
                child=child,
                guardian=form.cleaned_data["guardian"],
                given_on=form.cleaned_data["given_on"],
                by=request.user,
            )
        messages.success(request, _("Sagen er knyttet til %(child)s.") % {"child": child})
        return redirect(case)
    ctx = {"case": case, "form": form}
    return render(request, "forum/link.html", ctx, status=400 if form.is_bound else 200)


@login_required
@require_POST
def forum_step_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a forum step done (or open it again): its owner, the forum's consultants
    and those who see the case."""
    step = (
        NextStep.objects.filter(forum_case__in=access.visible_cases(request.user), pk=pk)
        .select_related("forum_case", "child")
        .first()
    )
    if step is None:
        raise Http404
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = step.source_url
    if "genaabn" in request.POST:
        step.reopen()
        messages.success(request, _("Skridtet er åbnet igen."))
        return redirect(back)
    form = NextStepDoneForm(request.POST, child=step.child)
    if form.is_valid():
        step.mark_done(
            on=form.cleaned_data["done_on"], comment=form.cleaned_data["comment"], by=request.user
        )
        messages.success(request, _("Skridtet er markeret som gjort."))
        return redirect(back)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back)


@login_required
def forum_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting with its agenda: each case's description, advice and next steps."""
    meeting = access.get_meeting_for_user(request, pk)
    cases = list(
        meeting.cases.select_related("unit", "brought_by", "advice_by", "child").prefetch_related(
            "next_steps__owner_user"
        )
    )
    _log_linked(request, cases)
    ctx = {"meeting": meeting, "cases": cases, "participants": meeting.participants.all()}
    return render(request, "forum/meeting_detail.html", ctx)


def _meeting_form(request: HttpRequest, forum: Forum, meeting: ForumMeeting | None):
    instance = meeting or ForumMeeting(forum=forum)
    initial = {} if meeting else {"participants": list(forum.consultants.filter(is_active=True))}
    form = MeetingForm(request.POST or None, instance=instance, forum=forum, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            if "held" in form.cleaned_data:
                held = form.cleaned_data["held"]
                if held and not saved.is_held:
                    saved.held_at, saved.held_by = timezone.now(), request.user
                elif not held:
                    saved.held_at, saved.held_by = None, None
                saved.save(update_fields=["held_at", "held_by"])
            if meeting is None:
                # The cases waiting for a meeting go on the new one's agenda.
                forum.cases.filter(meeting__isnull=True).update(meeting=saved)
        messages.success(request, _("Mødet er gemt."))
        return redirect(saved)
    ctx = {"form": form, "forum": forum, "meeting": meeting}
    return render(request, "forum/meeting_form.html", ctx, status=400 if form.is_bound else 200)


@login_required
@submit_once
def forum_meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for_user(request, pk)
    return _meeting_form(request, forum, None)


@login_required
@submit_once
def forum_meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request, pk)
    return _meeting_form(request, meeting.forum, meeting)


@login_required
def forum_meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes: the agenda's cases as the forum saw them, the advice and steps.
    Its file name names the forum and the date, never a child."""
    meeting = access.get_meeting_for_user(request, pk)
    cases = list(
        meeting.cases.select_related("unit", "child").prefetch_related("next_steps__owner_user")
    )
    for case in cases:
        if case.child is not None:
            audit.log_access(request.user, case.child, audit.Event.PRINT, what=request.path)
    ctx = {
        "meeting": meeting,
        "cases": cases,
        "participants": meeting.participants.all(),
        "fields": DESCRIPTION,
    }
    pdf = render_pdf("forum/meeting_pdf.html", ctx, request=request)
    return pdf_response(pdf, f"referat-tvaerfagligt-forum-{meeting.date:%Y-%m-%d}.pdf")
