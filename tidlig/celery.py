import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidlig.settings")

app = Celery("tidlig")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def keep_django_logging(**kwargs) -> None:
    """Leave logging to settings.LOGGING, the worker's --loglevel to LOG_LEVEL.

    With no receiver, Celery adds handlers of its own (task loggers,
    multiprocessing) that would print tracebacks and CPR numbers past
    tidlig.lib.logs.PrivacyFilter.
    """


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
            # Every hour of the working day from 06:00: the first run sends the day's
            # reminders, the later ones catch up what a killed or delayed run left
            # (the outbox sends each reminder once, followups.reminders).
            "schedule": float(settings.REMINDER_SWEEP_SECONDS)
            if settings.REMINDER_SWEEP_SECONDS
            else crontab(hour="6-20", minute=0),
        },
        # An underretning's 24 hours may end at any hour: its reminders are planned
        # every 15 minutes, so the 4-hour warning is on time (followups.reminders).
        "underretning-reminders": {
            "task": "followups.tasks.send_underretning_reminders",
            "schedule": crontab(minute="*/15"),
        },
        # Every app's retention rule: children, reminders, audit entries, login records.
        "retention-sweep": {
            "task": "desk.tasks.retention_sweep",
            "schedule": crontab(hour=3, minute=0),
        },
        # A case's prevention level follows an intervention whose planned start or end
        # day has come (followups.models.CaseQuerySet.refresh_dated_levels).
        "prevention-levels": {
            "task": "followups.tasks.refresh_prevention_levels",
            "schedule": crontab(hour=0, minute=30),
        },
        # Each run looks back an hour, so a missed run is caught up (children/alerts.py).
        "bulk-read-alerts": {
            "task": "children.tasks.bulk_read_alerts",
            "schedule": crontab(minute="*/5"),
        },
        # Each child's state at each quarter's end, which the quarterly status counts:
        # kept true as assessments and enrollments change; rebuilt nightly for the
        # current and last quarter, before the morning's report (reports.snapshot).
        "quarter-snapshots": {
            "task": "reports.tasks.build_snapshots",
            "schedule": crontab(hour=4, minute=30),
        },
        # The forvaltning's figures on the dashboard, computed by the worker before
        # anyone asks (reports.stored); nothing to do without the cache.
        "report-figures": {
            "task": "reports.tasks.refresh_municipal_figures",
            "schedule": float(settings.REPORT_CACHE_SECONDS or 600),
        },
        # Daily, so that a missed morning (beat down, holiday) is caught up the next;
        # the report itself is made once per quarter (reports.generate).
        "quarterly-report": {
            "task": "reports.tasks.generate_due_report",
            "schedule": crontab(hour=5, minute=30),
        },
        # An ordered report no worker picked up (ordered while the broker was down)
        # or whose worker died is made within minutes, not the next morning.
        "stale-reports": {
            "task": "reports.tasks.generate_stale_reports",
            "schedule": crontab(minute="*/5"),
        },
    }
