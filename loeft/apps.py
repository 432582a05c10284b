from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoeftConfig(AppConfig):
    name = "loeft"
    verbose_name = _("LØFT-dialoger")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from loeft.models import Dialogue, NextStep

        # Autosaves write draft_data with a queryset update (no log entry each few
        # seconds); the draft's content is logged once, as the finalised fields.
        auditlog.register(
            Dialogue,
            exclude_fields=["draft_data", "draft_saved_at"],
            m2m_fields={"professionals", "guardians"},
        )
        # DialogueVersion rows are the history itself, written with the Dialogue's
        # logged change and never edited, so they are not logged a second time.
        auditlog.register(NextStep)
