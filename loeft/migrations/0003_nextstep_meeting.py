"""A next step can be agreed at a three-month follow-up meeting as well as in a
LØFT dialogue: NextStep.meeting, and a check that each step has exactly one source.

Held meetings recorded their agreements as free text (Meeting.agreements, "Aftaler
til næste møde"). That text is NOT converted into steps: it names no owner and no
deadline, and inventing them (say, the coordinator, due at the next meeting) would
put years of old, long since handled agreements into Mine opgaver as overdue tasks.
The old text stays on the meeting, unchanged, and is shown read-only as history on
its minutes and on the next meeting's agenda; new meetings record structured steps.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0005_auditlog_viewer_indexes"),
        ("followups", "0011_reminder_unsent"),
        ("loeft", "0002_dialogue_written_in"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="nextstep",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="next_steps",
                to="followups.meeting",
                verbose_name="opfølgningsmøde",
            ),
        ),
        migrations.AlterField(
            model_name="nextstep",
            name="dialogue",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="next_steps",
                to="loeft.dialogue",
                verbose_name="dialog",
            ),
        ),
        migrations.AddConstraint(
            model_name="nextstep",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("dialogue__isnull", False), ("meeting__isnull", True)),
                    models.Q(("dialogue__isnull", True), ("meeting__isnull", False)),
                    _connector="OR",
                ),
                name="step_has_one_source",
            ),
        ),
    ]
