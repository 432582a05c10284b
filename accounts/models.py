from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FAGPERSON = "fagperson", _("Fagperson")
    LEDER = "leder", _("Leder")
    RAADGIVER = "raadgiver", _("Rådgiver")
    KONSULENT = "konsulent", _("Konsulent")
    FORVALTNING = "forvaltning", _("Forvaltning")
    ADMINISTRATOR = "administrator", _("Administrator")


class UnitKind(models.TextChoices):
    DAGPLEJE = "dagpleje", _("Dagpleje")
    VUGGESTUE = "vuggestue", _("Vuggestue")
    BOERNEHAVE = "boernehave", _("Børnehave")
    SKOLE = "skole", _("Skole")
    SFO = "sfo", _("SFO")
    KLUB = "klub", _("Klub")
    SUNDHEDSPLEJE = "sundhedspleje", _("Sundhedspleje")
    PPR = "ppr", _("PPR")
    RAADGIVNING = "raadgivning", _("Børn & Ungerådgivning")
    UNGEINDSATS = "ungeindsats", _("Ungeindsats")
    # The municipality's administration: where forvaltning and administrators belong.
    FORVALTNING = "forvaltning", _("Forvaltning")


# Units where children are enrolled, as opposed to the consultative services.
ENROLLING_KINDS = {
    UnitKind.DAGPLEJE,
    UnitKind.VUGGESTUE,
    UnitKind.BOERNEHAVE,
    UnitKind.SKOLE,
    UnitKind.SFO,
    UnitKind.KLUB,
}


class District(models.Model):
    name = models.CharField(_("navn"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("distrikt")
        verbose_name_plural = _("distrikter")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    name = models.CharField(_("navn"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("distrikt"),
        help_text=_("Tom for kommunale funktioner, der dækker hele kommunen."),
    )
    active = models.BooleanField(_("aktiv"), default=True)
    # Printed for the parents with their contact person (the LØFT PDF).
    phone = models.CharField(
        _("telefon"),
        max_length=30,
        blank=True,
        help_text=_("Det nummer, forældre ringer til. Står på de PDF'er, forældrene får."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("enhed")
        verbose_name_plural = _("enheder")

    def __str__(self) -> str:
        return self.name

    @property
    def enrolls_children(self) -> bool:
        return self.kind in ENROLLING_KINDS


class GroupKind(models.TextChoices):
    STUE = "stue", _("Stue")
    KLASSE = "klasse", _("Klasse")
    HOLD = "hold", _("Hold")
    TEAM = "team", _("Team")


class UnitGroup(models.Model):
    """A group within a unit (a stue, a klasse, a hold, a team). A fagperson whose
    membership names groups sees only the children enrolled in them
    (children.access); a unit without groups works as a whole."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="groups", verbose_name=_("enhed")
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("F.eks. 0.A eller Solstuen."))
    kind = models.CharField(_("type"), max_length=10, choices=GroupKind.choices)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("gruppe")
        verbose_name_plural = _("grupper")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="one_group_name_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"


class _Generation:
    """Counts changes to memberships, their groups and units in this process, so
    that `User.membership_list` notices them on a user object it already read."""

    generation = 0

    @classmethod
    def bump(cls, **kwargs) -> None:
        cls.generation += 1


MEMBERSHIPS = _Generation


class User(AbstractUser):
    """A Tidlig user. What the user may do comes from its memberships, not from
    Django's groups and permissions, which are kept for the Django admin only."""

    title = models.CharField(
        _("stilling"), max_length=100, blank=True, help_text=_("F.eks. pædagog, lærer, psykolog.")
    )

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def membership_list(self) -> list["Membership"]:
        """The user's memberships with their units and groups, read once per user
        object (in a request: once per request) rather than once per access check:
        a child page asked for them 16 times. Any change to a membership, its groups
        or a unit in this process invalidates every copy (MEMBERSHIPS, by the
        signals in accounts.apps); another process's change shows from the next
        request, which has a new user object."""
        cached = getattr(self, "_membership_list", None)
        if cached is None or cached[0] != MEMBERSHIPS.generation:
            rows = list(
                self.memberships.select_related("unit", "unit__district")
                .prefetch_related("groups")
                .order_by("pk")
            )
            cached = (MEMBERSHIPS.generation, rows)
            self._membership_list = cached
        return cached[1]

    def roles(self) -> set[str]:
        return {m.role for m in self.membership_list()}

    def has_role(self, *roles: str) -> bool:
        return any(m.role in roles for m in self.membership_list())

    def memberships_as(self, *roles: str, unit_kind: str = "") -> list["Membership"]:
        """The user's memberships in one of `roles` (any role if none), optionally
        only in units of `unit_kind`, from `membership_list`."""
        return [
            m
            for m in self.membership_list()
            if (not roles or m.role in roles) and (not unit_kind or m.unit.kind == unit_kind)
        ]

    def units_with_role(self, *roles: str) -> models.QuerySet[Unit]:
        return Unit.objects.filter(memberships__user=self, memberships__role__in=roles).distinct()


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruger")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("enhed")
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    # Only a fagperson's access narrows to groups; a leader always sees the whole unit.
    groups = models.ManyToManyField(
        UnitGroup,
        blank=True,
        related_name="memberships",
        verbose_name=_("grupper"),
        help_text=_("Kun for fagpersoner: ser kun børnene i disse grupper. Tom: hele enheden."),
    )

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_membership_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class UserSession(models.Model):
    """One logged-in browser of a user, for "Mine sessioner".

    Django's session rows carry the user only inside their encoded data; this row
    names the user outright and disappears with the session (CASCADE: logging out,
    an ended session and `clearsessions` all delete the Session row). No IP
    address is kept: it is personal data, and the browser and the times are enough
    for a user to recognise a session.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session = models.OneToOneField("sessions.Session", on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("logget ind"), default=timezone.now)
    last_seen = models.DateTimeField(_("sidst brugt"), default=timezone.now)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("session")
        verbose_name_plural = _("sessioner")

    def __str__(self) -> str:
        return f"{self.user} · {self.user_agent}"
