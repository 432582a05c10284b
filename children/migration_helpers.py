"""Shared by the migrations that added `unit` (written in) to assessments,
concerns and dialogues: fill it for the rows written before, by the rule of
children.models.written_in, with the historical models."""

from django.db.models import Q

UNIT_ROLES = ("fagperson", "leder")


def backfill_written_in(apps, app_label: str, model_name: str) -> None:
    model = apps.get_model(app_label, model_name)
    membership = apps.get_model("accounts", "Membership")
    enrollment = apps.get_model("children", "Enrollment")
    for row in (
        model.objects.filter(unit__isnull=True)
        .only("pk", "author_id", "child_id", "created_at")
        .iterator()
    ):
        day = row.created_at.date()
        mine = membership.objects.filter(user_id=row.author_id)
        enrolled = (
            enrollment.objects.filter(child_id=row.child_id, start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .filter(unit_id__in=mine.filter(role__in=UNIT_ROLES).values("unit_id"))
            .order_by("start", "pk")
            .values_list("unit_id", flat=True)
            .first()
        )
        unit_id = enrolled or mine.order_by("pk").values_list("unit_id", flat=True).first()
        if unit_id is not None:
            model.objects.filter(pk=row.pk).update(unit_id=unit_id)
