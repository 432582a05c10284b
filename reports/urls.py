from django.urls import path  # noqa: F401  (the report pages are added here)

urlpatterns: list = []
