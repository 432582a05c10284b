"""The front page: the day's work, per role (desk.views.home).

Each role gets the panels of what needs doing, each item linking straight to the
page where it is done, and only to pages the user may open (children.access):

- everyone who owns LØFT next steps (fagperson, leder, rådgiver, konsulent): my
  open steps due within DUE_SOON_DAYS or overdue, and my LØFT drafts;
- fagperson and leder of a unit with children: the children flagged for their
  absence with no recent concern or assessment (children.absence.flags), the
  children to assess again (the rule of ruler.zones.is_stale) and the transitions waiting for an
  overleveringsnotat or its reading (desk.transition_views.unit_transitions);
- leder: the unit's children in zone 4–5 with no action for
  settings.FRONT_PAGE_ACTION_DAYS, and the unit's overdue next steps;
- rådgiver (and konsulent) on case teams: meetings this week and overdue;
  konsulent: the upcoming meetings of the tværfaglige fora they advise in;
  rådgivning staff: the intake's deadlines and what waits to be taken;
- forvaltning: the latest quarterly report; administrator: users without an
  authenticator app, the latest import of children and of absence, bulk-read alerts.

Every list is bounded (LIMIT items, with "se alle N" linking to the full list)
and costs one query whatever the number of rows: the total comes with the rows
from a window count. So the page costs a fixed number of queries per role (and per
unit, for the transitions).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ENROLLING_KINDS, Role, Unit, UnitKind, User
from children import absence
from children.access import in_intake_of, visible_children
from children.audit import Event
from children.models import BulkReadAlert, Child, Enrollment, active_q
from desk import transition_views
from followups import queries as followups_queries
from followups import workdays
from followups.models import Case, Escalation, Handover, Underretning
from forum.models import ForumMeeting
from loeft.models import Dialogue, NextStep
from reports.models import QuarterlyReport
from ruler import zones
from ruler.models import annotate_latest

# Items shown in one panel; the rest are behind its "se alle" link.
LIMIT = 10
# A next step is on the front page from this many days before it is due.
DUE_SOON_DAYS = 7
# The zones whose children a leader must see acted on.
ACTION_ZONES = (zones.Zone.UDSAT, zones.Zone.TRUET)
# Bulk-read alerts shown to administrators: those found in the last ALERT_DAYS.
ALERT_DAYS = 30

# Who owns next steps and writes LØFT dialogues ("Mine opgaver"); a leader too, in a
# unit with children.
STEP_ROLES = (Role.FAGPERSON, Role.RAADGIVER, Role.KONSULENT)
MEETING_ROLES = (Role.RAADGIVER, Role.KONSULENT)


@dataclass
class Item:
    text: str
    url: str
    meta: str = ""
    # A badge after the text, e.g. "Overskredet".
    warning: str = ""
    # The child the item names (for the page's audit entry), if any.
    child_id: int | None = None


@dataclass
class Panel:
    key: str  # the heading's id
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    # The more link's text when everything is shown already.
    link_label: str = ""
    intro: str = ""
    # The next steps themselves, shown with their "Markér som gjort" form.
    steps: list[NextStep] | None = None

    @property
    def more_label(self) -> str:
        return _("Se alle %(count)s") % {"count": self.total}

    @property
    def has_more(self) -> bool:
        return bool(self.more_url) and self.total > len(self.items or self.steps or [])


def _top(queryset: QuerySet) -> tuple[list, int]:
    """The first LIMIT rows and how many there are in all, in one query."""
    rows = list(queryset.annotate(front_total=Window(Count("pk")))[:LIMIT])
    return rows, (rows[0].front_total if rows else 0)


def _day(value: date) -> str:
    return date_format(value, "j. F Y")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=workdays.COPENHAGEN)


def _units(user, *roles: str) -> list[Unit]:
    """Units with children (not a service such as the rådgivning) where the user has
    one of `roles`, by name."""
    found = {
        m.unit_id: m.unit for m in user.memberships_as(*roles) if m.unit.kind in ENROLLING_KINDS
    }
    return sorted(found.values(), key=lambda unit: (unit.name, unit.pk))


# Fagperson, leder, rådgiver, konsulent ---------------------------------------------


def my_steps(user, children, today: date) -> Panel:
    soon = today + timedelta(days=DUE_SOON_DAYS)
    # From LØFT dialogues and, for the case team, follow-up meetings ("Mine opgaver").
    open_steps = NextStep.objects.open() | NextStep.objects.open_from_meetings_of(user)
    steps, total = _top(
        open_steps.filter(owner_user=user, child__in=children, due__lte=soon)
        .select_related("child", "dialogue", "owner_user", "owner_guardian")
        .order_by("due", "pk")
    )
    # And the tværfaglige forum's steps, which name their case and not the child.
    forum_steps, forum_total = _top(
        NextStep.objects.open_from_forums_of(user)
        .filter(owner_user=user, due__lte=soon)
        .select_related("child", "owner_user", "forum_case__forum")
        .order_by("due", "pk")
    )
    steps = sorted([*steps, *forum_steps], key=lambda step: (step.due, step.pk))[:LIMIT]
    total += forum_total
    return Panel(
        "mine-skridt",
        _("Mine næste skridt"),
        _("Du har ingen skridt, der skal gøres den næste uge. Godt gået!"),
        steps=steps,
        total=total,
        more_url=reverse("my_tasks"),
        link_label=_("Gå til Mine opgaver"),
        intro=_(
            "Skridt fra LØFT-dialoger, opfølgningsmøder og tværfagligt forum, som du skal "
            "gøre inden for en uge eller er bagud med."
        ),
    )


def my_drafts(user, children, transitions: list) -> Panel:
    drafts, total = _top(
        Dialogue.objects.drafts_of(user)
        .filter(child__in=children)
        .select_related("child")
        .order_by("-draft_saved_at", "-created_at", "-pk")
    )
    items = [
        Item(
            _("LØFT-dialog med %(child)s") % {"child": d.child},
            reverse("dialogue_edit", args=[d.pk]),
            meta=_("senest gemt %(day)s") % {"day": _day(timezone.localdate(d.draft_saved_at))}
            if d.draft_saved_at
            else "",
            child_id=d.child_id,
        )
        for d in drafts
    ]
    # The user's unfinished overleveringsnotater, from the transitions in view.
    notes = [
        row
        for row in transitions
        if row.status == transition_views.DRAFT
        and row.write_url
        and row.transition.note.author_id == user.pk
    ]
    items += [
        Item(
            _("Overleveringsnotat om %(child)s") % {"child": row.transition.child},
            row.write_url,
            meta=_("til %(unit)s") % {"unit": row.transition.receiving.unit},
            child_id=row.transition.receiving.child_id,
        )
        for row in notes
    ]
    return Panel(
        "mine-kladder",
        _("Mine kladder"),
        _("Du har ingen kladder, der venter."),
        items=items[:LIMIT],
        total=total + len(notes),
        more_url=reverse("my_tasks"),
        link_label=_("Gå til Mine opgaver"),
    )


# Fagperson and leder -----------------------------------------------------------------


def _enrolled_in(unit_ids: list[int]) -> Exists:
    return Exists(Enrollment.objects.filter(active_q(), child=OuterRef("pk"), unit_id__in=unit_ids))


def _overview_url(unit_ids: list[int], anchor: str) -> str:
    return f"{reverse('unit_overview')}?enhed={unit_ids[0]}#{anchor}"


def to_reassess(children, unit_ids: list[int], today: date) -> Panel:
    """Of `children` (those of the user's units and groups, front_page's in_units),
    those whose latest zone is 3–5 and older than ruler.zones.STALE_AFTER_DAYS: the
    unit overview's rule, in SQL. The leader's panels below take the children of
    the units they lead the same way."""
    stale_before = today - timedelta(days=zones.STALE_AFTER_DAYS)
    listed, total = _top(
        annotate_latest(children)
        .filter(latest_zone__in=zones.CONCERN_ZONES, latest_assessed_on__lt=stale_before)
        .order_by("latest_assessed_on", "-latest_zone", "pk")
    )
    items = [
        Item(
            str(child),
            reverse("concern_create", args=[child.pk]),
            meta=_("Zone %(zone)s, sidst vurderet %(day)s")
            % {"zone": child.latest_zone, "day": _day(child.latest_assessed_on)},
            child_id=child.pk,
        )
        for child in listed
    ]
    return Panel(
        "skal-vurderes",
        _("Skal vurderes igen"),
        _("Ingen børn skal vurderes igen lige nu."),
        items=items,
        total=total,
        more_url=_overview_url(unit_ids, "skal-vurderes"),
        link_label=_("Gå til Min enhed"),
        intro=ngettext(
            "Børn i zone 3–5, som ikke er vurderet i %(days)s dag.",
            "Børn i zone 3–5, som ikke er vurderet i %(days)s dage.",
            zones.STALE_AFTER_DAYS,
        )
        % {"days": zones.STALE_AFTER_DAYS},
    )


def absence_flags(children, unit_ids: list[int], today: date) -> Panel:
    """The children of the user's units (and groups) flagged for their absence, each
    a click from a concern that starts with it (children.absence; four queries)."""
    found = absence.flags(children.filter(_enrolled_in(unit_ids)), unit_ids, today)
    items = [
        Item(
            _("Log bekymring om %(child)s") % {"child": flag.child},
            f"{reverse('concern_create', args=[flag.child.pk])}?fravaer=1",
            meta=_("Fravær %(percent)s %% i %(month)s, %(three)s %% de seneste tre måneder")
            % {
                "percent": flag.window.percent,
                "month": date_format(flag.window.month, "F Y"),
                "three": flag.window.three_month_percent,
            },
            child_id=flag.child.pk,
        )
        for flag in found[:LIMIT]
    ]
    return Panel(
        "hoejt-fravaer",
        _("Højt fravær uden nylig vurdering"),
        _("Ingen børn har højt fravær uden en nylig bekymring eller vurdering."),
        items=items,
        total=len(found),
        more_url=_overview_url(unit_ids, "hoejt-fravaer"),
        link_label=_("Gå til Min enhed"),
        intro=ngettext(
            "Mindst %(last)s %% fravær sidste måned eller %(three)s %% over tre måneder, og "
            "ingen bekymring eller vurdering den seneste %(days)s dag.",
            "Mindst %(last)s %% fravær sidste måned eller %(three)s %% over tre måneder, og "
            "ingen bekymring eller vurdering de seneste %(days)s dage.",
            settings.ABSENCE_FLAG_QUIET_DAYS,
        )
        % {
            "last": settings.ABSENCE_FLAG_LAST_MONTH_PCT,
            "three": settings.ABSENCE_FLAG_THREE_MONTHS_PCT,
            "days": settings.ABSENCE_FLAG_QUIET_DAYS,
        },
    )


def unit_transition_rows(user, units: list[Unit], today: date) -> list:
    """The transition rows of the user's units (desk.transition_views), the
    soonest start first: a fixed number of queries per unit."""
    rows = []
    for unit in units:
        found = transition_views.unit_transitions(user, unit, today, child_links=False)
        rows += found["incoming"] + found["outgoing"]
    return sorted(rows, key=lambda row: (row.transition.starts_on, row.transition.child.pk))


def transitions_panel(rows: list, unit_ids: list[int]) -> Panel:
    """The transitions where the user has something to do: a note to write or
    finish for the unit the child leaves, a sent note to read for the unit it
    starts in."""
    items = []
    for row in rows:
        t = row.transition
        starts = _day(t.starts_on)
        if row.write_url and row.status in (transition_views.MISSING, transition_views.DRAFT):
            text = _("Skriv overleveringsnotat om %(child)s") % {"child": t.child}
            meta = _("Skifter til %(unit)s %(day)s") % {"unit": t.receiving.unit, "day": starts}
            items.append(Item(text, row.write_url, meta, child_id=t.receiving.child_id))
        elif row.read_url and row.status == transition_views.SENT and not row.write_url:
            text = _("Læs overleveringsnotat om %(child)s") % {"child": t.child}
            meta = _("Kommer fra %(unit)s, startede %(day)s") % {
                "unit": t.sending.unit,
                "day": starts,
            }
            items.append(Item(text, row.read_url, meta, child_id=t.receiving.child_id))
    return Panel(
        "overgange",
        _("Overgange"),
        _("Ingen overleveringsnotater venter på dig."),
        items=items[:LIMIT],
        total=len(items),
        more_url=_overview_url(unit_ids, "overgange"),
        link_label=_("Se alle overgange i Min enhed"),
    )


# Leder -------------------------------------------------------------------------------


def _acted_on_since(day: date) -> Q:
    """Something was done about the child since `day`: a LØFT dialogue, a next step
    agreed or done, an escalation to Børn & Ungerådgivningen, an underretning, or a
    case (open, or opened since)."""
    since = _start_of(day)
    child = OuterRef("pk")
    return (
        Q(
            Exists(
                Dialogue.objects.filter(Q(held_on__gte=day) | Q(created_at__gte=since), child=child)
            )
        )
        | Q(
            Exists(
                NextStep.objects.filter(Q(created_at__gte=since) | Q(done_on__gte=day), child=child)
            )
        )
        | Q(Exists(Escalation.objects.filter(child=child, created_at__gte=since)))
        | Q(Exists(Underretning.objects.filter(child=child, received_at__gte=since)))
        | Q(
            Exists(
                Case.objects.filter(Q(closed_on__isnull=True) | Q(opened_on__gte=day), child=child)
            )
        )
    )


def without_action(children, unit_ids: list[int], today: date) -> Panel:
    days = settings.FRONT_PAGE_ACTION_DAYS
    listed, total = _top(
        annotate_latest(children)
        .filter(latest_zone__in=ACTION_ZONES)
        .exclude(_acted_on_since(today - timedelta(days=days)))
        .order_by("-latest_zone", "latest_assessed_on", "pk")
    )
    items = [
        Item(
            str(child),
            child.get_absolute_url(),
            meta=_("Zone %(zone)s siden %(day)s")
            % {"zone": child.latest_zone, "day": _day(child.latest_assessed_on)},
            child_id=child.pk,
        )
        for child in listed
    ]
    return Panel(
        "uden-handling",
        _("Zone 4–5 uden handling"),
        _("Alle børn i zone 4–5 har fået en handling for nylig."),
        items=items,
        total=total,
        more_url=_overview_url(unit_ids, "zone-5"),
        link_label=_("Se enhedens børn efter zone"),
        intro=ngettext(
            "Børn i zone 4 eller 5, hvor der ikke er holdt LØFT-dialog, aftalt skridt, "
            "sendt til rådgivningen, underrettet eller åbnet sag den seneste %(days)s dag.",
            "Børn i zone 4 eller 5, hvor der ikke er holdt LØFT-dialog, aftalt skridt, "
            "sendt til rådgivningen, underrettet eller åbnet sag de seneste %(days)s dage.",
            days,
        )
        % {"days": days},
    )


def overdue_steps(children, unit_ids: list[int], today: date) -> Panel:
    steps, total = _top(
        NextStep.objects.open()
        .filter(child__in=children, due__lt=today)
        .select_related("child", "owner_user", "owner_guardian")
        .order_by("due", "pk")
    )
    items = [
        Item(
            step.text,
            f"{step.child.get_absolute_url()}#loeft-dialoger",
            meta=_("%(child)s · %(owner)s · senest %(day)s")
            % {"child": step.child, "owner": step.owner_label, "day": _day(step.due)},
            warning=_("Overskredet"),
            child_id=step.child_id,
        )
        for step in steps
    ]
    return Panel(
        "overskredne-skridt",
        _("Overskredne skridt i enheden"),
        _("Ingen skridt i enheden er overskredet."),
        items=items,
        total=total,
        more_url=_overview_url(unit_ids, "aabne-skridt"),
        link_label=_("Se alle åbne skridt i enheden"),
    )


# Rådgiver and konsulent --------------------------------------------------------------


def meetings(user, today: date) -> Panel:
    """The unheld meetings of the open cases the user is on, until Sunday: the
    overdue ones first (the rule of "Mine møder")."""
    sunday = today + timedelta(days=6 - today.weekday())
    listed, total = _top(
        followups_queries.unheld_meetings_of(user).filter(scheduled_on__lte=sunday)
    )
    items = [
        Item(
            _("Opfølgningsmøde om %(child)s") % {"child": m.case.child},
            m.get_absolute_url(),
            meta=_day(m.scheduled_on),
            warning=_("Overskredet") if m.scheduled_on < today else "",
            child_id=m.case.child_id,
        )
        for m in listed
    ]
    return Panel(
        "moeder",
        _("Møder denne uge"),
        _("Du har ingen møder resten af ugen, og ingen er overskredet."),
        items=items,
        total=total,
        more_url=reverse("my_meetings"),
        link_label=_("Gå til Mine møder"),
    )


def forum_meetings(user, today: date) -> Panel:
    """The upcoming meetings of the tværfaglige fora the user advises in, the
    soonest first, with how many cases are on each agenda (names none)."""
    listed, total = _top(
        ForumMeeting.objects.upcoming(today)
        .filter(forum__consultants=user)
        .select_related("forum")
        .annotate(case_count=Count("cases", distinct=True))
    )
    items = [
        Item(
            _("%(forum)s %(day)s") % {"forum": m.forum, "day": _day(m.date)},
            m.get_absolute_url(),
            meta=ngettext("%(count)s sag", "%(count)s sager", m.case_count)
            % {"count": m.case_count},
        )
        for m in listed
    ]
    return Panel(
        "forummoeder",
        _("Kommende forummøder"),
        _("Der er ingen kommende møder i dine tværfaglige fora."),
        items=items,
        total=total,
        more_url=reverse("forum_home"),
        link_label=_("Gå til Tværfagligt forum"),
    )


def intake_deadlines(user, now: datetime) -> Panel:
    """The open underretninger of the user's intake with a deadline to meet, the
    nearest first (followups.views.intake's order): the 24-hour assessment, then a
    professional notifier's receipt within 6 hverdage (followups.law)."""
    queue = Underretning.objects.open().filter(in_intake_of(user, child_ref="child"))
    queue = queue.select_related("child").order_by("received_at", "pk")
    unassessed, to_assess = _top(queue.filter(assessed_at__isnull=True))
    owed, to_receipt = _top(
        queue.filter(Underretning.OWED_RECEIPT, assessed_at__isnull=False, receipt_sent_on=None)
    )
    rows = [(u.assessment_deadline, u, _("Vurderes senest %(when)s")) for u in unassessed]
    rows += [
        (
            datetime.combine(u.receipt_deadline, time(23, 59), tzinfo=workdays.COPENHAGEN),
            u,
            _("Kvittering sendes senest %(when)s"),
        )
        for u in owed
    ]
    rows.sort(key=lambda row: (row[0], row[1].pk))
    items = [
        Item(
            str(u.child),
            u.get_absolute_url(),
            meta=text % {"when": date_format(timezone.localtime(deadline), "j. F \\k\\l. H:i")},
            warning=_("Overskredet") if deadline < now else "",
            child_id=u.child_id,
        )
        for deadline, u, text in rows[:LIMIT]
    ]
    return Panel(
        "frister",
        _("Frister for underretninger"),
        _("Ingen underretninger venter på vurdering eller kvittering."),
        items=items,
        total=to_assess + to_receipt,
        more_url=reverse("intake"),
        link_label=_("Gå til Indgang"),
    )


def to_take(user, *, caseworker: bool) -> Panel:
    """Cases offered to the caseworker by another coordinator, and children the
    institutions have sent to Børn & Ungerådgivningen, waiting for a caseworker."""
    items, total = [], 0
    if caseworker:
        offers, total = _top(
            Handover.objects.filter(
                to_user=user, status=Handover.Status.PENDING, case__closed_on__isnull=True
            )
            .select_related("case__child", "from_user")
            .order_by("created_at", "pk")
        )
        items += [
            Item(
                _("Overtag sagen om %(child)s") % {"child": h.case.child},
                reverse("handover_answer", args=[h.pk]),
                meta=_("fra %(user)s") % {"user": h.from_user},
                child_id=h.case.child_id,
            )
            for h in offers
        ]
    waiting, sent = _top(
        Escalation.objects.filter(
            in_intake_of(user, child_ref="child"), status=Escalation.Status.WAITING
        )
        .select_related("child", "from_unit")
        .order_by("created_at", "pk")
    )
    items += [
        Item(
            str(e.child),
            reverse("intake"),
            meta=_("sendt af %(unit)s %(day)s")
            % {"unit": e.from_unit, "day": _day(timezone.localdate(e.created_at))},
            child_id=e.child_id,
        )
        for e in waiting
    ]
    return Panel(
        "tag-imod",
        _("Venter på at blive taget"),
        _("Ingen sager eller børn venter på en rådgiver."),
        items=items[:LIMIT],
        total=total + sent,
        more_url=reverse("my_cases") if caseworker and total else reverse("intake"),
        link_label=_("Gå til Mine sager") if caseworker else _("Gå til Indgang"),
    )


# Forvaltning and administrator ------------------------------------------------------


def latest_report() -> Panel:
    report = (
        QuarterlyReport.objects.filter(status=QuarterlyReport.Status.DONE)
        .exclude(pdf="")
        .order_by("-quarter", "-generated_at", "-pk")
        .first()
    )
    items = []
    if report is not None:
        items.append(
            Item(
                _("Kvartalsstatus %(quarter)s (PDF)") % {"quarter": report.quarter_obj.label},
                reverse("report_download", args=[report.pk]),
                meta=_("dannet %(day)s") % {"day": _day(timezone.localdate(report.generated_at))}
                if report.generated_at
                else "",
            )
        )
    return Panel(
        "kvartalsstatus",
        _("Seneste kvartalsstatus"),
        _("Der er ingen færdig kvartalsstatus endnu. Du kan bestille én i arkivet."),
        items=items,
        total=len(items),
        more_url=reverse("report_archive"),
        link_label=_("Se alle kvartalsrapporter"),
    )


def users_without_mfa() -> Panel:
    has_app = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    users, total = _top(
        User.objects.filter(is_active=True)
        .exclude(has_app)
        .order_by("first_name", "last_name", "username", "pk")
    )
    items = [
        Item(
            str(u.get_full_name() or u.username),
            reverse("admin_user_edit", args=[u.pk]),
            u.username,
        )
        for u in users
    ]
    return Panel(
        "uden-tofaktor",
        _("Brugere uden godkenderapp"),
        _("Alle aktive brugere har sat en godkenderapp op."),
        items=items,
        total=total,
        more_url=reverse("admin_users"),
        link_label=_("Gå til brugerne"),
        intro=_("De bliver bedt om at sætte den op, næste gang de logger ind.") if total else "",
    )


def latest_import(event: str = Event.IMPORT) -> Panel:
    """The latest run of the children import, or with Event.ABSENCE_IMPORT of the
    absence import (the run's own audit entry: no child)."""
    entry = (
        LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__event=event)
        .select_related("actor")
        .order_by("-timestamp", "-pk")
        .first()
    )
    absence = event == Event.ABSENCE_IMPORT
    url = reverse("absence_import" if absence else "child_import")
    items = []
    if entry is not None:
        data = entry.additional_data or {}
        errors = data.get("errors", 0)
        text = (_("Prøvekørsel %(day)s") if data.get("dry_run") else _("Import %(day)s")) % {
            "day": date_format(timezone.localtime(entry.timestamp), "j. F Y \\k\\l. H:i")
        }
        meta = ngettext(
            "%(rows)s række, %(errors)s fejl",
            "%(rows)s rækker, %(errors)s fejl",
            data.get("rows", 0),
        ) % {"rows": data.get("rows", 0), "errors": errors}
        items.append(Item(text, url, meta=meta, warning=_("Fejl") if errors else ""))
    if absence:
        return Panel(
            "import-fravaer",
            _("Import af fravær"),
            _("Der er ikke importeret fravær endnu."),
            items=items,
            total=len(items),
            more_url=url,
            link_label=_("Importér fravær"),
        )
    return Panel(
        "import",
        _("Import af børn"),
        _("Der er ikke importeret børn endnu."),
        items=items,
        total=len(items),
        more_url=url,
        link_label=_("Importér børn"),
    )


def alerts(now: datetime) -> Panel:
    found, total = _top(
        BulkReadAlert.objects.filter(created_at__gte=now - timedelta(days=ALERT_DAYS))
        .select_related("user")
        .order_by("-window_start", "-pk")
    )
    items = []
    for alert in found:
        first = timezone.localdate(alert.window_start)
        query = f"user={alert.user_id}&start={first}&end={first + timedelta(days=1)}"
        items.append(
            Item(
                _("%(user)s læste %(count)s børn")
                % {"user": alert.user, "count": alert.children_count},
                f"{reverse('admin_audit')}?{query}",
                meta=date_format(timezone.localtime(alert.window_start), "j. F Y \\k\\l. H:i"),
            )
        )
    return Panel(
        "advarsler",
        _("Advarsler om mange opslag"),
        ngettext(
            "Ingen advarsler den seneste %(days)s dag.",
            "Ingen advarsler de seneste %(days)s dage.",
            ALERT_DAYS,
        )
        % {"days": ALERT_DAYS},
        items=items,
        total=total,
        more_url=reverse("admin_audit"),
        link_label=_("Gå til logningen"),
    )


# The page ----------------------------------------------------------------------------


def front_page(user, now: datetime | None = None) -> dict:
    """The panels of the user's front page, in the order shown, whether it has the
    children's search box, and the children it names (for the audit entry)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Forvaltning and administrators see no child, whatever else they are.
    sees_children = bool(user.membership_list()) and not user.has_role(
        Role.FORVALTNING, Role.ADMINISTRATOR
    )
    panels: list[Panel] = []

    if sees_children:
        children = visible_children(user)
        units = _units(user, Role.FAGPERSON, Role.LEDER)
        unit_ids = [unit.pk for unit in units]
        lead_ids = [unit.pk for unit in _units(user, Role.LEDER)]
        rows = unit_transition_rows(user, units, today)
        # The children of the user's units they see, as ids: the unit panels filter
        # on a list rather than repeating the access rule's UNION, which PostgreSQL
        # took 20 ms to plan inside the join of the steps.
        seen = children.filter(_enrolled_in(unit_ids)) if unit_ids else children.none()
        in_units = Child.objects.filter(pk__in=list(seen.values_list("pk", flat=True)))
        # A leader's panels: the children of the units they lead (usually all of them).
        in_lead = in_units if lead_ids == unit_ids else in_units.filter(_enrolled_in(lead_ids))
        owns_steps = bool(lead_ids) or user.has_role(*STEP_ROLES)
        # What only this role does first, then the user's own steps and drafts.
        if lead_ids:
            panels.append(without_action(in_lead, lead_ids, today))
            panels.append(overdue_steps(in_lead, lead_ids, today))
        if user.has_role(*MEETING_ROLES):
            panels.append(meetings(user, today))
        if user.has_role(Role.KONSULENT):
            panels.append(forum_meetings(user, today))
        if user.memberships_as(Role.RAADGIVER, Role.LEDER, unit_kind=UnitKind.RAADGIVNING):
            panels.append(intake_deadlines(user, now))
            caseworker = bool(user.memberships_as(Role.RAADGIVER, unit_kind=UnitKind.RAADGIVNING))
            panels.append(to_take(user, caseworker=caseworker))
        if owns_steps:
            panels.append(my_steps(user, children, today))
        if unit_ids:
            panels.append(absence_flags(in_units, unit_ids, today))
            panels.append(to_reassess(in_units, unit_ids, today))
        if owns_steps:
            panels.append(my_drafts(user, children, rows))
        if unit_ids:
            panels.append(transitions_panel(rows, unit_ids))
    if user.has_role(Role.FORVALTNING):
        panels.append(latest_report())
    if user.has_role(Role.ADMINISTRATOR):
        panels += [
            users_without_mfa(),
            latest_import(),
            latest_import(Event.ABSENCE_IMPORT),
            alerts(now),
        ]

    shown = [item.child_id for panel in panels for item in panel.items]
    shown += [step.child_id for panel in panels for step in panel.steps or [] if step.child_id]
    return {
        "panels": panels,
        "search": sees_children,
        "memberships": user.membership_list(),
        "child_ids": shown,
    }
