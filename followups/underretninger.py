"""The municipality's handling of an underretning (Barnets Lov §§ 136–137,
followups.law): who may open one, and the steps from receiving it to closing it.

An underretning is open in the intake queue until it is closed: by a decision
that needs no further action, or by handing it on to a case, whose team then has
it. While it is open, the caseworkers and the leader of Børn & Ungerådgivningen
handle it; afterwards the team of its case; the professional who made it in
Tidlig sees its receipt and tilbagemelding.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from children import audit
from children.access import INTAKE_REASON, handles_intake_of
from children.models import Child
from followups import reminders
from followups.models import REPEAT_WINDOW, Case, Underretning


def _on_its_case(user, item: Underretning) -> bool:
    if item.case_id is None:
        return False
    team = Q(coordinator=user) | Q(members__user=user)
    return Case.objects.visible_to_team().filter(team, pk=item.case_id).exists()


def get_underretning_for_user(
    request: AuthenticatedHttpRequest | HttpRequest,
    pk: int,
    *,
    notifier_may: bool = False,
    action: str = "",
) -> Underretning:
    """The underretning if the user may handle it, else 404; a GET is logged as a
    read of its child (`action`, e.g. a print, instead), with the reason
    "underretning" for the intake's staff. A change is logged by auditlog.

    With `notifier_may`, the professional who made it in Tidlig may open it too (its
    receipt and tilbagemelding, never the rådgivning's assessment).
    """
    item = Underretning.objects.select_related("child", "case").filter(pk=pk).first()
    if item is None:
        raise Http404
    user = request.user
    if item.is_open and handles_intake_of(user, item.child):
        reason = INTAKE_REASON
    elif _on_its_case(user, item) or (
        notifier_may and item.made_by_id is not None and item.made_by_id == user.pk
    ):
        reason = ""
    else:
        raise Http404
    if action or request.method in ("GET", "HEAD"):
        event = action or audit.Event.READ
        audit.log_access(user, item.child, event, what=request.path, reason=reason)
    return item


def received_in_last_year(item: Underretning) -> int:
    """How many underretninger about the same child were received in the 12 months
    up to this one, this one included: the guidance asks the municipality to look at
    repeated underretninger together."""
    since = item.received_at - REPEAT_WINDOW
    return Underretning.objects.filter(
        child_id=item.child_id, received_at__gt=since, received_at__lte=item.received_at
    ).count()


@transaction.atomic
def register(
    *,
    child: Child,
    about: str,
    received_at: datetime,
    registered_by,
    source: str = Underretning.Source.PROFESSIONAL,
    channel: str = Underretning.Channel.TIDLIG,
    notifier: str = "",
    notifier_contact: str = "",
    made_by=None,
) -> Underretning:
    """Record a received underretning. About a child with an open case, it goes to
    the case's coordinator as well as to the intake queue."""
    item = Underretning.objects.create(
        child=child,
        about=about,
        received_at=received_at,
        registered_by=registered_by,
        source=source,
        channel=channel,
        notifier=notifier,
        notifier_contact=notifier_contact,
        made_by=made_by,
    )
    if Case.objects.open().filter(child=child).exists():
        reminders.notify_coordinator(item)
    return item


def create_child(*, cpr_digits: str, first_name: str, last_name: str) -> Child:
    """A child Tidlig does not know yet, from a valid CPR number (encrypted at rest,
    as the import stores it)."""
    child = Child(first_name=first_name.strip(), last_name=last_name.strip())
    child.set_cpr(cpr_digits)
    child.save()
    return child


@transaction.atomic
def assess(
    item: Underretning,
    *,
    user,
    assessed_at: datetime,
    acute: bool,
    decision: str,
    reason: str = "",
) -> Case | None:
    """Record the assessment and decision. The first assessment's time is kept (it
    is what the 24-hour deadline is measured against); the decision may be made
    again while the underretning is open, e.g. after a screening.

    A decision for an afdækning, a børnefaglig undersøgelse or immediate measures,
    or one sending it to the coordinator, hands the underretning on to the child's
    open case, or opens one with the user as coordinator (as taking an escalation
    does), and closes it in the intake queue. Returns that case.
    """
    item = Underretning.objects.select_for_update().get(pk=item.pk)
    if item.assessed_at is None:
        item.assessed_at, item.assessed_by = assessed_at, user
    item.acute, item.decision, item.decision_reason = acute, decision, reason
    case = None
    if decision in Underretning.CASE_DECISIONS:
        case = Case.objects.open().filter(child=item.child).order_by("opened_on", "pk").first()
        if case is None:
            case = Case.objects.create(
                child=item.child, coordinator=user, opened_on=timezone.localdate()
            )
            case.schedule_first_meeting()
        item.case, item.closed_at = case, timezone.now()
    item.save()
    return case


def may_close(item: Underretning) -> bool:
    """An underretning that needs no further action is closed by hand, once a
    professional notifier has had the receipt and the tilbagemelding: after closing,
    no one in the intake can open it again."""
    told = item.receipt_sent_on is not None and item.feedback_sent_on is not None
    return (
        item.is_open
        and item.decision == Underretning.Decision.NO_ACTION
        and (not item.wants_receipt or told)
    )


def close(item: Underretning) -> bool:
    """Close it without a case; False if it was closed already (a double submit)."""
    return bool(
        Underretning.objects.filter(pk=item.pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
    )
