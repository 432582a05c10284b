from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit


class Gender(models.TextChoices):
    GIRL = "pige", _("Pige")
    BOY = "dreng", _("Dreng")
    OTHER = "andet", _("Andet")


class Child(models.Model):
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    birth_date = models.DateField(_("fødselsdato"))
    gender = models.CharField(_("køn"), max_length=10, choices=Gender.choices, blank=True)

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("barn")
        verbose_name_plural = _("børn")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class EnrollmentQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> "EnrollmentQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)


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
        ]
        indexes = [models.Index(fields=["unit", "end"])]

    def __str__(self) -> str:
        return f"{self.child} · {self.unit}"
