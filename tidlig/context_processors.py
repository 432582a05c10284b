from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_MINUTES * 60,
        "OIDC_ENABLED": settings.OIDC_ENABLED,
    }
