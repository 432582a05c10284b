"""Coordinated efforts around a child.

An `Escalation` brings a child to Børn & Ungerådgivningen; a caseworker who
accepts it opens a `Case` and becomes its coordinator (tovholder). A case has a
cross-professional team, interventions on Indsatstrappen, and follow-up
`Meeting`s at least every three months. An `Underretning` records a statutory
notification with its two deadlines. `Reminder` rows are the reminders the
daily sweep (followups.reminders) has decided to send: one row per kind,
object, recipient and day, so a reminder is never sent twice.
"""

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from children.access import CLOSED_CASE_ACCESS_DAYS
from children.models import Child
from followups import workdays
from ruler.models import Assessment
from ruler.zones import Zone

FOLLOW_UP_MONTHS = 3


def follow_up_date(day: date) -> date:
    """Three months after `day`, on a working day: the one before, if it falls on a
    weekend or holiday, so that it is still at most three months."""
    due = day + relativedelta(months=FOLLOW_UP_MONTHS)
    while not workdays.is_working_day(due):
        due -= timedelta(days=1)
    return due


class PreventionLevel(models.TextChoices):
    PRIMARY = "primaer", _("Primær")
    SECONDARY = "sekundaer", _("Sekundær")
    TERTIARY = "tertiaer", _("Tertiær")


class Step(models.IntegerChoices):
    """Indsatstrappen: the direction of travel is down."""

    EARLY = 1, _("Tidlige indsatser i almenområdet")
    PREVENTIVE = 2, _("Forebyggende indsatser")
    HOME_BASED = 3, _("Hjemmebaserede foranstaltninger")
    KINSHIP = 4, _("Anbringelse i slægt eller netværk")
    FOSTER = 5, _("Anbringelse i familiepleje")
    INSTITUTION = 6, _("Anbringelse på institution")


def prevention_level_for(step: int | None, zone: int | None) -> str:
    """The prevention level a case's current step on Indsatstrappen and the child's
    latest zone on Børnelinealen point to (None: no running intervention, never
    assessed).

    Socialstyrelsen's Vidensportal (vidensportal.dk/boern-og-unge/tidlig-indsats/
    maalgruppe, after Tønnesen et al., Sundhedsstyrelsen 2005): primær forebyggelse
    prevents problems from arising, for children not exposed to risk factors
    (universal: almenområdet); sekundær finds and limits a problem as early as
    possible, for children whose lives carry risk factors (selective); tertiær
    prevents a problem from getting worse or coming back, for children already in
    it (indicated). On the two rulers:

    - tertiær: a measure on step 3 or higher (hjemmebaseret, anbringelse) or zone 4–5
      (udsat, truet);
    - primær: at most step 1 (tidlige indsatser i almenområdet) and zone 1–2;
    - sekundær: everything between: step 2, zone 3, or a case whose child has no
      zone yet (a case is opened because someone is worried).
    """
    if (step or 0) >= Step.HOME_BASED or (zone or 0) >= Zone.UDSAT:
        return PreventionLevel.TERTIARY
    if (step or 0) <= Step.EARLY and zone is not None and zone <= Zone.MODERAT_TRIVSEL:
        return PreventionLevel.PRIMARY
    return PreventionLevel.SECONDARY


class Escalation(models.Model):
    class Status(models.TextChoices):
        WAITING = "venter", _("Venter")
        ACCEPTED = "modtaget", _("Modtaget")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("barn")
    )
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("fra enhed")
    )
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name=_("sendt af"),
    )
    reason = models.TextField(_("hvorfor"))
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modtaget af"),
    )
    accepted_at = models.DateTimeField(_("modtaget"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("henvendelse til rådgivningen")
        verbose_name_plural = _("henvendelser til rådgivningen")

    def __str__(self) -> str:
        return f"{self.child} ({self.created_at:%d.%m.%Y})"

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}


# Repeated underretninger about a child are looked at together (the guidance asks the
# municipality to see them as a whole): those received within a year.
REPEAT_WINDOW = timedelta(days=365)


class UnderretningQuerySet(models.QuerySet):
    def open(self) -> "UnderretningQuerySet":
        """In the intake queue: not yet closed, whether by a decision without a case
        or by handing it on to a case."""
        return self.filter(closed_at__isnull=True)

    def about_child_since(self, child_id: int, since: datetime) -> "UnderretningQuerySet":
        return self.filter(child_id=child_id, received_at__gte=since)


class Underretning(models.Model):
    """A notification that a child may need support (Barnets Lov §§ 132–135, 138) and
    the municipality's handling of it (§§ 136–137): the assessment within 24 hours,
    the receipt to a professional notifier within 6 hverdage, the decision, and the
    later tilbagemelding. Every deadline counts from `received_at`, when the
    municipality received it (followups.law has the references)."""

    class Source(models.TextChoices):
        PROFESSIONAL = "fagperson", _("En fagperson")
        CITIZEN = "borger", _("En borger (forælder, familie, nabo …)")
        CHILD = "barnet", _("Barnet eller den unge selv")
        ANONYMOUS = "anonym", _("Anonym")

    class Channel(models.TextChoices):
        TIDLIG = "tidlig", _("I Tidlig")
        PHONE = "telefon", _("Telefon")
        LETTER = "brev", _("Brev")
        EMAIL = "email", _("E-mail")
        DIGITAL_POST = "digital_post", _("Digital Post")
        IN_PERSON = "personligt", _("Personligt fremmøde")

    class Decision(models.TextChoices):
        NO_ACTION = "ingen", _("Ingen yderligere handling")
        SCREENING = "screening", _("Screening (§ 18)")
        AFDAEKNING = "afdaekning", _("Afdækning (§ 19)")
        UNDERSOEGELSE = "undersoegelse", _("Børnefaglig undersøgelse (§ 20)")
        IMMEDIATE = "akut", _("Akutte foranstaltninger")
        COORDINATOR = "tovholder", _("Sendes til tovholderen i den åbne sag")

    # Only a professional notifier is owed a receipt and a tilbagemelding (wants_receipt).
    OWED_RECEIPT = Q(source=Source.PROFESSIONAL)

    # The decisions that open a case, or carry on in the child's open one.
    CASE_DECISIONS = frozenset(
        {Decision.AFDAEKNING, Decision.UNDERSOEGELSE, Decision.IMMEDIATE, Decision.COORDINATOR}
    )

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="underretninger", verbose_name=_("barn")
    )
    # Receiving.
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="underretninger",
        verbose_name=_("underrettet af"),
        help_text=_("Fagpersonen, når underretningen er lavet i Tidlig."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    source = models.CharField(
        _("hvem underretter"), max_length=10, choices=Source.choices, default=Source.PROFESSIONAL
    )
    channel = models.CharField(
        _("modtaget via"), max_length=15, choices=Channel.choices, default=Channel.TIDLIG
    )
    notifier = models.CharField(
        _("underretter"), max_length=200, blank=True, help_text=_("Navn og funktion.")
    )
    notifier_contact = models.CharField(
        _("underretterens adresse"),
        max_length=300,
        blank=True,
        help_text=_("Arbejdsplads og adresse eller e-mail, hvor kvitteringen sendes hen."),
    )
    received_at = models.DateTimeField(_("modtaget"))
    about = models.TextField(_("hvad handler underretningen om?"))
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    # The assessment within 24 hours.
    assessed_at = models.DateTimeField(_("vurderet"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vurderet af"),
    )
    acute = models.BooleanField(_("barnet er i akut fare"), null=True, blank=True)
    decision = models.CharField(
        _("beslutning"), max_length=15, choices=Decision.choices, blank=True
    )
    decision_reason = models.TextField(_("begrundelse"), blank=True)
    case = models.ForeignKey(
        "Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="underretninger",
        verbose_name=_("sag"),
    )

    # To a professional notifier: the receipt, then the tilbagemelding.
    receipt_sent_on = models.DateField(_("kvittering sendt"), null=True, blank=True)
    feedback_sent_on = models.DateField(_("tilbagemelding sendt"), null=True, blank=True)
    feedback_text = models.TextField(_("tilbagemelding"), blank=True)

    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)

    objects = UnderretningQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("underretning")
        verbose_name_plural = _("underretninger")
        indexes = [models.Index(fields=["closed_at", "received_at"])]

    def __str__(self) -> str:
        return f"{self.child} ({self.received_at:%d.%m.%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("underretning", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def wants_receipt(self) -> bool:
        """The law's receipt and tilbagemelding are owed to a professional notifier
        under the skærpet underretningspligt (§ 133; followups.law RECEIPT_6_HVERDAGE,
        FEEDBACK). A municipality may also confirm to a named citizen; Tidlig keeps
        no deadline for that, and an anonymous notifier cannot get one."""
        return self.source == self.Source.PROFESSIONAL

    @property
    def assessment_deadline(self) -> datetime:
        return workdays.assessment_deadline(self.received_at)

    @property
    def receipt_deadline(self) -> date:
        return workdays.receipt_deadline(self.received_at)

    def assessment_overdue(self, now: datetime | None = None) -> bool:
        return self.assessed_at is None and (now or timezone.now()) > self.assessment_deadline

    def assessed_in_time(self) -> bool:
        return self.assessed_at is not None and self.assessed_at <= self.assessment_deadline

    def receipt_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.wants_receipt and self.receipt_sent_on is None and today > self.receipt_deadline

    def receipt_in_time(self) -> bool:
        return self.receipt_sent_on is not None and self.receipt_sent_on <= self.receipt_deadline


# How far back the nightly refresh of prevention levels looks, so that a night or
# two without beat is caught up (CaseQuerySet.refresh_dated_levels).
LEVEL_REFRESH_DAYS = 7


class CaseQuerySet(models.QuerySet):
    def open(self) -> "CaseQuerySet":
        return self.filter(closed_on__isnull=True)

    def refresh_dated_levels(self, today: date | None = None) -> int:
        """Refresh the stored level of the open cases whose step changed by the
        calendar, not by a write: an intervention entered with a later start or end
        date that has since come (followups.tasks, nightly). The number refreshed."""
        today = today or timezone.localdate()
        since = today - timedelta(days=LEVEL_REFRESH_DAYS)
        dated = Intervention.objects.filter(
            Q(start__gt=since, start__lte=today) | Q(end__gte=since, end__lte=today)
        )
        cases = self.open().filter(pk__in=dated.values("case_id"))
        for case in cases:
            case.refresh_prevention_level()
        return len(cases)

    def visible_to_team(self) -> "CaseQuerySet":
        since = timezone.localdate() - timedelta(days=CLOSED_CASE_ACCESS_DAYS)
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=since))


class Case(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="cases", verbose_name=_("barn")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
        verbose_name=_("tovholder"),
    )
    escalation = models.OneToOneField(
        Escalation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("henvendelse"),
    )
    # The level in force, stored so that lists and counts by level need no join:
    # derived from the current step and the latest zone (prevention_level_for),
    # kept in step by refresh_prevention_level on every change of an intervention
    # or an assessment (followups.apps), unless the coordinator has chosen one.
    prevention_level = models.CharField(
        _("forebyggelsesniveau"),
        max_length=10,
        choices=PreventionLevel.choices,
        default=PreventionLevel.SECONDARY,
    )
    prevention_level_override = models.CharField(
        _("forebyggelsesniveau valgt af tovholderen"),
        max_length=10,
        choices=PreventionLevel.choices,
        blank=True,
    )
    prevention_level_reason = models.TextField(
        _("begrundelse for forebyggelsesniveauet"), blank=True
    )
    opened_on = models.DateField(_("åbnet"))
    closed_on = models.DateField(_("lukket"), null=True, blank=True)
    # What the coordinator chooses to share with the child's units: outside the
    # case team, this is all that is seen of the case (children.access).
    shared_summary = models.TextField(
        _("resumé til barnets enheder"),
        blank=True,
        help_text=_(
            "Det eneste, barnets dagtilbud, skole og SFO ser af sagen. Skriv kun det, "
            "de har brug for at vide for at støtte barnet."
        ),
    )
    summary_shared_on = models.DateField(_("resumé delt den"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "pk"]
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_it_opens",
            ),
            # A level chosen by the coordinator is the one in force, and has a reason.
            models.CheckConstraint(
                condition=Q(prevention_level_override="")
                | (
                    Q(prevention_level=models.F("prevention_level_override"))
                    & ~Q(prevention_level_reason="")
                ),
                name="case_prevention_override_in_force_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Sag om %(child)s") % {"child": self.child})

    def get_absolute_url(self) -> str:
        return reverse("case", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def schedule_first_meeting(self) -> "Meeting":
        return Meeting.objects.create(case=self, scheduled_on=follow_up_date(self.opened_on))

    def is_coordinated_by(self, user) -> bool:
        return self.coordinator_id == user.pk

    def pending_handover(self) -> "Handover | None":
        return self.handovers.filter(status=Handover.Status.PENDING).first()

    # Indsatstrappen and the prevention level.

    def running_interventions(self, on: date | None = None) -> "models.QuerySet[Intervention]":
        """The interventions under way on a day (today): started, and not ended
        before or on it (one that ends on a meeting's day gives way to the next)."""
        on = on or timezone.localdate()
        return self.interventions.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))

    def current_step(self, on: date | None = None) -> int | None:
        """The highest step of the interventions under way; None if none is."""
        steps = self.running_interventions(on).values_list("step", flat=True)
        return max(steps, default=None)

    def latest_zone(self) -> int | None:
        latest = Assessment.objects.current().filter(child_id=self.child_id).latest_first()
        return latest.values_list("zone", flat=True).first()

    def derived_prevention_level(self) -> str:
        return prevention_level_for(self.current_step(), self.latest_zone())

    @property
    def prevention_level_is_overridden(self) -> bool:
        return bool(self.prevention_level_override)

    def refresh_prevention_level(self) -> None:
        """Store the level in force after a change of step or zone."""
        level = self.prevention_level_override or self.derived_prevention_level()
        if level != self.prevention_level:
            self.prevention_level = level
            self.save(update_fields=["prevention_level"])

    def set_prevention_level(self, level: str, *, reason: str) -> None:
        """The coordinator's choice of level, with the reason; an empty `level`
        goes back to the derived one (and forgets the reason)."""
        if level and not reason.strip():
            raise ValueError("A prevention level chosen by hand needs a reason.")
        self.prevention_level_override = level
        self.prevention_level_reason = reason.strip() if level else ""
        self.prevention_level = level or self.derived_prevention_level()
        self.save(
            update_fields=[
                "prevention_level",
                "prevention_level_override",
                "prevention_level_reason",
            ]
        )

    def end_interventions(self, *, on: date) -> None:
        """End the interventions under way on `on`, that day."""
        for intervention in self.running_interventions(on):
            intervention.end = on
            intervention.save(update_fields=["end"])

    def change_intervention(
        self, *, on: date, step: int, kind: str, provider: str = ""
    ) -> "Intervention":
        """A decision to move on Indsatstrappen (or to adjust the effort on the same
        step): what runs ends on `on`, and the new intervention starts that day."""
        self.end_interventions(on=on)
        return Intervention.objects.create(
            case=self, step=step, kind=kind, provider=provider, start=on
        )


def _case_child(obj) -> dict:
    """The audit entry's child for a row of a case. When a child is deleted, its
    cases go in the same cascade, so the case may already be gone: then the
    entry carries no child (the case's own entry has it)."""
    case = obj._state.fields_cache.get("case")
    if case is not None:
        return {"child": case.child_id}
    child_id = Case.objects.filter(pk=obj.case_id).values_list("child_id", flat=True).first()
    return {"child": child_id} if child_id else {}


class CaseMember(models.Model):
    """A professional on the case's team, from any unit, with their profession."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="members", verbose_name=_("sag")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("fagperson"),
    )
    profession = models.CharField(_("faglighed"), max_length=100)
    added_on = models.DateField(_("tilføjet"), default=timezone.localdate)

    class Meta:
        ordering = ["case", "user__first_name"]
        verbose_name = _("medlem af teamet")
        verbose_name_plural = _("teamet")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_membership_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.profession})"

    def get_additional_data(self) -> dict:
        return _case_child(self)


class Intervention(models.Model):
    """An effort on Indsatstrappen."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="interventions", verbose_name=_("sag")
    )
    step = models.PositiveSmallIntegerField(_("trin"), choices=Step.choices)
    kind = models.CharField(_("indsats"), max_length=200)
    provider = models.CharField(_("leverandør"), max_length=200, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("slut"), null=True, blank=True)

    class Meta:
        ordering = ["case", "start", "pk"]
        verbose_name = _("indsats")
        verbose_name_plural = _("indsatser")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="intervention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(step__gte=1) & Q(step__lte=6), name="intervention_step_1_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.kind}"

    def get_additional_data(self) -> dict:
        return _case_child(self)


class Decision(models.TextChoices):
    CONTINUE = "fortsaet", _("Fortsæt")
    ADJUST = "juster", _("Justér indsats")
    STEP_DOWN = "trin_ned", _("Trin ned")
    STEP_UP = "trin_op", _("Trin op")
    CLOSE = "afslut", _("Afslut")


# The decisions that replace the running intervention with a new one.
CHANGES_INTERVENTION = frozenset({Decision.ADJUST, Decision.STEP_DOWN, Decision.STEP_UP})


class NewIntervention(NamedTuple):
    """The intervention a meeting's decision starts (Meeting.hold)."""

    step: int
    kind: str
    provider: str = ""


class Meeting(models.Model):
    """A three-month follow-up meeting: scheduled, then held with a decision."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("sag")
    )
    scheduled_on = models.DateField(_("planlagt til"))
    starts_at = models.TimeField(_("klokken"), default=time(9, 0))
    # Set when a meeting is moved after its day has passed: it was due then, and
    # "held on time" is measured against that day (followups.punctuality).
    overdue_from = models.DateField(_("oprindelig dato"), null=True, blank=True)
    location = models.CharField(_("sted"), max_length=200, blank=True)
    # How many times the meeting has been moved: the calendar invitation's SEQUENCE,
    # so that a calendar replaces the event it already has instead of keeping it.
    revision = models.PositiveIntegerField(default=0, editable=False)
    held_on = models.DateField(_("holdt"), null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings", verbose_name=_("deltagere")
    )
    parents_present = models.BooleanField(_("forældrene deltog"), default=False)
    others = models.TextField(_("andre deltagere"), blank=True)
    zone = models.PositiveSmallIntegerField(_("zone"), choices=Zone.choices, null=True, blank=True)
    # The zone set at the meeting is also an assessment on Børnelinealen, so the
    # child's zone history and the quarterly figures see it.
    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting",
        verbose_name=_("vurdering"),
    )
    decision = models.CharField(
        _("beslutning"), max_length=10, choices=Decision.choices, blank=True
    )
    minutes = models.TextField(_("referat"), blank=True)
    agreements = models.TextField(_("aftaler til næste møde"), blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referent"),
    )

    class Meta:
        ordering = ["case", "scheduled_on", "pk"]
        verbose_name = _("opfølgningsmøde")
        verbose_name_plural = _("opfølgningsmøder")

    def __str__(self) -> str:
        return str(_("Opfølgningsmøde %(date)s") % {"date": self.scheduled_on.strftime("%d.%m.%Y")})

    def get_absolute_url(self) -> str:
        return reverse("meeting", args=[self.pk])

    def get_additional_data(self) -> dict:
        return _case_child(self)

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    @property
    def days_overdue(self) -> int:
        """Days since the planned day passed (0 while it has not)."""
        return max(0, (timezone.localdate() - self.scheduled_on).days)

    def move(self, *, to: date, today: date | None = None) -> None:
        """Plan the meeting for another day (or time, or place), remembering the day
        it was due if that day has already passed (so a late meeting is not made to
        look on time). Each move is a new revision of the calendar invitation."""
        today = today or timezone.localdate()
        if self.overdue_from is None and self.scheduled_on < today:
            self.overdue_from = self.scheduled_on
        self.scheduled_on = to
        self.revision += 1

    def hold(
        self,
        *,
        on: date,
        decision: str,
        next_on: date | None = None,
        by=None,
        intervention: NewIntervention | None = None,
    ) -> "Meeting | None":
        """Record the meeting as held, carry out its decision on Indsatstrappen, and
        schedule the next one (none if the case closes).

        Trin ned, trin op and justér end the running interventions on the day and
        start `intervention` (required for them); afslut ends them and closes the
        case; fortsæt changes nothing. The next meeting is three months after this
        one was held, unless `next_on` adjusts it, at the same time and place. The
        row is locked first, so when two people record the meeting at once, one
        wins and the other gets AlreadyHeld before anything of theirs is written.
        (Saved, not updated in bulk, so that the audit log sees the change.)
        """
        if decision in CHANGES_INTERVENTION and intervention is None:
            raise ValueError(f"The decision {decision} needs the new intervention.")
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().filter(pk=self.pk)
            if locked.values_list("held_on", flat=True).get() is not None:
                raise AlreadyHeld
            self.held_on, self.decision, self.held_by = on, decision, by
            self.save(update_fields=["held_on", "decision", "held_by"])
            if decision in CHANGES_INTERVENTION:
                assert intervention is not None
                self.case.change_intervention(on=on, **intervention._asdict())
            if decision == Decision.CLOSE:
                self.case.end_interventions(on=on)
                self.case.closed_on = on
                self.case.save(update_fields=["closed_on"])
                return None
            return Meeting.objects.create(
                case=self.case,
                scheduled_on=next_on or follow_up_date(on),
                starts_at=self.starts_at,
                location=self.location,
            )


class AlreadyHeld(Exception):
    """The meeting was recorded as held by someone else first."""


class Handover(models.Model):
    """The coordinator offers the case to another caseworker, who must accept it."""

    class Status(models.TextChoices):
        PENDING = "venter", _("Venter på svar")
        ACCEPTED = "accepteret", _("Accepteret")
        DECLINED = "afvist", _("Afvist")
        WITHDRAWN = "trukket", _("Trukket tilbage")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("sag")
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fra tovholder"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_offered",
        verbose_name=_("ny tovholder"),
    )
    note = models.TextField(_("besked til den nye tovholder"), blank=True)
    stay_on_team = models.BooleanField(_("jeg bliver i teamet"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    answered_at = models.DateTimeField(_("besvaret"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("overdragelse af tovholderrollen")
        verbose_name_plural = _("overdragelser af tovholderrollen")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="venter"),
                name="one_pending_handover_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_user} → {self.to_user}"

    def get_additional_data(self) -> dict:
        return _case_child(self)

    def accept(self) -> None:
        """The new coordinator takes over; the old one stays on the team if they chose to."""
        case = self.case
        CaseMember.objects.filter(case=case, user=self.to_user).delete()
        if self.stay_on_team:
            CaseMember.objects.get_or_create(
                case=case,
                user=self.from_user,
                defaults={"profession": self.from_user.title or str(_("Rådgiver"))},
            )
        case.coordinator = self.to_user
        case.save(update_fields=["coordinator"])
        self._answer(self.Status.ACCEPTED)

    def decline(self) -> None:
        self._answer(self.Status.DECLINED)

    def withdraw(self) -> None:
        self._answer(self.Status.WITHDRAWN)

    def _answer(self, status: str) -> None:
        self.status, self.answered_at = status, timezone.now()
        self.save(update_fields=["status", "answered_at"])


class Reminder(models.Model):
    """One reminder to one user about one thing on one day, sent at most once."""

    class Kind(models.TextChoices):
        MEETING_14 = "moede_14", _("Møde om 14 dage")
        MEETING_2 = "moede_2", _("Møde om 2 dage")
        MEETING_MISSED = "moede_glemt", _("Møde ikke holdt")
        STEP_DUE = "skridt", _("Næste skridt skal være gjort")
        UNDERRETNING_24H = "underretning_24t", _("Underretning ikke vurderet inden for 24 timer")
        UNDERRETNING_RECEIPT = "underretning_kvit", _("Kvittering for underretning ikke sendt")
        UNDERRETNING_24H_SOON = "underretning_4t", _("Underretning skal vurderes inden 4 timer")
        UNDERRETNING_RECEIPT_DUE = (
            "kvittering_i_morgen",
            _("Kvittering skal sendes senest i morgen"),
        )
        UNDERRETNING_NEW = "underretning_ny", _("Ny underretning om et barn i din sag")
        RECEIPT = "kvittering", _("Kvittering for din underretning")
        FEEDBACK = "tilbagemelding", _("Tilbagemelding på din underretning")
        HANDOVER = "tovholder", _("Du er bedt om at blive tovholder")
        QUARTERLY_REPORT = "kvartalsrapport", _("Kvartalsrapporten er klar")
        TRANSITION_NOTE = "overlevering", _("Overleveringsnotat mangler")
        CONSENT_EXPIRES = "samtykke_udloeber", _("Et samtykke udløber snart")
        FORUM_MEETING = "forummoede", _("Møde i tværfagligt forum")

    kind = models.CharField(_("slags"), max_length=20, choices=Kind.choices)
    object_key = models.CharField(max_length=50)  # "<model>:<pk>", e.g. "meeting:12"
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("modtager"),
    )
    due_on = models.DateField(_("dato"))
    subject = models.CharField(_("emne"), max_length=200)
    text = models.TextField(_("tekst"))
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    read_at = models.DateTimeField(_("læst"), null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = _("påmindelse")
        verbose_name_plural = _("påmindelser")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "due_on"], name="one_reminder_per_day"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The outbox (tidlig.lib.outbox): the few unsent rows among the sent ones,
            # in the order they are sent. Without it each email scanned the table.
            models.Index(fields=["id"], condition=Q(sent_at=None), name="reminder_unsent"),
        ]

    def __str__(self) -> str:
        return self.subject
