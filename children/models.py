from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from children import cpr


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
        today = timezone.localdate()
        return self.start <= today and (self.end is None or self.end >= today)


class Concern(models.Model):
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
