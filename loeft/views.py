"""LØFT dialogues: start, write (with autosave), finalise, edit with conflict
detection, read and print. Next steps are in loeft.step_views."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from children import audit
from children.access import get_child_for_user, get_child_object
from loeft import queries
from loeft.forms import (
    DialogueForm,
    NextStepFormSet,
    owner_choices,
    professionals_for,
    step_errors,
)
from loeft.models import Dialogue, DialogueVersion, Status
from ruler.models import Assessment
from tidlig.lib.once import submit_once
from tidlig.lib.pdf import pdf_response, render_pdf

# The autosave keeps what was typed; a sane upper bound keeps a runaway client out.
MAX_DRAFT_BYTES = 200_000
STEPS_PREFIX = "skridt"


def get_dialogue_for_user(request: HttpRequest, pk: int, *, action: str = "") -> Dialogue:
    """The dialogue if the user may see its child (and, for a draft, wrote it), else 404."""
    queryset = Dialogue.objects.visible_to(request.user).select_related("author", "assessment")
    return get_child_object(request, queryset, pk, action=action)


@login_required
@require_POST
@submit_once
def dialogue_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start a draft (or go back to the one this user already has for the child)."""
    child = get_child_for_user(request, pk)
    existing = child.dialogues.filter(status=Status.DRAFT, author=request.user).first()
    if existing is not None:
        messages.info(request, _("Du har allerede en kladde til en LØFT-dialog med barnet."))
        return redirect("dialogue_edit", existing.pk)

    dialogue = Dialogue(child=child, author=request.user)
    assessment_id = request.POST.get("vurdering", "")
    if assessment_id.isdecimal():  # not isdigit(): "²" is a digit, but no number to int()
        dialogue.assessment = Assessment.objects.filter(child=child, pk=assessment_id).first()
    dialogue.save()
    return redirect("dialogue_edit", dialogue.pk)


def _initial_from_draft(data: dict) -> tuple[dict, list[dict]]:
    """Form and step initial values from a stored draft (a QueryDict as lists)."""
    multi = {"professionals", "guardians"}
    initial = {}
    for key, values in data.items():
        if key.startswith(f"{STEPS_PREFIX}-") or not values:
            continue
        initial[key] = values if key in multi else values[-1]
    if "child_took_part" in initial:
        initial["child_took_part"] = True
    steps = []
    total = (data.get(f"{STEPS_PREFIX}-TOTAL_FORMS") or ["0"])[-1]
    count = int(total) if total.isdecimal() else 0  # the draft is as typed, maybe junk
    for i in range(min(count, 12)):
        row = {
            name: (data.get(f"{STEPS_PREFIX}-{i}-{name}") or [""])[-1]
            for name in ("text", "owner", "due")
        }
        steps.append(row)
    return initial, steps


def _forms(request: HttpRequest, dialogue: Dialogue, *, data=None, extra_step: bool = False):
    professionals = professionals_for(dialogue.child)
    owners = owner_choices(dialogue.child, professionals)
    if data is not None:
        form = DialogueForm(data, instance=dialogue, child=dialogue.child)
        steps = NextStepFormSet(data, prefix=STEPS_PREFIX, form_kwargs={"owners": owners})
        return form, steps
    if dialogue.is_draft:
        initial, step_rows = _initial_from_draft(dialogue.draft_data)
        if "held_on" not in initial:
            initial["held_on"] = timezone.localdate()
        if extra_step:
            step_rows.append({})
        form = DialogueForm(instance=dialogue, child=dialogue.child, initial=initial)
        steps = NextStepFormSet(
            prefix=STEPS_PREFIX, form_kwargs={"owners": owners}, initial=step_rows or None
        )
        return form, steps
    form = DialogueForm(
        instance=dialogue, child=dialogue.child, initial={"version": dialogue.version}
    )
    return form, None


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_dialogue_for_user(request, pk)
    if request.method == "GET":
        form, steps = _forms(request, dialogue)
        return _render_edit(request, dialogue, form, steps)

    if dialogue.is_draft:
        dialogue.save_draft(_draft_data(request))
        if "afslut" not in request.POST:
            # "Gem kladde" or "Tilføj et skridt mere" without JavaScript.
            form, steps = _forms(request, dialogue, extra_step="tilfoej_skridt" in request.POST)
            if "tilfoej_skridt" not in request.POST:
                messages.success(request, _("Kladden er gemt."))
            return _render_edit(request, dialogue, form, steps, draft_saved=True)
        form, steps = _forms(request, dialogue, data=request.POST)
        if form.is_valid() and steps.is_valid():
            _finalise(dialogue, form, steps, request.user)
            messages.success(request, _("LØFT-dialogen er gemt."))
            return redirect(dialogue)
        audit.log_shown_again(request, dialogue.child)
        # The draft above has what was sent: the browser's copy is not needed.
        return _render_edit(request, dialogue, form, steps, draft_saved=True)

    form, _steps = _forms(request, dialogue, data=request.POST)
    if form.is_valid():
        seen = form.cleaned_data.get("version")
        if seen is not None and _save_final(dialogue, form, request.user, seen):
            messages.success(request, _("Ændringerne er gemt."))
            return redirect(dialogue)
        # Someone saved the dialogue after this user opened it: show both versions
        # and let the user decide; their text stays in the form.
        current = Dialogue.objects.get(pk=dialogue.pk)
        current.child = dialogue.child
        theirs = current.snapshot()  # before the form below copies the user's text onto it
        conflict_form = _conflict_form(request, current)
        ctx = {
            "conflict": current,
            "theirs_by": current.versions.select_related("saved_by").first(),
            "comparison": _comparison(theirs, conflict_form),
        }
        return _render_edit(request, dialogue, conflict_form, None, **ctx)
    audit.log_shown_again(request, dialogue.child)
    return _render_edit(request, dialogue, form, None)


def _conflict_form(request: HttpRequest, current: Dialogue) -> DialogueForm:
    # The user's own text, with the version they now have seen, so that saving
    # again deliberately replaces the other person's version.
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = DialogueForm(data, instance=current, child=current.child)
    form.is_valid()
    return form


def _draft_data(request: HttpRequest) -> dict:
    # No NUL characters: PostgreSQL refuses \u0000 in a JSON column, and no one types one.
    data = {
        k.replace("\x00", ""): [value.replace("\x00", "") for value in v]
        for k, v in request.POST.lists()
        if k not in ("csrfmiddlewaretoken",)
    }
    if sum(len(value) for values in data.values() for value in values) > MAX_DRAFT_BYTES:
        raise SuspiciousOperation("LØFT draft too large")
    return data


@transaction.atomic
def _finalise(dialogue: Dialogue, form: DialogueForm, steps, user) -> None:
    dialogue = form.save(commit=False)
    dialogue.status = Status.FINAL
    dialogue.finalised_at = timezone.now()
    dialogue.draft_data = {}
    dialogue.version = 1
    dialogue.save()
    form.save_m2m()
    for step_form in steps:
        if not step_form.is_blank:
            step = step_form.to_step(dialogue.child)
            step.dialogue = dialogue
            step.save()
    DialogueVersion.objects.create(
        dialogue=dialogue, number=1, saved_by=user, data=dialogue.snapshot()
    )


@transaction.atomic
def _save_final(dialogue: Dialogue, form: DialogueForm, user, seen: int) -> bool:
    if not dialogue.claim_version(seen):
        return False
    saved = form.save(commit=False)
    saved.version = dialogue.version
    saved.save()
    form.save_m2m()
    DialogueVersion.objects.create(
        dialogue=saved, number=saved.version, saved_by=user, data=saved.snapshot()
    )
    return True


def _render_edit(request, dialogue, form, steps, **extra):
    ctx = {
        "child": dialogue.child,
        "dialogue": dialogue,
        "form": form,
        "steps": steps,
        "extra_errors": step_errors(steps),
        **extra,
    }
    return render(request, "loeft/dialogue_form.html", ctx)


def _display(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, (list, tuple, QuerySet)):
        return ", ".join(str(item) for item in value) or "–"
    return str(value)


def _comparison(theirs: dict, form: DialogueForm) -> list[dict]:
    """Field by field: the version saved by someone else and the user's own text."""
    theirs = {**theirs, "held_on": date.fromisoformat(theirs["held_on"])}
    rows = []
    for name in Dialogue.COMPARED_FIELDS:
        mine, other = _display(form.cleaned_data.get(name)), _display(theirs.get(name))
        rows.append(
            {"label": form[name].label, "theirs": other, "yours": mine, "differs": mine != other}
        )
    return rows


@require_POST
def dialogue_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx saves the draft here every few seconds while the author types.

    Not behind login_required: a session that has expired gets a status line
    (and HTTP 200, so htmx swaps it in) saying so, instead of a login page in
    the middle of the form. The browser keeps the text (static/js/tidlig.js)
    and puts it back after the new login.
    """
    if not request.user.is_authenticated:
        ctx = {"logged_out": True, "next": reverse("dialogue_edit", args=[pk])}
        return render(request, "loeft/autosave_status.html", ctx)
    dialogue = get_dialogue_for_user(request, pk)
    if not dialogue.is_draft:
        raise Http404
    dialogue.save_draft(_draft_data(request))
    return render(request, "loeft/autosave_status.html", {"dialogue": dialogue})


@login_required
@require_http_methods(["GET"])
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_dialogue_for_user(request, pk)
    if dialogue.is_draft:
        return redirect("dialogue_edit", dialogue.pk)
    ctx = {
        "child": dialogue.child,
        "dialogue": dialogue,
        "professionals": dialogue.professionals.all(),
        "guardians": dialogue.guardians.all(),
        "next_steps": dialogue.next_steps.select_related("owner_user", "owner_guardian"),
        "versions": dialogue.versions.select_related("saved_by"),
    }
    return render(request, "loeft/dialogue_detail.html", ctx)


@login_required
@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_dialogue_for_user(request, pk)
    if not dialogue.is_draft:
        raise Http404
    dialogue.delete()
    messages.success(request, _("Kladden er slettet."))
    return redirect(dialogue.child)


@login_required
@require_http_methods(["GET"])
def dialogue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The dialogue for the parents, as a PDF. Printing is logged (audit.Event.PRINT)."""
    dialogue = get_dialogue_for_user(request, pk, action=audit.Event.PRINT)
    if dialogue.is_draft:
        raise Http404
    ctx = {
        "child": dialogue.child,
        "dialogue": dialogue,
        "professionals": dialogue.professionals.all(),
        "guardians": dialogue.guardians.all(),
        "next_steps": dialogue.next_steps.select_related("owner_user", "owner_guardian"),
        "participants": dialogue.participants(),
        "municipality": settings.MUNICIPALITY_NAME,
        "printed_on": timezone.localdate(),
        "contact_unit": queries.contact_unit(dialogue),
    }
    pdf = render_pdf("loeft/dialogue_pdf.html", ctx, request=request)
    filename = f"loeft-dialog-{dialogue.held_on:%Y-%m-%d}.pdf"
    return pdf_response(pdf, filename)
