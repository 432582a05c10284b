from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from children import audit
from children.access import get_child_for_user, get_child_object
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
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_child_for_user(request, pk)
    initial = {}
    if request.GET.get("anledning") in Reason.values:
        initial["reason"] = request.GET["anledning"]
    form = AssessmentForm(request.POST or None, child=child, with_concern=True, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            assessment = _save_new(form, child, request.user)
            messages.success(request, _("Vurderingen er gemt."))
            return redirect(assessment)
        audit.log_shown_again(request, child)
    return render(request, "ruler/assessment_form.html", {"child": child, "form": form})


@transaction.atomic
def _save_new(form: AssessmentForm, child: Child, user) -> Assessment:
    assessment = form.save(commit=False)
    assessment.child = child
    assessment.author = user
    text = form.cleaned_data.get("concern_text", "").strip()
    if text:
        assessment.concern = Concern.objects.create(
            child=child,
            author=user,
            observed_on=assessment.assessed_on,
            text=text,
            parents_informed=assessment.parents_involved,
        )
    assessment.save()
    return assessment


@login_required
@require_http_methods(["GET", "POST"])
def assessment_correct(request: HttpRequest, pk: int) -> HttpResponse:
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
