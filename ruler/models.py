from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child, Concern, WrittenInUnit
from ruler import zones
from ruler.zones import Zone

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Reason(models.TextChoices):
    CONCERN = "bekymring", _("Bekymring")
    ONGOING = "loebende", _("Løbende vurdering")
    FOLLOW_UP = "opfoelgning", _("Opfølgningsmøde")
    TRANSITION = "overgang", _("Overgang")


class AssessmentQuerySet(models.QuerySet):
    def current(self) -> "AssessmentQuerySet":
        """The versions in force: those no correction has replaced."""
        return self.filter(corrected_by__isnull=True)

    def latest_first(self) -> "AssessmentQuerySet":
        return self.order_by("-assessed_on", "-created_at", "-pk")


class LatestZone(TypedDict):
    latest_zone: int | None
    latest_assessed_on: date | None


def annotate_latest(
    children: models.QuerySet[Child],
) -> "models.QuerySet[WithAnnotations[Child, LatestZone]]":
    """Add `latest_zone` and `latest_assessed_on` (None if never assessed).

    Two correlated subqueries, so listing any number of children costs one query.
    """
    latest = Assessment.objects.current().filter(child=OuterRef("pk")).latest_first()
    return children.annotate(
        latest_zone=Subquery(latest.values("zone")[:1]),
        latest_assessed_on=Subquery(latest.values("assessed_on")[:1]),
    )


class Assessment(WrittenInUnit):
    """A placement on Børnelinealen: one professional judgement at one moment.

    Never changed once saved: a correction is a new row that `corrects` the old
    one, which stays as the earlier version.
    """

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("barn")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("vurderet af"),
    )
    assessed_on = models.DateField(_("dato for vurderingen"))
    reason = models.CharField(
        _("anledning"), max_length=20, choices=Reason.choices, default=Reason.CONCERN
    )
    zone = models.PositiveSmallIntegerField(_("samlet zone"), choices=Zone.choices)
    child_zone = models.PositiveSmallIntegerField(
        _("barnets egen udvikling"), choices=Zone.choices, null=True, blank=True
    )
    care_zone = models.PositiveSmallIntegerField(
        _("forældrenes omsorg"), choices=Zone.choices, null=True, blank=True
    )
    what_works = models.TextField(_("det der fungerer"), blank=True)
    what_worries = models.TextField(_("det der bekymrer"), blank=True)
    what_must_happen = models.TextField(_("det der skal ske"), blank=True)
    parents_involved = models.BooleanField(_("forældrene har deltaget"), default=False)
    others_involved = models.CharField(_("andre deltagere"), max_length=300, blank=True)
    concern = models.ForeignKey(
        Concern,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("bekymring"),
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("retter"),
    )
    correction_note = models.CharField(_("hvad er rettet og hvorfor?"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-created_at", "-pk"]
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")
        indexes = [models.Index(fields=["child", "-assessed_on", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(zone__gte=1, zone__lte=5), name="zone_1_to_5"),
            models.CheckConstraint(
                condition=Q(child_zone__isnull=True) | Q(child_zone__gte=1, child_zone__lte=5),
                name="child_zone_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(care_zone__isnull=True) | Q(care_zone__gte=1, care_zone__lte=5),
                name="care_zone_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return _("Zone %(zone)s, %(date)s") % {
            "zone": self.zone,
            "date": self.assessed_on.strftime("%d.%m.%Y"),
        }

    def get_absolute_url(self) -> str:
        return reverse("assessment", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}

    @property
    def style(self) -> zones.ZoneStyle:
        return zones.STYLES[self.zone]

    @property
    def child_style(self) -> zones.ZoneStyle | None:
        return zones.style(self.child_zone)

    @property
    def care_style(self) -> zones.ZoneStyle | None:
        return zones.style(self.care_zone)

    def is_stale(self, today: date | None = None) -> bool:
        return zones.is_stale(self.zone, self.assessed_on, today or timezone.localdate())

    def versions(self) -> list["Assessment"]:
        """This assessment and every version it corrected, newest first."""
        chain: list[Assessment] = []
        version: Assessment | None = self
        while version is not None:
            chain.append(version)
            version = version.corrects
        return chain

    def correct(self, *, author, note: str, **fields) -> "Assessment":
        """Save a new version replacing this one; this one is kept unchanged."""
        values = {
            f.name: getattr(self, f.name)
            for f in self._meta.concrete_fields
            if f.name not in ("id", "author", "corrects", "correction_note", "created_at")
        }
        values.update(fields)
        return Assessment.objects.create(
            **values, author=author, corrects=self, correction_note=note
        )


class ZoneGuide(models.Model):
    """The handleguide for one zone, as the municipality has written it.

    Until an administrator saves a text, the zone's default from
    `ruler.guide_defaults` is used.
    """

    zone = models.PositiveSmallIntegerField(_("zone"), choices=Zone.choices, unique=True)
    text = models.TextField(_("handleguide"))
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ændret af"),
    )

    class Meta:
        ordering = ["zone"]
        verbose_name = _("handleguide")
        verbose_name_plural = _("handleguides")

    def __str__(self) -> str:
        return str(Zone(self.zone).label)

    @classmethod
    def for_zone(cls, zone: int) -> "ZoneGuide":
        from ruler.guide_defaults import default_text

        guide = cls.objects.filter(zone=zone).first()
        return guide or cls(zone=zone, text=default_text(zone))

    @property
    def is_default(self) -> bool:
        return self.pk is None

    @property
    def style(self) -> zones.ZoneStyle:
        return zones.STYLES[self.zone]

    def paragraphs(self) -> list[dict]:
        """The text as blocks: a run of lines starting with "- " is a bullet list."""
        blocks: list[dict] = []
        for chunk in self.text.replace("\r\n", "\n").split("\n\n"):
            lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
            if not lines:
                continue
            if all(line.startswith("- ") for line in lines):
                blocks.append({"bullets": [line[2:].strip() for line in lines]})
            else:
                blocks.append({"text": " ".join(lines)})
        return blocks
