from django.urls import path

from ruler import admin_views, views

urlpatterns = [
    # One form for a concern and its zone; the assessment form's old address
    # redirects to it.
    path("boern/<int:pk>/bekymring/", views.concern_create, name="concern_create"),
    path("boern/<int:pk>/vurdering/", views.assessment_create, name="assessment_create"),
    path("vurderinger/<int:pk>/ret/", views.assessment_correct, name="assessment_correct"),
    path("administration/handleguide/", admin_views.zone_guides, name="admin_zone_guides"),
    path(
        "administration/handleguide/<int:zone>/",
        admin_views.zone_guide_edit,
        name="admin_zone_guide_edit",
    ),
    path(
        "administration/handleguide/<int:zone>/standard/",
        admin_views.zone_guide_reset,
        name="admin_zone_guide_reset",
    ),
]
