from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        # The quarterly snapshot follows every change to an assessment or enrollment
        # (reports.snapshot); a child's birth date comes from the CPR number and
        # does not change.
        from django.db.models.signals import post_delete, post_save

        from children.models import Child, Enrollment
        from children.signals import enrollments_changed
        from reports import snapshot
        from ruler.models import Assessment

        def deleted_with_its_child(origin) -> bool:
            # A child deleted (retention) takes its snapshot rows with it (CASCADE):
            # nothing to rewrite for each of its assessments and enrollments.
            return isinstance(origin, Child) or getattr(origin, "model", None) is Child

        def assessment_changed(sender, instance, origin=None, **kwargs) -> None:
            if deleted_with_its_child(origin):
                return
            dates = [instance.assessed_on]
            if instance.corrects_id:  # a correction replaces an earlier version
                earlier = Assessment.objects.filter(pk=instance.corrects_id)
                dates += earlier.values_list("assessed_on", flat=True)  # gone if deleted
            snapshot.refresh([instance.child_id], min(dates), max(dates))

        def enrollment_changed(sender, instance, origin=None, **kwargs) -> None:
            if deleted_with_its_child(origin):
                return
            snapshot.refresh([instance.child_id], instance.start)

        def imported(sender, child_ids, since, **kwargs) -> None:
            snapshot.refresh(child_ids, since)

        for signal in (post_save, post_delete):
            signal.connect(assessment_changed, sender=Assessment, weak=False)
            signal.connect(enrollment_changed, sender=Enrollment, weak=False)
        enrollments_changed.connect(imported, weak=False)
