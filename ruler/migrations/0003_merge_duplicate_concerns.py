"""Merge the concerns that were typed twice.

Before the one form for a concern and its zone (issue 20), a professional often
logged a concern on the child page and then typed the same text again in the
assessment form, which saved it as a second concern linked to the assessment. A
pair is: the same child, author and text (surrounding whitespace aside), created
within WINDOW of each other, one of them linked to an assessment and the other
not. The linked one is kept; it takes "the parents are informed" from the other
when only that one said so; the other is deleted.
"""

from datetime import timedelta

from django.db import migrations

WINDOW = timedelta(minutes=30)


def merge_duplicate_concerns(Concern, Assessment) -> int:
    """Merge every pair; returns how many concerns were deleted. Takes the models so
    that the migration passes its historical ones and a test the real ones."""
    linked_ids = Assessment.objects.filter(concern__isnull=False).values("concern_id")
    fields = ("pk", "child_id", "author_id", "text", "created_at", "parents_informed")
    kept_by_key: dict[tuple[int, int], list] = {}
    for concern in Concern.objects.filter(pk__in=linked_ids).only(*fields[1:]).iterator():
        kept_by_key.setdefault((concern.child_id, concern.author_id), []).append(concern)

    duplicates, informed = [], set()
    others = Concern.objects.exclude(pk__in=linked_ids).filter(
        child_id__in={child for child, _author in kept_by_key}
    )
    for concern in others.only(*fields[1:]).order_by("pk").iterator():
        for kept in kept_by_key.get((concern.child_id, concern.author_id), ()):
            if (
                abs(concern.created_at - kept.created_at) <= WINDOW
                and concern.text.strip() == kept.text.strip()
            ):
                duplicates.append(concern.pk)
                if concern.parents_informed and not kept.parents_informed:
                    informed.add(kept.pk)
                break
    Concern.objects.filter(pk__in=informed).update(parents_informed=True)
    for start in range(0, len(duplicates), 500):
        Concern.objects.filter(pk__in=duplicates[start : start + 500]).delete()
    return len(duplicates)


def forwards(apps, schema_editor):
    merge_duplicate_concerns(
        apps.get_model("children", "Concern"), apps.get_model("ruler", "Assessment")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0005_auditlog_viewer_indexes"),
        ("ruler", "0002_assessment_written_in"),
    ]

    # Nothing to undo: the deleted text is the text the kept concern holds.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
