"""The receipt (kvittering) and the tilbagemelding to a professional who made an
underretning (Barnets Lov §§ 136-137, followups.law): each is a letter as a PDF,
and Børn & Ungerådgivningen records when it was sent. A notifier who made the
underretning in Tidlig is told by e-mail, with a link to the letter and no child's
name or CPR number. Citizens, the child and anonymous notifiers get neither.

Access: followups.underretninger. The notifier may read the two letters; only a
caseworker who may handle the underretning records them.
"""

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from children import audit
from followups import law, reminders
from followups.models import Reminder, Underretning
from followups.tasks import send_pending_reminders
from followups.underretninger import get_underretning_for_user
from followups.views import caseworker
from tidlig.lib.forms import DKFDSFormMixin
from tidlig.lib.once import submit_once
from tidlig.lib.pdf import pdf_response, render_pdf
from tidlig.lib.tasks import enqueue_on_commit

Decision = Underretning.Decision

# What the tilbagemelding says by default, from the decision: whether the underretning
# has led to a børnefaglig undersøgelse or indsatser (§ 137). The caseworker may edit it;
# it names no child, since the notifier knows whom it is about.
FEEDBACK_SUGGESTIONS: dict[str, Promise] = {
    Decision.NO_ACTION: gettext_lazy(
        "Underretningen har ikke givet anledning til at iværksætte en børnefaglig "
        "undersøgelse eller indsatser."
    ),
    Decision.AFDAEKNING: gettext_lazy(
        "Underretningen har givet anledning til, at kommunen har iværksat en afdækning "
        "af barnets forhold (Barnets Lov § 19)."
    ),
    Decision.UNDERSOEGELSE: gettext_lazy(
        "Underretningen har givet anledning til, at kommunen har iværksat en børnefaglig "
        "undersøgelse (Barnets Lov § 20)."
    ),
    Decision.IMMEDIATE: gettext_lazy(
        "Underretningen har givet anledning til, at kommunen har iværksat indsatser for barnet."
    ),
    Decision.COORDINATOR: gettext_lazy(
        "Underretningen indgår i kommunens igangværende arbejde med barnet og er givet "
        "videre til barnets rådgiver."
    ),
}


def may_give_feedback(item: Underretning) -> bool:
    """Once the decision is made. A screening (§ 18) decides nothing yet: the
    tilbagemelding waits for the decision it leads to."""
    return item.wants_receipt and item.decision in FEEDBACK_SUGGESTIONS


class FeedbackForm(DKFDSFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Tilbagemelding til underretteren"),
        help_text=gettext_lazy(
            "Om underretningen har givet anledning til en børnefaglig undersøgelse eller "
            "indsatser. Skriv ikke barnets navn eller CPR-nummer: brevet nævner det ikke."
        ),
        error_messages={"required": gettext_lazy("Skriv tilbagemeldingen.")},
        widget=forms.Textarea(attrs={"class": "input-width-xl", "rows": 3}),
    )

    @classmethod
    def suggested(cls, item: Underretning) -> "FeedbackForm":
        # In the site's language, as the letter is (it leaves the system).
        with translation.override(settings.LANGUAGE_CODE):
            text = str(FEEDBACK_SUGGESTIONS.get(item.decision, ""))
        return cls(initial={"text": text})


def _letter(
    request: AuthenticatedHttpRequest, item: Underretning, template: str, sent_on: date | None
) -> bytes:
    """A letter to the notifier, dated the day it was sent (today until then), in the
    site's language whoever prints it. (Opening it logged the print for the child.)"""
    ctx = {
        "item": item,
        "law": law,
        "municipality": settings.MUNICIPALITY_NAME,
        "dated": sent_on or timezone.localdate(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(template, ctx, request=request)


def _tell_notifier(item: Underretning, kind: str, letter_url_name: str) -> None:
    """A notifier who made the underretning in Tidlig gets the letter as a
    notification and an e-mail: a link only, never a name or CPR number."""
    notifier = item.made_by
    if notifier is None or not notifier.is_active:
        return
    letter = reverse(letter_url_name, args=[item.pk])
    reminders.notify(
        reminders.Due(
            kind,
            f"underretning:{item.pk}",
            notifier,
            timezone.localdate(),
            {"underretning": item, "url": letter},
        )
    )
    enqueue_on_commit(send_pending_reminders)


def _told(item: Underretning) -> str:
    if item.made_by is None or not item.made_by.is_active:
        return ""
    return " " + _("%(who)s har fået besked i Tidlig og på e-mail.") % {"who": item.made_by}


@login_required
@require_GET
def receipt_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_underretning_for_user(request, pk, notifier_may=True, action=audit.Event.PRINT)
    if not item.wants_receipt:
        raise Http404
    pdf = _letter(request, item, "followups/receipt_pdf.html", item.receipt_sent_on)
    return pdf_response(pdf, f"kvittering-underretning-{item.pk}.pdf")


@caseworker
@require_POST
@submit_once
def receipt_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the receipt as sent today, once: a second press (or a double submit)
    changes nothing and mails no one again."""
    item = get_underretning_for_user(request, pk)
    if not item.wants_receipt:
        raise Http404
    today = timezone.localdate()
    with transaction.atomic():
        marked = Underretning.objects.filter(pk=item.pk, receipt_sent_on__isnull=True).update(
            receipt_sent_on=today
        )
        if marked:
            item.receipt_sent_on = today
            _tell_notifier(item, Reminder.Kind.RECEIPT, "underretning_receipt_pdf")
    if marked:
        messages.success(request, _("Kvitteringen er registreret som sendt i dag.") + _told(item))
    else:
        item.refresh_from_db(fields=["receipt_sent_on"])
        messages.info(
            request,
            _("Kvitteringen var allerede registreret som sendt %(date)s.")
            % {"date": formats.date_format(item.receipt_sent_on or today, "j. F Y")},
        )
    return redirect(item)


@caseworker
@require_POST
@submit_once
def feedback_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the tilbagemelding with its text, once, after the decision."""
    item = get_underretning_for_user(request, pk)
    if not item.wants_receipt:
        raise Http404
    if item.feedback_sent_on is not None:
        messages.info(
            request,
            _("Tilbagemeldingen var allerede sendt %(date)s.")
            % {"date": formats.date_format(item.feedback_sent_on, "j. F Y")},
        )
        return redirect(item)
    if not may_give_feedback(item):
        messages.error(request, _("Tilbagemeldingen kan først gives, når beslutningen er truffet."))
        return redirect(item)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv tilbagemeldingen."))
        return redirect(item)
    today = timezone.localdate()
    with transaction.atomic():
        marked = Underretning.objects.filter(pk=item.pk, feedback_sent_on__isnull=True).update(
            feedback_sent_on=today, feedback_text=form.cleaned_data["text"]
        )
        if marked:
            _tell_notifier(item, Reminder.Kind.FEEDBACK, "underretning_feedback_pdf")
    if marked:
        messages.success(
            request, _("Tilbagemeldingen er registreret som sendt i dag.") + _told(item)
        )
    else:
        messages.info(request, _("Tilbagemeldingen var allerede sendt."))
    return redirect(item)


@login_required
@require_GET
def feedback_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_underretning_for_user(request, pk, notifier_may=True, action=audit.Event.PRINT)
    if not item.wants_receipt or item.feedback_sent_on is None:
        raise Http404
    pdf = _letter(request, item, "followups/receipt_feedback_pdf.html", item.feedback_sent_on)
    return pdf_response(pdf, f"tilbagemelding-underretning-{item.pk}.pdf")
