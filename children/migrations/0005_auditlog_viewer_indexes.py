from django.db import migrations

# Indexes for the audit viewer's filters (children/audit_forms.py), each ending in
# timestamp and id so that a filtered page comes out of the index in the viewer's
# order (newest first) and is read 50 rows at a time. The model is auditlog's, so
# they are made here in SQL (AddIndex only works in the model's own app), on
# PostgreSQL only: SQLite, the embedded default, holds a small municipality's log.
# CONCURRENTLY, so that the log is written to while an index is built; an index
# left invalid by an interrupted build is dropped and built again.
INDEXES = {
    # The user filter.
    "children_auditlog_actor_time_idx": "(actor_id, timestamp, id)",
    # The child filter and the child's trail (children.audit.about_child); it
    # replaces 0002's index on the child alone.
    "children_auditlog_child_time_idx": "((additional_data -> 'child'), timestamp, id)",
    # The action filter: reads, prints, searches… by event, changes by action.
    "children_auditlog_event_time_idx": "((additional_data -> 'event'), timestamp, id)",
    "children_auditlog_action_time_idx": "(action, timestamp, id)",
    # The list entries that showed a child (children.audit.listed_child): a
    # containment test on the ids in "children", list entries only.
    "children_auditlog_listed_idx": (
        "USING gin ((additional_data -> 'children') jsonb_path_ops) "
        "WHERE (additional_data -> 'event') = '\"list\"'::jsonb"
    ),
}
OLD_CHILD_INDEX = "children_auditlog_child_idx"


def _create(schema_editor, name: str, definition: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s",
            [name],
        )
        found = cursor.fetchone()
    if found and not found[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON auditlog_logentry {definition}"
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        _create(schema_editor, name, definition)
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD_CHILD_INDEX}")
    # Statistics for the indexed expressions: without them the planner guessed
    # 25,000 entries for a child (there are about 250) and walked the whole
    # timestamp index instead (3.6 s for the viewer's child filter).
    schema_editor.execute("ANALYZE auditlog_logentry")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _create(schema_editor, OLD_CHILD_INDEX, "((additional_data -> 'child'))")
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("children", "0004_auditlog_bigint_id")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
