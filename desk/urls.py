from django.urls import path

from desk import transition_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("boern/", views.child_list, name="child_list"),
    path("boern/<int:pk>/", views.child_detail, name="child"),
    path("boern/<int:pk>/cpr/", views.child_reveal_cpr, name="child_reveal_cpr"),
    path("boern/<int:pk>/indsigt.pdf", views.child_export_pdf, name="child_export_pdf"),
    path("vurderinger/<int:pk>/", views.assessment_detail, name="assessment"),
    path("oversigt/", views.unit_overview, name="unit_overview"),
    # Overgange: the overleveringsnotat from the sending unit to the receiving one.
    path(
        "overgange/<int:sending>/<int:receiving>/notat/",
        transition_views.note_edit,
        name="transition_note_edit",
    ),
    path("overgange/notater/<int:pk>/", transition_views.note_detail, name="transition_note"),
    path(
        "overgange/notater/<int:pk>/kvitter/",
        transition_views.note_acknowledge,
        name="transition_note_acknowledge",
    ),
]
