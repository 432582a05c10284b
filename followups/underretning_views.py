"""Underretninger in Børn & Ungerådgivningen: registering one that came by phone,
letter, e-mail, Digital Post or in person, the underretning's page with the
assessment within 24 hours and the decision, and closing it without a case.
Access: followups.underretninger."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from children.access import handles_intake_of, may_see_case, visible_children
from followups import underretninger
from followups.forms import UnderretningAssessmentForm, UnderretningRegisterForm
from followups.models import Case, Underretning
from followups.views import caseworker
from tidlig.lib.once import submit_once


@caseworker
@require_http_methods(["GET", "POST"])
@submit_once
def underretning_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UnderretningRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            child = form.child or underretninger.create_child(
                cpr_digits=form.cpr_digits,
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            item = underretninger.register(
                child=child,
                about=data["about"],
                received_at=data["received_at"],
                registered_by=request.user,
                source=data["source"],
                channel=data["channel"],
                notifier=data["notifier"],
                notifier_contact=data["notifier_contact"],
            )
        messages.success(request, _("Underretningen er registreret og står i indgangen."))
        return redirect(item)
    return render(request, "followups/underretning_register.html", {"form": form})


def _page(request: AuthenticatedHttpRequest, item: Underretning, form=None) -> HttpResponse:
    open_case = Case.objects.open().filter(child=item.child).select_related("coordinator").first()
    may_handle = handles_intake_of(request.user, item.child, Role.RAADGIVER)
    may_assess = item.is_open and may_handle
    if form is None and may_assess:
        form = UnderretningAssessmentForm(instance=item, open_case=open_case)
    ctx = {
        "item": item,
        "child": item.child,
        "open_case": open_case,
        "form": form if may_assess else None,
        "in_last_year": underretninger.received_in_last_year(item),
        "may_close": may_assess and underretninger.may_close(item),
        "may_handle": may_handle,
        # The rådgivning's leader follows the underretning, not the child or the case:
        # links only where the child's and the case's own pages let the user in.
        "may_open_child": visible_children(request.user).filter(pk=item.child_id).exists(),
        "team_cases": {
            case.pk for case in (open_case, item.case) if case and may_see_case(request.user, case)
        },
    }
    return render(request, "followups/underretning_detail.html", ctx)


@role_required(Role.RAADGIVER, Role.LEDER, Role.FAGPERSON, Role.KONSULENT)
@require_http_methods(["GET"])
def underretning_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = underretninger.get_underretning_for_user(request, pk)
    return _page(request, item)


@caseworker
@require_POST
def underretning_assess(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = underretninger.get_underretning_for_user(request, pk)
    if not item.is_open:
        messages.info(request, _("Underretningen er allerede lukket."))
        return redirect(item)
    open_case = Case.objects.open().filter(child=item.child).first()
    form = UnderretningAssessmentForm(request.POST, instance=item, open_case=open_case)
    if not form.is_valid():
        item.refresh_from_db()  # the page shows what is saved; the form what was typed
        return _page(request, item, form)
    data = form.cleaned_data
    case = underretninger.assess(
        item,
        user=request.user,
        assessed_at=data["assessed_at"],
        acute=data["acute"],
        decision=data["decision"],
        reason=data["decision_reason"],
    )
    if case is not None:
        messages.success(
            request,
            _("Vurderingen er gemt. Underretningen hører nu til sagen, hvor %(who)s er tovholder.")
            % {"who": case.coordinator},
        )
        return redirect(case)
    messages.success(request, _("Vurderingen er gemt."))
    return redirect(item)


@caseworker
@require_POST
def underretning_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = underretninger.get_underretning_for_user(request, pk)
    if not underretninger.may_close(item):
        if not item.is_open:
            messages.info(request, _("Underretningen er allerede lukket."))
            return redirect("intake")
        raise PermissionDenied
    underretninger.close(item)
    messages.success(request, _("Underretningen er lukket uden yderligere handling."))
    return redirect("intake")
