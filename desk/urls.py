from django.urls import path

from desk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("boern/", views.child_list, name="child_list"),
    path("boern/<int:pk>/", views.child_detail, name="child"),
    path("boern/<int:pk>/cpr/", views.child_reveal_cpr, name="child_reveal_cpr"),
    path("boern/<int:pk>/indsigt.pdf", views.child_export_pdf, name="child_export_pdf"),
    path("boern/<int:pk>/bekymring/", views.concern_create, name="concern_create"),
    path("vurderinger/<int:pk>/", views.assessment_detail, name="assessment"),
    path("oversigt/", views.unit_overview, name="unit_overview"),
]
