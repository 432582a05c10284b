import os

from celery import Celery
from celery.schedules import crontab

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
        "send-reminders": {
            "task": "followups.tasks.send_reminders",
            "schedule": float(settings.REMINDER_SWEEP_SECONDS)
            if settings.REMINDER_SWEEP_SECONDS
            else crontab(hour=6, minute=0),
        },
        "purge-audit-log": {
            "task": "children.tasks.purge_audit_log",
            "schedule": crontab(hour=2, minute=30),
        },
        # Daily, so that a missed morning (beat down, holiday) is caught up the next;
        # the report itself is made once per quarter (reports.generate).
        "quarterly-report": {
            "task": "reports.tasks.generate_due_report",
            "schedule": crontab(hour=5, minute=30),
        },
    }
