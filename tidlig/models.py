from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic task really ran in a worker.

    Beat sends the heartbeat task on a schedule and a worker executes it, so a
    fresh row proves that the broker, beat and at least one worker are up.
    """

    name = models.CharField(_("navn"), max_length=50, unique=True)
    last_run_at = models.DateTimeField(_("sidst kørt"))
    runs = models.PositiveIntegerField(_("antal kørsler"), default=0)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hjerteslag")
        verbose_name_plural = _("hjerteslag")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def beat(cls, name: str, *, worker: str = "") -> "Heartbeat":
        now = timezone.now()
        updated = cls.objects.filter(name=name).update(
            last_run_at=now, runs=F("runs") + 1, worker=worker
        )
        if not updated:
            cls.objects.get_or_create(
                name=name, defaults={"last_run_at": now, "runs": 1, "worker": worker}
            )
        return cls.objects.get(name=name)

    @property
    def is_fresh(self) -> bool:
        # Two missed intervals plus a little slack before we call it stale.
        grace = timedelta(seconds=2 * settings.HEARTBEAT_INTERVAL_SECONDS + 30)
        return timezone.now() - self.last_run_at <= grace


class Submission(models.Model):
    """A create form that was sent: its one-time key and the page its result is on.

    Every create form carries a fresh key (`{% submit_key %}`, tidlig.lib.once).
    The first request with a key stores it here in the same transaction as what
    it creates; a second request with the same key (a double-click, a resend
    after a lost answer, twenty parallel POSTs) meets the unique constraint and
    is sent to the first one's result instead of creating it again. One table
    serves every form, including those that create several rows at once (an
    assessment with its concern, a held meeting with the next one). Kept two
    days (desk.retention).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField(_("nøgle"))
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now, db_index=True)
    result_url = models.CharField(_("resultat"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("indsendelse")
        verbose_name_plural = _("indsendelser")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_once_per_user_key")
        ]

    def __str__(self) -> str:
        return str(self.key)
