"""The tværfaglige forum (sparring): consultants of PPR, sundhedsplejen and the
rådgivning's consultative function advise day care and school on a child, before
anything becomes a case.

A case is brought anonymously (age, kind of unit, what was seen, the zone and the
three columns of Børnelinealen: no name, no CPR, no link to the child) or linked to
the child with the parents' consent (children.sharing.Purpose.MEETING). Who sees
what is decided in forum.access.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Unit, UnitKind
from children.models import Child, Consent
from children.sharing import Purpose
from ruler.zones import Zone


class Forum(models.Model):
    """A standing forum: its consultants, and the units that bring cases to it."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forums",
        verbose_name=_("distrikt"),
    )
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="forums",
        verbose_name=_("konsulenter"),
        help_text=_("PPR, sundhedsplejen og rådgivningens konsultative funktion."),
    )
    units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="forums",
        verbose_name=_("enheder, der kan bringe sager"),
        help_text=_("Dagtilbud og skoler, hvis fagpersoner og ledere drøfter børn her."),
    )
    active = models.BooleanField(_("aktivt"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tværfagligt forum")
        verbose_name_plural = _("tværfaglige fora")

    def __str__(self) -> str:
        return self.name

    def next_meeting(self, today=None) -> "ForumMeeting | None":
        """The first meeting not held yet, from today on: where a new case goes."""
        today = today or timezone.localdate()
        return self.meetings.filter(held_at__isnull=True, date__gte=today).order_by("date").first()


class ForumMeetingQuerySet(models.QuerySet):
    def upcoming(self, today=None) -> "ForumMeetingQuerySet":
        today = today or timezone.localdate()
        return self.filter(held_at__isnull=True, date__gte=today).order_by("date", "starts_at")


class ForumMeeting(models.Model):
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("forum")
    )
    date = models.DateField(_("dato"))
    starts_at = models.TimeField(_("klokken"), default=time(9, 0))
    location = models.CharField(_("sted"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="forum_meetings",
        verbose_name=_("deltagere"),
    )
    minutes = models.TextField(_("referat"), blank=True)
    held_at = models.DateTimeField(_("holdt"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("markeret holdt af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = ForumMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-starts_at", "-pk"]
        verbose_name = _("forummøde")
        verbose_name_plural = _("forummøder")

    def __str__(self) -> str:
        day = self.date.strftime("%d.%m.%Y")
        return _("%(forum)s %(date)s") % {"forum": self.forum, "date": day}

    def get_absolute_url(self) -> str:
        return reverse("forum_meeting", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.held_at is not None


class ForumCase(models.Model):
    """A child brought to a forum: described without name or CPR, and linked to the
    child (`child`, `consent`) only once the parents have consented."""

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="cases", verbose_name=_("forum")
    )
    # The agenda of a meeting is its cases; a case without one waits for the next.
    meeting = models.ForeignKey(
        ForumMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("møde"),
    )
    brought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_cases",
        verbose_name=_("bragt af"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="forum_cases", verbose_name=_("fra enheden")
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    # The description, the same whether anonymous or not.
    age_years = models.PositiveSmallIntegerField(_("alder (år)"))
    unit_kind = models.CharField(_("type enhed"), max_length=20, choices=UnitKind.choices)
    seen = models.TextField(_("hvad har I set?"))
    zone = models.PositiveSmallIntegerField(
        _("zone på Børnelinealen"), choices=Zone.choices, null=True, blank=True
    )
    what_works = models.TextField(_("det der fungerer"), blank=True)
    what_worries = models.TextField(_("det der bekymrer"), blank=True)
    what_must_happen = models.TextField(_("det der skal ske"), blank=True)
    question = models.TextField(_("hvad vil I gerne have sparring om?"))

    # NULL while anonymous. The consent goes with the child: a case linked with
    # consent is the child's data and is deleted with it (children.retention).
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum_cases",
        verbose_name=_("barn"),
    )
    # RESTRICT, not PROTECT: deleting the child deletes both the case and the consent.
    consent = models.ForeignKey(
        Consent,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="forum_cases",
        verbose_name=_("samtykke"),
    )
    linked_at = models.DateTimeField(_("knyttet til barnet"), null=True, blank=True)

    advice = models.TextField(_("forummets råd"), blank=True)
    advice_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("råd skrevet af"),
    )
    advice_on = models.DateField(_("råd givet den"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("forumsag")
        verbose_name_plural = _("forumsager")
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=True) | Q(consent__isnull=False),
                name="linked_forum_case_has_consent",
            ),
            models.CheckConstraint(
                condition=Q(zone__isnull=True) | Q(zone__gte=1, zone__lte=5),
                name="forum_case_zone_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        # Never the child's name: the string ends up in logs and the audit trail.
        return _("Forumsag %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("forum_case", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"child": self.child_id} if self.child_id else {}

    @property
    def is_anonymous(self) -> bool:
        return self.child_id is None

    @property
    def title(self) -> str:
        """How the case is named on lists and in the minutes: anonymous, or the
        child's name once linked with consent (never the CPR)."""
        if self.child_id is None:
            return _("Anonym sag: %(kind)s, %(age)s år") % {
                "kind": self.get_unit_kind_display().lower(),
                "age": self.age_years,
            }
        return _("%(child)s, %(age)s år") % {"child": self.child, "age": self.age_years}

    def link(self, *, child: Child, guardian, given_on, by) -> None:
        """Link the case to the child with the parents' consent, recorded on the child
        (purpose "tværfagligt møde", covering the units of the forum's consultants),
        and give its next steps the child too. Saves the case."""
        consent = Consent.objects.create(
            child=child,
            guardian=guardian,
            purpose=Purpose.MEETING,
            given_on=given_on,
            recorded_by=by,
            note=gettext("Drøftelse i %(forum)s") % {"forum": self.forum.name},
        )
        consultants = self.forum.consultants.all()
        consent.units.set(Unit.objects.filter(memberships__user__in=consultants).distinct())
        self.child, self.consent, self.linked_at = child, consent, timezone.now()
        self.save()
        for step in self.next_steps.all():  # one by one, for the audit log
            step.child = child
            step.save(update_fields=["child"])
