"""Transitions and the overleveringsnotat: a child moving from one unit to another
(children.transitions), seen from both units.

- the sending unit writes the note (`note_edit`), prefilled with the child's latest
  zone and open next steps, from AHEAD_DAYS before the new start until
  NOTE_WINDOW_DAYS after its own enrollment ends; it saves a draft or sends it;
- the receiving unit reads the finished note with the live handover summary
  (`note_detail`) from the child's first day there, and acknowledges it
  (`note_acknowledge`);
- the unit overview and the child page list the transitions with the link each
  user may follow (`unit_transitions`, `child_transitions`).

Who may do what is decided by children.access (may_write_transition_note,
may_read_transition_note); the lists apply the same rules to many transitions at
once (`_rights`), so that a list costs a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Unit
from children import audit
from children.access import (
    NoteRights,
    may_acknowledge_transition_note,
    may_read_transition_note,
    may_write_transition_note,
    visible_children,
)
from children.models import Child, Enrollment, TransitionNote
from children.transitions import (
    AFTER_DAYS,
    Transition,
    note_window_ends,
    sending_enrollment,
    transitions_of_child,
    transitions_of_unit,
)
from desk.forms import TransitionNoteForm
from followups import queries as followups_queries
from loeft import queries as loeft_queries
from loeft.models import NextStep
from ruler.models import Assessment
from tidlig.lib.once import submit_once

# The state of a transition's note, as the lists show it.
MISSING, DRAFT, SENT, ACKNOWLEDGED = "mangler", "kladde", "sendt", "kvitteret"
STATUS_LABELS = {
    MISSING: gettext_lazy("Mangler"),
    DRAFT: gettext_lazy("Kladde"),
    SENT: gettext_lazy("Sendt"),
    ACKNOWLEDGED: gettext_lazy("Kvitteret"),
}
STATUS_BADGES = {
    MISSING: "badge-warning",
    DRAFT: "",
    SENT: "badge-info",
    ACKNOWLEDGED: "badge-success",
}


def note_status(note: TransitionNote | None) -> str:
    if note is None:
        return MISSING
    if not note.is_finished:
        return DRAFT
    return ACKNOWLEDGED if note.acknowledged_at else SENT


@dataclass
class TransitionRow:
    """One transition in a list, with what this user may open."""

    transition: Transition
    status: str
    write_url: str = ""
    read_url: str = ""
    child_url: str = ""
    # A sent note the user will read once the child has started with them.
    readable_from: date | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.status]


# The rules of children.access for many transitions at once ------------------------


def _rights(user, transitions: list[Transition]) -> NoteRights:
    return NoteRights.of(user, [e for t in transitions for e in (t.sending, t.receiving)])


def _may_write(user, transition: Transition, rights: NoteRights, today: date) -> bool:
    return may_write_transition_note(
        user, transition.sending, transition.receiving, today, rights=rights
    )


def _may_read(user, transition: Transition, rights: NoteRights, today: date) -> bool:
    note = transition.note
    return note is not None and may_read_transition_note(user, note, today, rights=rights)


def _rows(
    user, transitions: list[Transition], rights: NoteRights, today: date, *, child_links: bool
) -> list[TransitionRow]:
    """The rows with their links: a fixed number of queries whatever the number of
    transitions (the rules are children.access's, fed with `rights` looked up once)."""
    seen: set[int] = set()
    if child_links and transitions:
        ids = {t.receiving.child_id for t in transitions}
        seen = set(visible_children(user).filter(pk__in=ids).values_list("pk", flat=True))
    rows = []
    for t in transitions:
        row = TransitionRow(t, note_status(t.note))
        if _may_write(user, t, rights, today):
            row.write_url = reverse("transition_note_edit", args=[t.sending.pk, t.receiving.pk])
        if t.note is not None and _may_read(user, t, rights, today):
            row.read_url = t.note.get_absolute_url()
        if t.receiving.child_id in seen:
            row.child_url = t.child.get_absolute_url()
        waiting = row.status == SENT and not row.read_url and today < t.starts_on
        if waiting and t.receiving.pk in rights.covered:
            row.readable_from = t.starts_on
        rows.append(row)
    return rows


def unit_transitions(
    user, unit: Unit, today: date | None = None, *, child_links: bool = True
) -> dict:
    """The unit overview's transitions: the children starting in the unit
    ("incoming") and leaving it ("outgoing"), AHEAD_DAYS before to AFTER_DAYS after
    the new start; for a group-limited fagperson only those of their groups. The
    receiving unit sees the child's name before the start (it is their future
    child), not what is written about it. Without `child_links` (the front page,
    which links to the notes only) the rows have no link to the child's page."""
    today = today or timezone.localdate()
    found = transitions_of_unit(unit, today)
    rights = _rights(user, found["incoming"] + found["outgoing"])
    incoming = [t for t in found["incoming"] if t.receiving.pk in rights.covered]
    outgoing = [t for t in found["outgoing"] if t.sending.pk in rights.covered]
    rows = {
        "incoming": _rows(user, incoming, rights, today, child_links=child_links),
        "outgoing": _rows(user, outgoing, rights, today, child_links=child_links),
    }
    return {
        **rows,
        # (direction, rows, heading, the other unit's column) for the template.
        "tables": [
            ("incoming", rows["incoming"], _("Børn, der starter hos jer"), _("Kommer fra")),
            ("outgoing", rows["outgoing"], _("Børn, der skifter videre"), _("Skifter til")),
        ],
    }


def child_transitions(user, child: Child, today: date | None = None) -> list[TransitionRow]:
    """The child page's transitions, newest first, with the notes the user may open:
    those with a note, and those without one still in view (until AFTER_DAYS after
    the start; an older move without a note is just an enrollment)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=AFTER_DAYS)
    found = [t for t in transitions_of_child(child) if t.note or t.starts_on >= since]
    return _rows(user, found, _rights(user, found), today, child_links=False)


# The handover summary ----------------------------------------------------------------


def handover_summary(child: Child) -> dict:
    """What everyone who sees the child sees (children.access): the latest zone
    and its date, the open next steps, and the coordinator of an open case (no case
    content)."""
    return {
        "latest": Assessment.objects.current().filter(child=child).latest_first().first(),
        "open_steps": loeft_queries.open_steps(child),
        "coordinators": [
            case.coordinator for case in followups_queries.cases_of(child) if case.is_open
        ],
    }


def steps_text(steps: list[NextStep]) -> str:
    """The open next steps as the note's text: one line each, what, who and when."""
    return "\n".join(
        _("%(text)s (%(owner)s, senest %(due)s)")
        % {"text": step.text, "owner": step.owner_label, "due": date_format(step.due, "j. F Y")}
        for step in steps
    )


# The pages ----------------------------------------------------------------------------


def _transition_or_404(sending_pk: int, receiving_pk: int) -> Transition:
    """The transition from one enrollment to the other, if they form one
    (children.transitions.sending_enrollment), else 404."""
    receiving = (
        Enrollment.objects.select_related("child", "unit", "group").filter(pk=receiving_pk).first()
    )
    if receiving is None:
        raise Http404
    history = list(
        Enrollment.objects.filter(child_id=receiving.child_id).select_related("unit", "group")
    )
    sending = sending_enrollment(receiving, history)
    if sending is None or sending.pk != sending_pk:
        raise Http404
    sending.child = receiving.child
    note = TransitionNote.objects.filter(from_enrollment=sending, to_enrollment=receiving).first()
    return Transition(sending=sending, receiving=receiving, note=note)


def _latest_zone(note: TransitionNote, child: Child) -> None:
    latest = Assessment.objects.current().filter(child=child).latest_first().first()
    note.latest_zone = latest.zone if latest else None
    note.latest_zone_on = latest.assessed_on if latest else None


def _overview_url(unit: Unit) -> str:
    return f"{reverse('unit_overview')}?enhed={unit.pk}"


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def note_edit(request: AuthenticatedHttpRequest, sending: int, receiving: int) -> HttpResponse:
    """The sending unit writes the note: a draft, then sent to the receiving unit;
    once sent it may still be corrected within the window.

    The latest zone is stored when the note is started and again when it is sent;
    the open next steps are offered as text to edit."""
    transition = _transition_or_404(sending, receiving)
    old, new = transition.sending, transition.receiving
    if not may_write_transition_note(request.user, old, new):
        raise Http404
    child, note = transition.child, transition.note
    sent_before = note is not None and note.is_finished
    finishing = request.method == "POST" and (sent_before or request.POST.get("handling") == "send")
    form = TransitionNoteForm(
        request.POST if request.method == "POST" else None,
        instance=note,
        initial=None if note else {"open_steps": steps_text(loeft_queries.open_steps(child))},
        finishing=finishing,
        receiving_unit=new.unit.name,
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.pk is None:
            saved.from_enrollment, saved.to_enrollment, saved.author = old, new, request.user
            _latest_zone(saved, child)
        if finishing and not sent_before:
            _latest_zone(saved, child)
            saved.finished_at = timezone.now()
        try:
            with transaction.atomic():
                saved.save()
        except IntegrityError:
            # A colleague started the note between this form's opening and now.
            form.add_error(
                None,
                _("En kollega har netop oprettet notatet. Åbn det igen, og skriv videre i det."),
            )
        else:
            if sent_before:
                messages.success(request, _("Rettelserne er gemt."))
            elif finishing:
                messages.success(
                    request,
                    _("Notatet er sendt til %(unit)s. De kan læse det fra %(date)s.")
                    % {"unit": new.unit.name, "date": date_format(new.start, "j. F Y")},
                )
            else:
                messages.success(request, _("Kladden er gemt. Den er ikke sendt endnu."))
                return redirect("transition_note_edit", old.pk, new.pk)
            return redirect(saved)
    if request.method == "POST":
        audit.log_shown_again(request, child)
    else:
        audit.log_access(request.user, child, audit.Event.READ, what=request.path)
    context = {
        "transition": transition,
        "child": child,
        "note": note,
        "form": form,
        "summary": handover_summary(child),
        "window_ends": note_window_ends(old),
        "back": _overview_url(old.unit),
    }
    return render(request, "desk/transition_note_form.html", context)


def _note_or_404(user, pk: int) -> TransitionNote:
    note = (
        TransitionNote.objects.select_related(
            "from_enrollment__unit",
            "from_enrollment__child",
            "to_enrollment__unit",
            "author",
            "acknowledged_by",
        )
        .filter(pk=pk)
        .first()
    )
    if note is None or not may_read_transition_note(user, note):
        raise Http404
    note.to_enrollment.child = note.from_enrollment.child
    return note


def _note_page(request: AuthenticatedHttpRequest, note: TransitionNote) -> HttpResponse:
    child = note.from_enrollment.child
    transition = Transition(sending=note.from_enrollment, receiving=note.to_enrollment, note=note)
    user = request.user
    context = {
        "note": note,
        "transition": transition,
        "child": child,
        "child_visible": visible_children(user).filter(pk=child.pk).exists(),
        "summary": handover_summary(child),
        "may_write": may_write_transition_note(user, note.from_enrollment, note.to_enrollment),
        "may_acknowledge": may_acknowledge_transition_note(user, note),
        "corrected_after_acknowledgement": (
            note.acknowledged_at is not None and note.updated_at > note.acknowledged_at
        ),
    }
    return render(request, "desk/transition_note.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def note_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The note and the live handover summary, for the sending unit while it may
    write, the receiving unit from the child's first day there, the case team."""
    note = _note_or_404(request.user, pk)
    audit.log_access(request.user, note.from_enrollment.child, audit.Event.READ, what=request.path)
    return _note_page(request, note)


@login_required
@require_POST
def note_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The receiving unit confirms it has read the note. Twice is no error: the
    second time the page says who acknowledged it and when."""
    note = _note_or_404(request.user, pk)
    if not may_acknowledge_transition_note(request.user, note):
        raise Http404
    with transaction.atomic():
        locked = TransitionNote.objects.select_for_update().get(pk=note.pk)
        first = locked.acknowledged_at is None
        if first:
            note.acknowledged_at, note.acknowledged_by = timezone.now(), request.user
            # Not updated_at: it tells whether the note was corrected afterwards.
            note.save(update_fields=["acknowledged_at", "acknowledged_by"])
    if first:
        messages.success(request, _("Du har kvitteret for notatet."))
        return redirect(note)
    note.acknowledged_at, note.acknowledged_by = locked.acknowledged_at, locked.acknowledged_by
    messages.info(
        request,
        _("Notatet er allerede kvitteret af %(who)s den %(date)s.")
        % {
            "who": note.acknowledged_by,
            "date": date_format(timezone.localtime(note.acknowledged_at), "j. F Y"),
        },
    )
    audit.log_shown_again(request, note.from_enrollment.child)
    return _note_page(request, note)
