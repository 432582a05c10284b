"""Migrations 0004 and 0005 on auditlog's table (issue 17): a bigint id, and the
audit viewer's indexes, on PostgreSQL; SQLite is left as it is."""

from unittest import skipUnless

from django.db import connection
from django.test import TestCase


@skipUnless(connection.vendor == "postgresql", "PostgreSQL only")
class AuditTableTestCase(TestCase):
    def _one(self, sql: str, params: list | None = None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.fetchone()[0]

    def test_it_makes_the_id_and_its_sequence_bigint(self):
        column = self._one(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'auditlog_logentry' AND column_name = 'id'"
        )
        assert column == "bigint"
        sequence = self._one(
            "SELECT seqtypid::regtype::text FROM pg_sequence "
            "WHERE seqrelid = pg_get_serial_sequence('auditlog_logentry', 'id')::regclass"
        )
        assert sequence == "bigint"

    def test_it_indexes_the_viewer_filters(self):
        names = self._one(
            "SELECT array_agg(indexname::text) FROM pg_indexes "
            "WHERE tablename = 'auditlog_logentry'"
        )
        for name in (
            "children_auditlog_actor_time_idx",
            "children_auditlog_child_time_idx",
            "children_auditlog_event_time_idx",
            "children_auditlog_action_time_idx",
            "children_auditlog_listed_idx",
        ):
            assert name in names
        assert "children_auditlog_child_idx" not in names  # replaced
