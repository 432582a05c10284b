"""Redis down (cache and broker): login, saving and ordering a report keep working.

The cache only saves time and every task enqueued after a save has a beat job that
picks up what was left waiting (tidlig.lib.tasks.enqueue_on_commit), so an outage
of Redis costs no user their work.
"""

from datetime import date
from unittest import mock

from django.core.cache import caches
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisDown

from children.models import Concern
from reports.models import QuarterlyReport
from tidlig.lib.dates import Quarter
from tidlig.test import BaseTestCase, log_in_through_the_pages


class RedisDownTestCase(BaseTestCase):
    def test_login_saving_and_ordering_a_report_work_with_redis_down(self):
        down = RedisDown("connection refused")
        with (
            mock.patch.object(type(caches["default"]), "get", side_effect=down),
            mock.patch.object(type(caches["default"]), "set", side_effect=down),
            mock.patch("celery.app.task.Task.delay", side_effect=OperationalError("down")),
            self.captureOnCommitCallbacks(execute=True),
        ):
            pia = log_in_through_the_pages("pia")
            response = pia.post(
                f"/boern/{self.emma.pk}/bekymring/",
                {"observed_on": "2026-01-05", "text": "Emma græder ved aflevering."},
            )
            assert response.status_code == 302
            assert Concern.objects.filter(child=self.emma, author=self.pia).exists()

            frida = log_in_through_the_pages("frida")
            quarter = Quarter.containing(date.today()).previous()
            response = frida.post("/rapporter/arkiv/bestil/", {"quarter": str(quarter)})
            assert response.status_code == 302
            assert QuarterlyReport.objects.get().status == QuarterlyReport.Status.WAITING
            assert frida.get("/rapporter/status/").status_code == 200
