"""The quarterly status for Børne- og Skoleudvalget, archived.

A `QuarterlyReport` is one generation of one quarter's PDF: beat makes the
automatic one after each quarter, a forvaltning user may order any past quarter
on demand. The row is the job and the archive at once: it is written "venter",
claimed by one worker ("i gang"), and ends "færdig" with its figures and PDF or
"fejlet" with an error text. A finished report never changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tidlig.lib.dates import Quarter


class FinishedReportError(Exception):
    """A finished report is an archived document: it is never changed."""


def _pdf_path(report: "QuarterlyReport", filename: str) -> str:
    return f"reports/{report.quarter}/{filename}"


class QuarterlyReport(models.Model):
    class Kind(models.TextChoices):
        AUTOMATIC = "automatisk", _("Automatisk")
        ON_DEMAND = "bestilt", _("Bestilt")

    class Status(models.TextChoices):
        WAITING = "venter", _("Venter")
        RUNNING = "i gang", _("I gang")
        DONE = "færdig", _("Færdig")
        FAILED = "fejlet", _("Fejlet")

    quarter = models.CharField(_("kvartal"), max_length=6, db_index=True)
    kind = models.CharField(_("slags"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("fremdrift"), default=0)
    step = models.CharField(_("trin"), max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestilt af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # When a worker claimed it: a report "i gang" for far longer than a report takes
    # lost its worker, and beat puts it back in line (reports.generate).
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    generated_at = models.DateTimeField(_("dannet"), null=True, blank=True)
    figures = models.JSONField(_("tal"), default=dict, blank=True)
    # A file under MEDIA_ROOT rather than bytes in the database: the PDF holds
    # aggregates only and is small, but the management command must print a path
    # anyway, a file is what an operator backs up or mails on, and large blobs in
    # the table would make every archive query heavier for nothing.
    pdf = models.FileField(_("PDF"), upload_to=_pdf_path, blank=True)
    error = models.TextField(_("fejl"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kvartalsrapport")
        verbose_name_plural = _("kvartalsrapporter")
        constraints = [
            # Beat may fire twice or two beats may run: only one automatic report
            # per quarter can ever exist.
            models.UniqueConstraint(
                fields=["quarter"],
                condition=Q(kind="automatisk"),
                name="one_automatic_report_per_quarter",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} ({self.get_kind_display()}, {self.get_status_display()})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.DONE:
                raise FinishedReportError(f"report {self.pk} is finished and cannot be changed")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("report_progress", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.status == self.Status.DONE:
            raise FinishedReportError(f"report {self.pk} is finished and cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def quarter_obj(self) -> Quarter:
        return Quarter.parse(self.quarter)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        return f"kvartalsstatus-{Quarter.parse(self.quarter).in_filename}.pdf"


class QuarterSnapshot(models.Model):
    """A quarter whose QuarterState rows are written (reports.snapshot)."""

    quarter = models.CharField(_("kvartal"), max_length=6, unique=True)
    built_at = models.DateTimeField(_("bygget"))
    rows = models.PositiveIntegerField(_("rækker"), default=0)

    class Meta:
        verbose_name = _("kvartalsøjebliksbillede")
        verbose_name_plural = _("kvartalsøjebliksbilleder")

    def __str__(self) -> str:
        return self.quarter


class QuarterState(models.Model):
    """One enrollment running at a quarter's end, with its child's zones then: the
    rows the quarterly status's zone figures count (reports.snapshot)."""

    quarter = models.CharField(_("kvartal"), max_length=6)
    enrollment = models.ForeignKey(
        "children.Enrollment", on_delete=models.CASCADE, related_name="+"
    )
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "accounts.District", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    unit_kind = models.CharField(_("enhedstype"), max_length=20)
    age_band = models.CharField(_("aldersgruppe"), max_length=5)
    zone_end = models.PositiveSmallIntegerField(_("zone ved kvartalets slutning"), null=True)
    zone_in = models.PositiveSmallIntegerField(_("seneste zone i kvartalet"), null=True)
    zone_prev = models.PositiveSmallIntegerField(_("seneste zone i kvartalet før"), null=True)

    class Meta:
        verbose_name = _("barnets stand ved kvartalets slutning")
        verbose_name_plural = _("børnenes stand ved kvartalets slutning")
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "enrollment"], name="quarterstate_once_per_enrollment"
            )
        ]
        indexes = [
            models.Index(fields=["quarter", "unit"], name="quarterstate_quarter_unit"),
            models.Index(fields=["child", "quarter"], name="quarterstate_child_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.quarter}: {self.child_id}"


class StoredFigures(models.Model):
    """A quarter's figures for one population as last computed (reports.stored): what
    the dashboard shows when the cache has let them go, so that no request
    computes the municipality's figures from the history."""

    quarter = models.CharField(_("kvartal"), max_length=6)
    # "all" for the whole municipality, else the population's unit ids, sorted.
    scope = models.TextField(_("population"))
    municipal = models.BooleanField(_("forvaltningens tal"), default=False)
    figures = models.JSONField(_("tal"))
    computed_at = models.DateTimeField(_("beregnet"))

    class Meta:
        verbose_name = _("gemte kvartalstal")
        verbose_name_plural = _("gemte kvartalstal")
        constraints = [
            models.UniqueConstraint(fields=["quarter", "scope"], name="storedfigures_once")
        ]

    def __str__(self) -> str:
        return f"{self.quarter}: {self.scope}"
