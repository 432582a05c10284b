from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulerConfig(AppConfig):
    name = "ruler"
    verbose_name = _("Børnelinealen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ruler.models import Assessment, ZoneGuide

        auditlog.register(Assessment)
        auditlog.register(ZoneGuide)
