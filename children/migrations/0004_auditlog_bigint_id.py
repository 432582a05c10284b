from django.db import migrations

# auditlog's LogEntry.id is an AutoField (its AppConfig sets default_auto_field to
# AutoField): a 32-bit integer, 2.1 billion entries. A municipality of 100,000
# children writes about 5 million a year, more with the list entries of busy
# pages; the id is made a bigint here, before the table is large, together with
# its sequence (an identity sequence on databases created by Django 4.1 and later,
# a serial one before). The model stays auditlog's, so the migration state is
# untouched (Django reads the bigger ids as ints all the same). ALTER ... TYPE
# rewrites the table and its indexes under an exclusive lock: about a minute per
# 5 million entries (docs/operations.md, "Audit trail at scale").
# SQLite's INTEGER is 64-bit already.

SEQUENCE_AS = (
    "DO $$ BEGIN EXECUTE 'ALTER SEQUENCE ' "
    "|| pg_get_serial_sequence('auditlog_logentry', 'id') || ' AS {type}'; END $$"
)


def alter(type_: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"ALTER TABLE auditlog_logentry ALTER COLUMN id TYPE {type_}")
        schema_editor.execute(SEQUENCE_AS.format(type=type_))

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0003_groups_written_in_transitions_consent"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(alter("bigint"), alter("integer"))]
