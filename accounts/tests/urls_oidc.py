"""The project's URLs with single sign-on mounted, as tidlig/urls.py does when
OIDC_RP_CLIENT_ID is set (the URL conf is built once, at import)."""

from django.urls import include, path

from tidlig.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("oidc/", include(("mozilla_django_oidc.urls", "oidc"))),
]
