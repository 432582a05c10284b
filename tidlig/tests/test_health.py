from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tidlig.models import Heartbeat
from tidlig.tasks import heartbeat

pytestmark = pytest.mark.django_db


def test_it_is_unhealthy_before_any_worker_has_run(client):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.context["heartbeat"] is None
    assert response.context["database_ok"] and response.context["cache_ok"]


def test_it_is_healthy_right_after_the_heartbeat_task_ran(client):
    heartbeat()
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.context["heartbeat"].runs == 1
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_counts_runs_and_goes_stale_when_beat_stops(client, settings):
    settings.HEARTBEAT_INTERVAL_SECONDS = 30
    heartbeat()
    heartbeat()
    assert Heartbeat.objects.get(name="worker").runs == 2
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.context["heartbeat_ok"] is False


def test_it_needs_no_login_and_shows_no_personal_data(client, django_user_model):
    django_user_model.objects.create_user("pia", password="x" * 12, first_name="Pia")
    response = client.get("/health/")
    assert b"Pia" not in response.content


OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def test_from_outside_it_says_only_ok_or_not(client):
    heartbeat()
    response = client.get("/health/", **OUTSIDE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alle dele af Tidlig kører." in page
    for detail in ("postgresql", "sqlite", "filesystem", "redis", "hjerteslag", "<table"):
        assert detail not in page.lower(), detail


def test_through_a_proxy_on_this_machine_it_is_outside_too(client):
    heartbeat()
    page = client.get("/health/", HTTP_X_FORWARDED_FOR="203.0.113.9").content.decode()
    assert "<table" not in page


def test_this_machine_and_a_verified_administrator_get_the_details(client):
    from accounts.models import Membership, Role, Unit, UnitKind, User
    from tidlig.test import log_in

    heartbeat()
    assert "<table" in client.get("/health/").content.decode()  # 127.0.0.1, no proxy
    unit = Unit.objects.create(name="Forvaltningen", kind=UnitKind.FORVALTNING)
    adam = User.objects.create_user("adam", password="x" * 12)
    Membership.objects.create(user=adam, unit=unit, role=Role.ADMINISTRATOR)
    log_in(client, adam)
    assert "<table" in client.get("/health/", **OUTSIDE).content.decode()
    Membership.objects.filter(user=adam).update(role=Role.FORVALTNING)
    assert "<table" not in client.get("/health/", **OUTSIDE).content.decode()


def test_with_the_database_down_it_answers_503_and_says_which_part(client):
    from unittest import mock

    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    down = OperationalError("connection refused")
    with (
        mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=down),
        mock.patch.object(BaseDatabaseWrapper, "_cursor", side_effect=down),
    ):
        local = client.get("/health/")  # from this machine: the parts
        outside = client.get("/health/", **OUTSIDE)
    assert local.status_code == outside.status_code == 503
    assert local.context["database_ok"] is False and local.context["cache_ok"] is True
    assert "En eller flere dele af Tidlig kører ikke" in outside.content.decode()
    assert "<table" not in outside.content.decode()
