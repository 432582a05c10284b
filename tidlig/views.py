from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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


# Anonymous, so PrivacyHeadersMiddleware leaves it alone; a cached "ok" would hide an outage.
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """Public health page for load balancers and operators: no personal data."""
    heartbeat = Heartbeat.objects.filter(name="worker").first()
    ctx = {
        "database_ok": _database_ok(),
        "database_vendor": connection.vendor,
        "cache_ok": _cache_ok(),
        "broker": "redis" if settings.REDIS_URL else "filesystem",
        "heartbeat": heartbeat,
        "heartbeat_ok": heartbeat is not None and heartbeat.is_fresh,
        "interval": settings.HEARTBEAT_INTERVAL_SECONDS,
    }
    healthy = ctx["database_ok"] and ctx["cache_ok"] and ctx["heartbeat_ok"]
    return render(request, "health.html", ctx, status=200 if healthy else 503)
