from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import password_reset, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Glemt adgangskode: Django's own views (accounts.password_reset).
    path("login/glemt/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "login/glemt/sendt/",
        password_reset.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "login/ny-adgangskode/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "login/ny-adgangskode/faerdig/",
        password_reset.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("login/kode/", views.mfa_verify, name="mfa_verify"),
    path("login/godkenderapp/", views.mfa_enrol, name="mfa_enrol"),
    path("konto/tofaktor/", views.mfa_settings, name="mfa_settings"),
    path("konto/tofaktor/gendannelseskoder/", views.mfa_codes, name="mfa_codes"),
    path("konto/tofaktor/nye-koder/", views.mfa_new_codes, name="mfa_new_codes"),
    path("konto/bliv-logget-ind/", views.session_keepalive, name="session_keepalive"),
    path("konto/sessioner/", views.my_sessions, name="my_sessions"),
    path("konto/sessioner/<int:pk>/log-ud/", views.my_session_end, name="my_session_end"),
    path(
        "konto/sessioner/log-ud-andre/",
        views.my_sessions_end_others,
        name="my_sessions_end_others",
    ),
]
