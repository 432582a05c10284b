from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Sager og opfølgning")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from children import access
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
        access.register_rule(case_team_rule)
        from children import retention
        from followups.retention import case_hold, old_reminders

        retention.register_hold(case_hold)
        retention.register_sweep(old_reminders)
        from accounts.context_processors import register_badge
        from followups.list_views import unread_count

        register_badge("notifications", unread_count, _("ulæste"))
        # The child page panel, next actions and the access-request export's section.
        from followups import child_page, export  # noqa: F401


def case_team_rule(user):
    """The coordinator and the team of an open case see its child (DESIGN.md section 3),
    and for CLOSED_CASE_ACCESS_DAYS after it closes, so that the closing meeting's
    minutes can be finished, printed and sent to the participants."""
    from django.db.models import Exists, OuterRef, Q

    from followups.models import Case

    cases = Case.objects.visible_to_team().filter(child=OuterRef("pk"))
    return Q(Exists(cases.filter(coordinator=user))) | Q(Exists(cases.filter(members__user=user)))
