from django.urls import path, re_path

from reports import archive_views, leader_views, views

urlpatterns = [
    path("rapporter/status/", views.report_dashboard, name="report_dashboard"),
    re_path(r"^rapporter/status/(?P<format>xlsx|csv)/$", views.report_export, name="report_export"),
    # A leader's status (reports.leader_views): an institution leader's quarterly
    # status as PDF, and the rådgivning leader's status of the unit.
    path("rapporter/status/pdf/", leader_views.leader_status_pdf, name="leader_status_pdf"),
    path("rapporter/raadgivning/", leader_views.raadgivning_status, name="raadgivning_status"),
    path(
        "rapporter/raadgivning/status.pdf",
        leader_views.raadgivning_status_pdf,
        name="raadgivning_status_pdf",
    ),
    # The archive of quarterly PDFs (reports.archive_views), forvaltning only.
    path("rapporter/arkiv/", archive_views.report_archive, name="report_archive"),
    path("rapporter/arkiv/bestil/", archive_views.report_request, name="report_request"),
    path("rapporter/arkiv/<int:pk>/", archive_views.report_progress, name="report_progress"),
    path(
        "rapporter/arkiv/<int:pk>/kvartalsstatus.pdf",
        archive_views.report_download,
        name="report_download",
    ),
]
