"""The three-month follow-up meeting: the agenda prepared from the case, recording
the meeting as held (zone, steps reviewed, decision, minutes; the next meeting is
scheduled), moving it, the minutes as a PDF and a calendar invitation.

Everyone who may see the case's child sees its meetings; only the case's
coordinator records or moves them.
"""

from datetime import datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from children import audit
from children.access import get_child_object, visible_children
from followups.forms import (
    MeetingForm,
    MeetingRescheduleForm,
    MeetingStepFormSet,
    meeting_step_owners,
)
from followups.models import CHANGES_INTERVENTION, AlreadyHeld, Intervention, Meeting
from loeft.forms import step_errors
from loeft.models import NextStep, Status
from ruler.models import Assessment, Reason
from tidlig.lib import ics
from tidlig.lib.once import submit_once
from tidlig.lib.pdf import pdf_response, render_pdf

MEETING_LENGTH = timedelta(hours=1)
STEPS_PREFIX = "skridt"


def get_meeting_for_user(
    request: HttpRequest, pk: int, *, action: str = "", held_only: bool = False
) -> Meeting:
    """The meeting if the user may see its case's child, else 404; logs the access."""
    queryset = Meeting.objects.select_related("case__coordinator", "held_by", "assessment")
    if held_only:
        queryset = queryset.filter(held_on__isnull=False)
    # get_child_object checks the row's child_id; a meeting's child is its case's.
    meeting = get_child_object(
        request, queryset.annotate(child_id=F("case__child_id")), pk, action=action
    )
    meeting.case.child = meeting.child
    return meeting


def _previous(meeting: Meeting) -> Meeting | None:
    """The case's last meeting held before this one (before now, if this one is not held)."""
    held = meeting.case.meetings.filter(held_on__isnull=False).exclude(pk=meeting.pk)
    if meeting.is_held:
        held = held.filter(
            Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, pk__lt=meeting.pk)
        )
    return held.order_by("-held_on", "-pk").first()


def _next(meeting: Meeting) -> Meeting | None:
    """The meeting planned after a held one (the one hold() scheduled, perhaps moved)."""
    later = meeting.case.meetings.filter(scheduled_on__gt=meeting.held_on, pk__gt=meeting.pk)
    return later.order_by("scheduled_on", "pk").first()


def _reviewed_steps(meeting: Meeting, since) -> tuple[list[NextStep], list[NextStep]]:
    """The LØFT steps a held meeting went through: (done since `since`, still open then)."""
    held_on = meeting.held_on
    if held_on is None:
        return [], []
    steps = (
        _case_steps(meeting.case)
        .filter(created_at__date__lte=held_on)
        .exclude(meeting=meeting)  # agreed at this meeting, not reviewed by it
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=since))
        .select_related("owner_user", "owner_guardian")
        .order_by("due", "pk")
    )
    done = [s for s in steps if s.done_on is not None and s.done_on <= held_on]
    still_open = [s for s in steps if s.done_on is None or s.done_on > held_on]
    return done, still_open


def _case_steps(case) -> QuerySet[NextStep]:
    """The steps a case's meetings go through: the child's LØFT steps and those
    agreed at the case's earlier meetings."""
    return NextStep.objects.filter(
        Q(dialogue__status=Status.FINAL) | Q(meeting__case=case), child_id=case.child_id
    )


def _participants(meeting: Meeting) -> list[str]:
    people = [str(user) for user in meeting.participants.order_by("first_name", "last_name")]
    if meeting.parents_present:
        people.append(_("Forældrene"))
    return people + _lines(meeting.others)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _agenda(meeting: Meeting) -> dict:
    """What the meeting starts from: the last agreements, the open steps, zone and efforts."""
    case, today = meeting.case, timezone.localdate()
    previous = _previous(meeting)
    return {
        "previous": previous,
        "previous_steps": previous.next_steps.select_related("owner_user", "owner_guardian")
        if previous
        else [],
        "open_steps": _case_steps(case)
        .filter(done_on__isnull=True)
        .select_related("owner_user", "owner_guardian", "meeting")
        .order_by("due", "pk"),
        "latest_assessment": Assessment.objects.current()
        .filter(child_id=case.child_id)
        .select_related("author")
        .latest_first()
        .first(),
        "interventions": case.interventions.filter(Q(end__isnull=True) | Q(end__gte=today)),
    }


def _minutes(meeting: Meeting) -> dict:
    """A held meeting's minutes, for the page and the PDF."""
    previous = _previous(meeting)
    since = previous.held_on if previous else meeting.case.opened_on - timedelta(days=1)
    done, still_open = _reviewed_steps(meeting, since)
    return {
        "previous": previous,
        "participants": _participants(meeting),
        "steps_done": done,
        "steps_open": still_open,
        "new_steps": list(meeting.next_steps.select_related("owner_user", "owner_guardian")),
        "next_meeting": _next(meeting),
        "started": _started(meeting),
    }


def _started(meeting: Meeting) -> Intervention | None:
    """The intervention the meeting's decision started (trin ned, trin op, justér)."""
    if meeting.held_on is None or meeting.decision not in CHANGES_INTERVENTION:
        return None
    started = meeting.case.interventions.filter(start=meeting.held_on)
    return started.order_by("-pk").first()


def _render(request: HttpRequest, meeting: Meeting, form: MeetingForm | None, steps=None, **extra):
    child, case = meeting.case.child, meeting.case
    ctx = {
        "child": child,
        "case": case,
        "meeting": meeting,
        "form": form,
        "steps": steps,
        "extra_errors": step_errors(steps),
        "is_coordinator": case.is_coordinated_by(request.user),
        **(_minutes(meeting) if meeting.is_held else _agenda(meeting)),
        **extra,
    }
    return render(request, "followups/meeting_detail.html", ctx)


def _step_forms(meeting: Meeting, data=None, *, more: bool = False):
    """The rows of next steps for the meeting; `more` adds one to those sent."""
    owners = {"owners": meeting_step_owners(meeting.case)}
    if data is None:
        return MeetingStepFormSet(prefix=STEPS_PREFIX, form_kwargs=owners)
    if more:
        data = data.copy()
        total = data.get(f"{STEPS_PREFIX}-TOTAL_FORMS", "")
        count = int(total) if total.isdecimal() else 0
        data[f"{STEPS_PREFIX}-TOTAL_FORMS"] = str(min(count + 1, MeetingStepFormSet.max_num))
    return MeetingStepFormSet(data, prefix=STEPS_PREFIX, form_kwargs=owners)


def _unchecked(form, steps) -> None:
    """Show what was typed without judging it yet ("Tilføj et skridt mere" is not a
    save): the bound forms count as having no errors."""
    for one in [form, *steps.forms]:
        one._errors = ErrorDict()
        one.cleaned_data = {}
    steps._errors, steps._non_form_errors = [], ErrorList()


@transaction.atomic
def _record(meeting: Meeting, form: MeetingForm, steps, user) -> Meeting | None:
    """Save the meeting as held (with its decision's change on Indsatstrappen), its
    zone as an assessment, the steps done and the steps agreed; the next meeting."""
    data = form.cleaned_data
    held_on = data["held_on"]
    next_meeting = meeting.hold(
        on=held_on,
        decision=data["decision"],
        next_on=data["next_on"],
        by=user,
        intervention=data["new_intervention"],
    )
    child = meeting.case.child
    agreed = [row.to_step(child) for row in steps if not row.is_blank]
    for step in agreed:
        step.meeting = meeting
        step.save()
    meeting.assessment = Assessment.objects.create(
        child=meeting.case.child,
        author=user,
        assessed_on=held_on,
        reason=Reason.FOLLOW_UP,
        zone=data["zone"],
        what_works=data["what_works"],
        what_worries=data["what_worries"],
        what_must_happen="\n".join(step.text for step in agreed),
        parents_involved=data["parents_present"],
        others_involved=", ".join(_lines(data["others"]))[:300],
    )
    form.save()
    comment = _("Gennemgået på opfølgningsmødet %(date)s") % {"date": held_on.strftime("%d.%m.%Y")}
    for step in data["steps_done"]:
        if not step.is_done:  # someone may have marked it done since the page was opened
            step.mark_done(on=held_on, comment=comment, by=user)
    return next_meeting


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda and the form to record the meeting; once held, its minutes."""
    meeting = get_meeting_for_user(request, pk)
    case = meeting.case
    if request.method == "GET":
        may_hold = case.is_coordinated_by(request.user) and case.is_open and not meeting.is_held
        if not may_hold:
            return _render(request, meeting, None)
        return _render(request, meeting, MeetingForm(instance=meeting), _step_forms(meeting))

    if not case.is_coordinated_by(request.user):
        raise PermissionDenied
    was_held = meeting.is_held or not case.is_open  # before the form copies its values on
    form = MeetingForm(request.POST, instance=meeting)
    more = "tilfoej_skridt" in request.POST
    steps = _step_forms(meeting, request.POST, more=more)
    if more and not was_held:
        _unchecked(form, steps)
        meeting.refresh_from_db()
        audit.log_shown_again(request, meeting.case.child)
        return _render(request, meeting, form, steps)
    if form.is_valid() and steps.is_valid() and not was_held:
        try:
            next_meeting = _record(meeting, form, steps, request.user)
        except AlreadyHeld:
            was_held = True
        else:
            return _after_hold(request, meeting, next_meeting)
    if was_held:
        form.add_error(
            None,
            _(
                "Mødet er allerede registreret som holdt, måske i en anden fane eller af "
                "en anden. Dit referat er ikke gemt, men din tekst står stadig i "
                "formularen, så du kan kopiere den."
            ),
        )
    # Validating copied the typed values onto the meeting: show what is saved,
    # next to the user's own text in the form.
    meeting.refresh_from_db()
    audit.log_shown_again(request, meeting.case.child)
    return _render(request, meeting, form, steps)


def _after_hold(request: HttpRequest, meeting: Meeting, next_meeting: Meeting | None):
    if next_meeting is not None:
        messages.success(
            request,
            _("Mødet er gemt. Næste opfølgningsmøde er planlagt til %(date)s.")
            % {"date": next_meeting.scheduled_on.strftime("%d.%m.%Y")},
        )
        return redirect(meeting)
    messages.success(request, _("Mødet er gemt, og sagen er afsluttet."))
    # A closed case no longer gives its team access to the child (children.access).
    if visible_children(request.user).filter(pk=meeting.case.child.pk).exists():
        return redirect(meeting)
    messages.info(
        request,
        _("Du har ikke længere adgang til barnet, fordi sagen er lukket."),
    )
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a meeting that has not been held to another day, time or place."""
    meeting = get_meeting_for_user(request, pk)
    if not meeting.case.is_coordinated_by(request.user):
        raise PermissionDenied
    if meeting.is_held:
        messages.info(request, _("Mødet er holdt og kan ikke flyttes."))
        return redirect(meeting)
    planned = meeting.scheduled_on  # the form's validation copies the new date onto it
    form = MeetingRescheduleForm(request.POST or None, instance=meeting)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                still_open = Meeting.objects.select_for_update().filter(
                    pk=meeting.pk, held_on__isnull=True
                )
                if still_open.exists():
                    moved = form.save(commit=False)
                    moved.scheduled_on = planned
                    moved.move(to=form.cleaned_data["scheduled_on"])
                    moved.save()
                    messages.success(request, _("Mødet er flyttet."))
                else:
                    messages.info(request, _("Mødet er holdt og kan ikke flyttes."))
            return redirect(meeting)
        meeting.refresh_from_db()  # the page shows the saved time; the form the typed one
        audit.log_shown_again(request, meeting.case.child)
    ctx = {"child": meeting.case.child, "case": meeting.case, "meeting": meeting, "form": form}
    return render(request, "followups/meeting_reschedule.html", ctx)


@login_required
@require_GET
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes for the participants. Printing is logged (audit.Event.PRINT)."""
    meeting = get_meeting_for_user(request, pk, action=audit.Event.PRINT, held_only=True)
    ctx = {
        "child": meeting.case.child,
        "case": meeting.case,
        "meeting": meeting,
        **_minutes(meeting),
        "municipality": settings.MUNICIPALITY_NAME,
        "printed_on": timezone.localdate(),
    }
    pdf = render_pdf("followups/meeting_pdf.html", ctx, request=request)
    return pdf_response(pdf, f"referat-opfoelgningsmoede-{meeting.held_on:%Y-%m-%d}.pdf")


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """A calendar invitation. It leaves the system, so it names no child: only a link."""
    meeting = get_meeting_for_user(request, pk)
    link = settings.SITE_ROOT.rstrip("/") + meeting.get_absolute_url()
    start = datetime.combine(
        meeting.scheduled_on, meeting.starts_at, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    body = ics.event(
        uid=f"meeting-{meeting.pk}@{urlparse(settings.SITE_ROOT).hostname or 'tidlig'}",
        start=start,
        end=start + MEETING_LENGTH,
        summary=_("Opfølgningsmøde"),
        description=_("Dagsorden og referat i Tidlig: %(link)s") % {"link": link},
        location=meeting.location,
        url=link,
        sequence=meeting.revision,
    )
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    filename = f"opfoelgningsmoede-{meeting.scheduled_on:%Y-%m-%d}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
