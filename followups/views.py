"""Escalating a child to Børn & Ungerådgivningen, recording an underretning, the
intake queue where a caseworker accepts a child and opens a case, and the case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role, UnitKind
from children import audit
from children.access import UNIT_ROLES, get_child_for_user, get_child_object
from children.models import Enrollment
from followups.forms import EscalationForm, UnderretningForm
from followups.models import Case, Escalation, Step, Underretning
from tidlig.lib.charts import Level, level_chart


def _child_unit(request: HttpRequest, child):
    """The user's own unit where the child is enrolled (escalations come from there)."""
    units = request.user.units_with_role(*UNIT_ROLES).values("pk")
    enrollment = Enrollment.objects.active().filter(child=child, unit__in=units).first()
    return enrollment.unit if enrollment else None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    action = audit.Event.CHANGE if request.method == "POST" else audit.Event.READ
    child = get_child_for_user(request, pk, action=action)
    unit = _child_unit(request, child)
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
        audit.log_access(request.user, child, audit.Event.READ, what=request.path)
    waiting = child.escalations.filter(status=Escalation.Status.WAITING).exists()
    ctx = {"child": child, "form": form, "waiting": waiting}
    return render(request, "followups/escalate.html", ctx)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def underretning_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = audit.Event.CHANGE if request.method == "POST" else audit.Event.READ
    child = get_child_for_user(request, pk, action=action)
    form = UnderretningForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            item = form.save(commit=False)
            item.child, item.made_by = child, request.user
            item.notifier = request.user.get_full_name() or request.user.username
            item.received_at = timezone.now()
            item.save()
            messages.success(request, _("Underretningen er registreret."))
            return redirect(child)
        audit.log_access(request.user, child, audit.Event.READ, what=request.path)
    return render(request, "followups/underretning_form.html", {"child": child, "form": form})


# Caseworkers and leaders of Børn & Ungerådgivningen; only caseworkers take a child.
raadgivning = role_required(Role.RAADGIVER, Role.LEDER, unit_kind=UnitKind.RAADGIVNING)
caseworker = role_required(Role.RAADGIVER, unit_kind=UnitKind.RAADGIVNING)


@raadgivning
@never_cache
@require_http_methods(["GET"])
def intake(request: HttpRequest) -> HttpResponse:
    """Escalations waiting for a caseworker and recent underretninger with their deadlines.

    Names are shown so that a caseworker can take a child; opening it is audited.
    """
    now = timezone.now()
    escalations = Escalation.objects.filter(status=Escalation.Status.WAITING).select_related(
        "child", "from_unit", "escalated_by"
    )
    underretninger = (
        Underretning.objects.filter(assessed_at__isnull=True)
        | Underretning.objects.filter(receipt_sent_on__isnull=True)
    ).select_related("child", "made_by")
    rows = [
        {
            "item": item,
            "assessment_deadline": item.assessment_deadline,
            "assessment_overdue": item.assessment_overdue(now),
            "receipt_deadline": item.receipt_deadline,
            "receipt_overdue": item.receipt_overdue(),
        }
        for item in underretninger.order_by("received_at")
    ]
    ctx = {"escalations": escalations, "underretninger": rows, "now": now}
    return render(request, "followups/intake.html", ctx)


@caseworker
@require_POST
def escalation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The caseworker takes the child: a case opens with them as coordinator."""
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update()
            .filter(pk=pk, status=Escalation.Status.WAITING)
            .first()
        )
        if escalation is None:
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
@never_cache
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_child_object(request, Case.objects.select_related("coordinator", "escalation"), pk)
    child = case.child
    interventions = list(case.interventions.order_by("start", "pk"))
    meetings = list(case.meetings.order_by("scheduled_on"))
    ctx = {
        "child": child,
        "case": case,
        "members": case.members.select_related("user"),
        "interventions": interventions,
        "meetings": meetings,
        "next_meeting": next((m for m in meetings if not m.is_held), None),
        "staircase": _staircase(interventions),
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
