from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Tværfagligt forum")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from forum.models import Forum, ForumCase, ForumMeeting

        auditlog.register(Forum, m2m_fields={"consultants", "units"})
        auditlog.register(ForumMeeting, m2m_fields={"participants"})
        # An anonymous case's entry carries no child: ForumCase.get_additional_data
        # names the child only once the case is linked with the parents' consent.
        auditlog.register(ForumCase)
