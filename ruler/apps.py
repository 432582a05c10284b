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
        # Register the child page's zone panels, the zone column on "Mine børn" and
        # the section of the access-request export.
        from ruler import child_list, child_page, export  # noqa: F401
