from django.urls import path

from forum import admin_views, views

urlpatterns = [
    path("forum/", views.forum_home, name="forum_home"),
    path("forum/<int:pk>/nyt-moede/", views.forum_meeting_create, name="forum_meeting_create"),
    path("forum/moeder/<int:pk>/", views.forum_meeting, name="forum_meeting"),
    path("forum/moeder/<int:pk>/ret/", views.forum_meeting_edit, name="forum_meeting_edit"),
    path("forum/moeder/<int:pk>/referat.pdf", views.forum_meeting_pdf, name="forum_meeting_pdf"),
    path("forum/sager/<int:pk>/", views.forum_case, name="forum_case"),
    path("forum/sager/<int:pk>/raad/", views.forum_case_advice, name="forum_case_advice"),
    path("forum/sager/<int:pk>/knyt/", views.forum_case_link, name="forum_case_link"),
    path("forum/skridt/<int:pk>/", views.forum_step_update, name="forum_step_update"),
    path("boern/<int:pk>/forum/", views.forum_bring, name="forum_bring"),
    path("administration/fora/", admin_views.forums, name="admin_forums"),
    path("administration/fora/ny/", admin_views.forum_create, name="admin_forum_create"),
    path("administration/fora/<int:pk>/", admin_views.forum_edit, name="admin_forum_edit"),
]
