"""The read replica (tidlig.lib.replica): with DATABASE_REPLICA_URL set, the report
figures and dashboards read from the "replica" alias and everything else from the
primary. The suite's replica alias mirrors the test database (tests/services.py),
so this TransactionTestCase commits its data where both connections see it."""

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django.test import TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext

from children.models import Concern
from ruler.tests.factories import assess
from tidlig.lib.replica import REPLICA, ReplicaRouter, from_replica
from tidlig.test import BaseTestCase, log_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(REPLICA not in settings.DATABASES, reason="no replica alias (SQLite)"),
]


@override_settings(REPLICA_READS=True)
@time_machine.travel(date(2026, 10, 15), tick=False)
class ReplicaTestCase(TransactionTestCase):
    databases = {"default", REPLICA}

    def setUp(self):
        BaseTestCase.setUpTestData.__func__(self)  # the same small municipality

    def test_the_dashboard_reads_from_the_replica_and_saving_uses_the_primary(self):
        assess(self.oskar, self.sofie, 4, on=date(2026, 8, 1))
        log_in(self.client, self.frida)
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            response = self.client.get("/rapporter/status/?kvartal=2026Q3")
        assert response.status_code == 200
        assert len(replica) > 0
        assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in replica)

        log_in(self.client, self.pia)
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            response = self.client.post(
                f"/boern/{self.emma.pk}/bekymring/",
                {"observed_on": "2026-10-15", "text": "Emma græder ved aflevering."},
            )
            self.client.get(f"/boern/{self.emma.pk}/")
        assert response.status_code == 302 and Concern.objects.filter(child=self.emma).exists()
        assert len(replica) == 0

    def test_the_audit_viewer_reads_from_the_replica(self):
        log_in(self.client, self.adam)
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            response = self.client.get("/administration/log/")
            sample = self.client.get("/administration/log/stikproeve/")
        assert response.status_code == sample.status_code == 200
        assert len(replica) > 0
        assert all(q["sql"].lstrip().upper().startswith(("SELECT", "WITH")) for q in replica)

    def test_the_router(self):
        router = ReplicaRouter()
        assert router.db_for_read(Concern) is None
        with from_replica():
            assert router.db_for_read(Concern) == REPLICA
            assert router.db_for_write(Concern) == "default"
            with override_settings(REPLICA_READS=False):
                assert router.db_for_read(Concern) is None
        assert router.allow_migrate(REPLICA, "children") is False
        assert router.allow_migrate("default", "children") is True
