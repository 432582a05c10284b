from django.urls import path

from followups import views

urlpatterns = [
    path("boern/<int:pk>/send-videre/", views.escalate, name="escalate"),
    path("boern/<int:pk>/underretning/", views.underretning_create, name="underretning_create"),
    path("raadgivning/indgang/", views.intake, name="intake"),
    path(
        "raadgivning/henvendelser/<int:pk>/tag/", views.escalation_accept, name="escalation_accept"
    ),
    path("sager/<int:pk>/", views.case_detail, name="case"),
]
