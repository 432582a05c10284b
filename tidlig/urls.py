from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tidlig import views

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("ruler.urls")),
    path("", include("loeft.urls")),
    path("", include("followups.urls")),
    path("", include("forum.urls")),
    path("", include("reports.urls")),
    path("", include("desk.urls")),
    path("", include("children.consent_urls")),
    path("administration/", include("accounts.admin_urls")),
    path("administration/import/", include("children.import_urls")),
    path("administration/log/", include("children.audit_urls")),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.OIDC_ENABLED:
    # Single sign-on (accounts.oidc): /oidc/authenticate/ and the provider's
    # redirect URI /oidc/callback/. The namespace lets them past the MFA check.
    urlpatterns.append(path("oidc/", include(("mozilla_django_oidc.urls", "oidc"))))

if settings.DEBUG:
    # The Django admin is a developer's tool here; staff use Tidlig's own pages.
    urlpatterns.append(path("django-admin/", admin.site.urls))
