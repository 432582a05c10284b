"""Transitions: a child leaving one unit for another (dagpleje/vuggestue →
børnehave → skole → SFO/klub, or a move), read from the enrollments.

A transition is a new enrollment (the receiving one) and the enrollment it follows
(the sending one): the child's enrollment in another unit that ends at most
GAP_DAYS before the new one starts, or at most OVERLAP_DAYS after (a move where
the old place runs a few days longer). Both units see it in their unit overview
from AHEAD_DAYS before the new start until AFTER_DAYS after; the sending unit
writes an overleveringsnotat (children.models.TransitionNote) and may finish it
until NOTE_WINDOW_DAYS after its own enrollment ends (children.access).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Unit
from children.models import Enrollment, TransitionNote

AHEAD_DAYS = 60
AFTER_DAYS = 30
GAP_DAYS = 92
OVERLAP_DAYS = 31
NOTE_WINDOW_DAYS = 14
# The sending unit's leaders are reminded when the new start is this close and
# there is no finished note.
REMIND_DAYS = 30


@dataclass
class Transition:
    sending: Enrollment
    receiving: Enrollment
    note: TransitionNote | None = None

    @property
    def child(self):
        return self.receiving.child

    @property
    def starts_on(self) -> date:
        return self.receiving.start

    @property
    def note_window_ends(self) -> date | None:
        return note_window_ends(self.sending)


def note_window_ends(sending: Enrollment) -> date | None:
    """The last day the sending unit may write its note (None: still enrolled
    without an end date)."""
    return sending.end + timedelta(days=NOTE_WINDOW_DAYS) if sending.end else None


def sending_enrollment(receiving: Enrollment, enrollments: list[Enrollment]) -> Enrollment | None:
    """The enrollment that `receiving` follows, among the child's `enrollments`."""
    earliest = receiving.start - timedelta(days=GAP_DAYS)
    latest = receiving.start + timedelta(days=OVERLAP_DAYS)
    candidates = [
        e
        for e in enrollments
        if e.pk != receiving.pk
        and e.unit_id != receiving.unit_id
        and e.end is not None
        and e.start < receiving.start
        and earliest <= e.end <= latest
    ]
    return max(candidates, key=lambda e: (e.end, e.pk), default=None)


def _with_history(enrollments) -> list[Enrollment]:
    return list(
        enrollments.select_related("child", "unit", "group").prefetch_related(
            Prefetch(
                "child__enrollments",
                queryset=Enrollment.objects.select_related("unit", "group"),
                to_attr="history",
            )
        )
    )


def _transitions(receiving: list[Enrollment]) -> list[Transition]:
    found = []
    for enrollment in receiving:
        # `history`: the child's enrollments, prefetched by _with_history.
        sending = sending_enrollment(enrollment, enrollment.child.history)  # type: ignore[attr-defined]
        if sending is not None:
            found.append(Transition(sending=sending, receiving=enrollment))
    notes = TransitionNote.objects.filter(
        to_enrollment__in=[t.receiving for t in found]
    ).select_related("author", "acknowledged_by")
    by_pair = {(n.from_enrollment_id, n.to_enrollment_id): n for n in notes}
    for transition in found:
        transition.note = by_pair.get((transition.sending.pk, transition.receiving.pk))
    return found


def transitions_of_unit(unit: Unit, today: date | None = None) -> dict[str, list[Transition]]:
    """The unit's transitions in view today: "incoming" (children starting here)
    and "outgoing" (children leaving for another unit), soonest first."""
    today = today or timezone.localdate()
    window = (today - timedelta(days=AFTER_DAYS), today + timedelta(days=AHEAD_DAYS))
    ends = (window[0] - timedelta(days=GAP_DAYS), window[1] + timedelta(days=OVERLAP_DAYS))
    leaving_here = Enrollment.objects.filter(unit=unit, end__range=ends).values("child_id")
    # A UNION of the two kinds' ids rather than the kinds ORed: PostgreSQL read every
    # enrollment starting in the window for the OR (100 ms at 100,000 children), and
    # each part here uses an index (1 ms). Unordered parts: SQLite allows no ORDER BY
    # inside a compound SELECT.
    starting = Enrollment.objects.filter(start__range=window)
    here = starting.filter(unit=unit).values("pk").order_by()
    elsewhere = starting.filter(child__in=leaving_here.order_by()).values("pk").order_by()
    candidates = Enrollment.objects.filter(pk__in=here.union(elsewhere))
    found = _transitions(_with_history(candidates))
    found.sort(key=lambda t: (t.starts_on, t.child.first_name, t.child.pk))
    return {
        "incoming": [t for t in found if t.receiving.unit_id == unit.pk],
        "outgoing": [t for t in found if t.sending.unit_id == unit.pk],
    }


def transitions_of_child(child) -> list[Transition]:
    """Every transition in the child's enrollment history, newest first."""
    return sorted(
        _transitions(_with_history(Enrollment.objects.filter(child=child))),
        key=lambda t: t.starts_on,
        reverse=True,
    )


class _Row(NamedTuple):
    """An enrollment's id, child, unit and dates: all sending_enrollment reads."""

    pk: int
    child_id: int
    unit_id: int
    start: date
    end: date | None


def transition_counts(start: date, end: date, children=None) -> dict[str, int]:
    """How many transitions start in [start, end] (of `children`, a queryset of child
    ids, if given), how many have a finished overleveringsnotat and how many of those
    the receiving unit has acknowledged: the quarterly report's figures.

    The same rule as transitions_starting_between (sending_enrollment), on the ids
    and dates only: the report counts tens of thousands of school starts, and loading
    each with its child and history took seconds.
    """
    receiving = Enrollment.objects.filter(start__range=(start, end))
    if children is not None:
        receiving = receiving.filter(child__in=children)
    fields = ("pk", "child_id", "unit_id", "start", "end")
    histories: dict[int, list[_Row]] = {}
    history = Enrollment.objects.filter(child__in=receiving.values("child_id")).order_by()
    for row in history.values_list(*fields):
        histories.setdefault(row[1], []).append(_Row(*row))
    pairs = set()
    for row in receiving.order_by().values_list(*fields):
        enrollment = _Row(*row)
        sending = sending_enrollment(enrollment, histories.get(enrollment.child_id, []))  # type: ignore[arg-type]
        if sending is not None:
            pairs.add((sending.pk, enrollment.pk))
    notes = TransitionNote.objects.filter(
        to_enrollment__start__range=(start, end), finished_at__isnull=False
    ).values_list("from_enrollment_id", "to_enrollment_id", "acknowledged_at")
    sent = [
        acknowledged
        for sending, receiving_pk, acknowledged in notes
        if (sending, receiving_pk) in pairs
    ]
    return {
        "transitions": len(pairs),
        "transitions_with_handover": len(sent),
        "transitions_acknowledged": len([a for a in sent if a is not None]),
    }


def transitions_starting_between(start: date, end: date) -> list[Transition]:
    """The transitions whose new enrollment starts in [start, end] (the quarterly
    report, the reminders)."""
    return _transitions(_with_history(Enrollment.objects.filter(start__range=(start, end))))


def transition_for_note(note: TransitionNote) -> Transition:
    return Transition(sending=note.from_enrollment, receiving=note.to_enrollment, note=note)
