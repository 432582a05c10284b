"""Escalating a child to Børn & Ungerådgivningen, recording an underretning, the
intake queue where a caseworker accepts a child and opens a case, and the case page."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role, UnitKind
from children import audit
from children.access import (
    get_child_for_user,
    get_child_object,
    get_child_to_notify_about,
    in_intake_of,
    is_intake_staff,
    visible_children,
)
from followups import queries, reminders, underretninger, workdays
from followups.forms import (
    CaseMemberForm,
    CaseSummaryForm,
    EscalationForm,
    HandoverForm,
    InterventionEndForm,
    InterventionForm,
    PreventionLevelForm,
    UnderretningForm,
)
from followups.models import (
    REPEAT_WINDOW,
    Case,
    CaseMember,
    Escalation,
    Handover,
    PreventionLevel,
    Reminder,
    Step,
    Underretning,
)
from followups.tasks import send_pending_reminders
from tidlig.lib.charts import Level, level_chart
from tidlig.lib.once import submit_once
from tidlig.lib.tasks import enqueue_on_commit

# Rows on a page of the intake.
PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def escalate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = get_child_for_user(request, pk)
    unit = queries.escalating_unit(request.user, child)
    if unit is None:
        raise Http404  # only staff of the child's own unit escalate
    form = EscalationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            escalation = form.save(commit=False)
            escalation.child, escalation.from_unit = child, unit
            escalation.escalated_by = request.user
            escalation.save()
            messages.success(
                request, _("Barnet er sendt til Børn & Ungerådgivningen. En rådgiver tager over.")
            )
            return redirect(child)
        audit.log_shown_again(request, child)
    waiting = child.escalations.filter(status=Escalation.Status.WAITING).exists()
    ctx = {"child": child, "form": form, "waiting": waiting}
    return render(request, "followups/escalate.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def underretning_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An underretning about a child the user reads, from the child page or the
    assessment: also by a caseworker reading it through the intake queue or a
    consultant through the parents' consent, whose duty to notify is their own
    (Barnets Lov § 133, stk. 1; children.access.get_child_to_notify_about)."""
    child = get_child_to_notify_about(request, pk)
    form = UnderretningForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            name = user.get_full_name() or user.username
            # The notifier's unit for the receipt: the child's, or (a consultant, a
            # caseworker) the unit the notifier works in.
            unit = queries.escalating_unit(user, child) or (
                user.units_with_role(*Role.values).order_by("name").first()
            )
            # Made in Tidlig, it reaches the municipality now: the deadlines start here.
            underretninger.register(
                child=child,
                about=form.cleaned_data["about"],
                received_at=timezone.now(),
                registered_by=user,
                made_by=user,
                notifier=f"{name}, {user.title}" if user.title else name,
                notifier_contact=", ".join(
                    part for part in (unit.name if unit else "", user.email) if part
                ),
            )
            messages.success(request, _("Underretningen er registreret."))
            return redirect(child)
        audit.log_shown_again(request, child)
    return render(request, "followups/underretning_form.html", {"child": child, "form": form})


# Caseworkers and leaders of Børn & Ungerådgivningen; only caseworkers take a child.
raadgivning = role_required(Role.RAADGIVER, Role.LEDER, unit_kind=UnitKind.RAADGIVNING)
caseworker = role_required(Role.RAADGIVER, unit_kind=UnitKind.RAADGIVNING)


@raadgivning
@require_http_methods(["GET"])
def intake(request: HttpRequest) -> HttpResponse:
    """The open underretninger, the most urgent deadline first, a page at a time, and
    the escalations waiting for a caseworker, the oldest PAGE_SIZE of them.

    Names and the underretninger's text are shown so that a caseworker can handle
    them; opening the underretning or the child is audited.
    """
    now = timezone.now()
    # The whole municipality's, or the district team's (settings.INTAKE_BY_DISTRICT).
    mine = in_intake_of(request.user, child_ref="child")
    waiting = Escalation.objects.filter(mine, status=Escalation.Status.WAITING)
    escalations = list(waiting.select_related("child", "from_unit", "escalated_by")[:PAGE_SIZE])
    escalation_count = len(escalations)
    if escalation_count == PAGE_SIZE:
        escalation_count = waiting.count()
    # The order needs the hverdage calendar (followups.workdays), so it is taken in
    # Python over the few fields it needs; the queue is short, as each underretning
    # must be assessed within 24 hours. Only the page's rows are then loaded in full.
    queue = sorted(
        Underretning.objects.open()
        .filter(mine)
        .only("received_at", "assessed_at", "source", "receipt_sent_on"),
        key=lambda item: _urgency(item, now),
    )
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("side"))
    items = (
        Underretning.objects.filter(pk__in=[item.pk for item in page])
        .select_related("child", "made_by")
        .annotate(
            in_last_year=Count(
                "child__underretninger",
                filter=Q(
                    child__underretninger__received_at__gt=F("received_at") - REPEAT_WINDOW,
                    child__underretninger__received_at__lte=F("received_at"),
                ),
            )
        )
        .in_bulk()
    )
    shown = [items[item.pk] for item in page if item.pk in items]  # unless deleted since
    rows = [
        {
            "item": item,
            "assessment_overdue": item.assessment_overdue(now),
            "receipt_overdue": item.receipt_overdue(),
        }
        for item in shown
    ]
    # A waiting child is the rådgivning's only once a caseworker takes it: its name
    # links to its page for those who may already open it (children.access).
    waiting_ids = [escalation.child_id for escalation in escalations]
    ctx = {
        "escalations": escalations,
        "escalation_count": escalation_count,
        "underretninger": rows,
        "page": page,
        "now": now,
        "openable": set(
            visible_children(request.user).filter(pk__in=waiting_ids).values_list("pk", flat=True)
        ),
        # The leader follows the intake; the caseworkers register and take (`caseworker`).
        "is_caseworker": is_intake_staff(request.user, Role.RAADGIVER),
    }
    audit.log_list_view(
        request,
        [escalation.child_id for escalation in escalations] + [item.child_id for item in shown],
    )
    return render(request, "followups/intake.html", ctx)


def _urgency(item: Underretning, now: datetime) -> tuple[bool, datetime, int]:
    """The next deadline first: the 24 hours until assessed, then the receipt; those
    with no deadline left last."""
    if item.assessed_at is None:
        return False, item.assessment_deadline, item.pk
    if item.wants_receipt and item.receipt_sent_on is None:
        return False, _end_of_day(item.receipt_deadline), item.pk
    return True, now, item.pk


def _end_of_day(day):
    return datetime.combine(day, time(23, 59), tzinfo=workdays.COPENHAGEN)


@caseworker
@require_POST
@submit_once
def escalation_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The caseworker takes the child: a case opens with them as coordinator."""
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update()
            .filter(
                in_intake_of(request.user, child_ref="child"),
                pk=pk,
                status=Escalation.Status.WAITING,
            )
            .first()
        )
        if escalation is None:
            mine = Case.objects.filter(
                escalation__pk=pk, escalation__accepted_by=request.user, closed_on=None
            ).first()
            if mine is not None:  # a second click: the case the first one opened
                messages.info(request, _("Du har allerede taget barnet. Her er sagen."))
                return redirect(mine)
            messages.info(request, _("En anden rådgiver har allerede taget barnet."))
            return redirect("intake")
        escalation.status = Escalation.Status.ACCEPTED
        escalation.accepted_by, escalation.accepted_at = request.user, timezone.now()
        escalation.save()
        case = Case.objects.create(
            child=escalation.child,
            coordinator=request.user,
            escalation=escalation,
            opened_on=timezone.localdate(),
        )
        case.schedule_first_meeting()
    messages.success(request, _("Sagen er oprettet, og du er tovholder."))
    return redirect(case)


@login_required
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_child_object(request, Case.objects.select_related("coordinator", "escalation"), pk)
    child = case.child
    interventions = list(case.interventions.order_by("start", "pk"))
    meetings = list(case.meetings.order_by("scheduled_on"))
    ctx = {
        "child": child,
        "case": case,
        "can_manage": case.is_open and case.is_coordinated_by(request.user),
        "pending_handover": case.pending_handover(),
        "members": case.members.select_related("user"),
        "interventions": interventions,
        "meetings": meetings,
        "next_meeting": next((m for m in meetings if not m.is_held), None),
        # The steps agreed at the case's meetings and not done yet, to mark done here.
        "open_steps": queries.case_open_steps(case),
        # The underretninger handed on to the case, with their receipt still owed.
        "underretninger": case.underretninger.order_by("received_at"),
        "staircase": _staircase(interventions),
        "current_step": case.current_step(),
        # Beside a level the coordinator chose: the one the rule gives.
        "derived_level": PreventionLevel(case.derived_prevention_level()).label
        if case.prevention_level_is_overridden
        else "",
        "direction": _direction(interventions),
    }
    return render(request, "followups/case_detail.html", ctx)


def _staircase(interventions):
    if not interventions:
        return ""
    levels = [Level(step.value, f"{step.value} {step.label}") for step in Step]
    points = [(i.start, i.step) for i in interventions]
    return level_chart(
        points,
        levels=levels,
        title=_("Barnets vej på Indsatstrappen"),
        description=_("Trin for hver indsats, fra den første til den seneste."),
        chart_id="staircase",
        label_width=290,
        height=240,
    )


def _direction(interventions) -> str:
    """'ned', 'op' or '' for the latest move on the staircase."""
    if len(interventions) < 2:
        return ""
    before, latest = interventions[-2].step, interventions[-1].step
    return "ned" if latest < before else "op" if latest > before else ""


def _case_for_coordinator(request: HttpRequest, pk: int) -> Case:
    """The open case if the user may see its child and is its coordinator: the
    team reads the case, only the coordinator changes it (403 for the team)."""
    case = get_child_object(request, Case.objects.select_related("coordinator"), pk)
    if not case.is_coordinated_by(request.user) or not case.is_open:
        raise PermissionDenied
    return case


def _form_page(
    request, case, form, heading, submit_label, *, lead="", template="", **extra
) -> HttpResponse:
    ctx = {
        **extra,
        "child": case.child,
        "case": case,
        "form": form,
        "heading": heading,
        "submit_label": submit_label,
        "lead": lead,
    }
    return render(request, template or "followups/case_form_page.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator chooses the case's prevention level, with a reason, instead of
    the one derived from the step and the zone (or goes back to that)."""
    case = _case_for_coordinator(request, pk)
    form = PreventionLevelForm(request.POST or None, case=case)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            case.set_prevention_level(data["level"], reason=data["reason"])
            messages.success(request, _("Forebyggelsesniveauet er gemt."))
            return redirect(case)
        audit.log_shown_again(request, case.child)
    lead = _(
        "Niveauet afledes af sagens trin på Indsatstrappen og barnets seneste zone på "
        "Børnelinealen. Vælg selv et andet niveau, når det afledte ikke passer, og skriv hvorfor."
    )
    return _form_page(request, case, form, _("Forebyggelsesniveau"), _("Gem"), lead=lead)


@login_required
@require_http_methods(["GET", "POST"])
def case_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator writes what the child's units see of the case; an empty
    text shares nothing but the coordinator's name while the case is open."""
    case = _case_for_coordinator(request, pk)
    form = CaseSummaryForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        case.summary_shared_on = timezone.localdate() if case.shared_summary.strip() else None
        case.save(update_fields=["shared_summary", "summary_shared_on"])
        messages.success(request, _("Resuméet er gemt. Barnets enheder kan nu se det."))
        return redirect(case)
    lead = _(
        "Barnets dagtilbud, skole og SFO ser ikke sagens møder, indsatser eller underretninger, "
        "kun dit navn som tovholder og det, du skriver her."
    )
    return _form_page(request, case, form, _("Del et resumé af sagen"), _("Gem resumé"), lead=lead)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def case_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_coordinator(request, pk)
    form = CaseMemberForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        member = CaseMember.objects.create(
            case=case, user=form.cleaned_data["user"], profession=form.cleaned_data["profession"]
        )
        messages.success(request, _("%(who)s er med i teamet.") % {"who": member.user})
        return redirect(case)
    lead = _(
        "Fagpersoner fra alle enheder kan være i teamet. De kan se barnet, så længe sagen er åben."
    )
    return _form_page(request, case, form, _("Tilføj til teamet"), _("Tilføj"), lead=lead)


@login_required
@require_POST
def case_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    case = _case_for_coordinator(request, pk)
    member = case.members.filter(pk=member_pk).select_related("user").first()
    if member is None:
        raise Http404
    member.delete()
    messages.success(request, _("%(who)s er ikke længere i teamet.") % {"who": member.user})
    return redirect(case)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def intervention_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_coordinator(request, pk)
    form = InterventionForm(
        request.POST or None, case=case, initial={"start": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            intervention = form.save(commit=False)
            intervention.case = case
            intervention.save()
            if form.cleaned_data["end_current"]:
                # What the new effort replaces ends the day it starts.
                for current in case.interventions.filter(
                    end__isnull=True, start__lte=intervention.start
                ).exclude(pk=intervention.pk):
                    current.end = intervention.start
                    current.save(update_fields=["end"])
        messages.success(request, _("Indsatsen er registreret."))
        return redirect(case)
    lead = _("Retningen er ned ad trappen: den mindst indgribende indsats, der kan hjælpe barnet.")
    return _form_page(request, case, form, _("Ny indsats på Indsatstrappen"), _("Gem"), lead=lead)


@login_required
@require_http_methods(["GET", "POST"])
def intervention_end(request: HttpRequest, pk: int, intervention_pk: int) -> HttpResponse:
    case = _case_for_coordinator(request, pk)
    intervention = case.interventions.filter(pk=intervention_pk, end__isnull=True).first()
    if intervention is None:
        raise Http404
    form = InterventionEndForm(
        request.POST or None,
        intervention=intervention,
        initial={"end": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        intervention.end = form.cleaned_data["end"]
        intervention.save(update_fields=["end"])
        messages.success(request, _("Indsatsen er afsluttet."))
        return redirect(case)
    lead = f"{intervention.step} · {intervention.get_step_display()}: {intervention.kind}"
    return _form_page(request, case, form, _("Afslut indsats"), _("Afslut indsatsen"), lead=lead)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def handover_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator offers the case to another caseworker; it stays theirs until
    the other says yes."""
    case = _case_for_coordinator(request, pk)
    pending = case.pending_handover()
    form = HandoverForm(request.POST or None, case=case)
    if request.method == "POST" and pending is None and form.is_valid():
        with transaction.atomic():
            handover = form.save(commit=False)
            handover.case, handover.from_user = case, request.user
            handover.save()
            reminders.notify(
                reminders.Due(
                    Reminder.Kind.HANDOVER,
                    f"handover:{handover.pk}",
                    handover.to_user,
                    timezone.localdate(),
                    {"handover": handover},
                )
            )
            enqueue_on_commit(send_pending_reminders)
        messages.success(
            request,
            _("%(who)s er spurgt. Du er tovholder, indtil vedkommende har sagt ja.")
            % {"who": handover.to_user},
        )
        return redirect(case)
    lead = _("Den nye tovholder skal sige ja. Indtil da er du tovholder og får påmindelserne.")
    return _form_page(
        request,
        case,
        form,
        _("Giv tovholderrollen videre"),
        _("Spørg om at overtage sagen"),
        lead=lead,
        template="followups/handover_form.html",
        pending=pending,
    )


@login_required
@require_POST
def handover_withdraw(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    case = _case_for_coordinator(request, pk)
    handover = case.handovers.filter(pk=handover_pk, status=Handover.Status.PENDING).first()
    if handover is None:
        raise Http404
    handover.withdraw()
    messages.success(request, _("Forespørgslen er trukket tilbage."))
    return redirect(case)


def _answered(request: HttpRequest, handover: Handover) -> HttpResponse:
    """An offer that is no longer open: what became of it, and where to go."""
    if handover.status == Handover.Status.ACCEPTED:
        messages.info(request, _("Du har allerede sagt ja. Du er tovholder på sagen."))
        return redirect(handover.case)
    if handover.status == Handover.Status.DECLINED:
        messages.info(request, _("Du har allerede sagt nej til at overtage sagen."))
    else:
        messages.info(request, _("Forespørgslen er trukket tilbage og kan ikke længere besvares."))
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def handover_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The caseworker who is offered a case reads the offer and says yes or no.

    They are not on the case yet, so the child's access rule does not let them in:
    the offer itself is their need to know, and reading it is audited.
    """
    offers = Handover.objects.filter(pk=pk, to_user=request.user, case__closed_on=None)
    handover = offers.select_related("case__child", "from_user").first()
    if handover is None:
        raise Http404
    if handover.status != Handover.Status.PENDING:
        return _answered(request, handover)
    case = handover.case
    if request.method == "POST":
        answer = request.POST.get("svar")
        with transaction.atomic():
            # A second click, another tab: the first answer stands, and this one
            # is told so instead of getting "Siden findes ikke".
            locked = offers.select_for_update().filter(status=Handover.Status.PENDING)
            if not locked.exists():
                handover.refresh_from_db()
                return _answered(request, handover)
            if answer == "ja":
                handover.accept()
            elif answer == "nej":
                handover.decline()
            else:
                raise Http404
        Reminder.objects.filter(
            recipient=request.user, object_key=f"handover:{handover.pk}", read_at=None
        ).update(read_at=timezone.now())
        if answer == "ja":
            messages.success(request, _("Du er nu tovholder på sagen."))
            return redirect(case)
        messages.info(
            request,
            _("Du har sagt nej. %(who)s er stadig tovholder.") % {"who": handover.from_user},
        )
        return redirect("home")
    audit.log_shown_again(request, case.child)
    current = case.interventions.filter(end__isnull=True).order_by("-start").first()
    next_meeting = case.meetings.filter(held_on__isnull=True).order_by("scheduled_on").first()
    ctx = {
        "handover": handover,
        "case": case,
        "child": case.child,
        "current": current,
        "next_meeting": next_meeting,
    }
    return render(request, "followups/handover_answer.html", ctx)
