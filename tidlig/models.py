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
