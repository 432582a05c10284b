from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/bliv-logget-ind/", views.session_keepalive, name="session_keepalive"),
    path("konto/sessioner/", views.my_sessions, name="my_sessions"),
    path("konto/sessioner/<int:pk>/log-ud/", views.my_session_end, name="my_session_end"),
    path(
        "konto/sessioner/log-ud-andre/",
        views.my_sessions_end_others,
        name="my_sessions_end_others",
    ),
]
