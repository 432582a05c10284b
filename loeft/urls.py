from django.urls import path

from loeft import step_views, views

urlpatterns = [
    path("boern/<int:pk>/loeft/", views.dialogue_create, name="dialogue_create"),
    path("loeft/<int:pk>/", views.dialogue_detail, name="dialogue"),
    path("loeft/<int:pk>/rediger/", views.dialogue_edit, name="dialogue_edit"),
    path("loeft/<int:pk>/kladde/", views.dialogue_autosave, name="dialogue_autosave"),
    path("loeft/<int:pk>/slet-kladde/", views.draft_delete, name="draft_delete"),
    path("loeft/<int:pk>/pdf/", views.dialogue_pdf, name="dialogue_pdf"),
    path("skridt/<int:pk>/", step_views.next_step_update, name="next_step_update"),
    path("mine-opgaver/", step_views.my_tasks, name="my_tasks"),
]
