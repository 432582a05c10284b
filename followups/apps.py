from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Sager og opfølgning")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from followups.models import (
            Case,
            CaseMember,
            Escalation,
            Handover,
            Intervention,
            Meeting,
            Underretning,
        )

        for model in (Escalation, Underretning, CaseMember, Intervention, Handover):
            auditlog.register(model)
        auditlog.register(Case)
        auditlog.register(Meeting, m2m_fields={"participants"})
