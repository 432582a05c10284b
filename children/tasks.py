from celery import shared_task

from children import alerts


@shared_task(name="children.tasks.bulk_read_alerts")
def bulk_read_alerts() -> None:
    alerts.bulk_read_alerts()
