"""Lists across cases: the user's notifications, "Mine møder", "Mine sager", and
for the leader of Børn & Ungerådgivningen the share of meetings held on time.

Like "Mine børn", each list writes one audit entry per view naming the children
shown (children.audit.log_list); opening a case or a meeting is audited as a read.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role, UnitKind
from children import audit
from children.access import CLOSED_CASE_ACCESS_DAYS
from children.models import Consent, Enrollment
from followups import queries
from followups.models import (
    Case,
    CaseQuerySet,
    Handover,
    Intervention,
    Meeting,
    Reminder,
    Step,
    Underretning,
)
from followups.punctuality import (
    Tally,
    coordinator_rows,
    quarter_start,
    quarter_totals,
    quarters_of,
)
from loeft.models import NextStep
from tidlig.lib.forms import DateInput, DKFDSFormMixin

NOTIFICATIONS_PER_PAGE = 50
# Lines of "Møder til tiden", one per quarter and coordinator.
PUNCTUALITY_PER_PAGE = 50


def notifications_for(user) -> QuerySet[Reminder]:
    """The user's in-app notifications: the reminder rows due by today."""
    return Reminder.objects.filter(recipient=user, due_on__lte=timezone.localdate())


def unread_count(user) -> int:
    # Uses the (recipient, read_at) index; the menu badge (followups.context_processors).
    return notifications_for(user).filter(read_at__isnull=True).count()


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    reminders = notifications_for(request.user).order_by("-due_on", "-pk")
    page = Paginator(reminders, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("side"))
    ctx = {
        "page": page,
        "unread": unread_count(request.user),
    }
    audit.log_list_view(request, reminder_children(page.object_list))
    return render(request, "followups/notifications.html", ctx)


# What a reminder's object_key ("<model>:<pk>") points at, and the path from it
# to its child: a notification about one of these names the child.
_CHILD_OF: dict[str, tuple[type[models.Model], str]] = {
    "meeting": (Meeting, "case__child_id"),
    "handover": (Handover, "case__child_id"),
    "underretning": (Underretning, "child_id"),
    "step": (NextStep, "child_id"),
    "consent": (Consent, "child_id"),
}


def reminder_children(reminders) -> list[int]:
    """The children the reminders name, for the audit entry of the page: one query
    per kind of object on the page, not one per reminder."""
    keys: dict[str, set[int]] = {}
    for reminder in reminders:
        model, _sep, rest = reminder.object_key.partition(":")
        if model == "transition":  # "transition:<sending>-<receiving>", two enrollments
            model, rest = "enrollment", rest.partition("-")[2]
        if rest.isdigit():
            keys.setdefault(model, set()).add(int(rest))
    found: list[int] = []
    for model_name, pks in keys.items():
        if model_name == "enrollment":
            found += Enrollment.objects.filter(pk__in=pks).values_list("child_id", flat=True)
        elif model_name in _CHILD_OF:
            model, path = _CHILD_OF[model_name]
            found += model._default_manager.filter(pk__in=pks).values_list(path, flat=True)
    return found


def _safe_local_url(url: str) -> str | None:
    """`url` if it is a path on this site, else None: a reminder's link must
    never send the user somewhere else."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return None


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points."""
    reminder = get_object_or_404(notifications_for(request.user), pk=pk)
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])
    return redirect(_safe_local_url(reminder.url) or "notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = (
        notifications_for(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    )
    if count:
        messages.success(request, _("Alle notifikationer er markeret som læst."))
    return redirect("notifications")


@role_required(Role.FAGPERSON, Role.LEDER, Role.RAADGIVER, Role.KONSULENT)
@require_GET
def my_meetings(request: HttpRequest) -> HttpResponse:
    """The meetings not held yet of the open cases the user is on: overdue first."""
    today = timezone.localdate()
    overdue, upcoming = [], []
    for meeting in queries.unheld_meetings_of(request.user):
        if meeting.scheduled_on < today:
            overdue.append(meeting)
        else:
            upcoming.append(meeting)
    ctx = {"overdue": overdue, "upcoming": upcoming, "today": today}
    audit.log_list_view(request, [meeting.case.child_id for meeting in overdue + upcoming])
    return render(request, "followups/my_meetings.html", ctx)


def _with_overview(cases: CaseQuerySet) -> CaseQuerySet:
    """Annotate each case with its current step on Indsatstrappen (the latest
    intervention still running, else the one that ended last) and its next
    meeting, so a list of cases costs the same number of queries however long."""
    current = Intervention.objects.filter(case=OuterRef("pk")).order_by(
        F("end").desc(nulls_first=True), "-start", "-pk"
    )
    upcoming = Meeting.objects.filter(case=OuterRef("pk"), held_on__isnull=True).order_by(
        "scheduled_on", "pk"
    )
    return cases.select_related("child", "coordinator").annotate(
        current_step=Subquery(current.values("step")[:1]),
        current_kind=Subquery(current.values("kind")[:1]),
        next_meeting_on=Subquery(upcoming.values("scheduled_on")[:1]),
        next_meeting_id=Subquery(upcoming.values("pk")[:1]),
    )


def _with_step_labels(cases: CaseQuerySet) -> list[Case]:
    listed = list(cases)
    for case in listed:
        # current_step is annotated by _with_overview; the label is for the template.
        case.current_step_label = Step(case.current_step).label if case.current_step else ""
    return listed


@role_required(Role.RAADGIVER, unit_kind=UnitKind.RAADGIVNING)
@require_GET
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The caseworker's own cases, the cases they are on the team of, and the
    cases they are asked to take over."""
    user, today = request.user, timezone.localdate()
    pending = Handover.objects.filter(status=Handover.Status.PENDING).select_related("to_user")
    coordinated = _with_overview(Case.objects.filter(coordinator=user)).order_by(
        "child__first_name", "child__last_name", "pk"
    )
    open_cases = coordinated.filter(closed_on__isnull=True).prefetch_related(
        Prefetch("handovers", queryset=pending, to_attr="pending_handovers")
    )
    # A closed case gives access to its child for a while (to finish and send the
    # closing minutes); after that it is not listed, for it names the child.
    closed = (
        coordinated.visible_to_team().filter(closed_on__isnull=False).order_by("-closed_on", "pk")
    )
    team = _with_overview(
        Case.objects.open().filter(members__user=user).exclude(coordinator=user)
    ).order_by("child__first_name", "child__last_name", "pk")
    offered = (
        Handover.objects.filter(
            to_user=user, status=Handover.Status.PENDING, case__closed_on__isnull=True
        )
        .select_related("case__child", "from_user")
        .order_by("created_at", "pk")
    )
    open_listed, closed_listed = _with_step_labels(open_cases), list(closed)
    team_listed, offered_listed = _with_step_labels(team), list(offered)
    ctx = {
        "open_cases": open_listed,
        "closed_cases": closed_listed,
        "team_cases": team_listed,
        "offered": offered_listed,
        "today": today,
        "closed_days": CLOSED_CASE_ACCESS_DAYS,
    }
    cases = open_listed + closed_listed + team_listed
    audit.log_list_view(
        request,
        [case.child_id for case in cases] + [handover.case.child_id for handover in offered_listed],
    )
    return render(request, "followups/my_cases.html", ctx)


def default_period(today: date) -> tuple[date, date]:
    """The current quarter and the three before it."""
    return quarter_start(today) - relativedelta(months=9), today


class PeriodForm(DKFDSFormMixin, forms.Form):
    fra = forms.DateField(label=gettext_lazy("Fra"), widget=DateInput())
    til = forms.DateField(label=gettext_lazy("Til"), widget=DateInput())

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("fra"), data.get("til")
        if start and end and start > end:
            raise forms.ValidationError(_("Fra-datoen skal ligge før til-datoen."))
        return data


@role_required(Role.LEDER, unit_kind=UnitKind.RAADGIVNING)
@require_GET
def meeting_punctuality_view(request: HttpRequest) -> HttpResponse:
    """The share of follow-up meetings held on time, per quarter and coordinator.
    Counts only: no child is named."""
    today = timezone.localdate()
    start, end = default_period(today)
    form = PeriodForm(request.GET or None, initial={"fra": start, "til": end})
    if form.is_valid():
        start, end = form.cleaned_data["fra"], form.cleaned_data["til"]
    # A page of (quarter, coordinator) lines; each quarter's total is the whole quarter's.
    rows = coordinator_rows(start, end, today=today)
    page = Paginator(rows, PUNCTUALITY_PER_PAGE).get_page(request.GET.get("side"))
    totals = quarter_totals(start, end, today=today)
    ctx = {
        "form": form,
        "start": start,
        "end": end,
        "page": page,
        "quarters": quarters_of(page.object_list, totals),
        "total": sum(totals.values(), Tally()),
    }
    return render(request, "followups/punctuality.html", ctx)
