from django.urls import path

from children import audit_views

urlpatterns = [
    path("", audit_views.audit_log, name="admin_audit"),
    path("csv/", audit_views.audit_export, name="admin_audit_export"),
    path("stikproeve/", audit_views.audit_sample, name="admin_audit_sample"),
]
