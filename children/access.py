"""Who may see which child, and how much of it: the one place that decides
(docs/access.md has the same rules as a table, role × kind of data × condition).

Deny by default.

Which children:
- `fagperson` and `leder` see the children with an active enrollment in one of
  their units; a fagperson whose membership names groups only those enrolled in
  these groups (a leader always sees the whole unit);
- anyone sees the children of a case whose team they are on (as coordinator or
  member) while the case is open and for CLOSED_CASE_ACCESS_DAYS after it closes;
- a caseworker of Børn & Ungerådgivningen reads the children with an underretning
  open in the intake queue;
- a consultative unit (PPR, sundhedspleje) reads a child while the parents'
  consent for that purpose covers the unit (children.sharing.READ_GRANTING);
- `forvaltning` and `administrator` see no child at all, whatever other rule says.

How much of a child (`readable_entries`, `may_see_case`):
- assessments, concerns and LØFT dialogues are read in full by the unit they were
  written in (`unit`, children.models.written_in), by their author, and by the
  case team and intake; a unit reads what other units wrote only while the
  parents' consent for children.sharing.Purpose.OTHER_UNITS_NOTES covers it.
  Without it, the child page says that earlier notes exist and where;
- absence (fravær) is read by the staff of the unit it was recorded at, by the
  case team and the intake (`readable_absence`);
- the latest zone and date, the open next steps and, with an open case, the
  coordinator's name are the handover summary: seen by all who see the child;
- case material (the case, its meetings and interventions) is seen by the case
  team; underretninger by the team and the intake (followups.underretninger);
  others see only the coordinator's name and the summary the coordinator shares
  (followups.Case.shared_summary);
- an overleveringsnotat is written by the sending unit until NOTE_WINDOW_DAYS after
  its enrollment ends, and read by the receiving unit once finished, from the
  child's first day there (children.transitions).

Every view that shows or changes one child starts with `get_child_for_user`, and a
row about one child with `get_child_object`, which applies the entry and case
rules above too.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import ENROLLING_KINDS, Membership, Role, UnitKind
from children import audit
from children.models import (
    Child,
    ChildQuerySet,
    Consent,
    Enrollment,
    TransitionNote,
    WrittenInUnit,
    active_q,
)
from children.sharing import COVERED_KINDS, READ_GRANTING, Purpose
from children.transitions import AHEAD_DAYS, note_window_ends

UNIT_ROLES = (Role.FAGPERSON, Role.LEDER)

# The reason logged when a caseworker reads a child only because an underretning
# about it is open in the intake queue, or a consultant only because of a consent.
INTAKE_REASON = "underretning"
CONSENT_REASON = "samtykke"

# Rows of a case (followups), named by label so that `children` imports nothing
# from the apps above it: seen by the case team only.
CASE_MATERIAL = {"followups.Case", "followups.Meeting", "followups.Intervention"}

# The team of a closed case keeps access this long, so that the closing meeting's
# minutes can be finished, printed and sent to the participants.
CLOSED_CASE_ACCESS_DAYS = 30


def case_team_children(user) -> QuerySet:
    """The ids of the children of the cases whose coordinator or team member the
    user is, while the case is open or closed less than CLOSED_CASE_ACCESS_DAYS ago.

    The cases (followups.Case) are reached through their reverse relation
    `Child.cases`, so `children` imports nothing from the apps above it. The
    conditions stand in one filter() call, so they hold for the same case.
    """
    since = timezone.localdate() - timedelta(days=CLOSED_CASE_ACCESS_DAYS)
    still_open = Q(cases__closed_on__isnull=True) | Q(cases__closed_on__gte=since)
    # A UNION of the coordinator's and the members' children rather than the two
    # ORed over one join: PostgreSQL read every case member for the OR (10 ms at
    # 100,000 children, in every list that checks access); each part uses an index.
    coordinated = Child.objects.filter(still_open, cases__coordinator=user)
    member = Child.objects.filter(still_open, cases__members__user=user)
    ids = coordinated.values("pk").order_by().union(member.values("pk").order_by())
    return Child.objects.filter(pk__in=ids).values("pk")


# Who handles the intake of Børn & Ungerådgivningen: its caseworkers and leaders.
INTAKE_ROLES = (Role.RAADGIVER, Role.LEDER)


def is_intake_staff(user, *roles: str) -> bool:
    """Whether the user works in Børn & Ungerådgivningen's intake (as one of `roles`;
    by default a caseworker or a leader)."""
    return bool(user.memberships_as(*(roles or INTAKE_ROLES), unit_kind=UnitKind.RAADGIVNING))


def intake_districts(user) -> set[int] | None:
    """The districts whose intake the user handles; None for the whole municipality:
    always when settings.INTAKE_BY_DISTRICT is off (one intake team), and for a
    member of a rådgivning unit without a district."""
    if not settings.INTAKE_BY_DISTRICT:
        return None
    districts = {
        m.unit.district_id
        for m in user.memberships_as(*INTAKE_ROLES, unit_kind=UnitKind.RAADGIVNING)
    }
    return None if None in districts else districts


def intake_districts_of(users: list) -> dict[int, set[int] | None]:
    """`intake_districts` of each of the users, by pk, in one query."""
    if not settings.INTAKE_BY_DISTRICT:
        return {user.pk: None for user in users}
    found: dict[int, set[int]] = {user.pk: set() for user in users}
    memberships = Membership.objects.filter(
        user__in=users, role__in=INTAKE_ROLES, unit__kind=UnitKind.RAADGIVNING
    ).values_list("user_id", "unit__district_id")
    for user_id, district_id in memberships:
        found[user_id].add(district_id)
    return {pk: None if None in districts else districts for pk, districts in found.items()}


def in_intake_of(user, *, child_ref: str = "pk") -> Q:
    """The filter for the children (reached by `child_ref` on the queryset filtered)
    the user's intake team handles: those enrolled today in a unit of its districts,
    and those enrolled in no district's unit, so that no child falls between teams."""
    districts = intake_districts(user)
    if districts is None:
        return Q()
    enrolled = Enrollment.objects.filter(active_q(), child=OuterRef(child_ref))
    here = enrolled.filter(unit__district__in=districts)
    anywhere = enrolled.filter(unit__district__isnull=False)
    return Q(Exists(here)) | ~Q(Exists(anywhere))


def intake_handlers(staff: list, child_ids: set[int], districts: dict) -> dict[int, list]:
    """Of the intake `staff`, those who handle each child, by the child's pk (the rule
    of `in_intake_of`, for many users and children at once): `districts` maps each
    user's pk to `intake_districts(user)` (`intake_districts_of`). One query for all
    the children."""
    if all(d is None for d in districts.values()):
        return dict.fromkeys(child_ids, staff)
    where: dict[int, set[int]] = {pk: set() for pk in child_ids}
    enrolled = Enrollment.objects.filter(
        active_q(), child_id__in=child_ids, unit__district__isnull=False
    ).values_list("child_id", "unit__district_id")
    for child_id, district_id in enrolled:
        where[child_id].add(district_id)
    return {
        child_id: [
            user
            for user in staff
            if districts[user.pk] is None or not here or districts[user.pk] & here
        ]
        for child_id, here in where.items()
    }


def handles_intake_of(user, child: Child, *roles: str) -> bool:
    """Whether the user is intake staff (as one of `roles`) for this child."""
    if not is_intake_staff(user, *roles):
        return False
    return Child.objects.filter(in_intake_of(user), pk=child.pk).exists()


def intake_children(user) -> QuerySet:
    """The ids of the children with an underretning open in the intake queue, for
    the caseworkers of Børn & Ungerådgivningen, who must assess it within 24 hours
    (Barnets Lov § 136, followups.law); nothing for anyone else.

    Read only, and audited with the reason INTAKE_REASON. It ends when the
    underretning is closed: without a case, or handed on to a case, whose team then
    sees the child. The underretninger (followups.Underretning) are reached through
    `Child.underretninger`, as the cases are.
    """
    if not is_intake_staff(user, Role.RAADGIVER):
        return Child.objects.none().values("pk")
    # Both conditions in one filter() call, so they hold for the same underretning
    # (and a child without any underretning, whose join gives NULLs, is not let in).
    return Child.objects.filter(
        in_intake_of(user), underretninger__isnull=False, underretninger__closed_at__isnull=True
    ).values("pk")


def covered_enrollments(user, *, prefix: str = "") -> Q:
    """Enrollments in a unit (and group) the user works with as fagperson or leder:
    a leader's or an unlimited fagperson's whole unit, a group-limited fagperson's
    groups only. `prefix` for use across a relation ("enrollments__")."""
    whole_units = []
    rule = Q(pk__in=[])
    for membership in user.memberships_as(*UNIT_ROLES):
        groups = [g.pk for g in membership.groups.all()]
        if membership.role == Role.LEDER or not groups:
            whole_units.append(membership.unit_id)
        else:
            rule |= Q(**{f"{prefix}unit_id": membership.unit_id, f"{prefix}group_id__in": groups})
    if whole_units:
        rule |= Q(**{f"{prefix}unit_id__in": whole_units})
    return rule


def _granted_by_consent() -> Q:
    """A consent that lets a consultative unit read: one of READ_GRANTING, covering a
    unit of the kind its purpose may cover (children.sharing.COVERED_KINDS), so that
    a PPR consent ticked for a school lets no school read."""
    rule = Q(pk__in=[])
    for purpose in READ_GRANTING:
        rule |= Q(purpose=purpose, units__kind__in=COVERED_KINDS[purpose])
    return rule


def consent_children(user, *, on=None) -> QuerySet:
    """The ids of the children whose parents' consent in force lets one of the
    user's consultative units (PPR, sundhedspleje) read them."""
    # The units as ids, not a join through the memberships: for a constant PostgreSQL
    # knows how many consents a unit has (a PPR unit thousands), and reads them by
    # child when `visible_children(among=...)` asks for a few children.
    granting = {kind for purpose in READ_GRANTING for kind in COVERED_KINDS[purpose]}
    units = [m.unit_id for m in user.membership_list() if m.unit.kind in granting]
    if not units:
        return Consent.objects.none().values("child_id")
    return (
        Consent.objects.in_force(on)
        .filter(_granted_by_consent(), units__in=units)
        .values("child_id")
    )


def visible_children(user, *, for_change: bool = False, among=None) -> ChildQuerySet:
    """The children the user may see; with `for_change`, those the user may also
    change something about (the intake queue's and a consent's access are read only).

    `among` (child ids, as a list or a query): of these children only, each rule
    looked up for them alone. For a short list found another way, such as the
    children of the user's own cases: PostgreSQL does not push such a filter into
    the union, and read the whole set first (a PPR consultant's 1,700 children by
    consent, 9 ms at 100,000 children) to keep a handful of it."""
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    # Aggregates only: forvaltning and administrators never see a child.
    if user.has_role(Role.FORVALTNING, Role.ADMINISTRATOR):
        return Child.objects.none()

    # One set of ids, a UNION of each rule's ids, rather than the rules ORed on the
    # children: PostgreSQL cannot use an index for an OR of EXISTS and IN lookups and
    # read every child on every list (546 ms for Mine børn at 100,000 children);
    # the union reads only the user's own enrollments, cases and consents.
    # (Each part unordered: SQLite allows no ORDER BY inside a compound SELECT.)
    enrolled = Enrollment.objects.filter(active_q(), covered_enrollments(user))
    parts = [(enrolled.values("child_id"), "child_id"), (case_team_children(user), "pk")]
    if not for_change:
        parts += [(intake_children(user), "pk"), (consent_children(user), "child_id")]
    if among is not None:
        parts = [(part.filter(**{f"{field}__in": among}), field) for part, field in parts]
    first, *rest = (part.order_by() for part, _field in parts)
    return Child.objects.filter(pk__in=first.union(*rest))


def _unit_ids(user, *roles: str) -> list[int]:
    return [membership.unit_id for membership in user.memberships_as(*roles)]


def _reads_whole_history(user, child: Child) -> bool:
    """The case team and the intake read everything written about the child."""
    return (
        case_team_children(user).filter(pk=child.pk).exists()
        or intake_children(user).filter(pk=child.pk).exists()
    )


def readable_entries(user, child: Child) -> Q:
    """The filter for the child's assessments, concerns and dialogues the user
    reads in full (on a queryset of one of those models)."""
    if _reads_whole_history(user, child):
        return Q()
    # What was written in any of the user's units (PPR colleagues read each other's).
    rule = Q(author=user) | Q(unit_id__in=_unit_ids(user))
    consultative = Consent.objects.in_force().filter(
        _granted_by_consent(), child=child, units__memberships__user=user
    )
    if consultative.exists():
        return rule | Q(unit__kind__in=ENROLLING_KINDS)
    own_units = _unit_ids(user, *UNIT_ROLES)
    other_units = Consent.objects.in_force().filter(
        child=child,
        purpose=Purpose.OTHER_UNITS_NOTES,
        units__in=own_units,
        units__kind__in=COVERED_KINDS[Purpose.OTHER_UNITS_NOTES],
    )
    if own_units and other_units.exists():
        rule |= Q(unit__kind__in=ENROLLING_KINDS)
    return rule


def readable_absence(user, child: Child) -> Q:
    """The filter for the child's absence records (children.AbsenceRecord) the user
    reads: the absence is the unit's data, read by the staff (fagperson, leder) of
    the unit it was recorded at, and by the case team and the intake, who read the
    whole history."""
    if _reads_whole_history(user, child):
        return Q()
    return Q(unit_id__in=_unit_ids(user, *UNIT_ROLES))


def may_read_entry(user, entry: WrittenInUnit, child: Child) -> bool:
    return type(entry)._default_manager.filter(readable_entries(user, child), pk=entry.pk).exists()


def may_see_case(user, case) -> bool:
    """The case itself, its meetings and interventions: the case team only (within
    CLOSED_CASE_ACCESS_DAYS of closing). Everyone else who sees the child sees the
    coordinator's name and the summary the coordinator shares."""
    return case_team_children(user).filter(cases=case).exists()


@dataclass(frozen=True)
class NoteRights:
    """What the rules for overleveringsnotater need to know of one user, looked up
    once for many transitions (the unit overview's list): the enrollments the user
    works with (`covered_enrollments`) and the children of the user's case teams."""

    covered: frozenset[int]
    team_children: frozenset[int]

    @classmethod
    def of(cls, user, enrollments: Iterable[Enrollment]) -> "NoteRights":
        ids = {enrollment.pk for enrollment in enrollments}
        covered = Enrollment.objects.filter(covered_enrollments(user), pk__in=ids)
        children = {enrollment.child_id for enrollment in enrollments}
        team = case_team_children(user).filter(pk__in=children)
        return cls(
            covered=frozenset(covered.values_list("pk", flat=True)) if ids else frozenset(),
            team_children=frozenset(team.values_list("pk", flat=True)) if ids else frozenset(),
        )


def may_write_transition_note(
    user, sending: Enrollment, receiving: Enrollment, today=None, *, rights=None
) -> bool:
    """The sending unit writes the note: from AHEAD_DAYS before the new start until
    NOTE_WINDOW_DAYS after its own enrollment ends (children.transitions).
    `rights` (NoteRights) saves the queries when many transitions are checked."""
    today = today or timezone.localdate()
    window_ends = note_window_ends(sending)
    if today < receiving.start - timedelta(days=AHEAD_DAYS) or today < sending.start:
        return False
    if window_ends is not None and today > window_ends:
        return False
    rights = rights or NoteRights.of(user, [sending])
    return sending.pk in rights.covered


def may_read_transition_note(user, note: TransitionNote, today=None, *, rights=None) -> bool:
    """The sending unit while it may write it; the receiving unit once it is
    finished, from the child's first day there and while the child is there; the
    child's case team."""
    today = today or timezone.localdate()
    sending, receiving = note.from_enrollment, note.to_enrollment
    rights = rights or NoteRights.of(user, [sending, receiving])
    if may_write_transition_note(user, sending, receiving, today, rights=rights):
        return True
    if note.is_finished and receiving.runs_on(today) and receiving.pk in rights.covered:
        return True
    return sending.child_id in rights.team_children


def may_acknowledge_transition_note(user, note: TransitionNote, today=None, *, rights=None) -> bool:
    """The receiving unit acknowledges the note once it is sent and the child has
    started there."""
    today = today or timezone.localdate()
    receiving = note.to_enrollment
    rights = rights or NoteRights.of(user, [receiving])
    return note.is_finished and receiving.runs_on(today) and receiving.pk in rights.covered


def may_change_child(user, child_id: int) -> bool:
    """Whether the user may change something about the child (not only read it
    through the intake queue or a consent)."""
    return visible_children(user, for_change=True).filter(pk=child_id).exists()


def get_child_to_change(request: HttpRequest, pk: int) -> Child:
    """The child if the user may change it, else 404, also for the GET of a form
    (which is logged as a read; the POST is logged by auditlog when it saves)."""
    if not may_change_child(request.user, pk):
        raise Http404
    return get_child_for_user(request, pk)


def get_child_to_notify_about(request: HttpRequest, pk: int) -> Child:
    """The child if the user may read it, else 404: the one thing a reader through
    the intake queue or a consent makes about a child is an underretning.

    Barnets Lov § 133, stk. 1 (skærpet underretningspligt; Serviceloven § 153, stk. 1
    before 2024): persons in public service or office ("offentlig tjeneste eller
    offentligt hverv") must notify the municipality when, in that work, they learn of
    or have reason to assume that a child may need special support. A PPR psychologist
    or a health visitor reading the child through the parents' consent is such a
    person, and the duty is each one's own (followups.law.DUTY_PROFESSIONAL), so it may
    not wait for someone who may change the child. The underretning goes to the
    intake as any other.

    The GET is logged as a read; the POST is not (the underretning it saves records
    who made it and when).
    """
    if request.method in ("GET", "HEAD"):
        return get_child_for_user(request, pk)
    child = visible_children(request.user).filter(pk=pk).first()
    if child is None:
        raise Http404
    return child


def get_child_for_user(request: HttpRequest, pk: int, *, action: str = "", what: str = "") -> Child:
    """The child if the user may see it, else 404; logs the access.

    `action` is an `audit.Event`; by default a GET or HEAD is a read and any other
    method a change. Changes are logged by auditlog itself, so a change only
    checks access. Pass `action` for the other events (a print, an export…).
    """
    if not action:
        action = audit.Event.READ if request.method in ("GET", "HEAD") else audit.Event.CHANGE
    change = action == audit.Event.CHANGE
    try:
        child = visible_children(request.user, for_change=change).get(pk=pk)
    except Child.DoesNotExist:
        raise Http404 from None
    if not change:
        reason = ""
        if not may_change_child(request.user, pk):
            # Read only: through the intake queue or a consent.
            in_intake = intake_children(request.user).filter(pk=pk).exists()
            reason = INTAKE_REASON if in_intake else CONSENT_REASON
        audit.log_access(request.user, child, action, what=what or request.path, reason=reason)
    return child


def may_export(user, child_id: int) -> bool:
    """Who answers the parents' access request with everything held about the child:
    a leader of a unit where the child is enrolled today, or a caseworker on the
    child's case team. The role counts in the child's own unit or case, not in any
    unit the user has (a leader elsewhere who is a fagperson here may not)."""
    if not user.is_authenticated or not user.is_active:
        return False
    leads_here = Enrollment.objects.filter(
        active_q(),
        child_id=child_id,
        unit__memberships__user=user,
        unit__memberships__role=Role.LEDER,
    )
    if leads_here.exists():
        return True
    caseworker = user.has_role(Role.RAADGIVER)
    return caseworker and case_team_children(user).filter(pk=child_id).exists()


def get_child_for_export(request: HttpRequest, pk: int) -> Child:
    """The child for the access-request export (`may_export`), else 404; logs the
    export. Anyone else is refused before anything is logged."""
    if not may_export(request.user, pk):
        raise Http404
    return get_child_for_user(request, pk, action=audit.Event.EXPORT, what="indsigt")


def get_child_object(request: HttpRequest, queryset: QuerySet, pk: int, *, action: str = ""):
    """One row about one child (an assessment, a dialogue, a case…) from `queryset`,
    if the user may see its child, else 404; logs the access like get_child_for_user.

    `queryset` may narrow further what the user may see (e.g. only their own drafts).
    The row's `child` is the child checked here.
    """
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404
    if isinstance(row, WrittenInUnit) and not _may_read_row_entry(request.user, row):
        raise Http404
    if row._meta.label in CASE_MATERIAL:
        case = row if row._meta.label == "followups.Case" else row.case
        if not may_see_case(request.user, case):
            raise Http404
    row.child = get_child_for_user(request, row.child_id, action=action)
    return row


def _may_read_row_entry(user, row: WrittenInUnit) -> bool:
    child = visible_children(user).filter(pk=row.child_id).first()  # type: ignore[attr-defined]
    return child is not None and may_read_entry(user, row, child)
