from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts import mfa
from accounts.models import Role
from tidlig.models import Heartbeat


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _cache_ok() -> bool:
    try:
        cache.set("health-check", "ok", 10)
        return cache.get("health-check") == "ok"
    except Exception:
        return False


LOOPBACK = {"127.0.0.1", "::1"}


def _may_see_details(request: HttpRequest) -> bool:
    """The parts and their details (database engine, broker, the worker's host and
    heartbeat) are for an administrator with a verified login, or a request from this
    machine itself (a health check on the host or in the container). A request a
    reverse proxy forwards carries X-Forwarded-For and is not taken for local."""
    if request.META.get("REMOTE_ADDR") in LOOPBACK and "HTTP_X_FORWARDED_FOR" not in request.META:
        return True
    try:  # the page must answer when the database is down
        user = request.user
        return (
            user.is_authenticated and mfa.is_verified(request) and user.has_role(Role.ADMINISTRATOR)
        )
    except Exception:
        return False


# Anonymous, so PrivacyHeadersMiddleware leaves it alone; a cached "ok" would hide an outage.
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """Health page for load balancers and operators: no personal data. Everyone gets
    ok or not ok (200 or 503); the details only `_may_see_details`. With the
    database down it still answers (503, the database marked as failed): the worker's
    heartbeat, kept in the database, is then unknown."""
    database_ok = _database_ok()
    heartbeat = Heartbeat.objects.filter(name="worker").first() if database_ok else None
    ctx = {
        "database_ok": database_ok,
        "database_vendor": connection.vendor,
        "cache_ok": _cache_ok(),
        "broker": "redis" if settings.REDIS_URL else "filesystem",
        "heartbeat": heartbeat,
        "heartbeat_ok": heartbeat is not None and heartbeat.is_fresh,
        "interval": settings.HEARTBEAT_INTERVAL_SECONDS,
        "details": _may_see_details(request),
    }
    healthy = ctx["database_ok"] and ctx["cache_ok"] and ctx["heartbeat_ok"]
    return render(request, "health.html", ctx, status=200 if healthy else 503)
