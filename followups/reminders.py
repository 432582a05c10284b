"""The daily reminder sweep (`python manage.py send_reminders`, run by beat).

Two steps, each safe to repeat:

1. `plan(today)` writes a `Reminder` row for everything due in the last
   `CATCH_UP_DAYS` days up to today that is still relevant (the meeting is not
   held, the step not done, the deadline not met). The unique constraint on
   (kind, object, recipient, day) makes a second run, or a run after an outage,
   add only what is missing: a missed day is caught up, never doubled.
2. `send_pending()` sends each unsent row by email once: it locks the row,
   sends, and marks it sent in one transaction, so two sweeps running at once
   never both send it. Should the process die after the mail server accepted a
   mail but before the commit, that one mail is sent again on the next run:
   email is at-least-once, never at-most-once.

The same rows are the user's in-app notifications.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership, Role, UnitKind, User
from children.access import INTAKE_ROLES, intake_districts_of, intake_handlers
from children.models import EXPIRY_WARNING_DAYS, Consent
from children.transitions import REMIND_DAYS, Transition, transitions_starting_between
from followups import workdays
from followups.models import Case, Meeting, Reminder, Underretning
from forum.models import ForumMeeting
from loeft.models import NextStep, Owner, Status
from tidlig.lib import outbox
from tidlig.lib.emails import make_message

log = logging.getLogger(__name__)

# How far back a sweep looks for reminders it has not written yet.
CATCH_UP_DAYS = 7
BEFORE_MEETING = {Reminder.Kind.MEETING_14: 14, Reminder.Kind.MEETING_2: 2}
# How long before the 24-hour assessment deadline the intake is warned.
ASSESSMENT_WARNING = timedelta(hours=4)


@dataclass(frozen=True)
class Due:
    kind: str
    object_key: str
    recipient: User
    due_on: date
    context: dict


def _window(today: date) -> tuple[date, date]:
    return today - timedelta(days=CATCH_UP_DAYS - 1), today


def _meeting_reminders(today: date) -> Iterator[Due]:
    first, last = _window(today)
    for kind, days in BEFORE_MEETING.items():
        # Only while the meeting is still ahead: a late "in 2 days" helps no one.
        meetings = (
            Meeting.objects.filter(
                held_on__isnull=True,
                case__closed_on__isnull=True,
                scheduled_on__gt=today,
                scheduled_on__range=(first + timedelta(days=days), last + timedelta(days=days)),
            )
            .select_related("case__child", "case__coordinator")
            .prefetch_related("case__members__user")
        )
        for meeting in meetings:
            people = {meeting.case.coordinator, *(m.user for m in meeting.case.members.all())}
            for user in people:
                yield Due(
                    kind,
                    f"meeting:{meeting.pk}",
                    user,
                    meeting.scheduled_on - timedelta(days=days),
                    {"meeting": meeting, "days": days},
                )

    missed = list(
        Meeting.objects.filter(
            held_on__isnull=True,
            case__closed_on__isnull=True,
            scheduled_on__range=(first - timedelta(days=1), last - timedelta(days=1)),
        ).select_related("case__child", "case__coordinator")
    )
    leaders = _leaders_of({meeting.case.coordinator_id for meeting in missed})
    for meeting in missed:
        coordinator = meeting.case.coordinator
        for user in {coordinator, *leaders.get(coordinator.pk, [])}:
            yield Due(
                Reminder.Kind.MEETING_MISSED,
                f"meeting:{meeting.pk}",
                user,
                meeting.scheduled_on + timedelta(days=1),
                {"meeting": meeting},
            )


def _leaders_of(user_ids: set[int]) -> dict[int, list[User]]:
    """The active leaders of each user's units, by user pk, for all the users in one query."""
    leaders: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.filter(
            role=Role.LEDER, user__is_active=True, unit__memberships__user_id__in=user_ids
        )
        .annotate(of=F("unit__memberships__user_id"))
        .select_related("user")
    )
    for membership in memberships:
        leaders.setdefault(membership.of, []).append(membership.user)
    return leaders


def _step_reminders(today: date) -> Iterator[Due]:
    steps = (
        NextStep.objects.filter(
            Q(dialogue__status=Status.FINAL)
            | Q(meeting__isnull=False)
            | Q(forum_case__isnull=False),
            done_on__isnull=True,
        )
        .filter(due__range=_window(today))
        .select_related(
            "child", "owner_user", "dialogue__author", "meeting__held_by", "forum_case__brought_by"
        )
    )
    for step in steps:
        # A parent's or the child's step: the one who wrote the dialogue, recorded
        # the meeting or brought the forum case follows it up.
        source: User | None = None
        if step.dialogue is not None:
            source = step.dialogue.author
        elif step.forum_case is not None:
            source = step.forum_case.brought_by
        elif step.meeting is not None:
            source = step.meeting.held_by
        user = step.owner_user if step.owner_kind == Owner.PROFESSIONAL else source
        if user is not None:
            yield Due(Reminder.Kind.STEP_DUE, f"step:{step.pk}", user, step.due, {"step": step})


def _transition_key(transition: Transition) -> str:
    return f"transition:{transition.sending.pk}-{transition.receiving.pk}"


def _transition_reminders(today: date) -> Iterator[Due]:
    """The sending unit's leaders, once per transition, when the child starts in the
    receiving unit in REMIND_DAYS days or fewer and no overleveringsnotat has been
    sent (children.transitions). Its day is REMIND_DAYS before the start, or the
    day of the sweep for a transition registered later than that; once written it
    is not written again, whatever its day was. The mail names the units and the
    date, never the child."""
    starting = transitions_starting_between(today, today + timedelta(days=REMIND_DAYS))
    waiting = [t for t in starting if t.note is None or not t.note.is_finished]
    if not waiting:
        return
    leaders: dict[int, list[User]] = {}
    memberships = Membership.objects.filter(
        unit_id__in={t.sending.unit_id for t in waiting}, role=Role.LEDER, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        leaders.setdefault(membership.unit_id, []).append(membership.user)
    written = set(
        Reminder.objects.filter(
            kind=Reminder.Kind.TRANSITION_NOTE, object_key__in=[_transition_key(t) for t in waiting]
        ).values_list("object_key", "recipient_id")
    )
    for transition in waiting:
        key = _transition_key(transition)
        due_on = max(transition.starts_on - timedelta(days=REMIND_DAYS), today)
        url = reverse("transition_note_edit", args=[transition.sending.pk, transition.receiving.pk])
        for user in leaders.get(transition.sending.unit_id, []):
            if (key, user.pk) not in written:
                context = {"transition": transition, "url": url}
                yield Due(Reminder.Kind.TRANSITION_NOTE, key, user, due_on, context)


def _intake_staff() -> list[User]:
    """The caseworkers and leaders of Børn & Ungerådgivningen: they handle the intake."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__unit__kind=UnitKind.RAADGIVNING,
            memberships__role__in=INTAKE_ROLES,
        ).distinct()
    )


def _hverdag_before(day: date) -> date:
    day -= timedelta(days=1)
    while not workdays.is_hverdag(day):
        day -= timedelta(days=1)
    return day


def _underretning_reminders(today: date) -> Iterator[Due]:
    """The intake's deadlines (followups.law): 4 hours before the 24-hour assessment
    is due and when it has passed; the last hverdag before the receipt is due and the
    day after it was. Planned every 15 minutes (`plan_underretninger`), so that the
    4-hour warning comes in time; every reminder's day is fixed by its deadline, not
    by the sweep, so two sweeps or a sweep after an outage write it once."""
    first, last = _window(today)
    now = timezone.now()
    staff = _intake_staff()
    # Who handles which child: the whole intake, or its district's team
    # (settings.INTAKE_BY_DISTRICT, children.access.intake_handlers).
    districts = intake_districts_of(staff)
    # Received at most CATCH_UP_DAYS + 10 days ago: the receipt deadline is 6
    # hverdage, which Easter or Christmas can stretch to about ten days.
    recent = (
        Underretning.objects.filter(received_at__gte=now - timedelta(days=CATCH_UP_DAYS + 10))
        .filter(
            Q(assessed_at__isnull=True, closed_at__isnull=True)
            | Underretning.OWED_RECEIPT & Q(receipt_sent_on__isnull=True)
        )
        .select_related("child", "case__coordinator")
    )
    handlers_of = intake_handlers(staff, {item.child_id for item in recent}, districts)
    for item in recent:
        key = f"underretning:{item.pk}"
        context = {"underretning": item}
        if item.is_open and item.assessed_at is None:
            deadline = item.assessment_deadline
            warn_at = deadline - ASSESSMENT_WARNING
            # Only while the deadline is ahead: once it has passed, the next one says so.
            handlers = handlers_of[item.child_id]
            if warn_at <= now < deadline:
                for user in handlers:
                    yield Due(
                        Reminder.Kind.UNDERRETNING_24H_SOON,
                        key,
                        user,
                        timezone.localdate(warn_at),
                        context,
                    )
            passed_on = timezone.localdate(deadline)
            if deadline <= now and first <= passed_on <= last:
                for user in handlers:
                    yield Due(Reminder.Kind.UNDERRETNING_24H, key, user, passed_on, context)

        if not item.wants_receipt or item.receipt_sent_on is not None:
            continue
        # Handed on to a case, it has left the intake queue but the notifier is still
        # owed the receipt: the case's coordinator, who may now open it, is reminded.
        if item.is_open:
            recipients = handlers_of[item.child_id]
        elif item.case is not None and item.case.coordinator.is_active:
            recipients = [item.case.coordinator]
        else:
            continue
        deadline_on = item.receipt_deadline
        # The last hverdag before the deadline: a reminder on a Sunday or Easter Monday
        # for a deadline the next day would be read too late.
        due_soon_on = _hverdag_before(deadline_on)
        if first <= due_soon_on <= last and today <= deadline_on:
            for user in recipients:
                yield Due(Reminder.Kind.UNDERRETNING_RECEIPT_DUE, key, user, due_soon_on, context)
        late_on = deadline_on + timedelta(days=1)
        if first <= late_on <= last:
            for user in recipients:
                yield Due(Reminder.Kind.UNDERRETNING_RECEIPT, key, user, late_on, context)


def _consent_reminders(today: date) -> Iterator[Due]:
    """One warning to whoever recorded a consent in force, EXPIRY_WARNING_DAYS before
    it expires (children.models.Consent). Its day is fixed by the expiry, so a sweep
    that ran late catches it up within CATCH_UP_DAYS and a second sweep adds
    nothing. No warning for a consent that is withdrawn (on any day), expired
    already, or followed by a newer consent for the same purpose that lasts longer.
    The mail names the purpose and the date, never the child."""
    first, last = _window(today)
    warning = timedelta(days=EXPIRY_WARNING_DAYS)
    renewed = Consent.objects.filter(
        child=OuterRef("child"),
        purpose=OuterRef("purpose"),
        withdrawn_on__isnull=True,
        expires_on__gt=OuterRef("expires_on"),
    )
    consents = (
        Consent.objects.in_force(today)
        .filter(
            withdrawn_on__isnull=True,
            expires_on__range=(first + warning, last + warning),
            recorded_by__is_active=True,
        )
        .exclude(Exists(renewed))
        .select_related("recorded_by")
    )
    for consent in consents:
        yield Due(
            Reminder.Kind.CONSENT_EXPIRES,
            f"consent:{consent.pk}",
            consent.recorded_by,
            consent.expires_on - warning,
            {
                "consent": consent,
                "url": reverse("child", args=[consent.child_id]) + "#samtykker",
            },
        )


def _hverdage_before(day: date, days: int) -> date:
    for _step in range(days):
        day = _hverdag_before(day)
    return day


def _forum_reminders(today: date) -> Iterator[Due]:
    """The participants of a tværfagligt forum's meeting and those who brought its
    cases, settings.FORUM_REMINDER_WORKDAYS hverdage before it, while it is ahead.
    The mail names the forum, the day and how many cases, never a child: most
    cases are anonymous (forum.models.ForumCase)."""
    first, last = _window(today)
    days = settings.FORUM_REMINDER_WORKDAYS
    # Hverdage before the meeting: at most about twice as many days over Easter.
    meetings = (
        ForumMeeting.objects.filter(
            held_at__isnull=True, date__gt=today, date__lte=last + timedelta(days=2 * days + 7)
        )
        .select_related("forum")
        .prefetch_related("participants", "cases__brought_by")
    )
    for meeting in meetings:
        due_on = _hverdage_before(meeting.date, days)
        if not first <= due_on <= last:
            continue
        cases = meeting.cases.all()
        participants = {user for user in meeting.participants.all() if user.is_active}
        bringers = {case.brought_by for case in cases if case.brought_by.is_active}
        context = {"forum_meeting": meeting, "count": len(cases)}
        for user in participants:
            url = meeting.get_absolute_url()
            yield Due(
                Reminder.Kind.FORUM_MEETING,
                f"forummoede:{meeting.pk}",
                user,
                due_on,
                context | {"url": url},
            )
        for user in bringers - participants:
            yield Due(
                Reminder.Kind.FORUM_MEETING,
                f"forummoede:{meeting.pk}",
                user,
                due_on,
                context | {"url": reverse("forum_home")},
            )


def notify_coordinator(item: Underretning) -> list[Reminder]:
    """A new underretning about a child with an open case: the case's coordinator
    hears of it as well as the intake. The rows now, in the caller's transaction; the
    email goes with the next send (at most 15 minutes later, tidlig.celery)."""
    coordinators = {
        case.coordinator
        for case in Case.objects.open().filter(child_id=item.child_id).select_related("coordinator")
        if case.coordinator.is_active
    }
    return [
        notify(
            Due(
                Reminder.Kind.UNDERRETNING_NEW,
                f"underretning:{item.pk}",
                user,
                timezone.localdate(),
                {"underretning": item},
            )
        )
        for user in coordinators
    ]


def plan(today: date | None = None) -> int:
    """Write the reminder rows due from CATCH_UP_DAYS ago up to today; returns how many are new."""
    today = today or timezone.localdate()
    due = [
        *_meeting_reminders(today),
        *_step_reminders(today),
        *_transition_reminders(today),
        *_underretning_reminders(today),
        *_consent_reminders(today),
        *_forum_reminders(today),
    ]
    return _write(due, today)


def plan_underretninger(today: date | None = None) -> int:
    """The underretning reminders alone, for the sweep every 15 minutes: the 4-hour
    warning cannot wait for the morning, the meeting reminders can."""
    today = today or timezone.localdate()
    return _write(list(_underretning_reminders(today)), today)


def _write(due: list[Due], today: date) -> int:
    existing = set(
        Reminder.objects.filter(
            due_on__range=(_window(today)[0], today + timedelta(days=1))
        ).values_list("kind", "object_key", "recipient_id", "due_on")
    )
    rows = []
    for item in due:
        if (item.kind, item.object_key, item.recipient.pk, item.due_on) in existing:
            continue
        subject, text, url = _render(item)
        rows.append(
            Reminder(
                kind=item.kind,
                object_key=item.object_key,
                recipient=item.recipient,
                due_on=item.due_on,
                subject=subject,
                text=text,
                url=url,
            )
        )
    # ignore_conflicts: a sweep running at the same moment may have written some.
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _render(item: Due) -> tuple[str, str, str]:
    context = {"kind": item.kind, "recipient": item.recipient, **item.context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"followups/email/{item.kind}_subject.txt", context)
        text = render_to_string(f"followups/email/{item.kind}.txt", context)
    url = ""
    if "url" in item.context:  # e.g. the receipt letter, for a notifier
        url = item.context["url"]
    elif "handover" in item.context:
        url = reverse("handover_answer", args=[item.context["handover"].pk])
    elif "meeting" in item.context:
        url = item.context["meeting"].get_absolute_url()
    elif "step" in item.context:
        step = item.context["step"]
        # A meeting's step is the case team's: its meeting, not the child page.
        # A forum case's step: its case, which names no child while anonymous.
        if step.meeting_id or step.forum_case_id:
            url = step.source_url
        else:
            url = step.child.get_absolute_url()
    elif "underretning" in item.context:
        url = item.context["underretning"].get_absolute_url()
    return " ".join(subject.split()), text.strip(), url


def notify(item: Due) -> Reminder:
    """A reminder that is not part of the daily sweep (e.g. a handover offer): the
    row now, in the caller's transaction; the email goes with the next send."""
    subject, text, url = _render(item)
    reminder, _created = Reminder.objects.get_or_create(
        kind=item.kind,
        object_key=item.object_key,
        recipient=item.recipient,
        due_on=item.due_on,
        defaults={"subject": subject, "text": text, "url": url},
    )
    return reminder


def send_pending() -> int:
    """Email every reminder not sent yet, each exactly once; returns how many were sent."""
    unsent = Reminder.objects.filter(sent_at__isnull=True).select_related("recipient")
    return outbox.drain(unsent, _send)


def _send(reminder: Reminder) -> None:
    recipient = reminder.recipient
    if not recipient.email:
        log.warning("reminder %s: user %s has no email address", reminder.pk, recipient.pk)
        return  # still marked sent: it is in the user's notification list
    link = settings.SITE_ROOT.rstrip("/") + reminder.url if reminder.url else ""
    context = {"reminder": reminder, "recipient": recipient, "link": link}
    make_message("reminder", recipient.email, context).send()


def sweep(today: date | None = None) -> tuple[int, int]:
    """Plan, then send: (new rows, emails sent)."""
    planned = plan(today)
    return planned, send_pending()
