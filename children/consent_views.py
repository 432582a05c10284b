"""The parents' consent (samtykke): recording one for a child and withdrawing it,
and the child page's consent panel (`panel`, called by desk.views).

Whoever may change the child records and withdraws its consents: its units'
fagpersoner and leaders and its case team (children.access). Those who only read
the child (the intake, a consultant through a consent) get 404 here, as for a
child they do not see. An expired or withdrawn consent stops the access it
granted at once: children.access asks for the consents in force on every request.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from children import audit
from children.access import get_child_to_change
from children.consent_forms import ConsentForm, WithdrawConsentForm
from children.models import Child, Consent
from children.sharing import CONSENT_LAW, CONSENT_PURPOSES, LEGAL_SHARES, Purpose
from tidlig.lib.once import submit_once

# The child page's anchor of the consent panel.
PANEL_ANCHOR = "#samtykker"
# The statuses (Consent.status) listed first on the panel; the others are history.
CURRENT = ("in_force", "expiring", "pending")


def _back(child: Child) -> str:
    return child.get_absolute_url() + PANEL_ANCHOR


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def consent_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a consent. Choosing a purpose (htmx, or ?purpose= without JavaScript)
    offers the units that purpose may cover, with its default units ticked."""
    child = get_child_to_change(request, pk)
    initial = {}
    if request.GET.get("purpose") in Purpose.values:
        initial["purpose"] = request.GET["purpose"]
    form = ConsentForm(request.POST or None, child=child, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            _save_new(form, child, request.user)
            messages.success(request, _("Samtykket er registreret."))
            return redirect(_back(child))
        audit.log_shown_again(request, child)
    context = {
        "child": child,
        "form": form,
        "has_guardians": form.guardians.exists(),
        "consent_law": CONSENT_LAW,
        "legal_shares": LEGAL_SHARES,
    }
    if request.htmx and request.method == "GET":
        return render(request, "children/consent_form.html#units", context)
    return render(request, "children/consent_form.html", context)


@transaction.atomic
def _save_new(form: ConsentForm, child: Child, user) -> Consent:
    consent = form.save(commit=False)
    consent.child = child
    consent.recorded_by = user
    consent.save()
    form.save_m2m()
    return consent


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record that the parents withdrew a consent: from that day it grants nothing."""
    consent = (
        Consent.objects.select_related("guardian", "recorded_by")
        .prefetch_related("units")
        .filter(pk=pk)
        .first()
    )
    if consent is None:
        raise Http404
    child = consent.child = get_child_to_change(request, consent.child_id)
    if consent.withdrawn_on is not None:
        messages.info(request, _("Samtykket er allerede trukket tilbage."))
        return redirect(_back(child))
    form = WithdrawConsentForm(request.POST or None, instance=consent)
    if request.method == "POST":
        if form.is_valid():
            if _withdraw(consent, form.cleaned_data["withdrawn_on"], request.user):
                messages.success(request, _("Samtykket er trukket tilbage."))
            else:
                messages.info(request, _("Samtykket er allerede trukket tilbage."))
            return redirect(_back(child))
        audit.log_shown_again(request, child)
    context = {"child": child, "consent": consent, "form": form}
    return render(request, "children/consent_withdraw.html", context)


@transaction.atomic
def _withdraw(consent: Consent, withdrawn_on, user) -> bool:
    """Save the withdrawal unless someone else saved one a moment ago."""
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_on is not None:
        return False
    locked.withdrawn_on = withdrawn_on
    locked.withdrawn_by = user
    locked.save(update_fields=["withdrawn_on", "withdrawn_by"])
    return True


def panel(child: Child, *, may_change: bool) -> dict:
    """The child page's consent panel: every consent of the child with who gave
    it, the units it covers and its status today, the current ones first; and
    whether the user may record and withdraw them (`may_change`, from
    children.access.may_change_child, which the page looks up once). Three
    queries, however many consents the child has."""
    consents = list(
        Consent.objects.filter(child=child)
        .select_related("guardian", "recorded_by", "withdrawn_by")
        .prefetch_related("units")
    )
    rows = [{"consent": c, "status": c.status(), "grants": _grants(c)} for c in consents]
    return {
        "current": [r for r in rows if r["status"] in CURRENT],
        "past": [r for r in rows if r["status"] not in CURRENT],
        "may_change": may_change,
    }


def _grants(consent: Consent) -> str:
    basis = CONSENT_PURPOSES.get(consent.purpose)
    return str(basis.grants) if basis else ""
