from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from children import absence, audit
from children.access import (
    get_child_object,
    get_child_to_change,
    may_change_child,
    readable_absence,
)
from children.forms import ConcernForm
from children.models import Child, Concern
from ruler.forms import AssessmentForm
from ruler.models import Assessment, Reason
from tidlig.lib.once import submit_once


def _get_assessment_for_user(request: HttpRequest, pk: int) -> Assessment:
    queryset = Assessment.objects.select_related("author", "concern")
    return get_child_object(request, queryset, pk)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def concern_create(request: HttpRequest, pk: int) -> HttpResponse:
    """One form for what was seen and, if the professional is ready, the zone.

    What was seen is kept once, as a children.Concern; an assessment, when a zone is
    chosen, links to it. Without a zone only the concern is saved and the zone can
    be set later from the same form.

    The GET as the POST: only for those who may change the child (404 for a reader
    through the intake queue or a consent).
    """
    child = get_child_to_change(request, pk)
    return _concern_page(request, child, request.POST if request.method == "POST" else None)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The old address of "Placér på Børnelinealen": bookmarks and links go to the
    one form; a form opened before the change still saves, its names translated."""
    child = get_child_to_change(request, pk)
    if request.method == "GET":
        url = reverse("concern_create", args=[child.pk])
        if request.GET:
            url += "?" + request.GET.urlencode()
        return redirect(url)
    data = request.POST.copy()
    for old, new in LEGACY_NAMES.items():
        if old in data and new not in data:
            data.setlist(new, data.getlist(old))
    return _concern_page(request, child, data)


# The old assessment form's names for the date, the text and (as it was saved
# before) whether the parents know.
LEGACY_NAMES = {
    "assessed_on": "observed_on",
    "concern_text": "text",
    "parents_involved": "parents_informed",
}


def _concern_page(request: HttpRequest, child: Child, data) -> HttpResponse:
    initial: dict[str, str] = {"reason": Reason.CONCERN}
    if request.GET.get("anledning") in Reason.values:
        initial["reason"] = request.GET["anledning"]
    form = AssessmentForm(data, child=child, optional_zone=True, initial=initial)
    concern_initial = {}
    if data is None and request.GET.get("fravaer"):
        # The one click from an absence flag (desk): the text starts with the
        # absence, which the professional edits; nothing is saved until they send.
        note = absence.latest_note(child, readable_absence(request.user, child))
        if note:
            concern_initial["text"] = note + "\n\n"
    concern_form = ConcernForm(data, child=child, initial=concern_initial)
    if data is not None:
        concern_form.fields["text"].required = AssessmentForm.asks_for_concern(data)
        if all([concern_form.is_valid(), form.is_valid()]):
            assessment = _save_new(concern_form, form, child, request.user)
            if assessment is None:
                messages.success(
                    request,
                    _("Bekymringen er gemt. Du kan placere barnet på Børnelinealen senere."),
                )
                return redirect(child)
            if assessment.concern_id:
                messages.success(request, _("Bekymringen og vurderingen er gemt."))
            else:
                messages.success(request, _("Vurderingen er gemt."))
            return redirect(assessment)
        audit.log_shown_again(request, child)
    ctx = {"child": child, "form": form, "concern_form": concern_form}
    return render(request, "ruler/assessment_form.html", ctx)


@transaction.atomic
def _save_new(
    concern_form: ConcernForm, form: AssessmentForm, child: Child, user
) -> Assessment | None:
    """Save the concern (if anything was written) and the assessment (if a zone was
    chosen); the assessment, or None when there is none."""
    concern: Concern | None = None
    if concern_form.cleaned_data["text"]:
        concern = concern_form.save(commit=False)
        concern.child = child
        concern.author = user
        concern.save()
    if form.cleaned_data.get("zone") is None:
        return None
    assessment = form.save(commit=False)
    assessment.child = child
    assessment.author = user
    assessment.assessed_on = concern_form.cleaned_data["observed_on"]
    assessment.concern = concern
    assessment.save()
    return assessment


@login_required
@require_http_methods(["GET", "POST"])
def assessment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    # The GET as the POST: 404 for a reader through the intake queue or a consent
    # (checked before the read is logged).
    child_id = Assessment.objects.filter(pk=pk).values_list("child_id", flat=True).first()
    if child_id is None or not may_change_child(request.user, child_id):
        raise Http404
    old = _get_assessment_for_user(request, pk)
    # An assessment is the author's professional judgement: only the author corrects
    # it. Anyone else who disagrees makes a new assessment.
    if old.author_id != request.user.pk:
        raise PermissionDenied
    if hasattr(old, "corrected_by"):
        messages.info(request, _("Vurderingen er allerede rettet. Her er den gældende version."))
        return redirect(old.corrected_by)

    # The form works on a copy, so that validating it leaves `old` as it was saved.
    draft = Assessment.objects.get(pk=old.pk)
    form = AssessmentForm(request.POST or None, instance=draft, child=old.child)
    if request.method == "POST":
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "correction_note"}
            try:
                with transaction.atomic():
                    new = old.correct(
                        author=request.user, note=form.cleaned_data["correction_note"], **fields
                    )
            except IntegrityError:
                # Someone (the author in another tab) corrected it a moment ago.
                messages.error(
                    request,
                    _("Vurderingen blev rettet et andet sted imens. Din rettelse er ikke gemt."),
                )
                return redirect(old)
            messages.success(request, _("Rettelsen er gemt. Den tidligere version er bevaret."))
            return redirect(new)
        audit.log_shown_again(request, old.child)
    ctx = {"child": old.child, "form": form, "assessment": old}
    return render(request, "ruler/assessment_form.html", ctx)
