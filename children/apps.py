from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = _("Børn")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from children.models import (
            AbsenceRecord,
            Child,
            Concern,
            Consent,
            Enrollment,
            Guardian,
            TransitionNote,
        )

        # The CPR columns are never written to the audit trail, not even encrypted.
        auditlog.register(Child, exclude_fields=["cpr_encrypted", "cpr_hash"])
        auditlog.register(Guardian)
        auditlog.register(Enrollment)
        auditlog.register(Concern)
        auditlog.register(TransitionNote)
        auditlog.register(Consent, m2m_fields={"units"})
        auditlog.register(AbsenceRecord)
