import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")

app = Celery("tidlig")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def add_periodic_tasks(sender: Celery, **kwargs) -> None:
    # The DatabaseScheduler copies this schedule into django-celery-beat's tables
    # when beat starts, so operators can see and pause entries in the admin.
    from django.conf import settings

    sender.conf.beat_schedule = {
        "heartbeat": {
            "task": "tidlig.tasks.heartbeat",
            "schedule": float(settings.HEARTBEAT_INTERVAL_SECONDS),
        },
    }
