from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, Unit, UnitGroup
from children import cpr
from children.sharing import Purpose


class Gender(models.TextChoices):
    GIRL = "pige", _("Pige")
    BOY = "dreng", _("Dreng")
    OTHER = "andet", _("Andet")


class ChildQuerySet(models.QuerySet):
    def with_cpr(self, value: str) -> "ChildQuerySet":
        return self.filter(cpr_hash=cpr.lookup_hash(cpr.normalize(value)))

    def search(self, term: str) -> "ChildQuerySet":
        """Full CPR (with or without dash) or every word in the first or last name."""
        digits = cpr.normalize(term)
        if digits.isdigit() and len(digits) == 10:
            return self.with_cpr(digits)
        for word in term.split():
            self = self.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return self


class Child(models.Model):
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    birth_date = models.DateField(_("fødselsdato"))
    gender = models.CharField(_("køn"), max_length=10, choices=Gender.choices, blank=True)
    # Never in clear text: see children/cpr.py.
    cpr_encrypted = models.TextField(editable=False)
    cpr_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("barn")
        verbose_name_plural = _("børn")
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("child", args=[self.pk])

    def set_cpr(self, value: str) -> None:
        digits = cpr.validate(value)
        self.cpr_encrypted = cpr.encrypt(digits)
        self.cpr_hash = cpr.lookup_hash(digits)
        self.birth_date = cpr.birth_date(digits)

    def reveal_cpr(self) -> str:
        """The full CPR number: call only from the audited "vis CPR" view."""
        return cpr.formatted(cpr.decrypt(self.cpr_encrypted))

    @property
    def masked_cpr(self) -> str:
        return cpr.mask(self.birth_date)

    def age(self, on: date | None = None) -> int:
        on = on or timezone.localdate()
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def get_additional_data(self) -> dict:
        return {"child": self.pk}


class Relation(models.TextChoices):
    MOTHER = "mor", _("Mor")
    FATHER = "far", _("Far")
    FOSTER = "plejeforælder", _("Plejeforælder")
    OTHER = "anden", _("Anden")


class Guardian(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("barn")
    )
    name = models.CharField(_("navn"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    has_custody = models.BooleanField(_("har forældremyndighed"), default=True)

    class Meta:
        ordering = ["child", "-has_custody", "name"]
        verbose_name = _("forælder/værge")
        verbose_name_plural = _("forældre/værger")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}


class EnrollmentQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> "EnrollmentQuerySet":
        return self.filter(active_q(on=on))


def active_q(prefix: str = "", on: date | None = None) -> Q:
    """Enrollments running on a day; `prefix` for use across a relation."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


class Enrollment(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("barn")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("enhed")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("slut"), null=True, blank=True)
    group = models.ForeignKey(
        UnitGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("gruppe"),
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["child", "start"]
        verbose_name = _("indskrivning")
        verbose_name_plural = _("indskrivninger")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="enrollment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["child", "unit", "start"], name="one_enrollment_per_start"
            ),
        ]
        indexes = [models.Index(fields=["unit", "end", "start"])]

    def __str__(self) -> str:
        return f"{self.child} · {self.unit}"

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}

    @property
    def is_active(self) -> bool:
        return self.runs_on(timezone.localdate())

    def runs_on(self, day: date) -> bool:
        """Running on the day (the Python side of `active_q`)."""
        return self.start <= day and (self.end is None or self.end >= day)

    def clean(self) -> None:
        if self.group is not None and self.group.unit_id != self.unit_id:
            raise ValidationError({"group": _("Gruppen hører ikke til enheden.")})


def written_in(author, child_id: int, on: date | None = None) -> Unit | None:
    """The unit an entry about the child is written in: the author's unit (as
    fagperson or leder) where the child is enrolled on the day, else the author's
    consultative or casework unit (PPR, rådgivning…), else None.

    Stored on every assessment, concern and dialogue (`unit`): what a unit sees of
    a child's history depends on it (children.access.readable_entries).
    """
    if author is None or author.pk is None:
        return None
    mine = Membership.objects.filter(user=author)
    enrolled = (
        Enrollment.objects.filter(active_q(on=on), child_id=child_id)
        .filter(unit_id__in=mine.filter(role__in=(Role.FAGPERSON, Role.LEDER)).values("unit_id"))
        .select_related("unit")
        .order_by("start", "pk")
        .first()
    )
    if enrolled is not None:
        return enrolled.unit
    other = mine.select_related("unit").order_by("pk").first()
    return other.unit if other is not None else None


class WrittenInUnit(models.Model):
    """An entry about a child written in a unit: see `written_in`."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skrevet i"),
        editable=False,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.unit_id is None:
            self.unit = written_in(getattr(self, "author", None), self.child_id)  # type: ignore[attr-defined]
        super().save(*args, **kwargs)


class Concern(WrittenInUnit):
    """A bekymring: what a professional saw, in their own words."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("barn")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="concerns",
        verbose_name=_("skrevet af"),
    )
    observed_on = models.DateField(_("observeret den"))
    text = models.TextField(_("hvad har du set eller hørt?"))
    parents_informed = models.BooleanField(_("forældrene er orienteret"), default=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        ordering = ["-observed_on", "-created_at"]
        verbose_name = _("bekymring")
        verbose_name_plural = _("bekymringer")

    def __str__(self) -> str:
        return _("Bekymring %(date)s") % {"date": self.observed_on.strftime("%d.%m.%Y")}

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}


class BulkReadAlert(models.Model):
    """The administrators were told that `user` read more than AUDIT_BULK_READ_LIMIT
    different children within AUDIT_BULK_READ_MINUTES from `window_start`
    (children/alerts.py). The unique constraint makes a second run send nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bulk_read_alerts",
        verbose_name=_("bruger"),
    )
    window_start = models.DateTimeField(_("fra"))
    children_count = models.PositiveIntegerField(_("antal børn"))
    created_at = models.DateTimeField(_("fundet"), auto_now_add=True)
    # Empty until the email to the administrators has gone out.
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["-window_start"]
        verbose_name = _("advarsel om mange opslag")
        verbose_name_plural = _("advarsler om mange opslag")
        constraints = [
            models.UniqueConstraint(fields=["user", "window_start"], name="one_alert_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.window_start:%Y-%m-%d %H:%M}"


class TransitionNote(models.Model):
    """An overleveringsnotat: what the sending unit passes on when the child moves
    from `from_enrollment` to `to_enrollment` (children.transitions).

    Written by the sending unit (until NOTE_WINDOW_DAYS after its enrollment ends),
    finished, read and acknowledged by the receiving unit from the child's first
    day there (children.access).
    """

    from_enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="notes_sent",
        verbose_name=_("fra"),
    )
    to_enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="notes_received",
        verbose_name=_("til"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="transition_notes",
        verbose_name=_("skrevet af"),
    )
    what_works = models.TextField(_("det der fungerer for barnet"), blank=True)
    needs = models.TextField(_("det barnet har brug for"), blank=True)
    parents_wish = models.TextField(_("det forældrene ønsker givet videre"), blank=True)
    # Prefilled from the child's latest zone and open next steps when the note is
    # started; the author may edit the steps' text.
    latest_zone = models.PositiveSmallIntegerField(_("seneste zone"), null=True, blank=True)
    latest_zone_on = models.DateField(_("vurderet den"), null=True, blank=True)
    open_steps = models.TextField(_("åbne næste skridt"), blank=True)
    parents_seen = models.BooleanField(_("forældrene har set notatet"), default=False)
    parents_agree = models.BooleanField(_("forældrene er enige i notatet"), default=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    finished_at = models.DateTimeField(_("færdigt"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("kvitteret"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kvitteret af"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("overleveringsnotat")
        verbose_name_plural = _("overleveringsnotater")
        constraints = [
            models.UniqueConstraint(
                fields=["from_enrollment", "to_enrollment"], name="one_note_per_transition"
            )
        ]

    def __str__(self) -> str:
        return str(_("Overlevering af %(child)s") % {"child": self.from_enrollment.child})

    def get_absolute_url(self) -> str:
        return reverse("transition_note", args=[self.pk])

    def get_additional_data(self) -> dict:
        # In a cascade (a child deleted) the enrollment may be gone already.
        enrollment = self._state.fields_cache.get("from_enrollment")
        if enrollment is not None:
            return {"child": enrollment.child_id}
        child_id = (
            Enrollment.objects.filter(pk=self.from_enrollment_id)
            .values_list("child_id", flat=True)
            .first()
        )
        return {"child": child_id} if child_id else {}

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class ConsentQuerySet(models.QuerySet):
    def in_force(self, on: date | None = None) -> "ConsentQuerySet":
        """Given, not expired and not withdrawn on the day."""
        on = on or timezone.localdate()
        return self.filter(given_on__lte=on, expires_on__gte=on).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
        )


def _a_year_from(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class Consent(models.Model):
    """The parents' consent (samtykke) to share what is known about the child for
    one purpose (children.sharing.Purpose) with the units it names, from
    `given_on` until `expires_on` (by default a year) or until it is withdrawn."""

    DEFAULT_YEARS = 1

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="consents", verbose_name=_("barn")
    )
    # A guardian's consent goes with the guardian (and with the child).
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("givet af"),
        help_text=_("En forælder eller værge med forældremyndighed."),
    )
    purpose = models.CharField(_("formål"), max_length=30, choices=Purpose.choices)
    units = models.ManyToManyField(
        Unit, related_name="consents", verbose_name=_("dækker"), blank=True
    )
    given_on = models.DateField(_("givet den"))
    expires_on = models.DateField(_("udløber den"))
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consents_recorded",
        verbose_name=_("registreret af"),
    )
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)
    withdrawn_on = models.DateField(_("trukket tilbage den"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tilbagetrækning registreret af"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_after_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.child}"

    def save(self, *args, **kwargs) -> None:
        if self.expires_on is None and self.given_on is not None:
            self.expires_on = _a_year_from(self.given_on)
        super().save(*args, **kwargs)

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}

    def status(self, on: date | None = None) -> str:
        """ "withdrawn", "expired", "expiring" (within EXPIRY_WARNING_DAYS),
        "pending" (given later) or "in_force"."""
        on = on or timezone.localdate()
        if self.withdrawn_on is not None and self.withdrawn_on <= on:
            return "withdrawn"
        if self.expires_on < on:
            return "expired"
        if self.given_on > on:
            return "pending"
        if (self.expires_on - on).days <= EXPIRY_WARNING_DAYS:
            return "expiring"
        return "in_force"


# A warning goes to whoever recorded a consent this many days before it expires.
EXPIRY_WARNING_DAYS = 30


class AbsenceMeasure(models.TextChoices):
    DAYS = "dage", _("dage")
    LESSONS = "lektioner", _("lektioner")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


class AbsenceRecord(models.Model):
    """A child's absence (fravær) at a unit in one month, from the unit's own system
    (children.absence_import): how many days or lessons the child was away out of
    how many possible, and of those how many were "ulovligt fravær" when the file
    says so. The unit's data: read like what was written in the unit
    (children.access.readable_absence)."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="absences", verbose_name=_("barn")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("enhed")
    )
    # The first day of the month.
    month = models.DateField(_("måned"))
    measure = models.CharField(
        _("opgjort i"), max_length=10, choices=AbsenceMeasure.choices, default=AbsenceMeasure.DAYS
    )
    absent = models.DecimalField(_("fravær"), max_digits=6, decimal_places=1)
    possible = models.DecimalField(_("mulige"), max_digits=6, decimal_places=1)
    # Empty when the unit's system does not tell lawful from unlawful absence.
    unlawful = models.DecimalField(
        _("ulovligt fravær"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    imported_at = models.DateTimeField(_("importeret"), auto_now_add=True)

    class Meta:
        ordering = ["child", "unit", "month"]
        verbose_name = _("fravær")
        verbose_name_plural = _("fravær")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "unit", "month"], name="one_absence_per_child_unit_month"
            ),
            models.CheckConstraint(
                condition=Q(possible__gt=0)
                & Q(absent__gte=0)
                & Q(absent__lte=models.F("possible")),
                name="absence_within_possible",
            ),
            models.CheckConstraint(
                condition=Q(unlawful__isnull=True)
                | (Q(unlawful__gte=0) & Q(unlawful__lte=models.F("absent"))),
                name="unlawful_absence_within_absence",
            ),
        ]
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.percent} %"

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}

    @property
    def percent(self) -> int:
        """The share absent, in whole per cent (half rounds up)."""
        return share_percent(self.absent, self.possible)

    @property
    def unlawful_percent(self) -> int | None:
        if self.unlawful is None:
            return None
        return share_percent(self.unlawful, self.possible)


def share_percent(part, whole) -> int:
    if not whole:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))
