from django.urls import path

from children import consent_views

urlpatterns = [
    path("boern/<int:pk>/samtykke/", consent_views.consent_create, name="consent_create"),
    path(
        "samtykker/<int:pk>/traek-tilbage/",
        consent_views.consent_withdraw,
        name="consent_withdraw",
    ),
]
