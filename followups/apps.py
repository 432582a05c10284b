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
        self._keep_prevention_levels()

    def _keep_prevention_levels(self) -> None:
        """A case's stored prevention level follows its interventions and the child's
        assessments (Case.refresh_prevention_level), whichever page or command
        changes them. The assessments are ruler's, below this app: it listens."""
        from django.db.models.signals import post_delete, post_save

        from children.models import Child
        from followups.models import Case, Intervention
        from ruler.models import Assessment

        def deleted_with_case_or_child(origin) -> bool:
            # A case or child deleted takes its rows with it: nothing to refresh.
            model = getattr(origin, "model", type(origin))  # a queryset's, or an instance's
            return issubclass(model, (Case, Child))

        def intervention_changed(sender, instance, origin=None, raw=False, **kwargs) -> None:
            if raw or deleted_with_case_or_child(origin):
                return
            instance.case.refresh_prevention_level()

        def assessment_changed(sender, instance, origin=None, raw=False, **kwargs) -> None:
            if raw or deleted_with_case_or_child(origin):
                return
            for case in Case.objects.open().filter(child_id=instance.child_id):
                case.refresh_prevention_level()

        for signal in (post_save, post_delete):
            signal.connect(intervention_changed, sender=Intervention, weak=False)
            signal.connect(assessment_changed, sender=Assessment, weak=False)
