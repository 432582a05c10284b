import socket

from celery import shared_task

from tidlig.models import Heartbeat


@shared_task(name="tidlig.tasks.heartbeat")
def heartbeat() -> None:
    Heartbeat.beat("worker", worker=socket.gethostname())
