from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child, Guardian, WrittenInUnit
from ruler.models import Assessment

SCALE = [(n, str(n)) for n in range(11)]


class Status(models.TextChoices):
    DRAFT = "kladde", _("Kladde")
    FINAL = "endelig", _("Færdig")


class DialogueQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DialogueQuerySet":
        """Finalised dialogues, and drafts only for their author."""
        return self.filter(Q(status=Status.FINAL) | Q(author=user))

    def final(self) -> "DialogueQuerySet":
        return self.filter(status=Status.FINAL)

    def drafts_of(self, user) -> "DialogueQuerySet":
        return self.filter(status=Status.DRAFT, author=user)


class Dialogue(WrittenInUnit):
    """A LØFT dialogue with the child and the parents.

    While it is a draft, what the author has typed lives in `draft_data`
    exactly as the form sent it (also half-typed dates), saved every few
    seconds; finalising validates it into the fields below. Every finalised
    save bumps `version` and adds a DialogueVersion.
    """

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="dialogues", verbose_name=_("barn")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="loeft_dialogues_written",
        verbose_name=_("skrevet af"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    held_on = models.DateField(_("dato for dialogen"), null=True, blank=True)
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogues",
        verbose_name=_("følger op på vurderingen"),
    )
    professionals = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="loeft_dialogues",
        verbose_name=_("fagpersoner"),
    )
    guardians = models.ManyToManyField(
        Guardian, blank=True, related_name="dialogues", verbose_name=_("forældre/værger")
    )
    others = models.TextField(_("andre deltagere"), blank=True)
    child_took_part = models.BooleanField(_("barnet deltog"), default=False)

    what_works = models.TextField(_("hvad fungerer allerede?"), blank=True)
    wished_future = models.TextField(_("den ønskede fremtid"), blank=True)
    scale_now = models.PositiveSmallIntegerField(
        _("hvor er I nu? (0–10)"), choices=SCALE, null=True, blank=True
    )
    scale_goal = models.PositiveSmallIntegerField(
        _("hvor vil I gerne være? (0–10)"), choices=SCALE, null=True, blank=True
    )
    scale_step = models.TextField(_("hvordan ser et skridt op ad skalaen ud?"), blank=True)
    child_voice = models.TextField(_("barnets stemme"), blank=True)
    agreements = models.TextField(_("aftaler"), blank=True)

    draft_data = models.JSONField(default=dict, blank=True, editable=False)
    draft_saved_at = models.DateTimeField(_("kladde gemt"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    finalised_at = models.DateTimeField(_("gjort færdig"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = DialogueQuerySet.as_manager()

    # The content compared when two people edit at once (see snapshot()).
    COMPARED_FIELDS = [
        "held_on",
        "professionals",
        "guardians",
        "others",
        "child_took_part",
        "what_works",
        "wished_future",
        "scale_now",
        "scale_goal",
        "scale_step",
        "child_voice",
        "agreements",
    ]

    class Meta:
        ordering = ["-held_on", "-created_at"]
        verbose_name = _("LØFT-dialog")
        verbose_name_plural = _("LØFT-dialoger")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_now__isnull=True) | Q(scale_now__lte=10), name="scale_now_0_10"
            ),
            models.CheckConstraint(
                condition=Q(scale_goal__isnull=True) | Q(scale_goal__lte=10),
                name="scale_goal_0_10",
            ),
            models.CheckConstraint(
                condition=Q(status="kladde") | Q(held_on__isnull=False),
                name="final_dialogue_has_date",
            ),
        ]

    def __str__(self) -> str:
        if self.held_on:
            return _("LØFT-dialog %(date)s") % {"date": self.held_on.strftime("%d.%m.%Y")}
        return str(_("LØFT-dialog (kladde)"))

    def get_absolute_url(self) -> str:
        return reverse("dialogue", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"child": self.child_id}

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def participants(self) -> list[str]:
        """Everyone who took part, parents first, as names for the PDF."""
        people = [guardian.name for guardian in self.guardians.all()]
        people += [str(user) for user in self.professionals.all()]
        if self.child_took_part:
            people.append(self.child.first_name)
        people += [line.strip() for line in self.others.splitlines() if line.strip()]
        return people

    def save_draft(self, data: dict) -> None:
        """Keep what was typed, as typed; only the author's drafts come here."""
        self.draft_data = data
        self.draft_saved_at = timezone.now()
        Dialogue.objects.filter(pk=self.pk).update(
            draft_data=self.draft_data, draft_saved_at=self.draft_saved_at
        )

    def claim_version(self, seen: int) -> bool:
        """Move from version `seen` to the next, unless someone else saved in between.

        A conditional UPDATE, so two saves of the same version cannot both win.
        """
        won = Dialogue.objects.filter(pk=self.pk, version=seen).update(version=F("version") + 1)
        if won:
            self.version = seen + 1
        return bool(won)

    def snapshot(self) -> dict:
        """The finalised content (COMPARED_FIELDS) as plain data, for the version history."""
        data = {}
        for name in self.COMPARED_FIELDS:
            value = getattr(self, name)
            if name in ("professionals", "guardians"):
                value = [str(item) for item in value.all()]
            elif isinstance(value, date):
                value = value.isoformat()
            data[name] = value
        return data


class DialogueVersion(models.Model):
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="versions", verbose_name=_("dialog")
    )
    number = models.PositiveIntegerField(_("version"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gemt af"),
    )
    saved_at = models.DateTimeField(_("gemt"), auto_now_add=True)
    data = models.JSONField(_("indhold"))

    class Meta:
        ordering = ["dialogue", "-number"]
        verbose_name = _("version af LØFT-dialog")
        verbose_name_plural = _("versioner af LØFT-dialoger")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "number"], name="one_row_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.dialogue} v{self.number}"


class Owner(models.TextChoices):
    PROFESSIONAL = "fagperson", _("Fagperson")
    PARENT = "forælder", _("Forælder")
    CHILD = "barn", _("Barnet")


class NextStepQuerySet(models.QuerySet):
    def open(self) -> "NextStepQuerySet":
        """Open steps of finalised LØFT dialogues. A follow-up meeting's steps are
        case material, seen by the case team only: see from_meetings()."""
        return self.filter(done_on__isnull=True, dialogue__status=Status.FINAL)

    def open_from_meetings_of(self, user) -> "NextStepQuerySet":
        """Open steps agreed at meetings of the cases whose team the user is on (the
        case's coordinator or a member; followups.Case reached by its relations)."""
        team = Q(meeting__case__coordinator=user) | Q(meeting__case__members__user=user)
        on_team = NextStep.objects.filter(team).values("pk")
        return self.filter(done_on__isnull=True, meeting__isnull=False, pk__in=on_team)

    def open_from_forums_of(self, user) -> "NextStepQuerySet":
        """Open steps of forum cases (forum.ForumCase, reached by its relations) that
        the user owns or brought to the forum: seen in Mine opgaver whether the case
        is anonymous or linked, with a link to the case, never to the child."""
        mine = Q(owner_user=user) | Q(forum_case__brought_by=user)
        return self.filter(mine, done_on__isnull=True, forum_case__isnull=False)


class NextStep(models.Model):
    """A small, concrete next step with one owner, agreed in a LØFT dialogue, at a
    three-month follow-up meeting or on a case in a tværfagligt forum (exactly one
    of the three)."""

    dialogue = models.ForeignKey(
        Dialogue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="next_steps",
        verbose_name=_("dialog"),
    )
    # Named by label, so that loeft imports nothing from followups (the layers):
    # the meeting's steps are the same kind as a dialogue's, in the same lists.
    meeting = models.ForeignKey(
        "followups.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="next_steps",
        verbose_name=_("opfølgningsmøde"),
    )
    # A step agreed on a case in a tværfagligt forum (forum.ForumCase), by label too.
    forum_case = models.ForeignKey(
        "forum.ForumCase",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="next_steps",
        verbose_name=_("forumsag"),
    )
    # The dialogue's child, repeated so that lists of open steps need no join. Empty
    # only for a step of an anonymous forum case, until the case is linked.
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="next_steps",
        verbose_name=_("barn"),
    )
    text = models.CharField(_("næste skridt"), max_length=500)
    owner_kind = models.CharField(_("hvem gør det?"), max_length=10, choices=Owner.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_steps",
        verbose_name=_("fagperson"),
    )
    owner_guardian = models.ForeignKey(
        Guardian,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_steps",
        verbose_name=_("forælder/værge"),
    )
    due = models.DateField(_("senest"))
    done_on = models.DateField(_("gjort den"), null=True, blank=True)
    done_comment = models.CharField(_("kommentar"), max_length=500, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("markeret af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("næste skridt")
        verbose_name_plural = _("næste skridt")
        indexes = [models.Index(fields=["owner_user", "done_on", "due"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner_kind="fagperson") | Q(owner_user__isnull=False),
                name="professional_step_has_user",
            ),
            models.CheckConstraint(
                condition=Q(dialogue__isnull=False, meeting__isnull=True, forum_case__isnull=True)
                | Q(dialogue__isnull=True, meeting__isnull=False, forum_case__isnull=True)
                | Q(dialogue__isnull=True, meeting__isnull=True, forum_case__isnull=False),
                name="step_has_one_source",
            ),
            models.CheckConstraint(
                condition=Q(child__isnull=False) | Q(forum_case__isnull=False),
                name="step_has_child_unless_forum",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_additional_data(self) -> dict:
        # A step of an anonymous forum case names no child in the audit trail.
        return {"child": self.child_id} if self.child_id else {}

    @property
    def source_url(self) -> str:
        """The dialogue, the meeting or the forum case the step was agreed in."""
        if self.forum_case_id:
            return reverse("forum_case", args=[self.forum_case_id])
        if self.meeting_id:
            return reverse("meeting", args=[self.meeting_id])
        return reverse("dialogue", args=[self.dialogue_id])

    @property
    def owner_label(self) -> str:
        if self.owner_kind == Owner.PROFESSIONAL and self.owner_user:
            return str(self.owner_user)
        if self.owner_kind == Owner.PARENT and self.owner_guardian:
            return self.owner_guardian.name
        return str(self.get_owner_kind_display())

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def mark_done(self, *, on, comment: str, by) -> None:
        self.done_on, self.done_comment, self.done_by = on, comment, by
        self.save(update_fields=["done_on", "done_comment", "done_by"])

    def reopen(self) -> None:
        self.done_on, self.done_comment, self.done_by = None, "", None
        self.save(update_fields=["done_on", "done_comment", "done_by"])

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_done and self.due < today
